//! The kiosk's screens driven headless through iced_test: taps on the real widgets, messages into the real
//! `App::update`, and pixel snapshots of the main screens (pinned to the tiny-skia renderer by
//! `.cargo/config.toml`; CI fails if a snapshot file is created or changed).
#![cfg(feature = "ui")]
// Helpers here are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
mod journey;

use std::sync::Arc;

use chrono::NaiveDate;
use journey::*;
use lapak_kiosk::camera::CameraEvent;
use lapak_kiosk::claim::DocumentKind;
use lapak_kiosk::claim::Reason;
use lapak_kiosk::i18n::Language;
use lapak_kiosk::printer::simulator::Paper;
use lapak_kiosk::printer::{PrinterConfig, PrinterEvent, PrinterHandle, PrinterState};
use lapak_kiosk::submission::SubmitError;
use lapak_kiosk::ui::check;
use lapak_kiosk::ui::draft::Draft;
use lapak_kiosk::ui::idle::IdleState;
use lapak_kiosk::ui::screen::{self, CURSOR, Screen, Target};
use lapak_kiosk::ui::{App, Message, theme};

fn assert_snapshot(app: &App, name: &str) {
    assert_eq!(
        std::env::var("ICED_TEST_BACKEND").as_deref(),
        Ok("tiny-skia"),
        "snapshots are pinned to the tiny-skia renderer (see .cargo/config.toml)"
    );
    let snapshot = simulator(app).snapshot(&theme::kiosk()).unwrap();
    let path = format!("{}/tests/snapshots/{name}", env!("CARGO_MANIFEST_DIR"));
    assert!(
        snapshot.matches_hash(&path).unwrap(),
        "screen {name} changed: look at it, then delete tests/snapshots/{name}-*.sha256 to accept it"
    );
}

#[test]
fn home_switches_language_on_the_spot() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    assert!(sees(&app, "Ajukan klaim JHT"));
    tap(&mut app, "English");
    assert_eq!(app.language(), Language::En);
    assert!(sees(&app, "Claim my JHT"));
    assert!(!sees(&app, "Ajukan klaim JHT"));
    tap(&mut app, "Claim my JHT");
    assert!(sees(&app, "I agree"));
    tap(&mut app, "Bahasa Indonesia");
    assert!(sees(&app, "Saya setuju"));
}

#[test]
fn declining_consent_goes_home_with_nothing_kept() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    tap(&mut app, &t.tr("ui-home-start"));
    tap(&mut app, &t.tr("ui-consent-decline"));
    assert_eq!(app.screen().target(), Target::Home);
    assert_eq!(app.draft(), &Draft::default());
}

#[test]
fn the_nik_is_checked_as_typed_and_prefills_birth_date_and_sex() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    to_identity(&mut app);
    type_keys(&mut app, &NIK[..6]);
    assert!(sees(&app, &t.tr("ui-field-keep-typing")));
    type_keys(&mut app, &NIK[6..]);
    assert!(sees(&app, &format!("{NIK}{CURSOR}")));
    assert!(sees(&app, &t.tr("ui-field-ok")));
    tap(&mut app, &t.tr("ui-next"));
    let born = NaiveDate::from_ymd_opt(1985, 3, 12).unwrap();
    assert!(sees(
        &app,
        &t.tr_args("ui-identity-born", &[("date", t.date(born).into())])
    ));
    assert!(sees(
        &app,
        &t.tr_args("ui-identity-sex", &[("sex", t.tr("ui-sex-female").into())])
    ));
}

#[test]
fn a_wrong_nik_says_why_and_cannot_go_on() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    to_identity(&mut app);
    let wrong = "3174015203850000";
    type_keys(&mut app, wrong);
    let check::Check::Invalid(note) = check::nik(wrong, today()).0 else {
        panic!("serial 0000 must be invalid");
    };
    assert!(sees(&app, &note.text(&t)));
    // "Lanjut" is disabled: tapping it produces no message.
    let mut ui = simulator(&app);
    let _ = ui.click(t.tr("ui-next").as_str());
    assert_eq!(ui.into_messages().count(), 0);
    assert_eq!(app.screen().target(), Target::Identity);
}

#[test]
fn idle_mid_claim_counts_down_then_wipes_the_session() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    to_reason(&mut app);
    assert_eq!(app.draft().fields.nik, NIK);
    for _ in 0..90 {
        send(&mut app, Message::Tick(now()));
    }
    assert_eq!(app.idle_state(), IdleState::Countdown { seconds_left: 30 });
    assert!(sees(&app, &t.tr("ui-idle-title")));
    assert_snapshot(&app, "idle-countdown");
    for _ in 0..30 {
        send(&mut app, Message::Tick(now()));
    }
    assert_eq!(app.screen().target(), Target::Home);
    assert_eq!(app.draft(), &Draft::default());
    assert!(sees(&app, &t.tr("ui-home-start")));
}

#[test]
fn still_here_keeps_the_session() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    to_reason(&mut app);
    for _ in 0..95 {
        send(&mut app, Message::Tick(now()));
    }
    tap(&mut app, &t.tr("ui-idle-continue"));
    assert_eq!(app.idle_state(), IdleState::Active);
    assert_eq!(app.screen().target(), Target::Reason);
    assert_eq!(app.draft().fields.nik, NIK);
}

#[test]
fn resigned_last_week_is_not_yet_eligible_and_says_from_when() {
    let printer = printer_in(Paper::Ok, PrinterState::Ready);
    let events = printer.subscribe();
    let Kiosk { mut app, _dir, .. } = kiosk_with_printer(Some(Arc::clone(&printer)));
    let t = id();
    to_reason(&mut app);
    tap(&mut app, &t.message(&Reason::Resign));
    // Resigned on 20 November 2026.
    pick_date(&mut app, "20112026");
    assert!(sees(&app, &t.tr("ui-reason-not-yet")));
    let rules = lapak_kiosk::claim::rules::RulesTable::embedded_default().unwrap();
    let details = lapak_kiosk::claim::ReasonDetails {
        reason: Reason::Resign,
        event_date: NaiveDate::from_ymd_opt(2026, 11, 20),
        membership_start: None,
    };
    let answer = lapak_kiosk::claim::eligibility::check(&rules, &details, None, today());
    assert!(
        matches!(answer, lapak_kiosk::claim::eligibility::Eligibility::NotYet { from, .. }
            if from == NaiveDate::from_ymd_opt(2026, 12, 20).unwrap()),
        "{answer:?}"
    );
    assert!(sees(&app, &t.message(&answer)));
    // The "not yet" slip comes out of the printer with the date.
    tap(&mut app, &t.tr("ui-reason-print-slip"));
    assert!(sees(&app, &t.tr("ui-slip-printing")));
    loop {
        match events
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap()
        {
            PrinterEvent::Printed { .. } => break,
            PrinterEvent::PrintFailed { reason, .. } => panic!("print failed: {reason}"),
            PrinterEvent::StatusChanged(_) => {}
        }
    }
    let printouts = printer.simulator().unwrap().printouts();
    assert_eq!(printouts.len(), 1);
    // The claim opens in December; the slip was printed in November.
    assert!(printouts[0].contains("Desember"), "{}", printouts[0]);
    tap(&mut app, &t.tr("ui-finish"));
    assert_eq!(app.screen().target(), Target::Home);
    assert_eq!(app.draft(), &Draft::default());
}

#[test]
fn a_resign_claim_tapped_through_ends_in_one_outbox_row_and_a_printed_receipt() {
    let printer = printer_in(Paper::Ok, PrinterState::Ready);
    let printer_events = printer.subscribe();
    let Kiosk {
        mut app,
        outbox,
        camera,
        _dir,
        ..
    } = kiosk_tuned(Some(Arc::clone(&printer)), settings(None), |devices| {
        // The kiosk as shipped: the e-KTP and the KPJ card are photographed first and read.
        devices.read_cards = true;
    });
    let t = id();
    let from = taps();
    tap_through_resign(&mut app, &camera);
    let draft = app.draft().clone();
    assert_eq!(draft.fields.phone, "+6281234567890");
    assert_eq!(draft.fields.name, "SITI AMINAH");
    assert_eq!(draft.fields.mother_maiden_name, MOTHER);
    assert!(!draft.balance_above_npwp_threshold);
    assert_eq!(draft.bank.as_ref().unwrap().account_number, "1234567890");
    assert!(sees(&app, &format!("NIK {NIK}")));
    // The review names the bank as its button did, and says plainly that no e-mail was given.
    assert!(sees(&app, "BCA 1234567890 a.n. SITI AMINAH"));
    assert!(sees(&app, &t.tr("ui-review-no-email")));
    assert_eq!(outbox.stats(chrono::Utc::now()).unwrap().pending, 0);

    // The printer's subscription runs as in the kiosk window, from before the claim is sent (a second to let
    // it start listening to the printer worker).
    let mut feeds = lapak_kiosk::ui::headless::Feeds::new();
    headless()
        .wait_for(
            &mut feeds,
            &mut app,
            |_| false,
            std::time::Duration::from_secs(1),
        )
        .unwrap();

    // Submit: the app seals and stores the claim off the UI thread through the shared claim pipeline;
    // "saved" comes only after the commit.
    tap(&mut app, &t.tr("ui-review-submit"));
    let Screen::Saved(saved) = app.screen() else {
        panic!("not on the saved screen: {:?}", app.screen().target());
    };
    // Every tap from home to saved, the keypad's included, with each photo taken by hand; the cards are read.
    assert_eq!(taps() - from, 52, "taps from home to saved");
    let reference = saved.reference().clone();
    assert!(sees(&app, &reference.to_string()));
    assert_eq!(app.draft(), &Draft::default());
    let stats = outbox.stats(chrono::Utc::now()).unwrap();
    assert_eq!((stats.pending, stats.sending, stats.delivered), (1, 0, 0));
    assert!(outbox.lookup_by_reference(&reference).unwrap().is_some());
    assert!(outbox.matches_nik(&reference, NIK).unwrap());

    // The receipt goes to the printer after the commit; its worker reports back to the screen.
    assert!(sees(&app, &t.tr("ui-saved-printing")));
    loop {
        match printer_events
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap()
        {
            PrinterEvent::Printed { .. } => break,
            PrinterEvent::PrintFailed { reason, .. } => panic!("print failed: {reason}"),
            PrinterEvent::StatusChanged(_) => {}
        }
    }
    let printed = t.tr("ui-saved-printed");
    wait_until(&mut app, &mut feeds, |app| sees(app, &printed));
    assert!(sees(&app, &t.tr("ui-saved-printed")));
    let printouts = printer.simulator().unwrap().printouts();
    assert_eq!(printouts.len(), 1);
    assert!(
        printouts[0].contains(reference.digits()) || printouts[0].contains(&reference.to_string())
    );
    // The saved screen stays until "Selesai"; still exactly one claim.
    for _ in 0..30 {
        send(&mut app, Message::Tick(now()));
    }
    assert!(matches!(app.screen(), Screen::Saved(_)));
    tap(&mut app, &t.tr("ui-finish"));
    assert_eq!(app.screen().target(), Target::Home);
    assert_eq!(outbox.stats(chrono::Utc::now()).unwrap().pending, 1);
}

#[test]
fn the_mothers_maiden_name_is_asked_and_cannot_be_skipped() {
    let t = id();
    let Kiosk { mut app, _dir, .. } = kiosk();
    to_identity(&mut app);
    type_nik_and_kpj(&mut app);
    type_keys(&mut app, "SITI");
    tap(&mut app, &t.tr("ui-next"));
    assert!(sees(&app, &t.tr("ui-identity-mother-question")));
    // "Lanjut" does nothing while the mother's maiden name is empty.
    let next = screen::Message::Identity(screen::identity::Message::Next);
    send(&mut app, Message::Screen(next.clone()));
    assert_eq!(app.screen().target(), Target::Identity);
    assert!(sees(&app, &t.tr("ui-identity-mother-question")));
    type_mother(&mut app);
    send(&mut app, Message::Screen(next));
    assert_eq!(app.screen().target(), Target::Reason);
    assert_eq!(app.draft().fields.mother_maiden_name, MOTHER);
}

#[test]
fn a_draft_without_the_mothers_maiden_name_never_reaches_saved() {
    let Kiosk {
        mut app,
        outbox,
        camera,
        _dir,
        ..
    } = kiosk();
    let t = id();
    // A draft that lost the answer is refused by the pipeline, and the screen says so in plain words.
    tap_through_resign(&mut app, &camera);
    let mut draft = app.draft().clone();
    draft.fields.mother_maiden_name.clear();
    let result = submitter(&outbox)
        .submit(&draft, now().with_timezone(&chrono::Utc))
        .map(|submitted| submitted.reference);
    let Err(SubmitError::Invalid(problems)) = &result else {
        panic!("a claim without the mother's maiden name was accepted: {result:?}");
    };
    assert!(
        problems
            .iter()
            .any(|problem| problem.field == "mother_maiden_name"),
        "{problems:?}"
    );
    send(
        &mut app,
        Message::Reply(screen::Message::Review(screen::review::Message::Submitted(
            result,
        ))),
    );
    assert_eq!(app.screen().target(), Target::Review);
    assert_eq!(app.notice(), Some("ui-submit-incomplete"));
    assert!(sees(&app, &t.tr("ui-submit-incomplete")));
    assert_eq!(outbox.stats(chrono::Utc::now()).unwrap().pending, 0);
}

#[test]
fn main_screens_match_their_snapshots() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    assert_snapshot(&app, "home");
    tap(&mut app, &t.tr("ui-home-start"));
    assert_snapshot(&app, "consent");
    tap(&mut app, &t.tr("ui-consent-agree"));
    tap(&mut app, &t.tr("ui-ways-whom-self"));
    type_keys(&mut app, &NIK[..10]);
    assert_snapshot(&app, "identity-nik");
}

/// Writes PNGs of the main screens to `$LOOK_DIR` for a person to look at (run with `--ignored`).
#[test]
#[ignore = "writes PNG files for review; run by hand"]
fn write_pngs_for_review() {
    let Ok(dir) = std::env::var("LOOK_DIR") else {
        return;
    };
    let save = |app: &App, name: &str| {
        let snapshot = simulator(app).snapshot(&theme::kiosk()).unwrap();
        let _ = std::fs::remove_file(format!("{dir}/{name}-tiny-skia.png"));
        assert!(snapshot.matches_image(format!("{dir}/{name}")).unwrap());
    };
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    save(&app, "home");
    tap(&mut app, &t.tr("ui-home-start"));
    save(&app, "consent");
    tap(&mut app, &t.tr("ui-consent-agree"));
    save(&app, "identity-whom");
    tap(&mut app, &t.tr("ui-ways-whom-self"));
    type_keys(&mut app, NIK);
    save(&app, "identity-nik");
    tap(&mut app, &t.tr("ui-next"));
    save(&app, "identity-confirm");
    tap(&mut app, &t.tr("ui-yes-correct"));
    type_keys(&mut app, KPJ);
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, "SITI");
    save(&app, "identity-name");
    tap(&mut app, &t.tr("ui-next"));
    type_mother(&mut app);
    save(&app, "identity-mother");
    tap(&mut app, &t.tr("ui-next"));
    save(&app, "reason");
    tap(&mut app, &t.message(&Reason::Resign));
    save(&app, "reason-months");
    pick_month(&mut app, "20112026");
    save(&app, "reason-date");
    let Kiosk { mut app, _dir, .. } = kiosk();
    to_reason_for_the_deceased(&mut app);
    pick_date(&mut app, "01102026");
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, "3174014505900002");
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, "ANDI");
    tap(&mut app, &t.tr("ui-next"));
    save(&app, "heir-relationship");
    tap(&mut app, &t.tr("ui-heir-child"));
    type_keys(&mut app, "1234567890");
    tap(&mut app, &t.tr("ui-contact-add-email"));
    type_keys(&mut app, "ANDI.S@MAIL.CO");
    save(&app, "email");
    tap(&mut app, &t.tr("ui-key-clear"));
    tap(&mut app, &t.tr("ui-contact-no-email"));
    save(&app, "balance");
    tap(&mut app, &t.tr("ui-balance-above"));
    type_keys(&mut app, "0123456789");
    save(&app, "npwp");
    let Kiosk { mut app, _dir, .. } = kiosk();
    unlock_maintenance(&mut app);
    save(&app, "maintenance-health");
    tap(&mut app, &t.tr("ui-maintenance-export"));
    save(&app, "maintenance-export");
}

#[test]
fn without_camera_claims_are_paused_but_status_check_works() {
    let mut app = app();
    let t = id();
    assert!(!app.claims_possible());
    assert!(sees(&app, &t.tr("ui-out-of-service-camera")));
    tap(&mut app, &t.tr("ui-home-start"));
    assert_eq!(app.screen().target(), Target::Home);
    tap(&mut app, &t.tr("ui-home-status"));
    assert_eq!(app.screen().target(), Target::Status);
}

#[test]
fn status_check_offline_answers_from_this_kiosk() {
    let Kiosk {
        mut app,
        outbox,
        _dir,
        ..
    } = kiosk();
    let t = id();
    // A claim saved earlier on this kiosk.
    let reference = submitter(&outbox)
        .submit(&complete_claim(), now().with_timezone(&chrono::Utc))
        .unwrap()
        .reference;

    tap(&mut app, &t.tr("ui-home-status"));
    // One wrong digit: the check digit catches it and "Lanjut" stays off.
    let mut wrong = reference.digits().to_owned();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '9' {
        '0'
    } else {
        char::from(last as u8 + 1)
    });
    type_keys(&mut app, &wrong);
    let check::Check::Invalid(note) = lapak_kiosk::ui::screen::status::reference_check(&wrong)
    else {
        panic!("a wrong check digit must be refused");
    };
    assert!(sees(&app, &note.text(&t)));
    tap(&mut app, &t.tr("ui-key-erase"));
    type_keys(&mut app, &last.to_string());
    assert!(sees(&app, &t.tr("ui-field-ok")));
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, NIK);
    tap(&mut app, &t.tr("ui-next"));

    // The app asked its status checker off the UI thread (no central service on this kiosk: the outbox
    // answers); the answer is on screen.
    let checker = lapak_kiosk::ui::StatusChecker {
        central: None,
        local: Arc::clone(&outbox) as Arc<dyn lapak_kiosk::sync::LocalClaims + Send + Sync>,
    };
    let query = lapak_kiosk::ui::screen::status::StatusQuery {
        reference: reference.clone(),
        nik: NIK.to_owned(),
    };
    let answer = checker.check(&query);
    assert!(
        matches!(
            answer,
            Ok(lapak_kiosk::sync::status::StatusAnswer::SavedNotSent { .. })
        ),
        "{answer:?}"
    );
    assert!(sees(
        &app,
        &lapak_kiosk::ui::status_text(&t, answer, lapak_kiosk::config::KioskTimeZone::Wib)
    ));
    assert!(!sees(&app, &t.tr("ui-status-asking")));

    // Another NIK gets the same answer as an unknown reference.
    let other = lapak_kiosk::ui::screen::status::StatusQuery {
        nik: "3174014505900002".to_owned(),
        ..query
    };
    assert_eq!(
        checker.check(&other),
        Ok(lapak_kiosk::sync::status::StatusAnswer::NotFound)
    );
}

/// A simulated printer whose status the worker has read at least once, in the given state.
fn printer_in(paper: Paper, expected: PrinterState) -> Arc<PrinterHandle> {
    let printer = lapak_kiosk::printer::spawn(&PrinterConfig {
        poll_interval_ms: 100,
        ..PrinterConfig::default()
    })
    .unwrap();
    printer.simulator().unwrap().set_paper(paper);
    for _ in 0..100 {
        if printer.status().state == expected {
            return Arc::new(printer);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("printer never reached {expected:?}: {:?}", printer.status());
}

#[test]
fn printer_out_of_paper_at_submit_still_saves_and_shows_the_reference() {
    let printer = printer_in(Paper::Out, PrinterState::PaperOut);
    let Kiosk {
        mut app,
        outbox,
        camera,
        _dir,
        ..
    } = kiosk_with_printer(Some(Arc::clone(&printer)));
    let t = id();
    tap_through_resign(&mut app, &camera);
    tap(&mut app, &t.tr("ui-review-submit"));
    let Screen::Saved(saved) = app.screen() else {
        panic!("not on the saved screen: {:?}", app.screen().target());
    };
    let reference = saved.reference().clone();
    assert_eq!(outbox.stats(chrono::Utc::now()).unwrap().pending, 1);
    assert!(sees(&app, &t.tr("ui-saved-title")));
    assert!(sees(&app, &reference.to_string()));
    assert!(sees(&app, &t.tr("ui-saved-not-printed")));
    assert_snapshot(&app, "saved-not-printed");
    // Nothing was sent to the printer: the next person gets no one else's receipt.
    assert!(printer.simulator().unwrap().printouts().is_empty());
}

#[test]
fn camera_lost_mid_capture_keeps_the_session_and_comes_back() {
    let Kiosk {
        mut app,
        camera,
        control,
        _dir,
        ..
    } = kiosk();
    let t = id();
    to_documents_for_resign(&mut app);
    assert_eq!(app.screen().target(), Target::Documents);
    fresh_frames(&camera);
    // One camera subscription for the whole visit, as in the kiosk window.
    let mut feeds = lapak_kiosk::ui::headless::Feeds::new();
    wait_until(
        &mut app,
        &mut feeds,
        |app| matches!(app.screen(), Screen::Documents(documents) if documents.shows_picture()),
    );
    assert!(!sees(&app, &t.tr("ui-camera-lost")));

    // The camera fails; the worker notices. The participant taps "Ambil foto" before the screen has heard:
    // the capture finds no camera and takes nothing.
    control.fail();
    wait_for_camera_state(&camera, |state| {
        matches!(state, lapak_kiosk::camera::CameraState::Lost(_))
    });
    tap(&mut app, &t.tr("ui-documents-capture"));
    assert!(app.draft().documents.is_empty());
    assert!(!sees(&app, &t.tr("ui-documents-taken")));
    // The camera subscription brings the worker's "lost" to the screen.
    let lost_words = t.tr("ui-camera-lost");
    wait_until(&mut app, &mut feeds, |app| sees(app, &lost_words));
    assert!(sees(&app, &t.tr("ui-camera-lost")));
    // Capture is off while the camera is away; the answers are kept.
    let mut ui = simulator(&app);
    let _ = ui.click(t.tr("ui-documents-capture").as_str());
    assert_eq!(ui.into_messages().count(), 0);
    assert_eq!(app.draft().fields.nik, NIK);

    // The camera comes back: the worker reopens it and says so; the photo can be taken.
    control.resume();
    wait_until(&mut app, &mut feeds, |app| !sees(app, &lost_words));
    assert!(!sees(&app, &t.tr("ui-camera-lost")));
    fresh_frames(&camera);
    tap(&mut app, &t.tr("ui-documents-capture"));
    assert!(sees(&app, &t.tr("ui-documents-taken")));
    assert_eq!(app.draft().documents.len(), 1);
}

#[test]
fn maintenance_pin_locks_out_after_five_wrong_tries() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    // Four taps on the corner do nothing; the fifth opens the PIN screen.
    for _ in 0..4 {
        tap(&mut app, &t.tr("ui-kiosk-title"));
    }
    assert_eq!(app.screen().target(), Target::Home);
    tap(&mut app, &t.tr("ui-kiosk-title"));
    assert_eq!(app.screen().target(), Target::Maintenance);
    for tries_left in (1..5).rev() {
        type_keys(&mut app, "1111");
        tap(&mut app, &t.tr("ui-maintenance-enter"));
        assert!(sees(
            &app,
            &t.tr_args(
                "ui-maintenance-pin-wrong",
                &[("tries", (tries_left as u32).into())]
            )
        ));
    }
    type_keys(&mut app, "1111");
    tap(&mut app, &t.tr("ui-maintenance-enter"));
    let locked = t.tr_args("ui-maintenance-pin-locked", &[("minutes", 15u32.into())]);
    assert!(sees(&app, &locked));
    // The right PIN is refused while locked.
    type_keys(&mut app, STAFF_PIN);
    tap(&mut app, &t.tr("ui-maintenance-enter"));
    assert!(!sees(&app, &t.tr("ui-maintenance-health")));
    // Fifteen minutes later (the idle wipe sends the screen home meanwhile) the right PIN opens it.
    for second in 1..=15 * 60 {
        send(
            &mut app,
            Message::Tick(now() + chrono::TimeDelta::seconds(second)),
        );
    }
    assert_eq!(app.screen().target(), Target::Home);
    for _ in 0..5 {
        tap(&mut app, &t.tr("ui-kiosk-title"));
    }
    type_keys(&mut app, STAFF_PIN);
    tap(&mut app, &t.tr("ui-maintenance-enter"));
    assert!(sees(&app, &t.tr("ui-maintenance-health")));
    assert!(sees(&app, &t.tr("ui-maintenance-test-print")));
}

/// Opens maintenance mode with the staff PIN.
fn unlock_maintenance(app: &mut App) {
    let t = id();
    for _ in 0..5 {
        tap(app, &t.tr("ui-kiosk-title"));
    }
    type_keys(app, STAFF_PIN);
    tap(app, &t.tr("ui-maintenance-enter"));
    assert!(sees(app, &t.tr("ui-maintenance-health")));
}

#[test]
fn maintenance_tools_report_in_plain_translated_words() {
    let missing = std::path::PathBuf::from("/nonexistent/lapak-kiosk/kiosk.toml");
    let Kiosk {
        mut app,
        outbox,
        _dir,
        ..
    } = kiosk_with(None, Some(missing.clone()));
    let t = id();
    unlock_maintenance(&mut app);
    // The health page speaks the participant's language, with the outbox counts.
    let counts = t.tr_args(
        "ui-health-outbox-counts",
        &[
            ("pending", 0u32.into()),
            ("sending", 0u32.into()),
            ("delivered", 0u32.into()),
            ("held", 0u32.into()),
        ],
    );
    assert!(sees(&app, &counts));
    assert!(sees(&app, &t.tr("ui-health-printer-none")));
    assert!(sees(&app, &t.tr("ui-health-central-none")));

    // No uploader on this kiosk: "Sync now" says so.
    tap(&mut app, &t.tr("ui-maintenance-sync-now"));
    assert_eq!(app.notice(), Some("ui-maintenance-no-uploader"));
    assert!(sees(&app, &t.tr("ui-maintenance-no-uploader")));

    // Reload config reads the named file again and names what is wrong.
    tap(&mut app, &t.tr("ui-maintenance-reload-config"));
    assert_eq!(app.notice(), Some("ui-maintenance-config-error"));
    let error = lapak_kiosk::config::KioskConfig::load(Some(&missing)).unwrap_err();
    let said = t.tr_args(
        "ui-maintenance-config-error",
        &[("error", error.to_string().as_str().into())],
    );
    assert!(sees(&app, &said));

    // Export: the page offers drives or a typed folder; the result is reported with the count.
    tap(&mut app, &t.tr("ui-maintenance-export"));
    assert!(sees(&app, &t.tr("ui-maintenance-export-question")));
    // Two claims wait on this kiosk; the export runs off the UI thread into a dated folder on the drive.
    for _ in 0..2 {
        submitter(&outbox)
            .submit(&complete_claim(), now().with_timezone(&chrono::Utc))
            .unwrap();
    }
    let drive = _dir.path().join("usb");
    std::fs::create_dir_all(&drive).unwrap();
    send(
        &mut app,
        Message::Screen(screen::Message::Maintenance(
            screen::maintenance::Message::DriveChosen(drive.clone()),
        )),
    );
    assert_eq!(app.notice(), Some("ui-maintenance-exported"));
    // One folder per kiosk on the drive, and in it one folder per export, named by its date and time.
    let kiosks: Vec<std::path::PathBuf> = std::fs::read_dir(&drive)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(kiosks, [drive.join("test-kiosk")]);
    let folders: Vec<std::path::PathBuf> = std::fs::read_dir(&kiosks[0])
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let target = folders[0].clone();
    assert_eq!(
        target.file_name().unwrap().to_string_lossy(),
        now()
            .with_timezone(&chrono::Utc)
            .format("%Y%m%d-%H%M%SZ")
            .to_string()
    );
    let count = 2usize;
    assert!(sees(
        &app,
        &t.tr_args(
            "ui-maintenance-exported",
            &[
                ("count", (count as u32).into()),
                ("folder", target.display().to_string().as_str().into()),
            ],
        )
    ));
    assert!(target.join("index.json").is_file());
    let packets = std::fs::read_dir(&target)
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tar.age")
        })
        .count();
    assert_eq!(packets, count);

    // The camera test shows the live state.
    tap(&mut app, &t.tr("ui-back"));
    tap(&mut app, &t.tr("ui-maintenance-camera-test"));
    let Screen::Maintenance(maintenance) = app.screen() else {
        panic!("left maintenance mode");
    };
    assert!(maintenance.wants_camera());
}

#[test]
fn held_claims_are_counted_and_sent_again_from_the_health_page() {
    let Kiosk {
        mut app,
        outbox,
        _dir,
        ..
    } = kiosk_with(None, None);
    let t = id();
    let at = now().with_timezone(&chrono::Utc);
    for _ in 0..2 {
        submitter(&outbox).submit(&complete_claim(), at).unwrap();
    }
    let refused = outbox
        .next_due(at + chrono::Duration::minutes(1))
        .unwrap()
        .unwrap();
    outbox
        .mark_held(refused.id, "422 hash_mismatch: document 1", at)
        .unwrap();
    unlock_maintenance(&mut app);
    let counts = t.tr_args(
        "ui-health-outbox-counts",
        &[
            ("pending", 1u32.into()),
            ("sending", 0u32.into()),
            ("delivered", 0u32.into()),
            ("held", 1u32.into()),
        ],
    );
    let oldest = t.tr_args("ui-health-outbox-oldest", &[("minutes", 0u32.into())]);
    assert!(sees(&app, &format!("{counts} {oldest}")));
    let button = t.tr_args("ui-maintenance-send-held", &[("count", 1u32.into())]);
    assert!(button.contains("ditahan"), "{button}");
    tap(&mut app, &button);
    assert_eq!(app.notice(), Some("ui-maintenance-held-requeued"));
    let stats = outbox.stats(at).unwrap();
    assert_eq!((stats.pending, stats.held), (2, 0));
    let again = outbox
        .lookup_by_reference(&refused.reference)
        .unwrap()
        .unwrap();
    assert_eq!(again.next_attempt_at, at, "due at once");
    // Nothing is held any more: the button is gone.
    assert!(!sees(&app, &button));
}

#[test]
fn reload_config_applies_session_times_and_the_staff_pin_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("kiosk.toml");
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/kiosk-config/kiosk.toml"
    ))
    .unwrap();
    let new_pin = "97531";
    let new_hash = lapak_kiosk::pin::hash_pin(new_pin, "lapak-reload-salt").unwrap();
    let edited: Vec<String> = shipped
        .lines()
        .map(|line| {
            if line.starts_with("idle_after_secs = ") {
                "idle_after_secs = 20".to_owned()
            } else if line.starts_with("pin_hash = ") {
                format!("pin_hash = {new_hash:?}")
            } else {
                line.to_owned()
            }
        })
        .collect();
    std::fs::write(&config_file, edited.join("\n")).unwrap();
    let Kiosk { mut app, _dir, .. } = kiosk_with(None, Some(config_file));
    let t = id();
    unlock_maintenance(&mut app);
    tap(&mut app, &t.tr("ui-maintenance-reload-config"));
    assert_eq!(app.notice(), Some("ui-maintenance-config-ok"));
    tap(&mut app, &t.tr("ui-maintenance-leave"));
    assert_eq!(app.screen().target(), Target::Home);

    // The old PIN no longer opens maintenance mode; the new one does.
    for _ in 0..5 {
        tap(&mut app, &t.tr("ui-kiosk-title"));
    }
    type_keys(&mut app, STAFF_PIN);
    tap(&mut app, &t.tr("ui-maintenance-enter"));
    assert!(!sees(&app, &t.tr("ui-maintenance-health")));
    tap(&mut app, &t.tr("ui-key-clear"));
    type_keys(&mut app, new_pin);
    tap(&mut app, &t.tr("ui-maintenance-enter"));
    assert!(sees(&app, &t.tr("ui-maintenance-health")));
    tap(&mut app, &t.tr("ui-maintenance-leave"));

    // A participant's session now asks "Masih di sana?" after 20 s instead of 90.
    to_identity(&mut app);
    for _ in 0..20 {
        send(&mut app, Message::Tick(now()));
    }
    assert!(matches!(app.idle_state(), IdleState::Countdown { .. }));
}

#[test]
fn saying_the_balance_is_above_rp50_juta_asks_the_npwp_and_its_photo() {
    let Kiosk {
        mut app,
        outbox,
        camera,
        _dir,
        ..
    } = kiosk();
    let t = id();
    tap_through_resign(&mut app, &camera);
    // From the review, change the contact answers: the balance is above the threshold after all.
    send(
        &mut app,
        Message::Screen(screen::Message::Review(screen::review::Message::Change(
            Target::Contact,
        ))),
    );
    assert_eq!(app.screen().target(), Target::Contact);
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-balance-above"));
    assert!(sees(&app, &t.tr("ui-npwp-question")));
    type_keys(&mut app, "012345678901234");
    tap(&mut app, &t.tr("ui-next"));
    // The NPWP card is now required: the kiosk asks for it before the review.
    let Screen::Documents(documents) = app.screen() else {
        panic!("not asked for the NPWP card: {:?}", app.screen().target());
    };
    assert_eq!(documents.current(), Some(DocumentKind::Npwp));
    let taken = photograph_documents(&mut app, &camera);
    assert_eq!(taken, vec![DocumentKind::Npwp]);
    assert_eq!(app.screen().target(), Target::Review);
    let draft = app.draft().clone();
    assert!(draft.balance_above_npwp_threshold);
    assert_eq!(draft.fields.npwp, "012345678901234");
    tap(&mut app, &t.tr("ui-review-submit"));
    let reference = saved_reference(&app);
    assert_eq!(outbox.stats(chrono::Utc::now()).unwrap().pending, 1);
    assert!(outbox.lookup_by_reference(&reference).unwrap().is_some());
}

/// From home through the deceased's identity ("Keluarga yang meninggal") to the date of death.
fn to_reason_for_the_deceased(app: &mut App) {
    let t = id();
    tap(app, &t.tr("ui-home-start"));
    tap(app, &t.tr("ui-consent-agree"));
    tap(app, &t.tr("ui-ways-whom-deceased"));
    assert!(sees(app, &t.tr("ui-ways-deceased-nik-question")));
    type_keys(app, NIK);
    tap(app, &t.tr("ui-next"));
    tap(app, &t.tr("ui-yes-correct"));
    type_keys(app, KPJ);
    tap(app, &t.tr("ui-next"));
    type_keys(app, "SITI");
    tap(app, &t.tr("ui-key-space"));
    type_keys(app, "AMINAH");
    tap(app, &t.tr("ui-next"));
    type_mother(app);
    tap(app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Reason);
}

/// The reference on the saved screen (the claim was stored).
fn saved_reference(app: &App) -> lapak_kiosk::claim::reference::ClaimReference {
    let Screen::Saved(saved) = app.screen() else {
        panic!(
            "not on the saved screen: {:?} ({:?})",
            app.screen().target(),
            app.notice()
        );
    };
    saved.reference().clone()
}

#[test]
fn a_death_claim_asks_the_heir_and_passes_the_claim_rules() {
    let Kiosk {
        mut app,
        outbox,
        camera,
        _dir,
        ..
    } = kiosk();
    let t = id();
    // "Keluarga yang meninggal" first: the identity asked is the deceased's, the reason is the death.
    to_reason_for_the_deceased(&mut app);
    assert!(sees(&app, &t.tr("event-date-death")));
    pick_date(&mut app, "01102026");
    assert!(sees(&app, &t.tr("ui-reason-eligible")));
    tap(&mut app, &t.tr("ui-next"));
    // The heir who applies: NIK, name, relationship.
    assert!(sees(&app, &t.tr("ui-heir-nik-question")));
    type_keys(&mut app, "3174014505900002");
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, "ANDI");
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-heir-child"));
    answer_contact_and_bank(&mut app, "BCA");
    let taken = photograph_documents(&mut app, &camera);
    assert!(taken.contains(&DocumentKind::HeirCertificate), "{taken:?}");
    assert_eq!(app.screen().target(), Target::Review);
    let draft = app.draft().clone();
    let heir = draft.fields.applicant.clone().unwrap();
    assert_eq!(heir.name, "ANDI");
    assert_eq!(
        heir.relationship,
        lapak_kiosk::claim::HeirRelationship::Child
    );
    // The screens' draft is the pipeline's: the same check passes it.
    assert_eq!(
        lapak_kiosk::submission::check_draft(&claim_context(), &draft, today()),
        Ok(())
    );
    tap(&mut app, &t.tr("ui-review-submit"));
    let reference = saved_reference(&app);
    assert!(outbox.matches_nik(&reference, NIK).unwrap());
}

#[test]
fn an_unplugged_camera_pauses_new_claims_on_home_and_they_resume_when_it_is_back() {
    let Kiosk {
        mut app,
        camera,
        control,
        _dir,
        ..
    } = kiosk();
    let t = id();
    fresh_frames(&camera);
    assert!(app.claims_possible());
    assert!(!sees(&app, &t.tr("ui-out-of-service-camera")));

    // Unplugged: the worker's own state turns Lost; home says claims are paused and does not start one.
    control.unplug();
    wait_for_camera(&camera, |event| matches!(event, CameraEvent::Lost(_)));
    assert!(matches!(
        camera.state(),
        lapak_kiosk::camera::CameraState::Lost(_)
    ));
    assert!(!app.claims_possible());
    assert!(sees(&app, &t.tr("ui-out-of-service-camera")));
    tap(&mut app, &t.tr("ui-home-start"));
    assert_eq!(app.screen().target(), Target::Home);
    assert_eq!(app.draft(), &Draft::default());
    // The status check still opens.
    tap(&mut app, &t.tr("ui-home-status"));
    assert_eq!(app.screen().target(), Target::Status);
    tap(&mut app, &t.tr("ui-back"));
    assert_eq!(app.screen().target(), Target::Home);

    // Plugged back in: the worker reopens it and claims start again.
    control.resume();
    wait_for_camera(&camera, |event| matches!(event, CameraEvent::Restored));
    assert!(app.claims_possible());
    assert!(!sees(&app, &t.tr("ui-out-of-service-camera")));
    tap(&mut app, &t.tr("ui-home-start"));
    assert_eq!(app.screen().target(), Target::Consent);
}

#[test]
fn consent_says_within_how_many_days_of_delivery_the_kiosk_deletes_the_claim() {
    for days in [3u32, 7] {
        let mut settings = settings(None);
        settings.retention_days = days;
        let Kiosk { mut app, _dir, .. } = kiosk_with_settings(None, settings);
        for language in [Language::Id, Language::En] {
            send(&mut app, Message::LanguageSelected(language));
            let t = lapak_kiosk::i18n::Translator::new(language);
            tap(&mut app, &t.tr("ui-home-start"));
            assert_eq!(app.screen().target(), Target::Consent);
            // The short text says it, and the full text one tap away says it too.
            let short = t.tr_args("ui-consent-short-keep", &[("days", days.into())]);
            assert!(short.contains(&format!(" {days} ")), "{short}");
            assert!(sees(&app, &short), "{language:?}: {short}");
            tap(&mut app, &t.tr("ui-consent-read-all"));
            let promise = t.tr_args("ui-consent-keep", &[("days", days.into())]);
            assert!(promise.contains(&format!(" {days} ")), "{promise}");
            assert!(sees(&app, &promise), "{language:?}: {promise}");
            tap(&mut app, &t.tr("ui-consent-decline"));
        }
    }
}

#[test]
fn at_0630_wib_a_wait_ending_today_in_wib_is_eligible_on_screen_and_in_the_pipeline() {
    use chrono::TimeZone;
    use lapak_kiosk::claim::eligibility::{self, Eligibility};
    let Kiosk {
        mut app,
        outbox,
        _dir,
        ..
    } = kiosk();
    let t = id();
    // 06:30 WIB on 28 November is 23:30 UTC on 27 November.
    let instant = chrono::Utc
        .with_ymd_and_hms(2026, 11, 27, 23, 30, 0)
        .unwrap();
    send(
        &mut app,
        Message::Tick(instant.with_timezone(&chrono::Local)),
    );
    // Resigned on 28 October: the one-month wait ends on 28 November.
    let details = lapak_kiosk::claim::ReasonDetails {
        reason: Reason::Resign,
        event_date: NaiveDate::from_ymd_opt(2026, 10, 28),
        membership_start: None,
    };
    let rules = claim_context().rules;
    assert!(
        matches!(
            eligibility::check(&rules, &details, None, instant.date_naive()),
            Eligibility::NotYet { .. }
        ),
        "by the UTC date it is not yet"
    );

    to_reason(&mut app);
    tap(&mut app, &t.message(&Reason::Resign));
    pick_date(&mut app, "28102026");
    assert!(sees(&app, &t.tr("ui-reason-eligible")));
    assert!(!sees(&app, &t.tr("ui-reason-not-yet")));

    let mut claim = complete_claim();
    claim.reason = Some(details);
    // 23:59 WIB on 27 November: the pipeline says not yet ...
    let evening = chrono::Utc
        .with_ymd_and_hms(2026, 11, 27, 16, 59, 0)
        .unwrap();
    assert!(matches!(
        submitter(&outbox).submit(&claim, evening),
        Err(SubmitError::NotEligible(Eligibility::NotYet { .. }))
    ));
    // ... and at 06:30 WIB the next morning it stores the claim, as the screen said.
    submitter(&outbox)
        .submit(&claim, instant)
        .expect("eligible in WIB");
}

/// Opens the PIN screen with five corner taps and enters `pin`.
fn enter_pin(app: &mut App, pin: &str) {
    let t = id();
    if app.screen().target() != Target::Maintenance {
        for _ in 0..5 {
            tap(app, &t.tr("ui-kiosk-title"));
        }
    }
    type_keys(app, pin);
    tap(app, &t.tr("ui-maintenance-enter"));
}

#[test]
fn the_pin_lockout_survives_a_restart_and_the_next_one_lasts_longer() {
    let data = tempfile::tempdir().unwrap();
    let lock_file = data.path().join(lapak_kiosk::pin_lockout::PIN_LOCKOUT_FILE);
    let start = || {
        let mut settings = settings(None);
        settings.pin_lockout_file = Some(lock_file.clone());
        kiosk_with_settings(None, settings)
    };
    let t = id();
    let locked_for =
        |minutes: u32| t.tr_args("ui-maintenance-pin-locked", &[("minutes", minutes.into())]);
    let Kiosk { mut app, _dir, .. } = start();
    for _ in 0..5 {
        enter_pin(&mut app, "1111");
    }
    assert!(sees(&app, &locked_for(15)));
    drop(app);

    // The kiosk program restarts (a new app over the same data folder): still locked, even for the right PIN.
    let Kiosk { mut app, _dir, .. } = start();
    enter_pin(&mut app, STAFF_PIN);
    assert!(!sees(&app, &t.tr("ui-maintenance-health")));
    assert!(sees(&app, &locked_for(15)));
    let record = lapak_kiosk::pin_lockout::PinLockout::load(&lock_file, chrono::Utc::now());
    assert_eq!(record.lockouts, 1);
    // The heartbeat reports the lock-out in force.
    assert_eq!(
        lapak_kiosk::pin_lockout::PinLockout::locked_until_in(
            data.path(),
            now().with_timezone(&chrono::Utc)
        ),
        record.locked_until
    );

    // After the lock-out, five more wrong PINs lock it for longer: an hour.
    send(
        &mut app,
        Message::Tick(now() + chrono::TimeDelta::minutes(16)),
    );
    for _ in 0..5 {
        enter_pin(&mut app, "1111");
    }
    assert!(sees(&app, &locked_for(60)));
    drop(app);
    let Kiosk { mut app, _dir, .. } = start();
    send(
        &mut app,
        Message::Tick(now() + chrono::TimeDelta::minutes(17)),
    );
    enter_pin(&mut app, STAFF_PIN);
    assert!(!sees(&app, &t.tr("ui-maintenance-health")));
    // An hour and more later the right PIN opens it and clears the record.
    send(
        &mut app,
        Message::Tick(now() + chrono::TimeDelta::minutes(77)),
    );
    enter_pin(&mut app, STAFF_PIN);
    assert!(sees(&app, &t.tr("ui-maintenance-health")));
    assert_eq!(
        lapak_kiosk::pin_lockout::PinLockout::load(&lock_file, chrono::Utc::now()),
        lapak_kiosk::pin_lockout::PinLockout::default()
    );
}

#[test]
fn a_receipt_printed_at_0630_wib_carries_the_wib_date_and_time() {
    use chrono::TimeZone;
    let printer = printer_in(Paper::Ok, PrinterState::Ready);
    let printer_events = printer.subscribe();
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = kiosk_with_printer(Some(Arc::clone(&printer)));
    let t = id();
    // 06:30 WIB on 28 November is 23:30 UTC on 27 November.
    let instant = chrono::Utc
        .with_ymd_and_hms(2026, 11, 27, 23, 30, 0)
        .unwrap();
    send(
        &mut app,
        Message::Tick(instant.with_timezone(&chrono::Local)),
    );
    tap_through_resign(&mut app, &camera);
    tap(&mut app, &t.tr("ui-review-submit"));
    assert!(matches!(app.screen(), Screen::Saved(_)));
    loop {
        match printer_events
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap()
        {
            PrinterEvent::Printed { .. } => break,
            PrinterEvent::PrintFailed { reason, .. } => panic!("print failed: {reason}"),
            PrinterEvent::StatusChanged(_) => {}
        }
    }
    let printouts = printer.simulator().unwrap().printouts();
    assert_eq!(printouts.len(), 1);
    assert!(
        printouts[0].contains("28-11-2026 06:30"),
        "{}",
        printouts[0]
    );
    assert!(!printouts[0].contains("27-11-2026"), "{}", printouts[0]);
}

#[test]
fn a_card_held_steady_photographs_itself_after_a_countdown_with_no_tap() {
    use lapak_kiosk::camera::SimulatedScene;
    use lapak_kiosk::sound::Cue;
    use lapak_kiosk::ui::screen::documents::Shot;
    let Kiosk {
        mut app,
        control,
        sound: heard,
        _dir,
        ..
    } = kiosk_tuned(None, settings(None), |devices| {
        // The test points the simulated camera itself: first at a moving pattern, then at the card.
        devices.demo_camera = None;
    });
    control.show(SimulatedScene::Pattern);
    let t = id();
    to_documents_for_resign(&mut app);
    assert_eq!(app.screen().target(), Target::Documents);
    let taps_on_arrival = taps();
    let mut feeds = lapak_kiosk::ui::headless::Feeds::new();
    see_the_live_picture(&mut app, &mut feeds);

    // A moving picture with no card: for three seconds no countdown starts and no photo is taken.
    let started = headless()
        .wait_for(
            &mut feeds,
            &mut app,
            |app| {
                matches!(app.screen(), Screen::Documents(documents)
                    if documents.countdown().is_some() || !matches!(documents.shot(), Shot::Live(_)))
            },
            std::time::Duration::from_secs(3),
        )
        .unwrap();
    assert!(!started, "a countdown or a photo with no card in view");
    assert!(heard.cues().is_empty());

    // The card, held steady: the countdown shows on screen, then the photo takes itself.
    control.show(SimulatedScene::Card);
    let counting = wait_until(
        &mut app,
        &mut feeds,
        |app| matches!(app.screen(), Screen::Documents(documents) if documents.countdown().is_some()),
    );
    assert!(counting, "no countdown for a good, steady card");
    let Screen::Documents(documents) = app.screen() else {
        panic!("left the documents screen");
    };
    let seconds = documents.countdown().unwrap();
    // The card was found where the simulated camera shows it: in the guide box.
    let guide = lapak_kiosk::camera::GuideBox::for_kind(DocumentKind::KpjCard, 1280, 720);
    let expected = [
        (guide.x, guide.y),
        (guide.x + guide.width, guide.y),
        (guide.x + guide.width, guide.y + guide.height),
        (guide.x, guide.y + guide.height),
    ];
    let found = documents
        .outline()
        .expect("the card's outline is on screen");
    for (corner, truth) in found.corners.iter().zip(expected) {
        assert!(
            (corner.0 - truth.0).abs() < 0.02 && (corner.1 - truth.1).abs() < 0.02,
            "corner {corner:?}, card at {truth:?}"
        );
    }
    assert!(
        sees(&app, &seconds.to_string()),
        "the number is drawn over the picture"
    );
    assert!(sees(
        &app,
        &t.tr_args(
            "ui-documents-countdown",
            &[(
                "seconds",
                lapak_kiosk::i18n::MessageArg::from(seconds as usize)
            )]
        )
    ));
    let taken = wait_until(
        &mut app,
        &mut feeds,
        |app| matches!(app.screen(), Screen::Documents(documents) if documents.shot() == &Shot::Taken),
    );
    assert!(taken, "the photo did not take itself");
    assert_eq!(taps(), taps_on_arrival, "no tap was needed");
    assert_eq!(app.draft().documents.len(), 1);
    assert_eq!(app.draft().documents[0].kind, DocumentKind::KpjCard);
    // A tick for each number shown, then the shutter. On a loaded test machine a number may be skipped, or
    // a late check may start the countdown over (and its ticks again); the exact 3-2-1 beat is held by the
    // screen's own tests with a given clock.
    let cues = heard.cues();
    let (shutter, ticks) = cues.split_last().expect("cues were played");
    assert_eq!(shutter, &Cue::Shutter, "{cues:?}");
    assert!(
        !ticks.is_empty() && ticks.iter().all(|cue| *cue == Cue::CountdownTick),
        "{cues:?}"
    );
    // The stored photo is shown with its two choices.
    assert!(sees(&app, &t.tr("ui-documents-use")));
    assert!(sees(&app, &t.tr("ui-documents-retake")));
    // It took itself: the screen goes on by itself after a look as long as the shutter's countdown, and
    // says so; "Pakai foto ini" goes on at once.
    assert!(sees(
        &app,
        &t.tr_args(
            "ui-documents-going-on",
            &[("seconds", lapak_kiosk::i18n::MessageArg::from(3usize))]
        )
    ));
    tap(&mut app, &t.tr("ui-documents-use"));
    let Screen::Documents(documents) = app.screen() else {
        panic!("left the documents screen");
    };
    assert_eq!(documents.current(), Some(DocumentKind::Ektp));
    // Leaving the documents screen silences the speaker; then the bank screen speaks its question.
    tap(&mut app, &t.tr("ui-back"));
    tap(&mut app, &t.tr("ui-back"));
    assert_eq!(app.screen().target(), Target::Bank);
    let events = heard.events();
    assert_eq!(
        events.iter().rev().nth(1),
        Some(&lapak_kiosk::sound::SoundEvent::Stopped),
        "{events:?}"
    );
}

#[test]
fn a_resign_claim_whose_photos_take_themselves_is_tapped_from_home_to_saved_in_counted_taps() {
    let Kiosk {
        mut app,
        outbox,
        _dir,
        ..
    } = kiosk_tuned(None, settings(None), |devices| {
        // Shorter waits than the shipped 0.8 s + 3 s: the count of taps does not depend on them.
        devices.quality.steady_ms = 400;
        devices.quality.countdown_seconds = 1;
        // The kiosk as shipped: the e-KTP and the KPJ card are photographed first and read.
        devices.read_cards = true;
    });
    let t = id();
    let from = taps();
    to_identity(&mut app);
    confirm_read_cards(&mut app, None);
    tap(&mut app, &t.message(&Reason::Resign));
    pick_date(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    answer_contact_and_bank(&mut app, "BCA");
    let before_photos = taps();
    let taken = let_documents_photograph_themselves(&mut app);
    let photo_taps = taps() - before_photos;
    assert_eq!(
        photo_taps, 0,
        "each photo took itself and went on by itself"
    );
    // The e-KTP and the KPJ card were photographed (and read) on the identity screen.
    assert_eq!(taken.len(), 4, "{taken:?}");
    assert_eq!(app.screen().target(), Target::Review);
    tap(&mut app, &t.tr("ui-review-submit"));
    assert!(matches!(app.screen(), Screen::Saved(_)));
    assert_eq!(outbox.stats(chrono::Utc::now()).unwrap().pending, 1);
    // Taking each photo by hand costs ten more: 52 in
    // a_resign_claim_tapped_through_ends_in_one_outbox_row_and_a_printed_receipt.
    assert_eq!(taps() - from, 42, "taps from home to saved");
}
