//! Time from a page change to the first sample of its spoken question queued for the speaker, through the
//! kiosk's own code: the tap's message into `App::update` (the page changes, the old page's sound stops, the
//! speech module asks for the new page's clips), then the sound thread decodes the first clip (Ogg Vorbis,
//! pure Rust), resamples it to the device's rate and queues it; the device (ALSA's `null`, which pulls as
//! fast as it can) has then taken its first frame of it. Target: < 150 ms. Each run taps from home to the
//! status check's first question and back.
//!
//! Run with `cargo bench --bench speech_start`.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Local;
use lapak_kiosk::sound::{DeviceSound, SharedSound, SoundConfig};
use lapak_kiosk::ui::screen::{self, home, status};
use lapak_kiosk::ui::{App, Devices, Message, UiContext, UiSettings};

const RUNS: usize = 40;

fn main() {
    let config = SoundConfig {
        device: "null".to_owned(),
        ..SoundConfig::default()
    };
    let sound = Arc::new(DeviceSound::open(&config).expect("ALSA's null device opens"));
    let devices = Devices {
        sound: SharedSound(sound.clone()),
        ..Devices::default()
    };
    let context = UiContext::with_shipped_tables(UiSettings::default(), devices).unwrap();
    let mut app = App::new(context, Local::now());
    let _ = app.update(Message::Tick(Local::now()));
    let mut times = Vec::new();
    for _ in 0..RUNS {
        // Home's welcome is said and gone before the timed page change.
        wait(|| sound.is_idle());
        let before = sound.sound_frames();
        let started = Instant::now();
        let _ = app.update(Message::Screen(screen::Message::Home(
            home::Message::CheckStatus,
        )));
        wait(|| sound.sound_frames() > before);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        let _ = app.update(Message::Screen(screen::Message::Status(
            status::Message::Back,
        )));
    }
    times.sort_by(f64::total_cmp);
    println!(
        "page change to first speech sample queued and taken by the device: median {:.1} ms, min {:.1} ms, max {:.1} ms ({RUNS} page changes, device {})",
        times[RUNS / 2],
        times[0],
        times[RUNS - 1],
        sound.info()
    );
    assert!(
        times[RUNS - 1] < 150.0,
        "the slowest page change took {:.1} ms to speak (target < 150 ms)",
        times[RUNS - 1]
    );
}

/// Waits (at most 5 s) until `done` holds.
fn wait(mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(Instant::now() < deadline, "timed out");
        std::thread::sleep(Duration::from_micros(200));
    }
}
