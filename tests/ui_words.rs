//! Plain words: the body text of every screen a resign claim passes (and of every step of the screens that
//! ask more than one thing), in both languages, is at most 25 words; the reason choices carry their
//! pictograms; a button that cannot be pressed yet carries a mark.
//!
//! Body text is every text on the page under the header that does nothing when tapped: the question, its
//! help lines, the answers shown back, notices. What can be tapped (buttons, choices, keypad and keyboard
//! keys) is not counted, nor what the participant typed. A word is a run of characters between spaces with
//! at least one letter in it (numbers such as a claim number are read as digits, not as words).
//!
//! Three pages are read, not answered, and are counted but not held to the limit: the review, which reads the
//! participant's answers back one line each, the consent's full text, shown only on "Baca selengkapnya", and the
//! checklist of the reason's documents before the first photo (one line per document, each beside its picture).
#![cfg(feature = "ui")]
// Helpers here are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
mod journey;

use std::sync::{Arc, Mutex};

use iced::Rectangle;
use iced_test::selector::Candidate;
use journey::*;
use lapak_kiosk::claim::Reason;
use lapak_kiosk::i18n::{Language, Translator};
use lapak_kiosk::ui::screen::{CURSOR, NOT_YET, Screen, Target};
use lapak_kiosk::ui::{App, Message, pictogram, theme};

/// The most body-text words a screen may show.
const MOST_WORDS: usize = 25;
/// The pages read rather than answered: counted, not held to [`MOST_WORDS`].
const READ_PAGES: [&str; 3] = ["consent: full text", "documents: checklist", "review"];

/// Every text on the current screen with its bounds.
fn texts(app: &App) -> Vec<(String, Rectangle)> {
    let found = Arc::new(Mutex::new(Vec::new()));
    let collect = Arc::clone(&found);
    // The selector never matches, so it visits the whole tree.
    let _ = simulator(app).find(move |candidate: Candidate<'_>| -> Option<()> {
        if let Candidate::Text {
            content, bounds, ..
        } = candidate
        {
            collect.lock().unwrap().push((content.to_owned(), bounds));
        }
        None
    });
    // The selector (and its handle on the list) is gone once the search is over.
    Arc::try_unwrap(found).unwrap().into_inner().unwrap()
}

/// Whether tapping the text does something (a button's or a key's label).
fn tappable(app: &App, content: &str) -> bool {
    let mut ui = simulator(app);
    ui.click(content).is_ok() && ui.into_messages().next().is_some()
}

fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|word| word.chars().any(char::is_alphabetic))
        .count()
}

/// The body text of the current screen: below the header, not tappable, not typed, not the label of a
/// button that cannot be pressed yet (the one right of a [`NOT_YET`] mark).
fn body_text(app: &App) -> Vec<String> {
    let texts = texts(app);
    let marks: Vec<Rectangle> = texts
        .iter()
        .filter(|(content, _)| content == NOT_YET)
        .map(|(_, bounds)| *bounds)
        .collect();
    let disabled_label = |bounds: &Rectangle| {
        marks.iter().any(|mark| {
            bounds.x > mark.x
                && bounds.x - (mark.x + mark.width) < 40.0
                && mark.center_y() > bounds.y
                && mark.center_y() < bounds.y + bounds.height
        })
    };
    texts
        .iter()
        .filter(|(content, bounds)| {
            bounds.y > theme::TOUCH + 24.0
                && content != NOT_YET
                && !content.contains(CURSOR)
                && !disabled_label(bounds)
        })
        .map(|(content, _)| content.clone())
        .filter(|content| !tappable(app, content))
        .collect()
}

/// One row of the table: a screen (or step) and its body words in Bahasa Indonesia and in English.
#[derive(Debug)]
struct Row {
    screen: String,
    id: usize,
    en: usize,
    id_text: Vec<String>,
    en_text: Vec<String>,
}

/// Counts the current screen in both languages (switching the language does not change the screen) and
/// returns to Bahasa Indonesia.
fn count(app: &mut App, screen: &str, table: &mut Vec<Row>) {
    let id_text = body_text(app);
    send(app, Message::LanguageSelected(Language::En));
    let en_text = body_text(app);
    send(app, Message::LanguageSelected(Language::Id));
    table.push(Row {
        screen: screen.to_owned(),
        id: id_text.iter().map(|text| words(text)).sum(),
        en: en_text.iter().map(|text| words(text)).sum(),
        id_text,
        en_text,
    });
}

/// Walks a resign claim from home to the saved screen, then the status check, counting every screen and
/// step on the way.
fn count_the_resign_journey() -> Vec<Row> {
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = kiosk();
    let app = &mut app;
    let t = id();
    let mut table = Vec::new();
    count(app, "home", &mut table);
    tap(app, &t.tr("ui-home-start"));
    count(app, "consent", &mut table);
    tap(app, &t.tr("ui-consent-read-all"));
    count(app, "consent: full text", &mut table);
    tap(app, &t.tr("ui-consent-agree"));
    count(app, "identity: whom", &mut table);
    tap(app, &t.tr("ui-ways-whom-self"));
    count(app, "identity: NIK", &mut table);
    type_keys(app, NIK);
    tap(app, &t.tr("ui-next"));
    count(app, "identity: is this right?", &mut table);
    tap(app, &t.tr("ui-yes-correct"));
    count(app, "identity: KPJ", &mut table);
    type_keys(app, KPJ);
    tap(app, &t.tr("ui-next"));
    count(app, "identity: name", &mut table);
    type_keys(app, "SITI");
    tap(app, &t.tr("ui-next"));
    count(app, "identity: mother's name", &mut table);
    type_mother(app);
    tap(app, &t.tr("ui-next"));
    count(app, "reason: choose", &mut table);
    tap(app, &t.message(&Reason::Resign));
    count(app, "reason: month", &mut table);
    pick_month(app, "01082026");
    count(app, "reason: day", &mut table);
    pick_day(app, "01082026");
    count(app, "reason: can claim", &mut table);
    tap(app, &t.tr("ui-next"));
    count(app, "contact: phone", &mut table);
    type_keys(app, "1234567890");
    // The e-mail is asked only on request.
    tap(app, &t.tr("ui-contact-add-email"));
    count(app, "contact: e-mail", &mut table);
    tap(app, &t.tr("ui-contact-no-email"));
    count(app, "contact: balance", &mut table);
    tap(app, &t.tr("ui-balance-not-above"));
    count(app, "bank: choose", &mut table);
    tap(app, "BCA");
    count(app, "bank: account number", &mut table);
    type_keys(app, "1234567890");
    // The holder is shown under the number; its own page only on "Ubah nama".
    tap(app, &t.tr("ui-bank-holder-change"));
    count(app, "bank: account holder", &mut table);
    tap(app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Documents);
    count(app, "documents: checklist", &mut table);
    start_photos(app);
    count(app, "documents: first photo", &mut table);
    photograph_documents(app, &camera);
    assert_eq!(app.screen().target(), Target::Review);
    count(app, "review", &mut table);
    tap(app, &t.tr("ui-review-submit"));
    assert!(matches!(app.screen(), Screen::Saved(_)));
    count(app, "saved", &mut table);
    tap(app, &t.tr("ui-finish"));
    tap(app, &t.tr("ui-home-status"));
    count(app, "status: claim number", &mut table);
    table
}

fn markdown(table: &[Row]) -> String {
    let mut out = String::from("| screen | words (id) | words (en) |\n| --- | ---: | ---: |\n");
    for row in table {
        let read = if READ_PAGES.contains(&row.screen.as_str()) {
            " (read, not held to 25)"
        } else {
            ""
        };
        out.push_str(&format!(
            "| {}{read} | {} | {} |\n",
            row.screen, row.id, row.en
        ));
    }
    out
}

#[test]
fn every_screen_of_a_resign_claim_has_at_most_25_body_words_in_both_languages() {
    let table = count_the_resign_journey();
    println!("{}", markdown(&table));
    for row in &table {
        println!("{}: {:?} / {:?}", row.screen, row.id_text, row.en_text);
    }
    assert!(table.len() >= 20, "{table:?}");
    for row in &table {
        assert!(row.id > 0 && row.en > 0, "{row:?}: nothing counted");
        if READ_PAGES.contains(&row.screen.as_str()) {
            continue;
        }
        assert!(
            row.id <= MOST_WORDS && row.en <= MOST_WORDS,
            "{}: {} words in Bahasa Indonesia, {} in English (at most {MOST_WORDS}):\n{:?}\n{:?}",
            row.screen,
            row.id,
            row.en,
            row.id_text,
            row.en_text
        );
    }
}

/// Walks the identity screen of a kiosk that reads the cards: each card's photo (the live picture shown) and
/// what was read from it, counting each step.
#[cfg(feature = "reading")]
fn count_the_read_cards() -> Vec<Row> {
    use lapak_kiosk::ui::headless::Feeds;
    use lapak_kiosk::ui::screen::identity::Step;
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = kiosk_tuned(None, settings(None), |devices| devices.read_cards = true);
    let app = &mut app;
    let t = id();
    let mut table = Vec::new();
    let mut feeds = Feeds::new();
    to_identity(app);
    for (card, read) in [
        ("identity: e-KTP photo", "identity: e-KTP read"),
        ("identity: KPJ card photo", "identity: KPJ card read"),
    ] {
        // The simulated camera draws the demo card first: slow in a debug build on a busy machine.
        let live = headless()
            .wait_for(
                &mut feeds,
                app,
                |app| card_photo(app).is_some_and(|photo| photo.shows_picture()),
                std::time::Duration::from_secs(60),
            )
            .unwrap();
        assert!(live, "{card}: no live picture");
        count(app, card, &mut table);
        photograph_card(app, &mut feeds, Some(&camera));
        assert!(
            matches!(identity_step(app), Some(Step::EktpRead | Step::KpjRead)),
            "{read}: {:?}",
            identity_step(app)
        );
        count(app, read, &mut table);
        tap(app, &t.tr("ui-reading-right"));
    }
    assert_eq!(identity_step(app), Some(Step::Mother));
    table
}

#[test]
#[cfg(feature = "reading")]
fn the_card_photos_and_what_was_read_have_at_most_25_body_words_in_both_languages() {
    let table = count_the_read_cards();
    println!("{}", markdown(&table));
    for row in &table {
        println!("{}: {:?} / {:?}", row.screen, row.id_text, row.en_text);
    }
    assert_eq!(table.len(), 4, "{table:?}");
    for row in &table {
        assert!(row.id > 0 && row.en > 0, "{row:?}: nothing counted");
        assert!(
            row.id <= MOST_WORDS && row.en <= MOST_WORDS,
            "{}: {} words in Bahasa Indonesia, {} in English (at most {MOST_WORDS}):\n{:?}\n{:?}",
            row.screen,
            row.id,
            row.en,
            row.id_text,
            row.en_text
        );
    }
}

#[test]
fn body_words_exclude_buttons_and_keys_but_count_questions() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    to_identity(&mut app);
    let t = id();
    let body = body_text(&app);
    assert!(body.contains(&t.tr("ui-identity-nik-question")), "{body:?}");
    for label in ["1", "0", &t.tr("ui-next"), &t.tr("ui-key-erase")] {
        assert!(
            !body.iter().any(|text| text == label),
            "{label} in {body:?}"
        );
    }
    assert_eq!(words("NIK ada di e-KTP, 16 angka."), 5);
    assert_eq!(words("Rp50 juta ·"), 2);
    assert_eq!(words("0004 200 000 016"), 0);
}

#[test]
fn consent_shows_three_short_lines_and_the_full_text_one_tap_away() {
    let settings = lapak_kiosk::ui::UiSettings {
        retention_days: 5,
        ..settings(None)
    };
    let Kiosk { mut app, _dir, .. } = kiosk_with_settings(None, settings);
    for language in [Language::Id, Language::En] {
        send(&mut app, Message::LanguageSelected(language));
        let t = Translator::new(language);
        tap(&mut app, &t.tr("ui-home-start"));
        let short = t.tr_args("ui-consent-short-keep", &[("days", 5u32.into())]);
        assert!(short.contains(" 5 "), "{short}");
        assert!(sees(&app, &short), "{language:?}: {short}");
        let full = t.tr_args("ui-consent-keep", &[("days", 5u32.into())]);
        assert!(!sees(&app, &full));
        tap(&mut app, &t.tr("ui-consent-read-all"));
        assert!(matches!(app.screen(), Screen::Consent(consent) if consent.shows_full_text()));
        assert!(sees(&app, &full), "{language:?}: {full}");
        assert!(sees(&app, &t.tr("ui-consent-why")));
        // Agreeing from the full text goes on as from the short one.
        assert!(sees(&app, &t.tr("ui-consent-agree")));
        tap(&mut app, &t.tr("ui-consent-decline"));
        assert_eq!(app.screen().target(), Target::Home);
    }
}

#[test]
fn every_reason_button_carries_its_pictogram_beside_its_words() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    to_reason(&mut app);
    let t = id();
    let texts = texts(&app);
    // A death claim is chosen before the list ("Keluarga yang meninggal"), so the list holds every other reason.
    for reason in Reason::ALL
        .into_iter()
        .filter(|reason| *reason != Reason::Death)
    {
        let words = t.message(&reason);
        let glyph = pictogram::for_reason(reason);
        let (_, label) = texts
            .iter()
            .find(|(content, _)| *content == words)
            .unwrap_or_else(|| panic!("{reason:?}: no button {words:?}"));
        let beside = texts.iter().any(|(content, bounds)| {
            content == glyph
                && bounds.x < label.x
                && label.x - (bounds.x + bounds.width) < 40.0
                && bounds.center_y() > label.y
                && bounds.center_y() < label.y + label.height
        });
        assert!(beside, "{reason:?}: no {glyph} beside {words:?}");
        // Tapping the pictogram chooses the reason too: it is part of the button.
        let mut ui = simulator(&app);
        ui.click(glyph).unwrap();
        assert!(ui.into_messages().next().is_some(), "{reason:?}: {glyph}");
    }
}

#[test]
fn next_carries_the_not_yet_mark_until_the_answer_is_complete() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    to_identity(&mut app);
    let t = id();
    assert!(sees(&app, NOT_YET), "an empty NIK can be sent on");
    type_keys(&mut app, NIK);
    assert!(!sees(&app, NOT_YET), "a complete NIK still shows the mark");
    tap(&mut app, &t.tr("ui-next"));
    assert_eq!(app.screen().target(), Target::Identity);
}

#[test]
fn a_rejected_claim_shows_the_officers_reason_in_both_languages() {
    use lapak_kiosk::i18n::MessageArg;
    use lapak_kiosk::sync::api::ClaimStatus;
    use lapak_kiosk::sync::status::StatusAnswer;
    let reason = "Nama pemilik rekening berbeda dengan e-KTP";
    let answer = |reason: Option<&str>| {
        Ok(StatusAnswer::Central {
            status: ClaimStatus::Rejected,
            changed_at: chrono::Utc::now(),
            reason: reason.map(str::to_owned),
        })
    };
    for language in [Language::Id, Language::En] {
        let t = Translator::new(language);
        let zone = lapak_kiosk::config::KioskTimeZone::Wib;
        let said = t.tr_args(
            "ui-status-officer-reason",
            &[("reason", MessageArg::Text(reason.to_owned()))],
        );
        let shown = lapak_kiosk::ui::status_text(&t, answer(Some(reason)), zone);
        assert!(shown.ends_with(&said), "{language:?}: {shown}");
        let plain = lapak_kiosk::ui::status_text(&t, answer(None), zone);
        assert!(!plain.contains(&said) && !plain.contains('\n'), "{plain}");
        let blank = lapak_kiosk::ui::status_text(&t, answer(Some("  ")), zone);
        assert_eq!(blank, plain);
    }
}

#[test]
fn english_review_names_the_account_holder_without_indonesian_abbreviations() {
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = kiosk();
    tap_through_resign(&mut app, &camera);
    assert!(sees(&app, "BCA 1234567890 a.n. SITI AMINAH"));
    send(&mut app, Message::LanguageSelected(Language::En));
    assert!(sees(&app, "BCA 1234567890 in the name of SITI AMINAH"));
    assert!(!texts(&app).iter().any(|(text, _)| text.contains("a.n.")));
}

#[test]
fn a_partial_claim_says_only_one_partial_claim_is_ever_possible() {
    let Kiosk { mut app, _dir, .. } = kiosk();
    to_reason(&mut app);
    let t = id();
    let note = t.tr("note-only-one-partial-claim");
    for (reason, shown) in [
        (Reason::Partial10, true),
        (Reason::Partial30, true),
        (Reason::Resign, false),
    ] {
        tap(&mut app, &t.message(&reason));
        // The resignation's date is picked among recent months: an older one is typed.
        if sees(&app, &t.tr("ui-date-type")) {
            tap(&mut app, &t.tr("ui-date-type"));
        }
        type_keys(&mut app, "01012010");
        tap(&mut app, &t.tr("ui-next"));
        assert!(
            sees(&app, &t.tr("ui-reason-eligible")),
            "{reason:?}: {:?}",
            texts(&app)
        );
        assert_eq!(sees(&app, &note), shown, "{reason:?}");
        // Back to the list of reasons (the answer, then the date).
        for _ in 0..2 {
            if !sees(&app, &t.tr("ui-reason-question")) {
                tap(&mut app, &t.tr("ui-back"));
            }
        }
        assert!(sees(&app, &t.tr("ui-reason-question")), "{reason:?}");
    }
}
