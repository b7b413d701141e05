//! The release kiosk binary in a real X server (Xvfb, 1280x800, the CPU renderer), measured from outside as
//! a person would see it:
//!
//! - cold start: a fresh process with a fresh data folder (so the kiosk key and the outbox are created) until
//!   the home screen is on the screen exactly as it looks once settled (targets: < 0.5 s);
//! - memory: VmRSS on the home screen after 10 s idle (target < 80 MB), and after 10 s of live camera
//!   preview on the maintenance camera test (target < 150 MB), with the peak (VmHWM);
//! - preview: how many different preview pictures reach the screen per second, read from the screen itself
//!   (the simulated camera's picture moves every frame), and the kiosk's CPU time per shown frame
//!   (target >= 25 frames per second).
//!
//! Run with `cargo bench --bench kiosk_window` (needs `Xvfb` and `xdotool`: `bash .ci/install-deps`).
//! The screens are reached with taps at fixed points of the 1280x800 layout (five taps on the kiosk name,
//! the demo staff PIN 123456 on the keypad, "Uji kamera").

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use x11rb::connection::Connection as _;
use x11rb::protocol::xproto::{ConnectionExt as _, ImageFormat, Window};
use x11rb::rust_connection::RustConnection;

const KIOSK: &str = env!("CARGO_BIN_EXE_lapak-kiosk");
const WIDTH: u16 = 1280;
/// Rows compared to decide that the whole home screen is drawn: header, title, text, both buttons, foot.
const HOME_ROWS: [i16; 8] = [20, 44, 150, 240, 330, 380, 505, 780];
const COLD_STARTS: usize = 10;

/// A screen to draw on, gone when dropped.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Xvfb {
        let number = (80..120)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .expect("a free X display number");
        let display = format!(":{number}");
        let child = Command::new("Xvfb")
            .args([
                &display,
                "-screen",
                "0",
                "1280x800x24",
                "-br",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is installed (Debian package xvfb; bash .ci/install-deps)");
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() {
            assert!(Instant::now() < deadline, "Xvfb did not start");
            sleep(Duration::from_millis(20));
        }
        sleep(Duration::from_millis(200));
        Xvfb { child, display }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads pixels off the X server.
struct Screen {
    conn: RustConnection,
    root: Window,
}

impl Screen {
    fn open(display: &str) -> Screen {
        let (conn, number) = x11rb::connect(Some(display)).expect("connect to Xvfb");
        let root = conn.setup().roots[number].root;
        Screen { conn, root }
    }

    /// One row of pixels (4 bytes each) from `x` to `x + width`.
    fn row(&self, x: i16, y: i16, width: u16) -> Vec<u8> {
        self.conn
            .get_image(ImageFormat::Z_PIXMAP, self.root, x, y, width, 1, !0)
            .expect("request the image")
            .reply()
            .expect("read the image")
            .data
    }

    fn rows(&self, rows: &[i16]) -> Vec<Vec<u8>> {
        rows.iter().map(|&y| self.row(0, y, WIDTH)).collect()
    }
}

/// A kiosk process with its own data folder.
struct Kiosk {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Kiosk {
    fn start(display: &str) -> (Kiosk, Instant) {
        let dir = tempfile::tempdir().expect("temp folder");
        let shipped = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/kiosk-config/kiosk.toml"
        ))
        .expect("the shipped kiosk.toml");
        let data = dir.path().join("data");
        let config: String = shipped
            .lines()
            .map(|line| {
                if line.starts_with("data_dir = ") {
                    format!("data_dir = {:?}", data.display().to_string())
                } else {
                    line.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let config_file = dir.path().join("kiosk.toml");
        std::fs::write(&config_file, config).expect("write the config");
        let started = Instant::now();
        let child = Command::new(KIOSK)
            .arg("--config")
            .arg(&config_file)
            .env("DISPLAY", display)
            .env("LAPAK_LOG", "warn")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the kiosk");
        (Kiosk { child, _dir: dir }, started)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// (VmRSS, VmHWM) in MB.
    fn memory(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("the kiosk is running");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kb| kb.parse::<f64>().ok())
                .map(|kb| kb / 1024.0)
                .expect("a memory figure")
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// User + system CPU time so far.
    fn cpu(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid()))
            .expect("the kiosk is running");
        let after_name = &stat[stat.rfind(')').expect("stat format") + 2..];
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the state.
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        Duration::from_secs_f64(ticks as f64 / 100.0)
    }
}

impl Drop for Kiosk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tap(display: &str, x: u32, y: u32) {
    let status = Command::new("xdotool")
        .args(["mousemove", &x.to_string(), &y.to_string(), "click", "1"])
        .env("DISPLAY", display)
        .status()
        .expect("xdotool is installed (bash .ci/install-deps)");
    assert!(status.success());
    sleep(Duration::from_millis(250));
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    // `cargo bench` passes filter arguments; this bench runs as a whole.
    let x = Xvfb::start();
    let screen = Screen::open(&x.display);

    // The settled home screen, to recognise the first complete frame.
    let (kiosk, _) = Kiosk::start(&x.display);
    sleep(Duration::from_secs(4));
    let home = screen.rows(&HOME_ROWS);
    drop(kiosk);
    sleep(Duration::from_millis(500));

    let mut starts = Vec::new();
    for _ in 0..COLD_STARTS {
        // A black screen between runs, so the previous kiosk's picture cannot count.
        let blank = screen.rows(&[400]);
        assert!(blank[0].iter().all(|&b| b == 0), "the screen is not blank");
        let (kiosk, started) = Kiosk::start(&x.display);
        let deadline = started + Duration::from_secs(20);
        loop {
            if screen.rows(&HOME_ROWS) == home {
                starts.push(started.elapsed().as_secs_f64() * 1000.0);
                break;
            }
            assert!(Instant::now() < deadline, "the home screen never appeared");
            sleep(Duration::from_millis(1));
        }
        drop(kiosk);
        sleep(Duration::from_millis(300));
    }
    let max = starts.iter().copied().fold(0.0, f64::max);
    let min = starts.iter().copied().fold(f64::MAX, f64::min);
    println!(
        "cold start to the first complete home frame: median {:.0} ms, min {min:.0} ms, max {max:.0} ms ({} runs, fresh data folder each)",
        median(&mut starts.clone()),
        starts.len()
    );

    // Memory idle on home.
    let (kiosk, _) = Kiosk::start(&x.display);
    sleep(Duration::from_secs(10));
    let (rss, hwm) = kiosk.memory();
    println!("memory on home after 10 s idle: VmRSS {rss:.1} MB (peak {hwm:.1} MB)");

    // The live preview: maintenance mode, camera test.
    for _ in 0..5 {
        tap(&x.display, 100, 44);
    }
    for (kx, ky) in [
        (843, 160),
        (1007, 160),
        (1171, 160),
        (843, 252),
        (1007, 252),
        (1171, 252),
    ] {
        tap(&x.display, kx, ky);
    }
    tap(&x.display, 1163, 732); // Masuk
    sleep(Duration::from_secs(1));
    tap(&x.display, 733, 473); // Uji kamera
    sleep(Duration::from_secs(2));

    // A row across the middle of the preview: it changes with every new camera picture drawn.
    let (px, py, pw) = (280, 460, 720);
    let window = Duration::from_secs(10);
    let cpu_before = kiosk.cpu();
    let began = Instant::now();
    let mut previous = screen.row(px, py, pw);
    let mut shown = 0u32;
    let mut longest_gap = Duration::ZERO;
    let mut last_change = Instant::now();
    while began.elapsed() < window {
        let row = screen.row(px, py, pw);
        if row != previous {
            shown += 1;
            longest_gap = longest_gap.max(last_change.elapsed());
            last_change = Instant::now();
            previous = row;
        }
        sleep(Duration::from_millis(1));
    }
    let seconds = began.elapsed().as_secs_f64();
    let cpu = kiosk.cpu().saturating_sub(cpu_before);
    assert!(
        shown > 0,
        "the preview never changed: is the camera test on screen?"
    );
    println!(
        "live preview: {:.1} frames/s shown ({shown} in {seconds:.1} s, longest gap {:.0} ms); kiosk CPU {:.1} ms per shown frame ({:.0} % of one core)",
        f64::from(shown) / seconds,
        longest_gap.as_secs_f64() * 1000.0,
        cpu.as_secs_f64() * 1000.0 / f64::from(shown),
        cpu.as_secs_f64() / seconds * 100.0
    );
    let (rss, hwm) = kiosk.memory();
    println!("memory after 10 s of live preview: VmRSS {rss:.1} MB (peak {hwm:.1} MB)");
}
