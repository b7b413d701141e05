//! A simulated ESC/POS printer on a pseudo-terminal, for tests and for demo mode.
//!
//! The printer side holds the pty master; the port under test opens the slave by path, exactly like a
//! real serial device. The simulator parses the command stream (initialise, DLE EOT, DLE ENQ, text,
//! styles, `GS ( k` QR, `GS v 0` raster, cut), answers status queries from a scriptable state, and
//! renders what it printed as text: lines, `[QR: payload]`, `[RASTER wxh]` and `--- cut ---`.
//!
//! Like a real printer, while it is stopped (paper out, cover open, error, offline) it keeps every
//! command it receives and prints them when the fault is fixed, unless its buffer is cleared first by
//! `DLE ENQ 2` or `ESC @`. Real-time commands (DLE EOT, DLE ENQ) are acted on at once, even inside
//! raster data, as on the real thing.
//!
//! Unplugging closes the pty (the open port then fails) and removes the link; replugging makes a new
//! pty and points the link at it, so a port opened by the link path finds the printer again.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::PrinterError;
use super::escpos::RasterImage;
use super::status::{XOFF, XON};

mod commands;
mod pty;
mod qr_reader;

use commands::{Op, parse};
use pty::{lock, plug_in, run, simulator_error};
pub use qr_reader::{QrModules, raster_qr_modules};

/// How long the printer side waits for bytes before looking at its controls again.
const READ_SLICE: Duration = Duration::from_millis(10);
/// How long [`SimulatedPrinter::unplug`] and [`SimulatedPrinter::replug`] wait for the printer side.
const PLUG_WAIT: Duration = Duration::from_secs(2);
/// What the noisy mode mixes into every reply: flow control, line noise and an ASB-shaped block, none
/// of which is a valid DLE EOT reply.
const NOISE: [u8; 9] = [XON, 0xFF, 0x10, 0x00, 0x00, 0x00, XOFF, 0x00, 0x80];

/// How the simulated printer is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulatorOptions {
    /// A symbolic link kept pointing at the current pty; open this path to survive unplug/replug.
    /// `None`: open [`SimulatedPrinter::port_path`] (the pty itself; replug then changes the path).
    pub link: Option<PathBuf>,
    /// A file rewritten with the rendered output after every change (demo mode).
    pub output_file: Option<PathBuf>,
    /// Whether the simulated model has a paper near-end sensor.
    pub near_end_sensor: bool,
}

impl Default for SimulatorOptions {
    fn default() -> Self {
        SimulatorOptions {
            link: None,
            output_file: None,
            near_end_sensor: true,
        }
    }
}

/// The simulated paper roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// Plenty of paper.
    Ok,
    /// Near the end (reported only by a model with the sensor); still prints.
    Low,
    /// No paper: the printer stops and goes offline.
    Out,
}

#[derive(Debug, Default)]
struct Conditions {
    paper: Option<Paper>,
    cover_open: bool,
    cutter_error: bool,
    unrecoverable: bool,
    offline: bool,
    drawer_high: bool,
    one_way: bool,
    noisy: bool,
    lines_until_paper_out: Option<usize>,
    /// Total received byte count at which the cable is pulled.
    unplug_at_byte: Option<usize>,
}

impl Conditions {
    fn paper(&self) -> Paper {
        self.paper.unwrap_or(Paper::Ok)
    }

    fn stopped(&self) -> bool {
        self.paper() == Paper::Out
            || self.cover_open
            || self.cutter_error
            || self.unrecoverable
            || self.offline
    }
}

#[derive(Debug)]
struct Engine {
    conditions: Conditions,
    near_end_sensor: bool,
    pending: Vec<u8>,
    /// Received commands not yet printed: waiting for a fault to be fixed, or for the paper to move
    /// in slow mode.
    held: VecDeque<Op>,
    /// Slow mode: time the paper takes to move one line.
    line_interval: Option<Duration>,
    next_line_at: Option<Instant>,
    qr_data: Option<Vec<u8>>,
    bold: bool,
    line: String,
    output: Vec<String>,
    images: Vec<RasterImage>,
    received: Vec<u8>,
    status_queries: usize,
    junk_bytes: usize,
    output_file: Option<PathBuf>,
    output_dirty: bool,
    /// Wanted plug state (set by the controls) and the state the printer side has reached.
    want_plugged: bool,
    plugged: bool,
    port_path: PathBuf,
}

impl Engine {
    fn feed(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut bytes = bytes;
        if let Some(at) = self.conditions.unplug_at_byte {
            let room = at.saturating_sub(self.received.len());
            if room <= bytes.len() {
                // The cable is pulled here: the rest never arrives.
                bytes = &bytes[..room];
                self.conditions.unplug_at_byte = None;
                self.want_plugged = false;
            }
        }
        self.received.extend_from_slice(bytes);
        self.pending.extend_from_slice(bytes);
        let mut replies = Vec::new();
        while let Some((op, len)) = parse(&self.pending) {
            self.pending.drain(..len);
            self.apply(op, &mut replies);
        }
        replies
    }

    fn apply(&mut self, op: Op, replies: &mut Vec<u8>) {
        match op {
            Op::StatusQuery(n) => self.answer(n, replies),
            Op::Recover(2) => self.held.clear(),
            Op::Recover(_) => {}
            Op::Initialise if self.conditions.stopped() => self.held.clear(),
            Op::Raster(ref image) => {
                // A real printer acts on `10 04 n` even inside raster data.
                for w in image.data.windows(3) {
                    if w[0] == 0x10 && w[1] == 0x04 && (1..=4).contains(&w[2]) {
                        self.answer(w[2], replies);
                    }
                }
                self.print_or_hold(op);
            }
            op => self.print_or_hold(op),
        }
    }

    fn answer(&mut self, n: u8, replies: &mut Vec<u8>) {
        self.status_queries += 1;
        if self.conditions.one_way {
            return;
        }
        if self.conditions.noisy {
            replies.extend_from_slice(&NOISE);
        }
        replies.push(self.reply(n));
        if self.conditions.noisy {
            replies.push(XON);
        }
    }

    fn reply(&self, n: u8) -> u8 {
        let c = &self.conditions;
        let bit = |on: bool, mask: u8| if on { mask } else { 0 };
        let out = c.paper() == Paper::Out;
        let low = c.paper() != Paper::Ok;
        0x12 | match n {
            1 => bit(c.drawer_high, 0x04) | bit(c.stopped(), 0x08),
            2 => {
                bit(c.cover_open, 0x04)
                    | bit(out, 0x20)
                    | bit(c.cutter_error || c.unrecoverable, 0x40)
            }
            3 => bit(c.cutter_error, 0x08) | bit(c.unrecoverable, 0x20),
            _ => bit(self.near_end_sensor && low, 0x0C) | bit(out, 0x60),
        }
    }

    fn print_or_hold(&mut self, op: Op) {
        self.held.push_back(op);
        self.drain();
    }

    /// Prints from the buffer while the printer runs (in slow mode, one line per interval).
    fn drain(&mut self) {
        while !self.conditions.stopped() {
            if self.line_interval.is_some()
                && self.next_line_at.is_some_and(|at| Instant::now() < at)
            {
                break;
            }
            let Some(op) = self.held.pop_front() else {
                break;
            };
            let paper_moves = matches!(
                op,
                Op::LineFeed | Op::FeedLines(_) | Op::QrPrint | Op::Raster(_) | Op::Cut
            );
            self.render(op);
            if paper_moves && let Some(interval) = self.line_interval {
                self.next_line_at = Some(Instant::now() + interval);
            }
        }
    }

    fn resume(&mut self) {
        self.drain();
        self.save();
    }

    fn end_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        self.output.push(line);
        self.output_dirty = true;
        if let Some(left) = self.conditions.lines_until_paper_out.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.conditions.lines_until_paper_out = None;
                self.conditions.paper = Some(Paper::Out);
            }
        }
    }

    fn flush_line(&mut self) {
        if !self.line.is_empty() {
            self.end_line();
        }
    }

    fn render(&mut self, op: Op) {
        match op {
            Op::Text(bytes) => {
                for b in bytes {
                    if b.is_ascii() {
                        self.line.push(char::from(b));
                    } else {
                        self.junk_bytes += 1;
                        self.line.push('?');
                    }
                }
            }
            Op::LineFeed => self.end_line(),
            Op::FeedLines(n) => {
                self.flush_line();
                for _ in 0..n {
                    self.end_line();
                }
            }
            Op::Bold(on) => self.bold = on,
            Op::Initialise => {
                self.bold = false;
                self.qr_data = None;
            }
            Op::QrStore(data) => self.qr_data = Some(data),
            Op::QrPrint => {
                self.flush_line();
                let payload = self
                    .qr_data
                    .as_deref()
                    .map(|d| String::from_utf8_lossy(d).into_owned())
                    .unwrap_or_default();
                self.line = format!("[QR: {payload}]");
                self.end_line();
            }
            Op::Raster(image) => {
                self.flush_line();
                self.line = match raster_qr_modules(&image) {
                    Some(modules) => format!("[RASTER QR {0}x{0} modules]", modules.side),
                    None => format!("[RASTER {}x{}]", image.width(), image.height),
                };
                self.images.push(image);
                self.end_line();
            }
            Op::Cut => {
                self.flush_line();
                self.line = "--- cut ---".to_string();
                self.end_line();
            }
            Op::Unknown(_) => self.junk_bytes += 1,
            Op::Setting | Op::StatusQuery(_) | Op::Recover(_) => {}
        }
    }

    fn save(&mut self) {
        if !self.output_dirty {
            return;
        }
        self.output_dirty = false;
        if let Some(path) = &self.output_file {
            let mut text = self.output.join("\n");
            text.push('\n');
            if let Err(error) = std::fs::write(path, text) {
                tracing::warn!(path = %path.display(), %error, "cannot save the simulated printer's output");
            }
        }
    }
}

/// A simulated printer running on its own thread; stops when dropped.
pub struct SimulatedPrinter {
    engine: Arc<Mutex<Engine>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    link: Option<PathBuf>,
}

impl std::fmt::Debug for SimulatedPrinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimulatedPrinter")
            .field("port_path", &self.port_path())
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// A printer just switched on: ready, paper loaded, plugged in, nothing received yet.
    fn new(near_end_sensor: bool, output_file: Option<PathBuf>, port_path: PathBuf) -> Engine {
        Engine {
            conditions: Conditions::default(),
            near_end_sensor,
            pending: Vec::new(),
            held: VecDeque::new(),
            line_interval: None,
            next_line_at: None,
            qr_data: None,
            bold: false,
            line: String::new(),
            output: Vec::new(),
            images: Vec::new(),
            received: Vec::new(),
            status_queries: 0,
            junk_bytes: 0,
            output_file,
            output_dirty: false,
            want_plugged: true,
            plugged: true,
            port_path,
        }
    }
}

impl SimulatedPrinter {
    /// Starts a simulated printer: ready, paper loaded, answering status queries.
    pub fn start(options: SimulatorOptions) -> Result<Self, PrinterError> {
        let (pty, port_path) = plug_in(options.link.as_deref())?;
        let engine = Arc::new(Mutex::new(Engine::new(
            options.near_end_sensor,
            options.output_file,
            port_path,
        )));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let engine = Arc::clone(&engine);
            let stop = Arc::clone(&stop);
            let link = options.link.clone();
            std::thread::Builder::new()
                .name("simulated-printer".to_string())
                .spawn(move || run(&engine, &stop, link.as_deref(), Some(pty)))
                .map_err(|e| simulator_error("cannot start its thread", e))?
        };
        Ok(SimulatedPrinter {
            engine,
            stop,
            thread: Some(thread),
            link: options.link,
        })
    }

    fn engine(&self) -> MutexGuard<'_, Engine> {
        lock(&self.engine)
    }

    fn change(&self, f: impl FnOnce(&mut Conditions)) {
        let mut e = self.engine();
        f(&mut e.conditions);
        if !e.conditions.stopped() {
            e.resume();
        }
    }

    /// The path a port should open: the link if one was given, else the current pty.
    pub fn port_path(&self) -> PathBuf {
        self.engine().port_path.clone()
    }

    /// Loads, nearly empties or empties the paper roll. Loading paper resumes a held job.
    pub fn set_paper(&self, paper: Paper) {
        self.change(|c| c.paper = Some(paper));
    }

    /// The paper runs out after `lines` more printed lines (in the middle of a job).
    pub fn run_out_of_paper_after_lines(&self, lines: usize) {
        self.change(|c| c.lines_until_paper_out = Some(lines.max(1)));
    }

    /// Pulls the cable after `bytes` more bytes have arrived (in the middle of a job).
    pub fn unplug_after_bytes(&self, bytes: usize) {
        let mut e = self.engine();
        let at = e.received.len() + bytes;
        e.conditions.unplug_at_byte = Some(at);
    }

    /// Slow mode: the paper moves one line per `per_line` (as a real mechanism does) while status
    /// queries are still answered at once; `None` prints instantly.
    pub fn set_slow(&self, per_line: Option<Duration>) {
        let mut e = self.engine();
        e.line_interval = per_line;
        e.next_line_at = None;
        e.resume();
    }

    /// Opens or closes the cover.
    pub fn set_cover_open(&self, open: bool) {
        self.change(|c| c.cover_open = open);
    }

    /// Jams or frees the auto-cutter.
    pub fn set_cutter_error(&self, error: bool) {
        self.change(|c| c.cutter_error = error);
    }

    /// Sets or clears an unrecoverable error.
    pub fn set_unrecoverable(&self, error: bool) {
        self.change(|c| c.unrecoverable = error);
    }

    /// Goes offline (or back online) without a more specific cause.
    pub fn set_offline(&self, offline: bool) {
        self.change(|c| c.offline = offline);
    }

    /// Sets the drawer kick-out pin 3 level (reported, never a fault).
    pub fn set_drawer_high(&self, high: bool) {
        self.change(|c| c.drawer_high = high);
    }

    /// One-way mode: prints but never answers a status query.
    pub fn set_one_way(&self, one_way: bool) {
        self.change(|c| c.one_way = one_way);
    }

    /// Noisy mode: XON/XOFF, garbage and an ASB-shaped block around every reply.
    pub fn set_noisy(&self, noisy: bool) {
        self.change(|c| c.noisy = noisy);
    }

    fn wait_plugged(&self, plugged: bool) -> bool {
        let deadline = Instant::now() + PLUG_WAIT;
        while Instant::now() < deadline {
            if self.engine().plugged == plugged {
                return true;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        false
    }

    /// Pulls the cable: closes the pty (an open port fails) and removes the link. Returns once done.
    pub fn unplug(&self) -> bool {
        self.engine().want_plugged = false;
        self.wait_plugged(false)
    }

    /// Plugs it back in: a new pty, the link pointed at it. Returns once done.
    pub fn replug(&self) -> bool {
        self.engine().want_plugged = true;
        self.wait_plugged(true)
    }

    /// Everything printed so far, as text lines joined by `\n`.
    pub fn output(&self) -> String {
        self.engine().output.join("\n")
    }

    /// The printed pieces of paper so far, each ending at a cut (a piece still printing is left out).
    pub fn printouts(&self) -> Vec<String> {
        let e = self.engine();
        let mut pieces = Vec::new();
        let mut piece = Vec::new();
        for line in &e.output {
            piece.push(line.as_str());
            if line == "--- cut ---" {
                pieces.push(piece.join("\n"));
                piece.clear();
            }
        }
        pieces
    }

    /// How many cuts were made.
    pub fn cuts(&self) -> usize {
        self.engine()
            .output
            .iter()
            .filter(|l| *l == "--- cut ---")
            .count()
    }

    /// Forgets the printed output (not the held buffer).
    pub fn clear_output(&self) {
        let mut e = self.engine();
        e.output.clear();
        e.images.clear();
        e.output_dirty = true;
        e.save();
    }

    /// How many commands wait in the printer's buffer until a fault is fixed.
    pub fn held_commands(&self) -> usize {
        self.engine().held.len()
    }

    /// Every byte received so far.
    pub fn received(&self) -> Vec<u8> {
        self.engine().received.clone()
    }

    /// The raster images printed so far.
    pub fn images(&self) -> Vec<RasterImage> {
        self.engine().images.clone()
    }

    /// How many DLE EOT queries arrived (answered or not).
    pub fn status_queries(&self) -> usize {
        self.engine().status_queries
    }

    /// Bytes that were not printable ASCII or a known command.
    pub fn junk_bytes(&self) -> usize {
        self.engine().junk_bytes
    }
}

impl Drop for SimulatedPrinter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if let Some(link) = &self.link {
            let _ = std::fs::remove_file(link);
        }
    }
}

#[cfg(test)]
mod tests;
