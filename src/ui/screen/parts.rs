//! The pieces every screen is built from: its question, the typed field, keypad and keyboard pages,
//! choices, navigation and the page layout.

use iced::widget::{Column, button, column, container, responsive, row, space, text};
use iced::{Center, Element, Fill};

use crate::i18n::Translator;
use crate::ui::check::Check;
use crate::ui::theme;
use crate::ui::widget::Key;
use crate::ui::widget::keyboard::{Layout, keyboard_for};
use crate::ui::widget::keypad::keypad;

/// A screen's one question, large and bold.
pub fn question<'a, M: 'a>(t: &Translator, id: &str) -> Element<'a, M> {
    heading(t.tr(id))
}

/// A question already in words, in the question's size and weight.
pub fn heading<'a, M: 'a>(words: String) -> Element<'a, M> {
    text(words)
        .size(theme::HEADING)
        .font(theme::FONT_BOLD_FACE)
        .into()
}

/// A short explanation under the question.
pub fn explain<'a, M: 'a>(t: &Translator, id: &str) -> Element<'a, M> {
    text(t.tr(id)).size(theme::BODY).into()
}

/// A question answered on the number keypad: the question, its help line if any and the field on the left,
/// the keypad on the right, then `navigation`.
pub fn keypad_page<'a, M: Clone + 'a>(
    t: &Translator,
    asked: (String, Option<String>),
    typed: (&str, &Check),
    on_key: impl Fn(Key) -> M,
    navigation: Element<'a, M>,
) -> Element<'a, M> {
    let (value, check) = typed;
    let left = asked_column(asked).push(field(t, value, check));
    layout(left, Some(keypad(on_key, t)), navigation)
}

/// The question and, when there is one, its help line.
fn asked_column<'a, M: 'a>((question, help): (String, Option<String>)) -> Column<'a, M> {
    let mut left = column![heading(question)].spacing(theme::GAP);
    if let Some(help) = help {
        left = left.push(text(help).size(theme::BODY));
    }
    left
}

/// A question answered on the letter keyboard under it: the question, an optional help line, the field and
/// the keyboard across the screen, then `navigation`.
pub fn keyboard_page<'a, M: Clone + 'a>(
    t: &Translator,
    asked: (String, Option<String>),
    typed: (&str, &Check),
    keys: (Layout, impl Fn(Key) -> M),
    navigation: Element<'a, M>,
) -> Element<'a, M> {
    let (value, check) = typed;
    let (keys, on_key) = keys;
    let left = asked_column(asked)
        .push(field(t, value, check))
        .push(keyboard_for(keys, on_key, t, value))
        .width(Fill);
    layout(left, None, navigation)
}

/// The size of what has been typed in a field, when it fits.
const FIELD_TEXT: f32 = 44.0;
/// The line height of a field's text, as a share of its size (iced's default).
const FIELD_LINE: f32 = 1.3;
/// About how wide `c` is in the bold face, as a share of the text size (DejaVu Sans Bold: digits 0.70,
/// capitals 0.69-0.99, a space 0.35), rounded up so a fitted line never overflows.
fn glyph_em(c: char) -> f32 {
    match c {
        '0'..='9' => 0.70,
        ' ' | CURSOR => 0.40,
        'M' | 'W' => 1.0,
        _ => 0.80,
    }
}

/// The cursor shown after what has been typed: where the next key goes.
pub const CURSOR: char = '▏';

/// What has been typed so far, in a framed box, with the check's plain-words feedback under it.
pub fn field<'a, M: 'a>(t: &Translator, value: &str, check: &Check) -> Element<'a, M> {
    let shown = format!("{value}{CURSOR}");
    // As large as the field allows: a 16-digit NIK keeps to one line even with large text, where the
    // field is narrower in logical pixels.
    let ems: f32 = shown.chars().map(glyph_em).sum();
    let fitted = responsive(move |space| {
        let fits = space.width / ems;
        text(shown.clone())
            .size(FIELD_TEXT.min(fits))
            .font(theme::FONT_BOLD_FACE)
            .height(Fill)
            .align_y(Center)
            .into()
    })
    .height(FIELD_TEXT * FIELD_LINE);
    let boxed = container(fitted)
        .padding([12, 20])
        .width(Fill)
        .style(theme::field);
    let feedback: Element<'a, M> = match check {
        Check::Empty | Check::Typing => text(t.tr("ui-field-keep-typing")).size(theme::BODY).into(),
        Check::Valid => text(t.tr("ui-field-ok"))
            .size(theme::BODY)
            .style(theme::ok_text)
            .into(),
        Check::Warning(message) => text(message.text(t))
            .size(theme::BODY)
            .style(theme::warning_text)
            .into(),
        Check::Invalid(message) => text(message.text(t))
            .size(theme::BODY)
            .style(theme::error_text)
            .into(),
    };
    column![boxed, feedback].spacing(8).into()
}

/// The "Kembali" / "Lanjut" buttons at the bottom of a screen; `next` is `None` while the answer is not
/// acceptable yet.
pub fn navigation<'a, M: Clone + 'a>(t: &Translator, back: M, next: Option<M>) -> Element<'a, M> {
    row![
        nav_button(t.tr("ui-back"), Some(back), false),
        space::horizontal(),
        nav_button(t.tr("ui-next"), next, true),
    ]
    .align_y(Center)
    .into()
}

/// The mark before the label of a button that cannot be pressed yet.
pub const NOT_YET: &str = "⊘";

/// A large navigation or choice button.
pub fn nav_button<'a, M: Clone + 'a>(
    label: String,
    on_press: Option<M>,
    primary: bool,
) -> Element<'a, M> {
    // A button that cannot be pressed yet says so with a mark, not only with its colour.
    let label: Element<'a, M> = match on_press {
        Some(_) => text(label).size(theme::BODY).into(),
        None => row![
            text(NOT_YET).size(theme::BODY),
            text(label).size(theme::BODY)
        ]
        .spacing(12)
        .into(),
    };
    button(container(label).height(Fill).align_y(Center))
        .on_press_maybe(on_press)
        .height(theme::TOUCH + 8.0)
        .padding([0, 40])
        .style(if primary {
            theme::primary_button
        } else {
            theme::secondary_button
        })
        .into()
}

/// A full-width choice button (a reason, a bank), highlighted when selected.
pub fn choice<'a, M: Clone + 'a>(label: String, on_press: M, selected: bool) -> Element<'a, M> {
    sized_choice(label, on_press, selected, theme::TOUCH + 8.0)
}

/// A choice tall enough for a label that wraps onto two lines (the claim reasons).
pub fn tall_choice<'a, M: Clone + 'a>(
    label: String,
    on_press: M,
    selected: bool,
) -> Element<'a, M> {
    sized_choice(label, on_press, selected, theme::TOUCH + 18.0)
}

fn sized_choice<'a, M: Clone + 'a>(
    label: String,
    on_press: M,
    selected: bool,
    height: f32,
) -> Element<'a, M> {
    button(text(label).size(theme::BODY).height(Fill).align_y(Center))
        .on_press(on_press)
        .width(Fill)
        .height(height)
        .padding([0, 24])
        .style(if selected {
            theme::selected_button
        } else {
            theme::secondary_button
        })
        .into()
}

/// Lays out a screen: question and content on the left, input (keypad) on the right, navigation below.
pub fn layout<'a, M: 'a>(
    left: Column<'a, M>,
    right: Option<Element<'a, M>>,
    navigation: Element<'a, M>,
) -> Element<'a, M> {
    let top: Element<'a, M> = match right {
        Some(right) => row![left.width(Fill), right].spacing(48).into(),
        None => left.width(Fill).into(),
    };
    column![container(top).height(Fill), navigation]
        .spacing(theme::GAP)
        .into()
}
