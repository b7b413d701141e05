//! The printer side of the pseudo-terminal: plugging in (a new pty, the link pointed at it) and the thread that
//! reads commands and writes replies until stopped.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serialport::{SerialPort, TTYPort};

use super::{Engine, PrinterError, READ_SLICE};

pub(super) struct Pty {
    pub(super) master: TTYPort,
    /// Held so the master never sees EIO while no port has the slave open.
    _slave: TTYPort,
}

pub(super) fn simulator_error(what: &str, error: impl std::fmt::Display) -> PrinterError {
    PrinterError::Simulator {
        reason: format!("{what}: {error}"),
    }
}

/// Makes a new pty and points `link` (if any) at its slave; returns the pty and the path to open.
pub(super) fn plug_in(link: Option<&Path>) -> Result<(Pty, PathBuf), PrinterError> {
    let (mut master, slave) =
        TTYPort::pair().map_err(|e| simulator_error("cannot open a pty", e))?;
    master
        .set_timeout(READ_SLICE)
        .map_err(|e| simulator_error("cannot set the pty timeout", e))?;
    let slave_path = PathBuf::from(
        slave
            .name()
            .ok_or_else(|| simulator_error("pty", "the slave has no path"))?,
    );
    let path = match link {
        Some(link) => {
            let mut tmp = link.as_os_str().to_owned();
            tmp.push(".new");
            let tmp = PathBuf::from(tmp);
            let _ = std::fs::remove_file(&tmp);
            std::os::unix::fs::symlink(&slave_path, &tmp)
                .and_then(|()| std::fs::rename(&tmp, link))
                .map_err(|e| simulator_error(&format!("cannot link {}", link.display()), e))?;
            link.to_path_buf()
        }
        None => slave_path,
    };
    Ok((
        Pty {
            master,
            _slave: slave,
        },
        path,
    ))
}

pub(super) fn run(
    engine: &Mutex<Engine>,
    stop: &AtomicBool,
    link: Option<&Path>,
    mut pty: Option<Pty>,
) {
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::Relaxed) {
        let want = lock(engine).want_plugged;
        if want != pty.is_some() {
            if want {
                match plug_in(link) {
                    Ok((new, path)) => {
                        pty = Some(new);
                        let mut e = lock(engine);
                        e.port_path = path;
                        e.plugged = true;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "simulated printer cannot replug");
                        std::thread::sleep(READ_SLICE);
                    }
                }
            } else {
                pty = None;
                if let Some(link) = link {
                    let _ = std::fs::remove_file(link);
                }
                lock(engine).plugged = false;
            }
            continue;
        }
        {
            let mut e = lock(engine);
            if !e.held.is_empty() {
                e.drain();
                e.save();
            }
        }
        let Some(open) = pty.as_mut() else {
            std::thread::sleep(READ_SLICE);
            continue;
        };
        let n = match std::io::Read::read(&mut open.master, &mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
            Err(_) => {
                std::thread::sleep(READ_SLICE);
                continue;
            }
        };
        let replies = {
            let mut e = lock(engine);
            let replies = e.feed(&buf[..n]);
            e.save();
            if !e.want_plugged {
                // Unplugged part-way through these bytes: nothing goes back.
                continue;
            }
            replies
        };
        if !replies.is_empty() {
            let _ = std::io::Write::write_all(&mut open.master, &replies);
        }
    }
}

pub(super) fn lock(engine: &Mutex<Engine>) -> MutexGuard<'_, Engine> {
    engine.lock().unwrap_or_else(PoisonError::into_inner)
}
