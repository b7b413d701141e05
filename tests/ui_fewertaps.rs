//! Fewer taps for the same claim: the resignation date picked in two taps with the answer beside the days,
//! "08" already in the phone field, the e-mail asked only on request, the account holder shown under the
//! account number, and a photo that took itself going on by itself after a short look. Each journey counts
//! its taps on the real widgets.
#![cfg(feature = "ui")]
#![allow(clippy::unwrap_used)]

mod common;
mod journey;

use chrono::NaiveDate;
use journey::*;
use lapak_kiosk::claim::Reason;
use lapak_kiosk::i18n::MessageArg;
use lapak_kiosk::ui::screen::{CURSOR, Screen, Target};

/// From home to the reason list, then "Berhenti bekerja".
fn to_resign_date(app: &mut lapak_kiosk::ui::App) {
    to_reason(app);
    tap(app, &id().message(&Reason::Resign));
}

#[test]
fn a_resignation_date_takes_a_month_a_day_and_lanjut_with_the_answer_beside_the_days() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    to_resign_date(&mut app);
    let from = taps();
    assert!(sees(&app, &t.tr("ui-date-month-help")));
    // The twelve recent months are offered, this one first; an older date can be typed.
    assert!(sees(&app, "November 2026"));
    assert!(sees(&app, "Desember 2025"));
    assert!(!sees(&app, "November 2025"));
    assert!(sees(&app, &t.tr("ui-date-type")));
    // Resigned on 30 October: not yet (a month's wait), said beside the grid of October, with the slip.
    pick_date(&mut app, "30102026");
    assert!(sees(&app, &t.tr("ui-reason-not-yet")));
    assert!(sees(&app, &t.tr("ui-reason-print-slip")));
    assert!(sees(&app, "31"), "the grid stays beside the answer");
    // Another day on the same grid: the 1st of October, over a month ago, may be claimed; "Lanjut" goes on.
    pick_day(&mut app, "01102026");
    assert!(sees(&app, &t.tr("ui-reason-eligible")));
    assert!(sees(
        &app,
        &format!(
            "{}: {}",
            t.tr("event-date-resign"),
            t.date(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap())
        )
    ));
    tap(&mut app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Contact);
    let details = app.draft().reason.clone().unwrap();
    assert_eq!(details.event_date, NaiveDate::from_ymd_opt(2026, 10, 1));
    // Month, day, day again, "Lanjut": a first choice right is three taps.
    assert_eq!(taps() - from, 4);
}

#[test]
fn a_date_older_than_the_months_offered_is_typed_after_ketik_tanggal_lain() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    to_resign_date(&mut app);
    tap(&mut app, &t.tr("ui-date-type"));
    assert!(sees(&app, &t.tr("ui-date-help")));
    type_keys(&mut app, "15032024");
    tap(&mut app, &t.tr("ui-next"));
    assert!(sees(&app, &t.tr("ui-reason-eligible")));
    tap(&mut app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Contact);
    assert_eq!(
        app.draft().reason.as_ref().unwrap().event_date,
        NaiveDate::from_ymd_opt(2024, 3, 15)
    );
}

#[test]
fn the_phone_starts_at_08_and_lanjut_goes_to_the_balance_with_no_email_question() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    to_resign_date(&mut app);
    pick_date(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    assert!(sees(&app, &format!("08{CURSOR}")));
    assert!(sees(&app, &t.tr("ui-contact-add-email")));
    let from = taps();
    type_keys(&mut app, "1234567890");
    tap(&mut app, &t.tr("ui-next"));
    assert!(sees(&app, &t.tr("ui-balance-question")));
    assert!(!sees(&app, &t.tr("ui-contact-email-question")));
    assert_eq!(taps() - from, 11);
    tap(&mut app, &t.tr("ui-balance-not-above"));
    assert_eq!(app.screen().target(), Target::Bank);
    assert_eq!(app.draft().fields.phone, "+6281234567890");
    assert_eq!(app.draft().fields.email, "");
}

#[test]
fn ubah_nama_under_the_account_number_changes_the_holder_recorded() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    to_resign_date(&mut app);
    pick_date(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    type_keys(&mut app, "1234567890");
    tap(&mut app, &t.tr("ui-next"));
    tap(&mut app, &t.tr("ui-balance-not-above"));
    tap(&mut app, "BCA");
    type_keys(&mut app, "1234567890");
    let holder = |name: &str| {
        t.tr_args(
            "ui-bank-holder-line",
            &[("holder", MessageArg::Text(name.to_owned()))],
        )
    };
    assert!(sees(&app, &holder("SITI AMINAH")));
    tap(&mut app, &t.tr("ui-bank-holder-change"));
    assert!(sees(&app, &t.tr("ui-bank-holder-help")));
    for _ in 0.."AMINAH".len() {
        tap(&mut app, &t.tr("ui-key-erase"));
    }
    type_keys(&mut app, "A");
    tap(&mut app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Documents);
    assert_eq!(app.draft().bank.as_ref().unwrap().holder, "SITI A");
}

#[test]
fn photos_that_take_themselves_say_their_short_words_and_go_on_with_no_tap() {
    let Kiosk {
        mut app,
        sound,
        _dir,
        ..
    } = kiosk_tuned(None, settings(None), |devices| {
        devices.quality.steady_ms = 400;
        devices.quality.countdown_seconds = 1;
    });
    let t = id();
    to_resign_date(&mut app);
    pick_date(&mut app, "01082026");
    tap(&mut app, &t.tr("ui-next"));
    answer_contact_and_bank(&mut app, "BCA");
    sound.clear();
    let before = taps();
    let taken = let_documents_photograph_themselves(&mut app);
    assert_eq!(taps(), before, "no tap from the first photo to the review");
    assert_eq!(app.screen().target(), Target::Review);
    assert_eq!(app.draft().documents.len(), taken.len());
    let spoken: Vec<String> = sound
        .spoken()
        .concat()
        .into_iter()
        .map(|clip| clip.id)
        .collect();
    // Each photo's short words, never the hand-taken photo's longer "tekan Pakai foto ini".
    let short = spoken
        .iter()
        .filter(|id| *id == "ui-documents-taken-auto")
        .count();
    assert_eq!(short, taken.len(), "{spoken:?}");
    assert!(!spoken.iter().any(|id| id == "ui-documents-taken"));
    // The next question follows each look.
    assert_eq!(
        spoken.last().map(String::as_str),
        Some("ui-review-question"),
        "{spoken:?}"
    );
    assert!(matches!(app.screen(), Screen::Review(_)));
}

/// Where each text of the screen is drawn, in the window's pixels.
fn text_bounds(app: &lapak_kiosk::ui::App) -> Vec<(String, iced::Rectangle)> {
    let found = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let collect = std::sync::Arc::clone(&found);
    // The selector never matches, so it visits the whole tree.
    let _ = simulator(app).find(
        move |candidate: iced_test::selector::Candidate<'_>| -> Option<()> {
            if let iced_test::selector::Candidate::Text {
                content, bounds, ..
            } = candidate
            {
                collect.lock().unwrap().push((content.to_owned(), bounds));
            }
            None
        },
    );
    std::sync::Arc::try_unwrap(found)
        .unwrap()
        .into_inner()
        .unwrap()
}

#[test]
fn name_suggestions_appear_without_moving_space_erase_or_clear() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    let t = id();
    to_identity(&mut app);
    type_nik_and_kpj(&mut app);
    let actions = [
        t.tr("ui-key-space"),
        t.tr("ui-key-erase"),
        t.tr("ui-key-clear"),
    ];
    let places = |app: &lapak_kiosk::ui::App| -> Vec<iced::Rectangle> {
        let texts = text_bounds(app);
        actions
            .iter()
            .map(|label| {
                texts
                    .iter()
                    .find(|(content, _)| content == label)
                    .map(|(_, bounds)| *bounds)
                    .unwrap_or_else(|| panic!("no {label} key on screen"))
            })
            .collect()
    };
    let before = places(&app);
    type_keys(&mut app, "SI");
    assert!(sees(&app, "SITI"), "no name offered after two letters");
    assert_eq!(places(&app), before, "a key moved when names were offered");
    // The suggestion is tapped where it is drawn, and the keys are still where they were after it.
    tap(&mut app, "SITI");
    assert_eq!(places(&app), before);
}
