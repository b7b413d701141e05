//! The on-screen numeric keypad (NIK, KPJ, phone, account number, reference, dates).

use crate::i18n::Translator;
use iced::widget::{button, column, row, text};
use iced::{Center, Element, Fill};

use super::Key;
use crate::ui::theme;

/// A 3 x 4 keypad: digits 1-9, then "Hapus semua", 0, "Hapus". Every key is at least [`theme::KEY`] tall.
pub fn keypad<'a, M: Clone + 'a>(on_key: impl Fn(Key) -> M, t: &Translator) -> Element<'a, M> {
    let erase_label = t.tr("ui-key-erase");
    let clear_label = t.tr("ui-key-clear");
    let digit = |c: char| key_button(c.to_string(), on_key(Key::Char(c)), true);
    let rows = [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9']]
        .into_iter()
        .map(|keys| row(keys.into_iter().map(digit)).spacing(12).into());
    column(rows)
        .push(
            row![
                key_button(clear_label, on_key(Key::Clear), false),
                digit('0'),
                key_button(erase_label, on_key(Key::Erase), false),
            ]
            .spacing(12),
        )
        .spacing(12)
        .width(480)
        .into()
}

/// One key: a large outlined button.
pub fn key_button<'a, M: Clone + 'a>(label: String, on_press: M, big: bool) -> Element<'a, M> {
    sized_key_button(label, on_press, big, theme::KEY)
}

/// A key of a given height (the letter keyboard's keys are the minimum touch size, so that five rows fit
/// under a question on a 800-pixel-high screen).
pub fn sized_key_button<'a, M: Clone + 'a>(
    label: String,
    on_press: M,
    big: bool,
    height: f32,
) -> Element<'a, M> {
    let size = if big { 36.0 } else { theme::BODY };
    button(
        text(label)
            .size(size)
            .font(theme::FONT_BOLD_FACE)
            .width(Fill)
            .height(Fill)
            .align_x(Center)
            .align_y(Center),
    )
    .on_press(on_press)
    .width(Fill)
    .height(height)
    .style(theme::secondary_button)
    .into()
}
