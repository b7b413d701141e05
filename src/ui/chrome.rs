//! What frames every screen: the header (the kiosk's name, which is also the hidden maintenance corner, and
//! the language switch), the notice bar and the "Masih di sana?" countdown.

use iced::widget::{button, column, container, mouse_area, row, space, text};
use iced::{Center, Element, Fill, FillPortion};

use super::{Message, theme};
use crate::i18n::{Language, MessageArg, Translator};

/// The agency's name, under the kiosk's name in the header.
const AGENCY_TEXT: f32 = 20.0;

/// The header: the kiosk's name (five taps open maintenance mode), "Minta bantuan", "Aa", "Ulangi suara" and the
/// language buttons, the one in use highlighted. With large text the helping buttons take a second row, so
/// every button keeps its whole label on a 1280-pixel screen.
pub fn header<'a>(t: &Translator, current: Language, large: bool) -> Element<'a, Message> {
    let language = |language: Language, id: &str| {
        let style = if current == language {
            theme::selected_button
        } else {
            theme::secondary_button
        };
        button(
            text(t.tr(id))
                .size(theme::BODY)
                .align_y(Center)
                .height(Fill),
        )
        .on_press(Message::LanguageSelected(language))
        .height(theme::TOUCH)
        .padding([0, 20])
        .style(style)
    };
    // The kiosk's name on one line and the agency's below it, smaller: two short lines that never wrap
    // beside the header's buttons.
    let name = mouse_area(
        column![
            text(t.tr("ui-kiosk-title"))
                .size(theme::BODY)
                .font(theme::FONT_BOLD_FACE),
            text(t.tr("ui-kiosk-agency")).size(AGENCY_TEXT),
        ]
        .width(FillPortion(8)),
    )
    .on_press(Message::CornerTapped);
    let helpers = [
        super::help::button(t),
        super::text_size::switch(t),
        super::speech::repeat_button(t),
    ];
    let languages = [
        language(Language::Id, "ui-language-id").into(),
        language(Language::En, "ui-language-en").into(),
    ];
    let content: Element<'a, Message> = if large {
        column![
            row![name, space::horizontal()]
                .extend(languages)
                .spacing(16)
                .align_y(Center),
            row![space::horizontal()]
                .extend(helpers)
                .spacing(16)
                .align_y(Center),
        ]
        .spacing(12)
        .into()
    } else {
        row![name, space::horizontal()]
            .extend(helpers)
            .extend(languages)
            .spacing(16)
            .align_y(Center)
            .into()
    };
    container(content)
        .padding([12, 32])
        .width(Fill)
        .style(theme::header)
        .into()
}

/// The notice bar above the screen.
pub fn notice<'a>(words: String) -> Element<'a, Message> {
    container(text(words).size(theme::BODY))
        .padding([16, 32])
        .width(Fill)
        .style(theme::notice)
        .into()
}

/// "Masih di sana?" with the seconds left and the button that keeps the session.
pub fn countdown<'a>(t: &Translator, seconds_left: u32) -> Element<'a, Message> {
    let seconds = MessageArg::from(seconds_left);
    let panel = container(
        column![
            text(t.tr("ui-idle-title"))
                .size(theme::HEADING)
                .font(theme::FONT_BOLD_FACE),
            text(t.tr_args("ui-idle-body", &[("seconds", seconds)])).size(theme::BODY),
            button(text(t.tr("ui-idle-continue")).size(theme::BODY))
                .on_press(Message::StillHere)
                .padding([16, 40])
                .style(theme::primary_button),
        ]
        .spacing(theme::GAP)
        .align_x(Center),
    )
    .padding(48)
    .style(theme::notice);
    container(panel).center(Fill).into()
}
