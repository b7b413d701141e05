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

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};

use super::PrinterError;
use super::escpos::RasterImage;
use super::status::{XOFF, XON};

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

/// One parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    /// `10 04 n`.
    StatusQuery(u8),
    /// `10 05 n`.
    Recover(u8),
    /// `1B 40`.
    Initialise,
    /// Printable bytes (0x20..=0x7E) and, counted as junk, bytes above 0x7F.
    Text(Vec<u8>),
    /// `0A`.
    LineFeed,
    /// `1B 64 n`: print and feed n lines.
    FeedLines(u8),
    /// `1B 45 n`.
    Bold(bool),
    /// `GS ( k` store.
    QrStore(Vec<u8>),
    /// `GS ( k` print.
    QrPrint,
    /// `GS v 0`.
    Raster(RasterImage),
    /// `GS V`.
    Cut,
    /// A known command without visible effect here (alignment, size, QR settings, code page, ASB).
    Setting,
    /// A byte that starts no known command.
    Unknown(u8),
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
    held: Vec<Op>,
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
        if self.conditions.stopped() {
            self.held.push(op);
        } else {
            self.render(op);
        }
    }

    fn resume(&mut self) {
        let held = std::mem::take(&mut self.held);
        for op in held {
            self.print_or_hold(op);
        }
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

/// Parses one command from the front of `buf`: the command and how many bytes it took, or `None` when
/// more bytes are needed.
fn parse(buf: &[u8]) -> Option<(Op, usize)> {
    let first = *buf.first()?;
    let at = |i: usize| buf.get(i).copied();
    match first {
        0x10 => {
            let second = at(1)?;
            match second {
                0x04 => Some((Op::StatusQuery(at(2)?), 3)),
                0x05 => Some((Op::Recover(at(2)?), 3)),
                _ => Some((Op::Unknown(first), 1)),
            }
        }
        0x1B => match at(1)? {
            0x40 => Some((Op::Initialise, 2)),
            0x45 => Some((Op::Bold(at(2)? & 1 == 1), 3)),
            0x64 => Some((Op::FeedLines(at(2)?), 3)),
            0x61 | 0x74 | 0x21 | 0x4D => {
                at(2)?;
                Some((Op::Setting, 3))
            }
            _ => Some((Op::Unknown(first), 1)),
        },
        0x1D => match at(1)? {
            0x21 | 0x61 => {
                at(2)?;
                Some((Op::Setting, 3))
            }
            0x56 => match at(2)? {
                0x41 | 0x42 | 0x61 | 0x62 => {
                    at(3)?;
                    Some((Op::Cut, 4))
                }
                _ => Some((Op::Cut, 3)),
            },
            0x28 if at(2)? == 0x6B => {
                let len = usize::from(at(3)?) + 256 * usize::from(at(4)?);
                let body = buf.get(5..5 + len)?;
                let op = match body {
                    [0x31, 0x50, 0x30, data @ ..] => Op::QrStore(data.to_vec()),
                    [0x31, 0x51, ..] => Op::QrPrint,
                    _ => Op::Setting,
                };
                Some((op, 5 + len))
            }
            0x76 if at(2)? == 0x30 => {
                let header = buf.get(3..8)?;
                let x = usize::from(header[1]) + 256 * usize::from(header[2]);
                let y = usize::from(header[3]) + 256 * usize::from(header[4]);
                let data = buf.get(8..8 + x * y)?;
                let image = RasterImage {
                    bytes_per_row: x,
                    height: y,
                    data: data.to_vec(),
                };
                Some((Op::Raster(image), 8 + x * y))
            }
            _ => Some((Op::Unknown(first), 1)),
        },
        0x0A => Some((Op::LineFeed, 1)),
        0x0D => Some((Op::Setting, 1)),
        0x20..=0x7E | 0x80..=0xFF => {
            let len = buf
                .iter()
                .take_while(|&&b| (0x20..=0x7E).contains(&b) || b >= 0x80)
                .count();
            Some((Op::Text(buf[..len].to_vec()), len))
        }
        _ => Some((Op::Unknown(first), 1)),
    }
}

/// The modules of a QR code read back from a raster image: `side` x `side`, row by row, `true` = dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrModules {
    /// Modules per side.
    pub side: usize,
    /// `side * side` modules.
    pub dark: Vec<bool>,
}

/// Reads a QR code's modules back from a raster image by finding the top-left finder pattern (its
/// first row is 7 dark modules) and sampling every module's centre; `None` if no QR shape is found.
pub fn raster_qr_modules(image: &RasterImage) -> Option<QrModules> {
    let (top, left) = (0..image.height).find_map(|y| {
        (0..image.width())
            .find(|&x| image.dot(x, y))
            .map(|x| (y, x))
    })?;
    let run = (left..image.width())
        .take_while(|&x| image.dot(x, top))
        .count();
    if run < 7 || run % 7 != 0 {
        return None;
    }
    let module = run / 7;
    let right = (left..image.width()).rev().find(|&x| image.dot(x, top))?;
    let span = right + 1 - left;
    if span % module != 0 {
        return None;
    }
    let side = span / module;
    if side < 21 {
        return None;
    }
    let mut dark = Vec::with_capacity(side * side);
    for my in 0..side {
        for mx in 0..side {
            dark.push(image.dot(
                left + mx * module + module / 2,
                top + my * module + module / 2,
            ));
        }
    }
    Some(QrModules { side, dark })
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

struct Pty {
    master: TTYPort,
    /// Held so the master never sees EIO while no port has the slave open.
    _slave: TTYPort,
}

fn simulator_error(what: &str, error: impl std::fmt::Display) -> PrinterError {
    PrinterError::Simulator {
        reason: format!("{what}: {error}"),
    }
}

/// Makes a new pty and points `link` (if any) at its slave; returns the pty and the path to open.
fn plug_in(link: Option<&Path>) -> Result<(Pty, PathBuf), PrinterError> {
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

fn run(engine: &Mutex<Engine>, stop: &AtomicBool, link: Option<&Path>, mut pty: Option<Pty>) {
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

fn lock(engine: &Mutex<Engine>) -> MutexGuard<'_, Engine> {
    engine.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SimulatedPrinter {
    /// Starts a simulated printer: ready, paper loaded, answering status queries.
    pub fn start(options: SimulatorOptions) -> Result<Self, PrinterError> {
        let (pty, port_path) = plug_in(options.link.as_deref())?;
        let engine = Arc::new(Mutex::new(Engine {
            conditions: Conditions::default(),
            near_end_sensor: options.near_end_sensor,
            pending: Vec::new(),
            held: Vec::new(),
            qr_data: None,
            bold: false,
            line: String::new(),
            output: Vec::new(),
            images: Vec::new(),
            received: Vec::new(),
            status_queries: 0,
            junk_bytes: 0,
            output_file: options.output_file,
            output_dirty: false,
            want_plugged: true,
            plugged: true,
            port_path,
        }));
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
mod tests {
    use super::*;

    fn engine() -> Engine {
        Engine {
            conditions: Conditions::default(),
            near_end_sensor: true,
            pending: Vec::new(),
            held: Vec::new(),
            qr_data: None,
            bold: false,
            line: String::new(),
            output: Vec::new(),
            images: Vec::new(),
            received: Vec::new(),
            status_queries: 0,
            junk_bytes: 0,
            output_file: None,
            output_dirty: false,
            want_plugged: true,
            plugged: true,
            port_path: PathBuf::new(),
        }
    }

    #[test]
    fn commands_split_across_reads_are_parsed_once_complete() {
        let mut e = engine();
        let stream = b"\x1b@Hi\n\x1d(k\x07\x001P0ABCD\x1d(k\x03\x001Q0\x1dVA\x03";
        for chunk in stream.chunks(3) {
            assert!(e.feed(chunk).is_empty());
        }
        assert_eq!(e.output, vec!["Hi", "[QR: ABCD]", "--- cut ---"]);
    }

    #[test]
    fn replies_follow_the_state() {
        let mut e = engine();
        assert_eq!(e.feed(&[0x10, 0x04, 1, 0x10, 0x04, 4]), vec![0x12, 0x12]);
        e.conditions.paper = Some(Paper::Out);
        assert_eq!(
            e.feed(&[0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4]),
            vec![0x1A, 0x32, 0x12, 0x7E]
        );
        e.conditions.one_way = true;
        assert!(e.feed(&[0x10, 0x04, 1]).is_empty());
        assert_eq!(e.status_queries, 7);
    }

    #[test]
    fn held_job_prints_after_paper_unless_cleared() {
        let mut e = engine();
        e.conditions.paper = Some(Paper::Out);
        e.feed(b"stale\n\x1dVA\x03");
        assert!(e.output.is_empty());
        e.conditions.paper = Some(Paper::Ok);
        e.resume();
        assert_eq!(e.output, vec!["stale", "--- cut ---"]);

        let mut e = engine();
        e.conditions.paper = Some(Paper::Out);
        e.feed(b"stale\n\x1dVA\x03\x10\x05\x02\x1b@");
        e.conditions.paper = Some(Paper::Ok);
        e.resume();
        assert!(e.output.is_empty());
    }
}
