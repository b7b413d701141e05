//! A slow, breaking link on loopback: a TCP proxy on 127.0.0.1 that passes at most `rate` bytes per second in
//! each direction (shared by all connections, like one physical link: a token bucket without burst), cuts every
//! connection `cut_after` after it opened, and counts the bytes it carried each way.
#![allow(dead_code)]

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How the link behaves.
#[derive(Debug, Clone, Copy)]
pub struct LinkSpec {
    /// Bytes per second in each direction (`None`: unlimited).
    pub rate: Option<u64>,
    /// Every connection is cut this long after it opened (`None`: never).
    pub cut_after: Option<Duration>,
    /// Every connection is cut once it has carried this many bytes upstream (`None`: never).
    pub cut_after_upstream_bytes: Option<u64>,
    /// The link dies for good once it has carried this many bytes upstream in all (`None`: never).
    pub dead_after_upstream_bytes: Option<u64>,
}

impl LinkSpec {
    /// 256 kbit/s each way, every connection cut 10 s after it opened.
    pub fn rural() -> LinkSpec {
        LinkSpec {
            rate: Some(256_000 / 8),
            cut_after: Some(Duration::from_secs(10)),
            cut_after_upstream_bytes: None,
            dead_after_upstream_bytes: None,
        }
    }

    /// No limit, no cuts.
    pub fn clear() -> LinkSpec {
        LinkSpec {
            rate: None,
            cut_after: None,
            cut_after_upstream_bytes: None,
            dead_after_upstream_bytes: None,
        }
    }
}

/// One direction of the link: when it is next free.
struct Pipe {
    next_free: Mutex<Instant>,
    carried: AtomicU64,
}

impl Pipe {
    fn new() -> Pipe {
        Pipe {
            next_free: Mutex::new(Instant::now()),
            carried: AtomicU64::new(0),
        }
    }

    /// Reserves the link for `n` bytes at `rate`; returns when they have passed.
    fn reserve(&self, n: usize, rate: Option<u64>) -> Instant {
        let Some(rate) = rate else {
            return Instant::now();
        };
        let mut next = self
            .next_free
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let start = (*next).max(Instant::now());
        let end = start + Duration::from_secs_f64(n as f64 / rate as f64);
        *next = end;
        end
    }
}

/// The running proxy; stops when dropped.
pub struct Link {
    /// The port kiosks connect to.
    pub port: u16,
    up: Arc<Pipe>,
    down: Arc<Pipe>,
    connections: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Link {
    /// Starts the proxy in front of `127.0.0.1:upstream`.
    pub fn start(upstream: u16, spec: LinkSpec) -> Link {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the link proxy");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let port = listener.local_addr().expect("proxy address").port();
        let up = Arc::new(Pipe::new());
        let down = Arc::new(Pipe::new());
        let connections = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (up, down, connections, stop) = (
                Arc::clone(&up),
                Arc::clone(&down),
                Arc::clone(&connections),
                Arc::clone(&stop),
            );
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((client, _)) => {
                            connections.fetch_add(1, Ordering::Relaxed);
                            let (up, down, stop) =
                                (Arc::clone(&up), Arc::clone(&down), Arc::clone(&stop));
                            std::thread::spawn(move || {
                                connect(client, upstream, spec, &up, &down, &stop)
                            });
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(10))
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            })
        };
        Link {
            port,
            up,
            down,
            connections,
            stop,
            accept: Some(accept),
        }
    }

    /// The URL of the central service through this link.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Bytes carried from the kiosks to the service.
    pub fn upstream_bytes(&self) -> u64 {
        self.up.carried.load(Ordering::Relaxed)
    }

    /// Bytes carried from the service to the kiosks.
    pub fn downstream_bytes(&self) -> u64 {
        self.down.carried.load(Ordering::Relaxed)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::Relaxed)
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn connect(
    client: TcpStream,
    upstream: u16,
    spec: LinkSpec,
    up: &Arc<Pipe>,
    down: &Arc<Pipe>,
    stop: &Arc<AtomicBool>,
) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let deadline = spec.cut_after.map(|d| Instant::now() + d);
    let cut = Arc::new(AtomicBool::new(false));
    let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let upstream_pump = {
        let (up, stop, cut) = (Arc::clone(up), Arc::clone(stop), Arc::clone(&cut));
        std::thread::spawn(move || pump(client, server, &up, spec, deadline, true, &stop, &cut))
    };
    pump(server2, client2, down, spec, deadline, false, stop, &cut);
    let _ = upstream_pump.join();
}

/// Copies `from` → `to` through `pipe` until either side closes, the deadline passes or the proxy stops; then
/// shuts both connections down (a cut: the other direction ends too).
#[allow(clippy::too_many_arguments)]
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    pipe: &Pipe,
    spec: LinkSpec,
    deadline: Option<Instant>,
    upstream: bool,
    stop: &AtomicBool,
    cut: &AtomicBool,
) {
    let _ = from.set_read_timeout(Some(Duration::from_millis(50)));
    let mut buf = [0u8; 2048];
    let mut carried = 0u64;
    let past = |at: Instant| deadline.is_some_and(|d| at >= d);
    loop {
        if stop.load(Ordering::Relaxed) || cut.load(Ordering::Relaxed) || past(Instant::now()) {
            break;
        }
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(_) => break,
        };
        let mut n = n;
        if upstream && let Some(limit) = spec.cut_after_upstream_bytes {
            n = n.min(limit.saturating_sub(carried) as usize);
        }
        let total = pipe.carried.load(Ordering::Relaxed);
        if upstream && let Some(limit) = spec.dead_after_upstream_bytes {
            n = n.min(limit.saturating_sub(total) as usize);
            if n == 0 {
                break;
            }
        }
        let passed = pipe.reserve(n, spec.rate);
        let wake = match deadline {
            Some(d) if passed > d => d,
            _ => passed,
        };
        if let Some(wait) = wake.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        if past(passed) {
            break;
        }
        if n > 0 && to.write_all(&buf[..n]).is_err() {
            break;
        }
        carried += n as u64;
        pipe.carried.fetch_add(n as u64, Ordering::Relaxed);
        if upstream
            && spec
                .cut_after_upstream_bytes
                .is_some_and(|limit| carried >= limit)
        {
            break;
        }
        if upstream
            && spec
                .dead_after_upstream_bytes
                .is_some_and(|limit| total + n as u64 >= limit)
        {
            break;
        }
    }
    cut.store(true, Ordering::Relaxed);
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}
