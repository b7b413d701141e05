//! The camera rests where no screen shows it: the app's own subscriptions are started as the kiosk
//! window starts them, and the camera worker's state says whether the camera is open.
#![cfg(feature = "ui")]
// Helpers here are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
mod journey;

use std::time::{Duration, Instant};

use iced::advanced::subscription::into_recipes;
use iced::futures::StreamExt;
use iced::futures::stream::BoxStream;
use journey::*;
use lapak_kiosk::camera::CameraState;
use lapak_kiosk::ui::screen::Target;
use lapak_kiosk::ui::{App, Message};

/// Starts every subscription of the app's current screen, as the window's runtime does, and polls each
/// once so that it is running.
async fn start_subscriptions(app: &App) -> Vec<BoxStream<'static, Message>> {
    let mut streams: Vec<_> = into_recipes(app.subscription())
        .into_iter()
        .map(|recipe| recipe.stream(iced::futures::stream::empty().boxed()))
        .collect();
    for stream in &mut streams {
        let _ = tokio::time::timeout(Duration::from_millis(20), stream.next()).await;
    }
    streams
}

/// Polls the running subscriptions until `done(camera messages seen)` holds (bounded); returns how many
/// camera messages they produced.
async fn run_until(
    streams: &mut [BoxStream<'static, Message>],
    within: Duration,
    done: impl Fn(usize) -> bool,
) -> usize {
    let deadline = Instant::now() + within;
    let mut camera_messages = 0;
    while !done(camera_messages) {
        assert!(Instant::now() < deadline, "not done within {within:?}");
        for stream in streams.iter_mut() {
            if let Ok(Some(Message::Camera(_))) =
                tokio::time::timeout(Duration::from_millis(5), stream.next()).await
            {
                camera_messages += 1;
            }
        }
    }
    camera_messages
}

fn paused(state: &CameraState) -> bool {
    matches!(state, CameraState::Paused(_))
}

#[test]
fn the_camera_rests_on_home_and_streams_on_the_documents_screen() {
    let Kiosk {
        mut app,
        camera,
        control,
        _dir,
        ..
    } = kiosk();
    // As at the kiosk's start: the camera rests until a screen shows it.
    camera.pause();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut home = start_subscriptions(&app).await;
        let messages = run_until(&mut home, Duration::from_secs(10), |_| {
            paused(&camera.state())
        })
        .await;
        assert_eq!(messages, 0, "home gets no camera messages");
        assert_eq!(camera.watchers(), 0, "home does not watch the camera");
        assert!(!control.is_open(), "the camera is closed on home");
        let delivered = control.frames_delivered();
        run_until(&mut home, Duration::from_secs(5), |_| true).await;
        assert_eq!(control.frames_delivered(), delivered);
        drop(home);
    });

    to_documents_for_resign(&mut app);
    assert_eq!(app.screen().target(), Target::Documents);
    assert!(paused(&camera.state()), "no screen showed the camera yet");

    runtime.block_on(async {
        let mut documents = start_subscriptions(&app).await;
        assert_eq!(
            camera.watchers(),
            1,
            "the documents screen watches the camera"
        );
        let received = camera.stats().frames_received;
        let messages = run_until(&mut documents, Duration::from_secs(5), |messages| {
            messages > 0
                && matches!(camera.state(), CameraState::Running(_))
                && camera.stats().frames_received > received + 3
        })
        .await;
        assert!(messages > 0, "the screen gets the camera's messages");
        assert!(
            control.is_open(),
            "the camera is open on the documents screen"
        );
        // Leaving the screen drops its subscriptions: the camera rests again.
        drop(documents);
    });
    let deadline = Instant::now() + Duration::from_secs(5);
    while !paused(&camera.state()) {
        assert!(Instant::now() < deadline, "still {:?}", camera.state());
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(camera.watchers(), 0);
    assert!(!control.is_open(), "the camera is closed again");
}

#[test]
fn the_health_page_says_a_resting_camera_is_ready_and_home_takes_claims() {
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = kiosk();
    camera.pause();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !paused(&camera.state()) {
        assert!(Instant::now() < deadline, "still {:?}", camera.state());
        std::thread::sleep(Duration::from_millis(10));
    }
    let t = id();
    // Home: a resting camera does not put claims out of service.
    assert!(app.claims_possible());
    assert!(!sees(&app, &t.tr("ui-out-of-service-camera")));
    for _ in 0..5 {
        tap(&mut app, &t.tr("ui-kiosk-title"));
    }
    type_keys(&mut app, STAFF_PIN);
    tap(&mut app, &t.tr("ui-maintenance-enter"));
    let CameraState::Paused(info) = camera.state() else {
        panic!("the camera woke up: {:?}", camera.state());
    };
    let resting = t.tr_args(
        "ui-health-camera-resting",
        &[("name", lapak_kiosk::i18n::MessageArg::Text(info.name))],
    );
    assert!(
        sees(&app, &resting),
        "the health page names the resting camera"
    );
    assert!(!sees(&app, &t.tr("ui-health-camera-stopped")));
}
