//! The on-screen letter keyboard (names, e-mail, bank holder, staff's export folder).

use iced::widget::{column, row};
use iced::{Element, Fill};

use super::Key;
use super::keypad::sized_key_button;
use crate::i18n::Translator;
use crate::ui::theme;

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

/// A letter keyboard with a space bar and erase keys.
pub fn keyboard<'a, M: Clone + 'a>(
    layout: Layout,
    on_key: impl Fn(Key) -> M,
    t: &Translator,
) -> Element<'a, M> {
    let space_label = t.tr("ui-key-space");
    let erase_label = t.tr("ui-key-erase");
    let clear_label = t.tr("ui-key-clear");
    let letters = |keys: &str| {
        row(keys
            .chars()
            .map(|c| sized_key_button(c.to_string(), on_key(Key::Char(c)), true, theme::TOUCH)))
        .spacing(8)
        .into()
    };
    let mut rows: Vec<Element<'a, M>> = Vec::new();
    match layout {
        Layout::Name => {}
        Layout::Email => rows.push(letters(EMAIL_ROW)),
        Layout::Path => rows.push(letters(PATH_ROW)),
    }
    rows.extend(ROWS.iter().map(|keys| letters(keys)));
    rows.push(
        row![
            sized_key_button(clear_label, on_key(Key::Clear), false, theme::TOUCH),
            sized_key_button(space_label, on_key(Key::Space), false, theme::TOUCH),
            sized_key_button(erase_label, on_key(Key::Erase), false, theme::TOUCH),
        ]
        .spacing(8)
        .into(),
    );
    column(rows).spacing(8).width(Fill).into()
}
