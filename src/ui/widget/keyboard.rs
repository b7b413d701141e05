//! The on-screen letter keyboard (names, e-mail, bank holder, staff's export folder), with common given
//! names suggested while a name is typed (in places of their own, so no key moves when they appear).

use iced::widget::{column, container, row};
use iced::{Element, Fill, FillPortion};

use super::Key;
use super::keypad::sized_key_button;
use crate::i18n::Translator;
use crate::ui::theme;

pub mod names;

/// The letter rows, in the QWERTY order people know from phones.
const ROWS: [&str; 3] = ["QWERTYUIOP", "ASDFGHJKL'", "ZXCVBNM.-"];
/// The extra row for e-mail addresses.
const EMAIL_ROW: &str = "1234567890@_";
/// The extra row for folder paths.
const PATH_ROW: &str = "1234567890/_";

/// Which characters the keyboard offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Letters and the punctuation names use.
    Name,
    /// Letters, digits and the characters of an e-mail address.
    Email,
    /// Letters, digits and the characters of a folder path.
    Path,
}

/// The share of the row each erase key beside the last letter row of the e-mail keyboard takes, in letter
/// keys: four letters wide holds "Hapus semua" on one line and leaves the nine keys beside it over 64 px.
const ACTION_KEY_SHARE: u16 = 4;

/// Space between keys.
const KEY_GAP: f32 = 8.0;

/// A letter keyboard with erase keys and, where spaces are allowed, a space bar.
///
/// The e-mail keyboard has no space bar (an address has no spaces), so its erase keys sit at the end of the
/// last letter row: four rows of keys, which fit under a question and its field on an 800-pixel-high screen.
pub fn keyboard<'a, M: Clone + 'a>(
    layout: Layout,
    on_key: impl Fn(Key) -> M,
    t: &Translator,
) -> Element<'a, M> {
    keyboard_for(layout, on_key, t, "")
}

/// A letter keyboard as [`keyboard`] for the text `typed` so far: on the name keyboard, up to three common
/// given names that start with the word being typed sit before the erase keys and the space bar (the same
/// four rows, so the page's height does not change as they come and go).
pub fn keyboard_for<'a, M: Clone + 'a>(
    layout: Layout,
    on_key: impl Fn(Key) -> M,
    t: &Translator,
    typed: &str,
) -> Element<'a, M> {
    let space_label = t.tr("ui-key-space");
    let erase_label = t.tr("ui-key-erase");
    let clear_label = t.tr("ui-key-clear");
    let keys = |keys: &str| -> Vec<Element<'a, M>> {
        keys.chars()
            .map(|c| sized_key_button(c.to_string(), on_key(Key::Char(c)), true, theme::TOUCH))
            .collect()
    };
    let action = |label: String, key: Key| {
        container(sized_key_button(label, on_key(key), false, theme::TOUCH))
            .width(FillPortion(ACTION_KEY_SHARE))
            .into()
    };
    let mut rows: Vec<Vec<Element<'a, M>>> = Vec::new();
    match layout {
        Layout::Name => {}
        Layout::Email => rows.push(keys(EMAIL_ROW)),
        Layout::Path => rows.push(keys(PATH_ROW)),
    }
    rows.extend(ROWS.iter().map(|row| keys(row)));
    if layout == Layout::Email {
        if let Some(last) = rows.last_mut() {
            last.push(action(clear_label, Key::Clear));
            last.push(action(erase_label, Key::Erase));
        }
    } else {
        // On the name keyboard the suggestions have places of their own, kept empty while there are none,
        // so "Hapus semua", "Spasi" and "Hapus" never move under a finger when names are offered.
        let mut last: Vec<Element<'a, M>> = Vec::new();
        if layout == Layout::Name {
            let suggested = names::suggestions(typed);
            for index in 0..names::MOST_SUGGESTIONS {
                last.push(match suggested.get(index) {
                    Some(name) => sized_key_button(
                        (*name).to_owned(),
                        on_key(Key::Suggestion(index)),
                        false,
                        theme::TOUCH,
                    ),
                    None => iced::widget::space::horizontal().into(),
                });
            }
        }
        last.extend([
            sized_key_button(clear_label, on_key(Key::Clear), false, theme::TOUCH),
            sized_key_button(space_label, on_key(Key::Space), false, theme::TOUCH),
            sized_key_button(erase_label, on_key(Key::Erase), false, theme::TOUCH),
        ]);
        rows.push(last);
    }
    column(
        rows.into_iter()
            .map(|keys| row(keys).spacing(KEY_GAP).into()),
    )
    .spacing(KEY_GAP)
    .width(Fill)
    .into()
}
