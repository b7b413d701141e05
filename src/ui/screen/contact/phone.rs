//! The mobile number question: "08" already in the field (every Indonesian mobile number starts so; the
//! participant may erase it and type "62…"), and the e-mail address only on request.

use iced::Element;
use iced::widget::{column, row, space, text};

use super::Message;
use crate::i18n::Translator;
use crate::ui::check;
use crate::ui::help::{DeadEnd, way_out_button};
use crate::ui::screen::{field, heading, layout, nav_button};
use crate::ui::theme;
use crate::ui::widget::keypad::keypad;

/// What a mobile number in Indonesia starts with, typed for the participant.
pub const MOBILE_START: &str = "08";

/// The phone field on arrival: the number given earlier in its `08…` form, else "08".
pub fn prefilled(phone: &str) -> String {
    if phone.is_empty() {
        return MOBILE_START.to_owned();
    }
    // `+628…` back to the `08…` form people type.
    match phone.strip_prefix("+62") {
        Some(rest) => format!("0{rest}"),
        None => phone.to_owned(),
    }
}

/// The phone question with the keypad, "Tambah e-mail (tidak wajib)" under the field, and the way out for
/// those without a mobile number.
pub fn view<'a>(t: &Translator, phone: &str) -> Element<'a, Message> {
    let check = check::phone(phone).0;
    let valid = check.accepts();
    let left = column![
        heading(t.tr("ui-contact-phone-question")),
        text(t.tr("ui-contact-phone-help")).size(theme::BODY),
        field(t, phone, &check),
        nav_button(
            t.tr("ui-contact-add-email"),
            valid.then_some(Message::AddEmail),
            false
        ),
    ]
    .spacing(theme::GAP);
    let no_phone = Message::WayOut(DeadEnd::NoPhone);
    let navigation = row![
        nav_button(t.tr("ui-back"), Some(Message::Back), false),
        space::horizontal(),
        way_out_button(t, DeadEnd::NoPhone, no_phone),
        nav_button(t.tr("ui-next"), valid.then_some(Message::Next), true),
    ]
    .spacing(16)
    .into();
    layout(left, Some(keypad(Message::KeyPressed, t)), navigation)
}
