//! The newest log lines, kept in memory for a diagnostics bundle: the kiosk's log writer copies every line
//! here as it writes it to stderr (the journal). Nothing is written to disk by this module.

use std::collections::VecDeque;
use std::io::Write as _;
use std::sync::Mutex;

/// Lines kept.
pub const KEPT_LINES: usize = 500;

static LINES: Mutex<VecDeque<String>> = Mutex::new(VecDeque::new());

/// Keeps one line (the oldest goes when [`KEPT_LINES`] are kept).
pub fn push(line: &str) {
    let mut lines = LINES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if lines.len() >= KEPT_LINES {
        lines.pop_front();
    }
    lines.push_back(line.trim_end().to_owned());
}

/// The kept lines, oldest first.
pub fn lines() -> Vec<String> {
    LINES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .cloned()
        .collect()
}

/// A log writer (for `tracing_subscriber::fmt().with_writer(log_ring::Tee)`): stderr, and a copy here.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tee;

/// One log event's bytes on their way.
pub struct TeeWriter(Vec<u8>);

impl std::io::Write for TeeWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for TeeWriter {
    fn drop(&mut self) {
        let _ = std::io::stderr().write_all(&self.0);
        for line in String::from_utf8_lossy(&self.0).lines() {
            push(line);
        }
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Tee {
    type Writer = TeeWriter;

    fn make_writer(&'a self) -> Self::Writer {
        TeeWriter(Vec::new())
    }
}
