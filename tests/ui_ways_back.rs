//! Ways back and out, driven headless on the real screens: "Kembali" from the review, "Batal" that asks
//! first, one document taken again from the review, "Kembali" during an edit, the saved screen that stays
//! (with "Cetak ulang"), what a camera or printer fault says about the answers, and a death claim asked in
//! the heir's and the deceased's words.
#![cfg(feature = "ui")]
// Helpers here are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
mod journey;

use std::sync::Arc;

use journey::*;
use lapak_kiosk::claim::{DocumentKind, HeirRelationship};
use lapak_kiosk::printer::simulator::Paper;
use lapak_kiosk::printer::{PrinterConfig, PrinterEvent, PrinterHandle, PrinterState};
use lapak_kiosk::ui::draft::Draft;
use lapak_kiosk::ui::headless::Feeds;
use lapak_kiosk::ui::idle::IdleState;
use lapak_kiosk::ui::screen::documents::Shot;
use lapak_kiosk::ui::screen::{self, CURSOR, Screen, Target};
use lapak_kiosk::ui::{App, Message};

/// A simulated printer whose status the worker has read at least once, in the given state.
fn printer_in(paper: Paper, expected: PrinterState) -> Arc<PrinterHandle> {
    let printer = lapak_kiosk::printer::spawn(&PrinterConfig {
        poll_interval_ms: 100,
        ..PrinterConfig::default()
    })
    .unwrap();
    printer.simulator().unwrap().set_paper(paper);
    wait_for_printer(&printer, expected);
    Arc::new(printer)
}

/// Waits (at most five seconds) until the printer worker reports `expected`.
fn wait_for_printer(printer: &PrinterHandle, expected: PrinterState) {
    for _ in 0..100 {
        if printer.status().state == expected {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("printer never reached {expected:?}: {:?}", printer.status());
}

/// Waits (at most ten seconds) for the printer worker to say a job was printed.
fn wait_for_printed(events: &std::sync::mpsc::Receiver<PrinterEvent>) {
    loop {
        match events
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap()
        {
            PrinterEvent::Printed { .. } => return,
            PrinterEvent::PrintFailed { reason, .. } => panic!("print failed: {reason}"),
            PrinterEvent::StatusChanged(_) => {}
        }
    }
}

/// A message from a tap on the review screen (for one of several buttons with the same label, "Ubah").
fn on_review(app: &mut App, message: screen::review::Message) {
    send(app, Message::Screen(screen::Message::Review(message)));
}

/// The reference on the saved screen.
fn saved_reference(app: &App) -> lapak_kiosk::claim::reference::ClaimReference {
    let Screen::Saved(saved) = app.screen() else {
        panic!("not on the saved screen: {:?}", app.screen().target());
    };
    saved.reference().clone()
}

/// One clock tick, `n` times.
fn ticks(app: &mut App, n: usize) {
    for _ in 0..n {
        send(app, Message::Tick(now()));
    }
}

#[test]
fn review_back_returns_to_the_last_photo_as_taken_and_use_returns_to_review() {
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = kiosk();
    let t = id();
    tap_through_resign(&mut app, &camera);
    let draft = app.draft().clone();
    tap(&mut app, &t.tr("ui-back"));
    let Screen::Documents(documents) = app.screen() else {
        panic!("not on the documents screen: {:?}", app.screen().target());
    };
    assert_eq!(documents.current(), Some(DocumentKind::Selfie));
    assert_eq!(documents.shot(), &Shot::Taken);
    assert!(sees(&app, &t.tr("ui-documents-taken-earlier")));
    tap(&mut app, &t.tr("ui-documents-use"));
    assert_eq!(app.screen().target(), Target::Review);
    assert_eq!(app.draft(), &draft);
}

#[test]
fn cancel_asks_first_then_no_keeps_every_answer_and_yes_goes_home_with_nothing_kept() {
    let Kiosk {
        mut app,
        camera,
        outbox,
        _dir,
        ..
    } = kiosk();
    let t = id();
    tap_through_resign(&mut app, &camera);
    let draft = app.draft().clone();
    tap(&mut app, &t.tr("ui-cancel"));
    assert!(sees(&app, &t.tr("ui-ways-cancel-question")));
    assert!(sees(&app, &t.tr("ui-ways-cancel-body")));
    assert_eq!(app.screen().target(), Target::Review);
    assert_eq!(app.draft(), &draft);
    tap(&mut app, &t.tr("ui-ways-cancel-no"));
    assert!(!sees(&app, &t.tr("ui-ways-cancel-question")));
    assert!(sees(&app, &format!("NIK {NIK}")));
    assert_eq!(app.draft(), &draft);
    tap(&mut app, &t.tr("ui-cancel"));
    tap(&mut app, &t.tr("ui-ways-cancel-yes"));
    assert_eq!(app.screen().target(), Target::Home);
    assert_eq!(app.draft(), &Draft::default());
    assert_eq!(outbox.stats(chrono::Utc::now()).unwrap().pending, 0);
}

#[test]
fn change_on_one_document_retakes_only_it_and_returns_to_review() {
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = kiosk();
    let t = id();
    tap_through_resign(&mut app, &camera);
    let before = app.draft().documents.clone();
    // One "Ubah" per photo.
    let paklaring = format!(
        "{}: {}",
        t.tr("ui-review-documents"),
        t.message(&DocumentKind::Paklaring)
    );
    assert!(sees(&app, &paklaring));
    on_review(
        &mut app,
        screen::review::Message::Change(Target::Document(DocumentKind::Ektp)),
    );
    let Screen::Documents(documents) = app.screen() else {
        panic!("not on the documents screen: {:?}", app.screen().target());
    };
    assert_eq!(documents.current(), Some(DocumentKind::Ektp));
    // "Kembali" without a new photo: the review again, the photo as it was.
    tap(&mut app, &t.tr("ui-back"));
    assert_eq!(app.screen().target(), Target::Review);
    assert_eq!(app.draft().documents, before);
    on_review(
        &mut app,
        screen::review::Message::Change(Target::Document(DocumentKind::Ektp)),
    );
    let taken = photograph_documents(&mut app, &camera);
    assert_eq!(taken, vec![DocumentKind::Ektp]);
    assert_eq!(app.screen().target(), Target::Review);
    let after = &app.draft().documents;
    assert_eq!(after.len(), before.len());
    for document in before.iter().filter(|doc| doc.kind != DocumentKind::Ektp) {
        assert!(after.contains(document), "{:?} changed", document.kind);
    }
    assert!(after.iter().any(|doc| doc.kind == DocumentKind::Ektp));
}

#[test]
fn back_during_an_edit_keeps_edit_mode_and_the_next_answer_returns_to_review() {
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = kiosk();
    let t = id();
    tap_through_resign(&mut app, &camera);
    on_review(&mut app, screen::review::Message::Change(Target::Bank));
    assert_eq!(app.screen().target(), Target::Bank);
    tap(&mut app, &t.tr("ui-back"));
    assert_eq!(app.screen().target(), Target::Contact);
    // The phone number is as given; a changed e-mail answer goes straight back to the review.
    assert!(sees(&app, &format!("081234567890{CURSOR}")));
    tap(&mut app, &t.tr("ui-contact-add-email"));
    type_keys(&mut app, "SITI@MAIL.CO");
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-balance-not-above"));
    assert_eq!(app.screen().target(), Target::Review);
    assert_eq!(app.draft().fields.email, "siti@mail.co");
    assert!(sees(&app, "siti@mail.co"));
}

#[test]
fn the_saved_screen_stays_through_the_clock_until_the_idle_timer_ends_it() {
    let Kiosk {
        mut app,
        camera,
        outbox,
        _dir,
        ..
    } = kiosk();
    let t = id();
    tap_through_resign(&mut app, &camera);
    tap(&mut app, &t.tr("ui-review-submit"));
    let reference = saved_reference(&app);
    // Far past the 30 seconds the screen used to count down: still there, the reference large on it.
    ticks(&mut app, 89);
    assert!(matches!(app.screen(), Screen::Saved(_)));
    assert_eq!(app.idle_state(), IdleState::Active);
    assert!(sees(&app, &reference.to_string()));
    // The idle timer (90 s, then a 30 s "Masih di sana?") is the only other way home.
    ticks(&mut app, 1);
    assert!(matches!(app.idle_state(), IdleState::Countdown { .. }));
    ticks(&mut app, 30);
    assert_eq!(app.screen().target(), Target::Home);
    assert!(!matches!(app.screen(), Screen::Saved(_)));
    assert_eq!(outbox.stats(chrono::Utc::now()).unwrap().pending, 1);
}

#[test]
fn print_again_prints_a_second_receipt_with_the_same_reference() {
    let printer = printer_in(Paper::Ok, PrinterState::Ready);
    let events = printer.subscribe();
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = kiosk_with_printer(Some(Arc::clone(&printer)));
    let t = id();
    tap_through_resign(&mut app, &camera);
    let mut feeds = Feeds::new();
    headless()
        .wait_for(
            &mut feeds,
            &mut app,
            |_| false,
            std::time::Duration::from_secs(1),
        )
        .unwrap();
    tap(&mut app, &t.tr("ui-review-submit"));
    let reference = saved_reference(&app);
    wait_for_printed(&events);
    let printed = t.tr("ui-saved-printed");
    assert!(wait_until(&mut app, &mut feeds, |app| sees(app, &printed)));
    tap(&mut app, &t.tr("ui-ways-reprint"));
    assert!(sees(&app, &t.tr("ui-saved-printing")));
    wait_for_printed(&events);
    assert!(wait_until(&mut app, &mut feeds, |app| sees(app, &printed)));
    let printouts = printer.simulator().unwrap().printouts();
    assert_eq!(printouts.len(), 2);
    for printout in &printouts {
        assert!(printout.contains(&reference.to_string()), "{printout}");
    }
    assert_eq!(saved_reference(&app), reference);
}

#[test]
fn out_of_paper_at_saved_says_the_claim_is_stored_and_print_again_waits_for_paper() {
    let printer = printer_in(Paper::Out, PrinterState::PaperOut);
    let Kiosk {
        mut app,
        camera,
        outbox,
        _dir,
        ..
    } = kiosk_with_printer(Some(Arc::clone(&printer)));
    let t = id();
    tap_through_resign(&mut app, &camera);
    tap(&mut app, &t.tr("ui-review-submit"));
    let reference = saved_reference(&app);
    // What the screen says is true: the claim is in the outbox, to be sent; its reference is on screen.
    assert!(sees(&app, &t.tr("ui-saved-not-printed")));
    assert!(sees(&app, &t.tr("ui-ways-saved-stored-anyway")));
    assert!(sees(&app, &reference.to_string()));
    assert_eq!(outbox.stats(chrono::Utc::now()).unwrap().pending, 1);
    assert!(outbox.lookup_by_reference(&reference).unwrap().is_some());
    // Still no paper: nothing is printed, the screen says so again.
    tap(&mut app, &t.tr("ui-ways-reprint"));
    assert!(sees(&app, &t.tr("ui-saved-not-printed")));
    assert!(printer.simulator().unwrap().printouts().is_empty());
    // Paper is back: "Cetak ulang" prints the receipt of this claim.
    printer.simulator().unwrap().set_paper(Paper::Ok);
    wait_for_printer(&printer, PrinterState::Ready);
    tap(&mut app, &t.tr("ui-ways-reprint"));
    assert!(sees(&app, &t.tr("ui-saved-printing")));
    let mut printouts = Vec::new();
    for _ in 0..200 {
        printouts = printer.simulator().unwrap().printouts();
        if !printouts.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(printouts.len(), 1);
    assert!(printouts[0].contains(&reference.to_string()));
}

#[test]
fn camera_lost_on_the_documents_screen_says_the_answers_stay_for_the_session_and_nothing_is_stored()
{
    let Kiosk {
        mut app,
        camera,
        control,
        outbox,
        _dir,
        ..
    } = kiosk();
    let t = id();
    to_documents_for_resign(&mut app);
    assert_eq!(app.screen().target(), Target::Documents);
    let mut feeds = Feeds::new();
    see_the_live_picture(&mut app, &mut feeds);
    fresh_frames(&camera);
    tap(&mut app, &t.tr("ui-documents-capture"));
    tap(&mut app, &t.tr("ui-documents-use"));
    assert_eq!(app.draft().documents.len(), 1);
    assert!(!sees(&app, &t.tr("ui-ways-camera-fault-answers")));

    control.fail();
    let lost = t.tr("ui-camera-lost");
    assert!(wait_until(&mut app, &mut feeds, |app| sees(app, &lost)));
    assert!(sees(&app, &t.tr("ui-ways-camera-fault-answers")));
    // "stay for this session": the answers and the photo taken are still in the draft...
    assert_eq!(app.draft().fields.nik, NIK);
    assert_eq!(app.draft().documents.len(), 1);
    // ..."nothing stored until Kirim klaim": the outbox holds nothing.
    let stats = outbox.stats(chrono::Utc::now()).unwrap();
    assert_eq!((stats.pending, stats.sending, stats.delivered), (0, 0, 0));
    // And the session ends with the idle timer: then they are gone.
    ticks(&mut app, 120);
    assert_eq!(app.screen().target(), Target::Home);
    assert_eq!(app.draft(), &Draft::default());
    control.resume();
}

#[test]
fn a_death_claim_asks_the_deceased_then_the_heir_and_the_account_holder_is_the_heir() {
    let Kiosk {
        mut app,
        camera,
        outbox,
        _dir,
        ..
    } = kiosk();
    let t = id();
    tap(&mut app, &t.tr("ui-home-start"));
    tap(&mut app, &t.tr("ui-consent-agree"));
    assert!(sees(&app, &t.tr("ui-ways-whom-question")));
    tap(&mut app, &t.tr("ui-ways-whom-deceased"));
    // The identity asked is the deceased's, in those words.
    assert!(sees(&app, &t.tr("ui-ways-deceased-nik-question")));
    assert!(!sees(&app, &t.tr("ui-identity-nik-question")));
    type_keys(&mut app, NIK);
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-yes-correct"));
    assert!(sees(&app, &t.tr("ui-ways-deceased-kpj-question")));
    type_keys(&mut app, KPJ);
    tap(&mut app, &t.tr("ui-next"));
    assert!(sees(&app, &t.tr("ui-ways-deceased-name-question")));
    type_keys(&mut app, "SITI");
    tap(&mut app, &t.tr("ui-key-space"));
    type_keys(&mut app, "AMINAH");
    tap(&mut app, &t.tr("ui-next"));
    assert!(sees(&app, &t.tr("ui-ways-deceased-mother-question")));
    type_mother(&mut app);
    tap(&mut app, &t.tr("ui-next"));
    // No list of reasons: the reason is the death, its date is asked.
    assert_eq!(app.screen().target(), Target::Reason);
    assert!(sees(&app, &t.tr("event-date-death")));
    pick_date(&mut app, "01102026");
    tap(&mut app, &t.tr("ui-next"));
    // Then the heir, as "Anda".
    assert!(sees(&app, &t.tr("ui-heir-nik-question")));
    type_keys(&mut app, "3174014505900002");
    tap(&mut app, &t.tr("ui-next"));
    assert!(sees(&app, &t.tr("ui-heir-name-question")));
    type_keys(&mut app, "ANDI");
    tap(&mut app, &t.tr("ui-next"));
    assert!(sees(&app, &t.tr("ui-heir-relationship-question")));
    tap(&mut app, &t.tr("ui-heir-child"));
    type_keys(&mut app, "1234567890");
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-balance-not-above"));
    tap(&mut app, "BCA");
    type_keys(&mut app, "1234567890");
    // The money goes to the heir: the holder shown under the number is the heir, not the deceased.
    let holder = |name: &str| {
        t.tr_args(
            "ui-bank-holder-line",
            &[(
                "holder",
                lapak_kiosk::i18n::MessageArg::Text(name.to_owned()),
            )],
        )
    };
    assert!(sees(&app, &holder("ANDI")));
    assert!(!sees(&app, &holder("SITI AMINAH")));
    tap(&mut app, &t.tr("ui-next"));
    start_photos(&mut app);
    photograph_documents(&mut app, &camera);
    assert_eq!(app.screen().target(), Target::Review);
    assert!(sees(&app, &t.tr("ui-ways-review-deceased")));
    let draft = app.draft().clone();
    assert_eq!(draft.fields.nik, NIK);
    assert_eq!(draft.fields.name, "SITI AMINAH");
    let heir = draft.fields.applicant.clone().unwrap();
    assert_eq!(heir.nik, "3174014505900002");
    assert_eq!(heir.name, "ANDI");
    assert_eq!(heir.relationship, HeirRelationship::Child);
    assert_eq!(draft.bank.as_ref().unwrap().holder, "ANDI");
    assert_eq!(
        lapak_kiosk::submission::check_draft(&claim_context(), &draft, today()),
        Ok(())
    );
    tap(&mut app, &t.tr("ui-review-submit"));
    let reference = saved_reference(&app);
    assert!(outbox.matches_nik(&reference, NIK).unwrap());
}

#[test]
fn choosing_a_claim_for_oneself_after_a_death_claim_forgets_it_and_the_death_is_not_on_the_list() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    tap(&mut app, &t.tr("ui-home-start"));
    tap(&mut app, &t.tr("ui-consent-agree"));
    tap(&mut app, &t.tr("ui-ways-whom-deceased"));
    assert_eq!(
        app.draft().reason.as_ref().map(|details| details.reason),
        Some(lapak_kiosk::claim::Reason::Death)
    );
    tap(&mut app, &t.tr("ui-back"));
    tap(&mut app, &t.tr("ui-ways-whom-self"));
    assert_eq!(app.draft().reason, None);
    assert!(sees(&app, &t.tr("ui-identity-nik-question")));
    type_keys(&mut app, NIK);
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-yes-correct"));
    type_keys(&mut app, KPJ);
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, "SITI");
    tap(&mut app, &t.tr("ui-next"));
    type_mother(&mut app);
    tap(&mut app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Reason);
    assert!(sees(&app, &t.message(&lapak_kiosk::claim::Reason::Resign)));
    assert!(!sees(&app, &t.message(&lapak_kiosk::claim::Reason::Death)));
}

#[test]
fn changing_whom_the_claim_is_for_during_an_edit_asks_the_death_and_the_heir_instead_of_returning_to_review()
 {
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = kiosk();
    let t = id();
    tap_through_resign(&mut app, &camera);
    on_review(&mut app, screen::review::Message::Change(Target::Identity));
    assert!(sees(&app, &t.tr("ui-identity-nik-question")));
    tap(&mut app, &t.tr("ui-back"));
    tap(&mut app, &t.tr("ui-ways-whom-deceased"));
    assert!(sees(&app, &t.tr("ui-ways-deceased-nik-question")));
    // The answers given stay filled in: through them as they are.
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-yes-correct"));
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-next"));
    // Not the review: a death claim needs the date of death and the heir first.
    assert_eq!(app.screen().target(), Target::Reason);
    assert!(sees(&app, &t.tr("event-date-death")));
    pick_date(&mut app, "01102026");
    tap(&mut app, &t.tr("ui-next"));
    assert!(sees(&app, &t.tr("ui-heir-nik-question")));
}

/// Writes PNGs of this part's screens to `$LOOK_DIR` for a person to look at (run with `--ignored`).
#[test]
#[ignore = "writes PNG files for review; run by hand"]
fn write_pngs_of_the_ways_back_for_review() {
    let Ok(dir) = std::env::var("LOOK_DIR") else {
        return;
    };
    let save = |app: &App, name: &str| {
        let snapshot = simulator(app)
            .snapshot(&lapak_kiosk::ui::theme::kiosk())
            .unwrap();
        let _ = std::fs::remove_file(format!("{dir}/{name}-tiny-skia.png"));
        assert!(snapshot.matches_image(format!("{dir}/{name}")).unwrap());
    };
    let printer = printer_in(Paper::Out, PrinterState::PaperOut);
    let Kiosk {
        mut app,
        camera,
        control,
        _dir,
        ..
    } = kiosk_with_printer(Some(printer));
    let t = id();
    tap(&mut app, &t.tr("ui-home-start"));
    tap(&mut app, &t.tr("ui-consent-agree"));
    save(&app, "ways-whom");
    tap(&mut app, &t.tr("ui-ways-whom-deceased"));
    save(&app, "ways-deceased-nik");
    tap(&mut app, &t.tr("ui-back"));
    tap(&mut app, &t.tr("ui-ways-whom-self"));
    tap(&mut app, &t.tr("ui-back"));
    tap(&mut app, &t.tr("ui-back"));
    tap(&mut app, &t.tr("ui-consent-decline"));
    tap_through_resign(&mut app, &camera);
    save(&app, "ways-review");
    tap(&mut app, &t.tr("ui-cancel"));
    save(&app, "ways-cancel");
    tap(&mut app, &t.tr("ui-ways-cancel-no"));
    tap(&mut app, &t.tr("ui-review-submit"));
    save(&app, "ways-saved-not-printed");
    tap(&mut app, &t.tr("ui-finish"));
    to_reason(&mut app);
    save(&app, "ways-reason-list");
    tap(&mut app, &t.message(&lapak_kiosk::claim::Reason::Resign));
    pick_date(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    answer_contact_and_bank(&mut app, "BNI");
    control.fail();
    let mut feeds = Feeds::new();
    let lost = t.tr("ui-camera-lost");
    assert!(wait_until(&mut app, &mut feeds, |app| sees(app, &lost)));
    save(&app, "ways-camera-lost");
    control.resume();
}
