//! Every message id the screens use exists in both languages (a missing translation fails here, not on a
//! participant's screen).

use crate::i18n::{Language, Translator};

/// The sources of every screen and widget, scanned for the message ids they use.
const SOURCES: [&str; 27] = [
    include_str!("mod.rs"),
    include_str!("check.rs"),
    include_str!("chrome.rs"),
    include_str!("screen.rs"),
    include_str!("screen/home.rs"),
    include_str!("screen/consent.rs"),
    include_str!("screen/identity.rs"),
    include_str!("screen/reason.rs"),
    include_str!("screen/contact.rs"),
    include_str!("screen/bank.rs"),
    include_str!("screen/documents.rs"),
    include_str!("screen/review.rs"),
    include_str!("screen/saved.rs"),
    include_str!("screen/status.rs"),
    include_str!("screen/maintenance.rs"),
    include_str!("screen/maintenance/health.rs"),
    include_str!("screen/maintenance/tools.rs"),
    include_str!("submit.rs"),
    include_str!("receipt.rs"),
    include_str!("context.rs"),
    include_str!("widget/keypad.rs"),
    include_str!("widget/keyboard.rs"),
    include_str!("screen/cancel.rs"),
    include_str!("screen/documents/view.rs"),
    include_str!("help.rs"),
    include_str!("help/slip.rs"),
    include_str!("help/view.rs"),
];

fn ids_in_sources() -> Vec<String> {
    let mut ids = Vec::new();
    for source in SOURCES {
        for piece in source.split('"').skip(1).step_by(2) {
            let is_id = piece.starts_with("ui-")
                && piece.len() > 3
                && piece
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if is_id && !ids.iter().any(|id| id == piece) {
                ids.push(piece.to_owned());
            }
        }
    }
    ids
}

#[test]
fn every_screen_text_exists_in_both_languages() {
    let ids = ids_in_sources();
    assert!(ids.len() > 50, "found only {} ids", ids.len());
    for language in Language::ALL {
        let t = Translator::new(language);
        let missing: Vec<&String> = ids.iter().filter(|id| !t.has_message(id)).collect();
        assert!(
            missing.is_empty(),
            "{}: missing {missing:?}",
            language.code()
        );
    }
}
