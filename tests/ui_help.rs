//! Nobody is stranded: "Minta bantuan" over every screen, the way out of each question a participant cannot
//! answer now (its printed slip, and home only on their own tap), and the checklist of documents before the
//! first photo. Driven headless through iced_test on the real widgets, printing to the simulated printer.
#![cfg(feature = "ui")]
// Helpers here are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
mod journey;

use std::sync::Arc;

use journey::*;
use lapak_kiosk::claim::{DocumentKind, Reason};
use lapak_kiosk::config::help::HelpSection;
use lapak_kiosk::i18n::{Language, Translatable, Translator};
use lapak_kiosk::printer::simulator::Paper;
use lapak_kiosk::printer::{PrinterConfig, PrinterEvent, PrinterHandle, PrinterState};
use lapak_kiosk::ui::draft::Draft;
use lapak_kiosk::ui::help::{DeadEnd, Panel};
use lapak_kiosk::ui::screen::{Screen, Target};
use lapak_kiosk::ui::{App, Message};

/// The office of these tests: a landline, a WhatsApp number and Monday-to-Saturday hours.
fn office() -> HelpSection {
    HelpSection {
        phone: "021-5551234".to_owned(),
        whatsapp: "0812 3456 7890".to_owned(),
        open_days: "mon-sat".to_owned(),
        opens: "07:30".to_owned(),
        closes: "15:00".to_owned(),
    }
}

/// A kiosk for `office()`, printing on `printer`.
fn office_kiosk(printer: Option<Arc<PrinterHandle>>) -> Kiosk {
    kiosk_tuned(printer, settings(None), |devices| devices.help = office())
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

/// Waits (at most 10 s) until the printer worker says the job it was given is printed; the printouts then.
fn printed(
    printer: &PrinterHandle,
    events: &std::sync::mpsc::Receiver<PrinterEvent>,
) -> Vec<String> {
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
    printer.simulator().unwrap().printouts()
}

/// Everything the screen holds (its step, what is typed, its photos) and the draft, to compare before and after.
fn state(app: &App) -> (String, Draft) {
    (format!("{:?}", app.screen()), app.draft().clone())
}

/// Opens help, checks it shows over the screen, closes it and checks the screen and the answers are as they
/// were.
fn help_and_back(app: &mut App, t: &Translator) {
    let before = state(app);
    let under = app.panel().map(|panel| format!("{panel:?}"));
    tap(app, &lapak_kiosk::ui::help::button_label(t));
    assert!(
        matches!(app.panel(), Some(Panel::Help { .. })),
        "help did not open over {:?}",
        app.screen().target()
    );
    assert!(sees(app, &t.tr("ui-help-title")));
    tap(app, &t.tr("ui-help-close"));
    assert_eq!(
        state(app),
        before,
        "closing help changed the screen or the answers"
    );
    assert_eq!(app.panel().map(|panel| format!("{panel:?}")), under);
}

#[test]
fn help_opens_from_every_participant_screen_and_closing_returns_to_the_same_question_with_the_answers()
 {
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = office_kiosk(None);
    let t = id();
    let mut visited = Vec::new();
    let mut visit = |app: &mut App| {
        help_and_back(app, &t);
        visited.push(app.screen().target());
    };
    visit(&mut app);
    tap(&mut app, &t.tr("ui-home-start"));
    visit(&mut app);
    tap(&mut app, &t.tr("ui-consent-agree"));
    visit(&mut app);
    tap(&mut app, &t.tr("ui-ways-whom-self"));
    // Half a NIK typed: it is still there after help.
    type_keys(&mut app, &NIK[..9]);
    visit(&mut app);
    type_keys(&mut app, &NIK[9..]);
    tap(&mut app, &t.tr("ui-next"));
    visit(&mut app);
    tap(&mut app, &t.tr("ui-yes-correct"));
    type_keys(&mut app, &KPJ[..4]);
    visit(&mut app);
    type_keys(&mut app, &KPJ[4..]);
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, "SITI");
    visit(&mut app);
    tap(&mut app, &t.tr("ui-key-space"));
    type_keys(&mut app, "AMINAH");
    tap(&mut app, &t.tr("ui-next"));
    type_mother(&mut app);
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.message(&Reason::Resign));
    pick_month(&mut app, "01082026");
    visit(&mut app);
    pick_day(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    // "08" is in the field already.
    type_keys(&mut app, "12");
    visit(&mut app);
    type_keys(&mut app, "34567890");
    tap(&mut app, &t.tr("ui-next"));
    visit(&mut app);
    tap(&mut app, &t.tr("ui-balance-not-above"));
    visit(&mut app);
    tap(&mut app, "BCA");
    type_keys(&mut app, "12345");
    visit(&mut app);
    type_keys(&mut app, "67890");
    tap(&mut app, &t.tr("ui-next"));
    // Help over the checklist returns to the checklist.
    visit(&mut app);
    start_photos(&mut app);
    visit(&mut app);
    photograph_documents(&mut app, &camera);
    assert_eq!(app.screen().target(), Target::Review);
    visit(&mut app);
    tap(&mut app, &t.tr("ui-review-submit"));
    assert!(matches!(app.screen(), Screen::Saved(_)));
    help_and_back(&mut app, &t);
    assert_eq!(
        visited,
        [
            Target::Home,
            Target::Consent,
            Target::Identity,
            Target::Identity,
            Target::Identity,
            Target::Identity,
            Target::Identity,
            Target::Reason,
            Target::Contact,
            Target::Contact,
            Target::Bank,
            Target::Bank,
            Target::Documents,
            Target::Documents,
            Target::Review,
        ]
    );
    // The status check is a participant screen too.
    tap(&mut app, &t.tr("ui-finish"));
    tap(&mut app, &t.tr("ui-home-status"));
    assert_eq!(app.screen().target(), Target::Status);
    help_and_back(&mut app, &t);
}

#[test]
fn the_help_panel_shows_the_configured_numbers_and_hours_the_national_line_and_a_whatsapp_qr_code()
{
    let Kiosk { mut app, _dir, .. } = office_kiosk(None);
    let t = id();
    tap(&mut app, &lapak_kiosk::ui::help::button_label(&t));
    assert!(sees(&app, "Telepon kantor: 021-5551234"));
    assert!(sees(&app, "WhatsApp kantor: 081234567890"));
    assert!(sees(
        &app,
        "Buka Senin sampai Sabtu, pukul 07.30 sampai 15.00"
    ));
    assert!(sees(
        &app,
        "BPJS Ketenagakerjaan, seluruh Indonesia: telepon 175"
    ));
    let panel = app.panel().unwrap();
    assert_eq!(panel.qr_link(), Some(("https://wa.me/6281234567890", true)));
    // The same panel in English.
    tap(&mut app, &t.tr("ui-language-en"));
    let en = Translator::new(Language::En);
    assert!(matches!(app.panel(), Some(Panel::Help { .. })));
    assert!(sees(&app, "Open Monday to Saturday, 07.30 to 15.00"));
    assert!(sees(&app, "Office WhatsApp: 081234567890"));
    tap(&mut app, &en.tr("ui-help-close"));
    assert!(app.panel().is_none());
    assert_eq!(app.screen().target(), Target::Home);
}

#[test]
fn without_office_numbers_help_shows_the_national_line_and_its_qr_code_calls_175() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    tap(&mut app, &lapak_kiosk::ui::help::button_label(&t));
    assert!(!sees(&app, "Telepon kantor: "));
    assert!(sees(
        &app,
        "Buka Senin sampai Jumat, pukul 08.00 sampai 16.00"
    ));
    assert_eq!(app.panel().unwrap().qr_link(), Some(("tel:175", true)));
}

#[test]
fn print_on_help_prints_a_slip_with_the_office_numbers_and_a_printer_that_cannot_says_so() {
    let printer = printer_in(Paper::Ok, PrinterState::Ready);
    let events = printer.subscribe();
    let Kiosk { mut app, _dir, .. } = office_kiosk(Some(Arc::clone(&printer)));
    let t = id();
    tap(&mut app, &lapak_kiosk::ui::help::button_label(&t));
    tap(&mut app, &t.tr("ui-help-print"));
    assert!(sees(&app, &t.tr("ui-slip-printing")));
    let printouts = printed(&printer, &events);
    assert_eq!(printouts.len(), 1);
    let slip = &printouts[0];
    for expected in ["Minta bantuan", "021-5551234", "081234567890", "175"] {
        assert!(slip.contains(expected), "{expected:?} missing from {slip}");
    }

    let empty = printer_in(Paper::Out, PrinterState::PaperOut);
    let Kiosk { mut app, _dir, .. } = office_kiosk(Some(Arc::clone(&empty)));
    tap(&mut app, &lapak_kiosk::ui::help::button_label(&t));
    tap(&mut app, &t.tr("ui-help-print"));
    assert!(sees(&app, &t.tr("ui-help-slip-not-printed")));
    assert!(empty.simulator().unwrap().printouts().is_empty());
}

/// Takes the way out `end` with its button, checks its advice, prints its slip (checking the title, a
/// word of the advice and the office's number are on it), and goes back to the same question.
fn way_out_and_back(
    app: &mut App,
    printer: &PrinterHandle,
    events: &std::sync::mpsc::Receiver<PrinterEvent>,
    end: DeadEnd,
    advice_word: &str,
) {
    let t = id();
    let before = state(app);
    let (button, title, advice) = end.ids();
    tap(app, &t.tr(button));
    assert_eq!(app.panel().and_then(Panel::dead_end), Some(end));
    assert!(sees(app, &t.tr(title)));
    assert!(
        sees(app, &t.tr(advice)),
        "{end:?}: the advice is not on screen"
    );
    assert!(sees(app, &t.tr("ui-wayout-not-kept")));
    let earlier = printer.simulator().unwrap().printouts().len();
    tap(app, &t.tr("ui-help-print"));
    let printouts = printed(printer, events);
    assert_eq!(printouts.len(), earlier + 1);
    let slip = printouts.last().unwrap();
    for expected in [t.tr(title).as_str(), advice_word, "081234567890"] {
        assert!(
            slip.contains(expected),
            "{end:?}: {expected:?} missing from {slip}"
        );
    }
    // The session waits for the participant: a minute of clock ticks does not end it.
    for _ in 0..60 {
        send(app, Message::Tick(now()));
    }
    assert_eq!(app.panel().and_then(Panel::dead_end), Some(end));
    tap(app, &t.tr("ui-wayout-back"));
    assert!(app.panel().is_none());
    assert_eq!(
        state(app),
        before,
        "{end:?}: the question or the answers changed"
    );
}

#[test]
fn each_dead_end_prints_its_advice_and_keeps_the_question_until_the_participant_chooses() {
    let printer = printer_in(Paper::Ok, PrinterState::Ready);
    let events = printer.subscribe();
    let Kiosk { mut app, _dir, .. } = office_kiosk(Some(Arc::clone(&printer)));
    let t = id();
    let out = |app: &mut App, end: DeadEnd, word: &str| {
        way_out_and_back(app, &printer, &events, end, word);
    };
    to_identity(&mut app);
    type_keys(&mut app, NIK);
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-yes-correct"));
    type_keys(&mut app, "123");
    out(&mut app, DeadEnd::NoKpj, "perusahaan");
    type_keys(&mut app, &KPJ[3..]);
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, "SITI");
    tap(&mut app, &t.tr("ui-key-space"));
    type_keys(&mut app, "AMINAH");
    tap(&mut app, &t.tr("ui-next"));
    type_mother(&mut app);
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.message(&Reason::Resign));
    pick_date(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    out(&mut app, DeadEnd::NoPhone, "keluarga");
    type_keys(&mut app, "1234567890");
    tap(&mut app, &t.tr("ui-next"));
    out(&mut app, DeadEnd::BalanceUnknown, "NPWP");
    tap(&mut app, &t.tr("ui-balance-not-above"));
    out(&mut app, DeadEnd::BankNotListed, "daftar");
    tap(&mut app, "BCA");
    out(&mut app, DeadEnd::AccountUnknown, "tabungan");
    type_keys(&mut app, "1234567890");
    tap(&mut app, &t.tr("ui-next"));
    start_photos(&mut app);
    let Screen::Documents(documents) = app.screen() else {
        panic!("not on the documents: {:?}", app.screen().target());
    };
    let first = documents.current().unwrap();
    let missing = DeadEnd::MissingDocument(Some(first));
    out(&mut app, missing, "e-KTP");
    // The slip names the missing document and lists every document of the claim.
    let slip = printer.simulator().unwrap().printouts().pop().unwrap();
    assert!(slip.contains("Belum ada:"), "{slip}");
    for kind in claim_context().rules.documents_for(Reason::Resign, false) {
        let name = t.tr(kind.message_id());
        let start: String = name.chars().take(12).collect();
        assert!(slip.contains(&start), "{kind:?} missing from {slip}");
    }

    // Stopping is the participant's own choice: the session ends and nothing is kept.
    tap(&mut app, &t.tr(missing.ids().0));
    assert_ne!(app.draft(), &Draft::default());
    tap(&mut app, &t.tr("ui-wayout-end"));
    assert_eq!(app.screen().target(), Target::Home);
    assert!(app.panel().is_none());
    assert_eq!(app.draft(), &Draft::default());
}

#[test]
fn the_checklist_shows_every_document_of_the_reason_before_the_first_photo() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    to_reason(&mut app);
    tap(&mut app, &t.message(&Reason::Resign));
    pick_date(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, "1234567890");
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-balance-not-above"));
    tap(&mut app, "BCA");
    type_keys(&mut app, "1234567890");
    tap(&mut app, &t.tr("ui-next"));
    let expected = claim_context().rules.documents_for(Reason::Resign, false);
    assert!(expected.len() >= 5, "{expected:?}");
    let Some(Panel::Checklist(kinds)) = app.panel() else {
        panic!("no checklist before the first photo: {:?}", app.panel());
    };
    assert_eq!(kinds, &expected);
    for kind in &expected {
        assert!(sees(&app, &t.tr(kind.message_id())), "{kind:?} not shown");
    }
    // Beneath it, the first photo is not taken yet.
    let Screen::Documents(documents) = app.screen() else {
        panic!("not on the documents: {:?}", app.screen().target());
    };
    assert_eq!(documents.current(), Some(expected[0]));
    assert!(app.draft().documents.is_empty());
    assert!(!sees(&app, &t.tr("ui-documents-capture")));
    // "Ada yang tidak saya punya" is the way out with every document to bring.
    tap(&mut app, &t.tr("ui-checklist-missing"));
    assert_eq!(
        app.panel().and_then(Panel::dead_end),
        Some(DeadEnd::MissingDocument(None))
    );
    assert!(sees(
        &app,
        &format!("- {}", t.tr(DocumentKind::Ektp.message_id()))
    ));
    tap(&mut app, &t.tr("ui-wayout-back"));
    assert!(app.panel().is_none());
    assert!(sees(&app, &t.tr("ui-documents-capture")));
}

#[test]
fn the_idle_clock_runs_under_the_help_panel_and_wipes_the_session() {
    let Kiosk { mut app, _dir, .. } = office_kiosk(None);
    let t = id();
    to_identity(&mut app);
    type_keys(&mut app, NIK);
    tap(&mut app, &lapak_kiosk::ui::help::button_label(&t));
    for _ in 0..(90 + 30 + 1) {
        send(&mut app, Message::Tick(now()));
    }
    assert_eq!(app.screen().target(), Target::Home);
    assert!(app.panel().is_none());
    assert_eq!(app.draft(), &Draft::default());
}

/// Writes PNGs of the help panel, the ways out and the checklist to `$LOOK_DIR` for a person to look at (run
/// with `--ignored`).
#[test]
#[ignore = "writes PNG files for review; run by hand"]
fn write_help_pngs_for_review() {
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
    let Kiosk { mut app, _dir, .. } = office_kiosk(None);
    let t = id();
    save(&app, "home");
    tap(&mut app, &lapak_kiosk::ui::help::button_label(&t));
    save(&app, "help");
    tap(&mut app, &t.tr("ui-help-close"));
    to_identity(&mut app);
    type_keys(&mut app, NIK);
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-yes-correct"));
    save(&app, "identity-kpj");
    tap(&mut app, &t.tr("ui-wayout-kpj"));
    save(&app, "wayout-kpj");
    tap(&mut app, &t.tr("ui-wayout-back"));
    type_keys(&mut app, KPJ);
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, "SITI");
    tap(&mut app, &t.tr("ui-next"));
    type_mother(&mut app);
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.message(&Reason::Resign));
    pick_date(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    save(&app, "contact-phone");
    type_keys(&mut app, "1234567890");
    tap(&mut app, &t.tr("ui-next"));
    save(&app, "contact-balance");
    tap(&mut app, &t.tr("ui-wayout-balance"));
    save(&app, "wayout-balance");
    tap(&mut app, &t.tr("ui-wayout-back"));
    tap(&mut app, &t.tr("ui-balance-not-above"));
    save(&app, "bank-choose");
    tap(&mut app, "BCA");
    save(&app, "bank-account");
    type_keys(&mut app, "1234567890");
    tap(&mut app, &t.tr("ui-next"));
    save(&app, "checklist");
    start_photos(&mut app);
    save(&app, "documents");
    tap(&mut app, &t.tr("ui-wayout-document"));
    save(&app, "wayout-document");
}

#[test]
fn no_photo_takes_itself_under_the_help_panel_and_the_camera_picks_up_when_it_closes() {
    let Kiosk { mut app, _dir, .. } = kiosk_tuned(None, settings(None), |devices| {
        devices.help = office();
        devices.quality.steady_ms = 400;
        devices.quality.countdown_seconds = 1;
    });
    let t = id();
    to_reason(&mut app);
    tap(&mut app, &t.message(&Reason::Resign));
    pick_date(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    answer_contact_and_bank(&mut app, "BCA");
    let taken = |app: &App| {
        matches!(app.screen(), Screen::Documents(documents)
            if documents.shot() == &lapak_kiosk::ui::screen::documents::Shot::Taken)
    };
    tap(&mut app, &lapak_kiosk::ui::help::button_label(&t));
    let mut feeds = lapak_kiosk::ui::headless::Feeds::new();
    // The simulated card is held steady in front of the camera all along: with the panel open, nothing for 4 s.
    let under_panel = headless()
        .wait_for(
            &mut feeds,
            &mut app,
            taken,
            std::time::Duration::from_secs(4),
        )
        .unwrap();
    assert!(!under_panel, "a photo took itself under the help panel");
    assert!(app.draft().documents.is_empty());
    tap(&mut app, &t.tr("ui-help-close"));
    assert!(
        wait_until(&mut app, &mut feeds, taken),
        "the photo did not take itself once help closed"
    );
}
