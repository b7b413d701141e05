//! The account holder under the account number: the name pre-filled (the participant's, the heir's for a
//! death claim) and "Ubah nama" to change it, so no separate question when it is right.

use iced::Element;
use iced::widget::{column, text};

use super::Message;
use crate::i18n::{MessageArg, Translator};
use crate::ui::screen::nav_button;
use crate::ui::theme;

/// "Atas nama: SITI AMINAH" and the "Ubah nama" button.
pub fn line<'a>(t: &Translator, holder: &str) -> Element<'a, Message> {
    let named = t.tr_args(
        "ui-bank-holder-line",
        &[("holder", MessageArg::Text(holder.to_owned()))],
    );
    column![
        text(named).size(theme::BODY).font(theme::FONT_BOLD_FACE),
        nav_button(
            t.tr("ui-bank-holder-change"),
            Some(Message::ChangeHolder),
            false
        ),
    ]
    .spacing(8)
    .into()
}
