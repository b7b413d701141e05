//! The camera worker against the simulated camera: start, dropped first frames, loss and recovery,
//! and a slow consumer that never blocks capture.

use std::time::{Duration, Instant};

use lapak_kiosk::camera::{
    self, CameraConfig, CameraEvent, CameraHandle, CameraState, CaptureOutcome, SimulatedControl,
    SimulatedScene, SimulatedSource, capture, spawn_with_source,
};
use lapak_kiosk::claim::DocumentKind;

fn config() -> CameraConfig {
    CameraConfig {
        drop_first_frames: 3,
        lost_after_ms: 300,
        lost_after_errors: 4,
        reopen_interval_ms: 100,
        ..CameraConfig::default()
    }
}

fn start(fps: u32) -> (CameraHandle, SimulatedControl) {
    start_with(fps, &config())
}

fn start_with(fps: u32, config: &CameraConfig) -> (CameraHandle, SimulatedControl) {
    let source = SimulatedSource::new(SimulatedScene::Pattern, 160, 120, fps);
    let control = source.control();
    let handle = spawn_with_source(Box::new(source), config).expect("worker starts");
    (handle, control)
}

/// Waits for the first event matching `want`, returning it and the state events seen before it.
fn wait_for(
    handle: &CameraHandle,
    within: Duration,
    want: impl Fn(&CameraEvent) -> bool,
) -> (CameraEvent, Vec<String>) {
    let deadline = Instant::now() + within;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Some(event) = handle.next_event(left) {
            if want(&event) {
                return (event, seen);
            }
            if !matches!(event, CameraEvent::Frame(_)) {
                seen.push(name(&event));
            }
        }
    }
    panic!("no matching event within {within:?}; saw {seen:?}");
}

fn name(event: &CameraEvent) -> String {
    match event {
        CameraEvent::Started(_) => "started".into(),
        CameraEvent::Frame(p) => format!("frame {}", p.seq),
        CameraEvent::Lost(_) => "lost".into(),
        CameraEvent::Restored => "restored".into(),
    }
}

#[test]
fn first_frames_after_open_are_dropped() {
    let (handle, _control) = start(200);
    let (started, _) = wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Started(_))
    });
    let CameraEvent::Started(info) = started else {
        unreachable!()
    };
    assert_eq!((info.width, info.height), (160, 120));
    let (frame, before) = wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    assert!(before.is_empty());
    let CameraEvent::Frame(preview) = frame else {
        unreachable!()
    };
    // On a busy machine a later frame may be the first one shown; frames 0, 1 and 2 never are.
    assert!(
        preview.seq >= 3,
        "frames 0, 1 and 2 are dropped: {}",
        preview.seq
    );
    assert_eq!(handle.stats().frames_dropped_at_open, 3);
    assert_eq!(preview.rgba.len(), 160 * 120 * 4);
    let full = handle.capture().expect("a frame is held");
    assert_eq!((full.width, full.height), (160, 120));
    assert!(full.seq >= 3);
    handle.stop();
}

#[test]
fn stalled_camera_is_lost_then_restored_in_order() {
    let (handle, control) = start(200);
    let (_, before) = wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    assert_eq!(before, vec!["started".to_string()]);

    control.stall();
    let stalled_at = Instant::now();
    let (lost, before) = wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Lost(_))
    });
    let waited = stalled_at.elapsed();
    assert!(
        waited >= Duration::from_millis(250),
        "lost only after lost_after_ms, was {waited:?}"
    );
    assert!(
        before.is_empty(),
        "nothing between the frames and Lost: {before:?}"
    );
    let CameraEvent::Lost(reason) = lost else {
        unreachable!()
    };
    assert!(reason.contains("no frame"), "{reason}");
    assert!(matches!(handle.state(), CameraState::Lost(_)));
    assert!(
        handle.capture().is_err(),
        "no stale frame is handed out while lost"
    );

    // While stalled, reopening works but frames still do not come: no flood of repeated events.
    std::thread::sleep(Duration::from_millis(500));
    control.resume();
    let (restored, between) = wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Restored)
    });
    assert!(matches!(restored, CameraEvent::Restored));
    assert!(
        !between.iter().any(|e| e == "lost"),
        "one Lost per loss: {between:?}"
    );
    let (frame, _) = wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    let CameraEvent::Frame(preview) = frame else {
        unreachable!()
    };
    assert!(
        preview.seq >= 3,
        "the first frames after the reopen are dropped too: {}",
        preview.seq
    );
    assert!(matches!(handle.state(), CameraState::Running(_)));
    assert_eq!(handle.stats().losses, 1);
    handle.stop();
}

#[test]
fn unplugged_camera_is_lost_after_errors_and_comes_back() {
    let (handle, control) = start(200);
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    control.unplug();
    let unplugged_at = Instant::now();
    let (lost, _) = wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Lost(_))
    });
    let CameraEvent::Lost(reason) = lost else {
        unreachable!()
    };
    assert!(reason.contains("4 frame errors"), "{reason}");
    assert!(
        unplugged_at.elapsed() < Duration::from_millis(300),
        "errors declare it lost before the timeout"
    );
    let opens_while_unplugged = control.opens();
    std::thread::sleep(Duration::from_millis(450));
    assert_eq!(
        control.opens(),
        opens_while_unplugged,
        "reopen attempts fail while unplugged"
    );
    assert!(
        handle.next_event(Duration::ZERO).is_none(),
        "failed reopens do not repeat Lost"
    );
    control.resume();
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Restored)
    });
    assert_eq!(control.opens(), opens_while_unplugged + 1);
    handle.stop();
}

#[test]
fn slow_consumer_never_blocks_capture() {
    let patient = CameraConfig {
        lost_after_ms: 5000,
        ..config()
    };
    let (handle, control) = start_with(400, &patient);
    std::thread::sleep(Duration::from_millis(800));
    // Freeze the camera so the counters stop moving, then look.
    control.stall();
    std::thread::sleep(Duration::from_millis(250));
    let stats = handle.stats();
    let received = stats.frames_received;
    assert!(received >= 10, "capture kept running: {received} frames");
    let mut frames = 0;
    let mut states = Vec::new();
    while let Some(event) = handle.next_event(Duration::ZERO) {
        match event {
            CameraEvent::Frame(_) => frames += 1,
            other => states.push(name(&other)),
        }
    }
    assert_eq!(frames, 1, "only the newest preview waits");
    assert_eq!(states, vec!["started".to_string()]);
    // Every preview but the one waiting was replaced, none was waited for.
    assert_eq!(
        stats.previews_replaced,
        received - stats.frames_dropped_at_open - 1,
        "{stats:?}"
    );
    assert_eq!(control.frames_delivered(), received);
    handle.stop();
}

#[test]
fn forgotten_frames_are_not_handed_out() {
    // Three frames a second: the next one comes long after the frames are forgotten.
    let slow = CameraConfig {
        lost_after_ms: 3000,
        ..config()
    };
    let (handle, _control) = start_with(3, &slow);
    wait_for(&handle, Duration::from_secs(10), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    assert!(handle.latest_preview().is_some());
    handle.forget_frames();
    assert!(handle.latest_preview().is_none());
    assert!(handle.capture().is_err());
    assert!(
        handle.next_event(Duration::ZERO).is_none(),
        "no preview left in the queue"
    );
    handle.stop();
}

#[test]
fn configured_simulated_card_camera_feeds_the_pipeline() {
    let config = CameraConfig {
        source: "simulated:card".into(),
        fps: 15,
        ..CameraConfig::default()
    };
    let handle = camera::spawn(&config).expect("starts");
    wait_for(&handle, Duration::from_secs(20), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    let frame = handle.capture().expect("frame held");
    assert_eq!((frame.width, frame.height), (1280, 720));
    match capture(DocumentKind::Ektp, &frame, &config.quality).expect("pipeline runs") {
        CaptureOutcome::Accepted(doc) => assert!(doc.jpeg.len() <= 150 * 1024),
        CaptureOutcome::Rejected(hints) => panic!("live simulated card rejected: {hints:?}"),
    }
    handle.stop();
}

#[test]
fn probe_reports_frames_and_a_missing_camera() {
    let config = CameraConfig {
        source: "simulated".into(),
        width: 320,
        height: 240,
        fps: 50,
        ..config()
    };
    let probe = camera::probe(&config, Duration::from_secs(2));
    assert!(probe.opened, "{probe:?}");
    assert!(probe.frames >= 3, "{probe:?}");
    assert!(
        probe.fps > 0.0 && probe.fps < 60.0,
        "at most the camera's rate: {probe:?}"
    );
    assert!(probe.quality.is_some());
    assert_eq!(probe.error, None);

    // No webcam on this machine (or none at a made-up index): the probe says why.
    let missing = CameraConfig {
        source: "97".into(),
        ..config
    };
    let probe = camera::probe(&missing, Duration::from_millis(300));
    assert!(!probe.opened);
    assert!(
        probe.error.as_deref().unwrap_or("").contains("video97"),
        "{probe:?}"
    );
}

#[test]
fn camera_test_saves_a_jpeg() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("camera-test.jpg");
    let config = CameraConfig {
        source: "simulated".into(),
        width: 320,
        height: 240,
        fps: 30,
        ..config()
    };
    let (info, width, height) = camera::camera_test(&config, &path).expect("saved");
    assert_eq!((width, height), (320, 240));
    assert!(info.name.contains("simulated"));
    let saved = image::open(&path).expect("a JPEG was written");
    assert_eq!((saved.width(), saved.height()), (320, 240));
}

#[test]
fn the_demo_camera_switches_from_the_card_to_the_face_on_request() {
    let config = CameraConfig {
        source: "simulated:card".into(),
        width: 640,
        height: 480,
        drop_first_frames: 0,
        ..config()
    };
    let (handle, control) = camera::spawn_with_control(&config).expect("starts");
    let control = control.expect("the simulated camera has a control");
    let accepted = |kind: DocumentKind| {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let seq_before = handle.capture().map(|f| f.seq).unwrap_or(0);
            std::thread::sleep(Duration::from_millis(200));
            if let Ok(frame) = handle.capture()
                && frame.seq > seq_before
                && let Ok(CaptureOutcome::Accepted(_)) = capture(kind, &frame, &config.quality)
            {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
        }
    };
    assert!(
        accepted(DocumentKind::Ektp),
        "the card scene photographs as a card"
    );
    control.show(SimulatedScene::Face);
    assert!(
        accepted(DocumentKind::Selfie),
        "after the switch the face scene passes the selfie checks"
    );
    control.show(SimulatedScene::Card);
    assert!(accepted(DocumentKind::Ektp), "and back to the card");
}

/// Waits (bounded) until the worker's state matches `want`.
fn wait_for_state(handle: &CameraHandle, within: Duration, want: impl Fn(&CameraState) -> bool) {
    let deadline = Instant::now() + within;
    while !want(&handle.state()) {
        assert!(
            Instant::now() < deadline,
            "state still {:?} after {within:?}",
            handle.state()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn is_paused(state: &CameraState) -> bool {
    matches!(state, CameraState::Paused(_))
}

#[test]
fn pausing_closes_the_source_and_stops_frames() {
    let (handle, control) = start(200);
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    assert!(control.is_open());
    handle.pause();
    wait_for_state(&handle, Duration::from_secs(2), is_paused);
    assert!(
        !control.is_open(),
        "a paused camera is closed (its light off)"
    );
    let delivered = control.frames_delivered();
    let received = handle.stats().frames_received;
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(control.frames_delivered(), delivered, "no frame is read");
    assert_eq!(handle.stats().frames_received, received);
    assert_eq!(handle.stats().pauses, 1);
    assert!(handle.capture().is_err(), "no frame is held while resting");
    assert!(handle.latest_preview().is_none());
    while let Some(event) = handle.next_event(Duration::ZERO) {
        assert!(
            !matches!(event, CameraEvent::Frame(_) | CameraEvent::Lost(_)),
            "no preview and no loss after the pause: {}",
            name(&event)
        );
    }
    handle.stop();
}

#[test]
fn a_resumed_camera_delivers_again_within_a_second() {
    // The shipped timings: drop 3 frames after the open, at a webcam's 30 frames a second.
    let (handle, control) = start(30);
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    handle.pause();
    wait_for_state(&handle, Duration::from_secs(2), is_paused);
    let opens = control.opens();
    let asked = Instant::now();
    handle.resume();
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    let ready = asked.elapsed();
    assert!(
        ready < Duration::from_secs(1),
        "first frame after {ready:?}"
    );
    assert!(matches!(handle.state(), CameraState::Running(_)));
    assert_eq!(control.opens(), opens + 1, "reopened once");
    assert!(control.is_open());
    assert_eq!(handle.stats().resumes, 1);
    assert!(
        handle.capture().is_ok(),
        "the new frames can be photographed"
    );
    handle.stop();
}

#[test]
fn a_paused_camera_is_not_declared_lost() {
    let (handle, control) = start(200);
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    handle.pause();
    wait_for_state(&handle, Duration::from_secs(2), is_paused);
    // Three times lost_after_ms (300 ms) without a single frame.
    std::thread::sleep(Duration::from_millis(900));
    assert!(is_paused(&handle.state()), "{:?}", handle.state());
    assert_eq!(handle.stats().losses, 0);
    assert_eq!(control.opens(), 1, "a resting camera is not reopened");
    handle.stop();
}

#[test]
fn a_camera_that_fails_to_reopen_on_resume_is_reported_lost() {
    let (handle, control) = start(200);
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    handle.pause();
    wait_for_state(&handle, Duration::from_secs(2), is_paused);
    control.unplug();
    handle.resume();
    let (lost, _) = wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Lost(_))
    });
    let CameraEvent::Lost(reason) = lost else {
        unreachable!()
    };
    assert!(reason.contains("could not be opened"), "{reason}");
    assert!(matches!(handle.state(), CameraState::Lost(_)));
    control.resume();
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Restored)
    });
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    handle.stop();
}

#[test]
fn a_camera_paused_before_its_first_open_is_opened_once_then_rests() {
    let (handle, control) = start(200);
    handle.pause();
    let (started, _) = wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Started(_))
    });
    assert!(matches!(started, CameraEvent::Started(_)));
    wait_for_state(&handle, Duration::from_secs(2), is_paused);
    assert!(!control.is_open());
    assert_eq!(control.opens(), 1);
    assert!(
        handle.latest_preview().is_none(),
        "opened to learn that it works, not to show anything"
    );
    handle.stop();
}

#[test]
fn a_camera_lost_while_paused_is_restored_then_rests_again() {
    let (handle, control) = start(200);
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Frame(_))
    });
    control.unplug();
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Lost(_))
    });
    handle.pause();
    // Home still learns that the camera is back: a paused camera keeps trying while it is lost.
    control.resume();
    wait_for(&handle, Duration::from_secs(5), |e| {
        matches!(e, CameraEvent::Restored)
    });
    wait_for_state(&handle, Duration::from_secs(2), is_paused);
    assert!(!control.is_open());
    assert_eq!(handle.stats().losses, 1);
    handle.stop();
}

#[test]
fn the_camera_streams_while_watched_and_rests_after_the_last_watch() {
    let (handle, control) = start(200);
    let handle = std::sync::Arc::new(handle);
    handle.pause();
    wait_for_state(&handle, Duration::from_secs(5), is_paused);
    let first = handle.watch();
    let second = handle.watch();
    assert_eq!(handle.watchers(), 2);
    wait_for_state(&handle, Duration::from_secs(2), |s| {
        matches!(s, CameraState::Running(_))
    });
    drop(first);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        matches!(handle.state(), CameraState::Running(_)),
        "one watch is left: {:?}",
        handle.state()
    );
    assert!(control.is_open());
    drop(second);
    wait_for_state(&handle, Duration::from_secs(2), is_paused);
    assert!(!control.is_open());
    assert_eq!(handle.stats().resumes, 1);
}
