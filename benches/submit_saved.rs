//! Time from "Kirim klaim" on the review screen to the saved screen drawn, through the kiosk's own code:
//! the tap's message into `App::update`, the submit task run as in the kiosk window (every answer checked
//! again, the packet sealed and signed, the durable commit to the SQLite outbox), then the saved screen
//! built and drawn by the CPU renderer at 1280x800. Printing is excluded (no printer on this kiosk).
//! Target: < 300 ms. Each run taps a whole resign claim through first (not timed), with the simulated
//! camera's real photos (about 50 KB each).
//!
//! Run with `cargo bench --bench submit_saved`.

#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/journey/mod.rs"]
mod journey;

use std::time::Instant;

use journey::*;
use lapak_kiosk::ui::screen::Screen;
use lapak_kiosk::ui::theme;

const RUNS: usize = 15;

fn main() {
    let t = id();
    let mut times = Vec::new();
    let mut packet_bytes = 0;
    for _ in 0..RUNS {
        let Kiosk {
            mut app,
            outbox,
            camera,
            _dir,
            ..
        } = kiosk();
        tap_through_resign(&mut app, &camera);
        let mut ui = simulator(&app);
        ui.click(t.tr("ui-review-submit").as_str()).unwrap();
        let messages: Vec<_> = ui.into_messages().collect();

        let started = Instant::now();
        for message in messages {
            send(&mut app, message);
        }
        let Screen::Saved(saved) = app.screen() else {
            panic!("not saved: {:?}", app.notice());
        };
        let reference = saved.reference().clone();
        let frame = simulator(&app).snapshot(&theme::kiosk()).unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);

        drop(frame);
        let summary = outbox
            .lookup_by_reference(&reference)
            .unwrap()
            .expect("the claim is in the outbox");
        packet_bytes = summary.packet_bytes;
        camera_shutdown(camera);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "submit to saved screen drawn: median {:.1} ms, min {:.1} ms, max {:.1} ms ({RUNS} claims, sealed packet {} KB)",
        times[RUNS / 2],
        times[0],
        times[RUNS - 1],
        packet_bytes / 1024
    );
}

/// Stops the camera worker of a finished run.
fn camera_shutdown(camera: std::sync::Arc<lapak_kiosk::camera::CameraHandle>) {
    if let Ok(camera) = std::sync::Arc::try_unwrap(camera) {
        camera.stop();
    }
}
