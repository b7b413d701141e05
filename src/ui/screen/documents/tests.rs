use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::camera::{CapturedDocument, QualityReport};
use crate::i18n::{Language, Translator};
use crate::sound::Cue;
use crate::ui::context::fixture::Fixture;
use crate::ui::context::test_context;

#[test]
fn every_quality_hint_exists_in_both_languages() {
    for language in Language::ALL {
        let t = Translator::new(language);
        for hint in QualityHint::ALL {
            assert!(
                t.has_message(hint.message_id()),
                "{}: {hint:?}",
                language.code()
            );
        }
    }
}

fn report() -> QualityReport {
    QualityReport {
        sharpness: 500.0,
        luma_mean: 120.0,
        dark_share: 0.0,
        bright_share: 0.0,
        glare_share: None,
        card_edge_score: None,
        card: None,
        faces: None,
        head: None,
        hints: Vec::new(),
    }
}

fn accepted(kind: DocumentKind) -> Taken {
    Taken {
        outcome: CaptureOutcome::Accepted(CapturedDocument {
            kind,
            jpeg: vec![0xFF, 0xD8, 0xFF, 0xD9],
            width: 640,
            height: 480,
            quality: report(),
        }),
        shown: Some(Preview {
            width: 4,
            height: 3,
            rgba: vec![0; 48].into(),
            seq: 1,
        }),
    }
}

fn refused(hints: Vec<QualityHint>) -> Taken {
    Taken {
        outcome: CaptureOutcome::Rejected(hints),
        shown: None,
    }
}

#[test]
fn a_capture_result_is_kept_in_the_draft_and_a_refused_photo_is_asked_again() {
    let ctx = test_context();
    let mut screen = Documents::new(vec![DocumentKind::Ektp, DocumentKind::Selfie], &ctx);
    assert_eq!(screen.current(), Some(DocumentKind::Ektp));
    assert!(screen.update(Message::Capture, &ctx).runs());
    assert_eq!(screen.shot(), &Shot::Capturing);
    // While the photo is checked, another tap takes nothing.
    assert_eq!(screen.update(Message::Capture, &ctx), Action::None);
    let hints = vec![QualityHint::TooDark];
    screen.update(Message::Captured(Ok(refused(hints.clone()))), &ctx);
    assert_eq!(screen.shot(), &Shot::Refused(hints));
    assert!(screen.update(Message::Capture, &ctx).runs(), "asked again");
    let document = Document {
        kind: DocumentKind::Ektp,
        jpeg: vec![0xFF, 0xD8, 0xFF, 0xD9],
        width: 640,
        height: 480,
    };
    assert_eq!(
        screen.update(Message::Captured(Ok(accepted(DocumentKind::Ektp))), &ctx),
        Action::Keep(Change::Document(document))
    );
    assert_eq!(screen.shot(), &Shot::Taken);
    assert!(screen.photo().is_some(), "the stored photo is shown");
    screen.update(Message::Use, &ctx);
    assert_eq!(screen.current(), Some(DocumentKind::Selfie));
    assert!(screen.photo().is_none(), "no photo of the face yet");
    assert_eq!(
        screen.update(Message::Back, &ctx),
        Action::None,
        "back to the card photo"
    );
    assert_eq!(screen.shot(), &Shot::Taken);
    assert!(screen.photo().is_some(), "the card photo is shown again");
    assert_eq!(
        screen.update(Message::Retake, &ctx),
        Action::Keep(Change::ForgetDocument(DocumentKind::Ektp))
    );
    assert!(screen.photo().is_none());
}

#[test]
fn without_a_camera_the_capture_fails_and_the_live_picture_is_asked_again() {
    let ctx = test_context();
    let mut screen = Documents::new(vec![DocumentKind::Ektp], &ctx);
    assert_eq!(screen.camera(), &CameraView::Unavailable);
    let Action::Run(task) = screen.update(Message::Capture, &ctx) else {
        panic!("the capture did not start");
    };
    let replies = crate::ui::headless::Headless::new()
        .expect("runtime")
        .outputs(task)
        .expect("ran");
    assert!(
        matches!(replies.as_slice(), [Message::Captured(Err(_))]),
        "{replies:?}"
    );
    for reply in replies {
        assert_eq!(screen.update(reply, &ctx), Action::None);
    }
    assert_eq!(screen.shot(), &Shot::Live(Vec::new()));
    // No camera, no picture checks.
    assert_eq!(screen.update(Message::AssessDue, &ctx), Action::None);
}

fn check(kind: DocumentKind, at: Instant, hints: Vec<QualityHint>, level: u8) -> Message {
    Message::Checked(Some(LiveCheck {
        kind,
        at,
        hints,
        thumbnail: Thumbnail {
            width: 4,
            height: 3,
            data: vec![level; 12],
        },
        outline: None,
    }))
}

#[test]
fn camera_events_move_the_screen_between_lost_and_live_and_hints_follow_the_document() {
    let ctx = test_context();
    let mut screen = Documents::new(vec![DocumentKind::Ektp], &ctx);
    screen.update(
        Message::Camera(CameraEvent::Lost("unplugged".to_owned())),
        &ctx,
    );
    assert_eq!(screen.camera(), &CameraView::Lost);
    screen.update(Message::Camera(CameraEvent::Restored), &ctx);
    assert_eq!(screen.camera(), &CameraView::Live);
    let preview = Preview {
        width: 2,
        height: 1,
        rgba: vec![0; 8].into(),
        seq: 1,
    };
    screen.update(Message::Camera(CameraEvent::Frame(Arc::new(preview))), &ctx);
    assert!(screen.preview.is_some());
    // Hints for another document (a late check) are not shown.
    let now = Instant::now();
    let dark = vec![QualityHint::TooDark];
    screen.update(check(DocumentKind::Selfie, now, dark.clone(), 100), &ctx);
    assert_eq!(screen.shot(), &Shot::Live(Vec::new()));
    screen.update(check(DocumentKind::Ektp, now, dark.clone(), 100), &ctx);
    assert_eq!(screen.shot(), &Shot::Live(dark));
}

fn fixture_with_sound() -> (Fixture, Arc<crate::sound::RecordingSound>) {
    let fixture = Fixture::new();
    let heard = Arc::clone(&fixture.sound);
    (fixture, heard)
}

#[test]
fn a_good_steady_picture_counts_down_with_a_tick_a_second_and_takes_the_photo_with_no_tap() {
    let (fixture, heard) = fixture_with_sound();
    let ctx = fixture.context();
    let mut screen = Documents::new(vec![DocumentKind::Ektp], &ctx);
    let t0 = Instant::now();
    let at = |ms: u64| t0 + Duration::from_millis(ms);
    // Good and still from the first check; the wait is 800 ms, then three seconds.
    for ms in [0, 400, 800, 1200] {
        assert_eq!(
            screen.update(check(DocumentKind::Ektp, at(ms), Vec::new(), 90), &ctx),
            Action::None
        );
    }
    assert_eq!(screen.countdown(), Some(3));
    for ms in (1300..4200).step_by(100) {
        assert_eq!(
            screen.update(Message::ShutterTick(at(ms)), &ctx),
            Action::None,
            "at {ms} ms"
        );
    }
    assert_eq!(screen.countdown(), Some(1));
    assert!(
        screen.update(Message::ShutterTick(at(4200)), &ctx).runs(),
        "the photo takes itself when the countdown ends"
    );
    assert_eq!(screen.shot(), &Shot::Capturing);
    assert_eq!(screen.countdown(), None);
    assert_eq!(
        heard.cues().as_slice(),
        [
            Cue::CountdownTick,
            Cue::CountdownTick,
            Cue::CountdownTick,
            Cue::Shutter
        ]
    );
}

#[test]
fn a_hand_moving_during_the_countdown_stops_it_and_says_hold_still() {
    let (fixture, heard) = fixture_with_sound();
    let ctx = fixture.context();
    let mut screen = Documents::new(vec![DocumentKind::Ektp], &ctx);
    let t0 = Instant::now();
    let at = |ms: u64| t0 + Duration::from_millis(ms);
    for ms in [0, 400, 800, 1200] {
        screen.update(check(DocumentKind::Ektp, at(ms), Vec::new(), 90), &ctx);
    }
    assert_eq!(screen.countdown(), Some(3));
    screen.update(check(DocumentKind::Ektp, at(1600), Vec::new(), 160), &ctx);
    assert_eq!(screen.shot(), &Shot::Live(vec![QualityHint::HoldStill]));
    assert_eq!(screen.countdown(), None);
    for ms in (1700..9000).step_by(100) {
        assert_eq!(
            screen.update(Message::ShutterTick(at(ms)), &ctx),
            Action::None
        );
    }
    assert_eq!(screen.shot(), &Shot::Live(vec![QualityHint::HoldStill]));
    assert_eq!(
        heard.cues().as_slice(),
        [Cue::CountdownTick],
        "one tick, no shutter"
    );
}

#[test]
fn with_auto_capture_off_a_steady_picture_waits_for_the_tap() {
    let mut fixture = Fixture::new();
    fixture.devices.quality.auto_capture = false;
    let ctx = fixture.context();
    let mut screen = Documents::new(vec![DocumentKind::Ektp], &ctx);
    let t0 = Instant::now();
    for i in 0..20u64 {
        let at = t0 + Duration::from_millis(400 * i);
        screen.update(check(DocumentKind::Ektp, at, Vec::new(), 90), &ctx);
        assert_eq!(screen.update(Message::ShutterTick(at), &ctx), Action::None);
    }
    assert_eq!(screen.countdown(), None);
    assert_eq!(screen.shot(), &Shot::Live(Vec::new()));
    assert!(screen.update(Message::Capture, &ctx).runs());
}

/// Holds a good, steady picture of `kind` from `t0` until the photo takes itself; returns when it did.
fn let_it_shoot(
    screen: &mut Documents,
    ctx: &Context<'_>,
    kind: DocumentKind,
    t0: Instant,
) -> Instant {
    let at = |ms: u64| t0 + Duration::from_millis(ms);
    for ms in [0, 400, 800, 1200] {
        screen.update(check(kind, at(ms), Vec::new(), 90), ctx);
    }
    for ms in (1300..=4200).step_by(100) {
        if screen.update(Message::ShutterTick(at(ms)), ctx).runs() {
            return at(ms);
        }
    }
    panic!("{kind:?}: the photo did not take itself");
}

#[test]
fn a_photo_that_took_itself_goes_on_after_a_three_second_look_and_one_taken_by_hand_waits() {
    let (fixture, _heard) = fixture_with_sound();
    let ctx = fixture.context();
    let kinds = vec![DocumentKind::Ektp, DocumentKind::Selfie];
    let mut screen = Documents::new(kinds, &ctx);
    let shot = let_it_shoot(&mut screen, &ctx, DocumentKind::Ektp, Instant::now());
    screen.update(Message::Captured(Ok(accepted(DocumentKind::Ektp))), &ctx);
    assert_eq!(screen.shot(), &Shot::Taken);
    assert_eq!(screen.going_on_in(), Some(3), "a visible countdown");
    let at = |ms: u64| shot + Duration::from_millis(ms);
    // The look lasts the shutter's three seconds (from the first tick after the photo), then goes on.
    for ms in (100..3100).step_by(100) {
        assert_eq!(
            screen.update(Message::ShutterTick(at(ms)), &ctx),
            Action::None
        );
        assert_eq!(screen.current(), Some(DocumentKind::Ektp), "at {ms} ms");
    }
    assert_eq!(screen.going_on_in(), Some(1));
    assert_eq!(
        screen.update(Message::ShutterTick(at(3100)), &ctx),
        Action::None
    );
    assert_eq!(screen.current(), Some(DocumentKind::Selfie));
    assert_eq!(screen.shot(), &Shot::Live(Vec::new()));
    assert_eq!(screen.going_on_in(), None);
    // Taken by hand: no look, the photo waits for "Pakai foto ini" however long the clock runs.
    assert!(screen.update(Message::Capture, &ctx).runs());
    screen.update(Message::Captured(Ok(accepted(DocumentKind::Selfie))), &ctx);
    assert_eq!(screen.going_on_in(), None);
    for ms in (4000..12_000).step_by(100) {
        screen.update(Message::ShutterTick(at(ms)), &ctx);
    }
    assert_eq!(screen.shot(), &Shot::Taken);
    assert_eq!(screen.current(), Some(DocumentKind::Selfie));
    assert_eq!(
        screen.update(Message::Use, &ctx),
        Action::Show(Target::Review)
    );
}

#[test]
fn ulangi_during_the_look_retakes_the_photo_and_nothing_goes_on_by_itself() {
    let (fixture, _heard) = fixture_with_sound();
    let ctx = fixture.context();
    let mut screen = Documents::new(vec![DocumentKind::Ektp, DocumentKind::Selfie], &ctx);
    let shot = let_it_shoot(&mut screen, &ctx, DocumentKind::Ektp, Instant::now());
    screen.update(Message::Captured(Ok(accepted(DocumentKind::Ektp))), &ctx);
    screen.update(
        Message::ShutterTick(shot + Duration::from_millis(100)),
        &ctx,
    );
    assert_eq!(
        screen.update(Message::Retake, &ctx),
        Action::Keep(Change::ForgetDocument(DocumentKind::Ektp))
    );
    assert_eq!(screen.going_on_in(), None);
    for ms in (200..6000).step_by(100) {
        screen.update(Message::ShutterTick(shot + Duration::from_millis(ms)), &ctx);
    }
    assert_eq!(screen.current(), Some(DocumentKind::Ektp));
    assert!(matches!(screen.shot(), Shot::Live(_)));
}
