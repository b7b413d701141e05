//! Consent: what the kiosk collects, why, and how long it is kept.

use iced::widget::{column, text};
use iced::{Element, Fill};

use super::{Action, Target, explain, layout, nav_button, question};
use crate::ui::Context;
use crate::ui::draft::Change;
use crate::ui::theme;

/// The consent screen: it tells how many days a delivered claim stays on the kiosk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Consent {
    retention_days: u32,
}

/// The participant's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// "Saya setuju".
    Agree,
    /// "Tidak, kembali".
    Decline,
}

impl Consent {
    /// The consent screen; `retention_days` is `storage.retention_days`, the days a delivered claim is kept.
    pub fn new(retention_days: u32) -> Consent {
        Consent { retention_days }
    }

    /// Agreeing records consent and goes on to the identity questions; declining ends the session.
    pub fn update(&mut self, message: Message, _ctx: &Context<'_>) -> Action<Message> {
        match message {
            Message::Agree => Action::Record(Change::Consented, Target::Identity),
            Message::Decline => Action::Home,
        }
    }

    /// Draws the three short paragraphs and the two answers.
    pub fn view(&self, ctx: &Context<'_>) -> Element<'_, Message> {
        let t = ctx.t;
        let paragraph = |title: &str, body: Element<'static, Message>| {
            column![
                text(t.tr(title))
                    .size(theme::BODY)
                    .font(theme::FONT_BOLD_FACE),
                body,
            ]
            .spacing(4)
        };
        let keep = text(t.tr_args(
            "ui-consent-keep",
            &[("days", crate::i18n::MessageArg::from(self.retention_days))],
        ))
        .size(theme::BODY)
        .into();
        let left = column![
            question(t, "ui-consent-question"),
            paragraph("ui-consent-what-title", explain(t, "ui-consent-what")),
            paragraph("ui-consent-why-title", explain(t, "ui-consent-why")),
            paragraph("ui-consent-keep-title", keep),
        ]
        .spacing(theme::GAP)
        .width(Fill);
        let navigation = iced::widget::row![
            nav_button(t.tr("ui-consent-decline"), Some(Message::Decline), false),
            iced::widget::space::horizontal(),
            nav_button(t.tr("ui-consent-agree"), Some(Message::Agree), true),
        ]
        .into();
        layout(left, None, navigation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::context::fixture::Fixture;

    #[test]
    fn agreeing_is_recorded_and_declining_goes_home() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut consent = Consent::new(7);
        assert_eq!(
            consent.update(Message::Agree, &ctx),
            Action::Record(Change::Consented, Target::Identity)
        );
        assert_eq!(consent.update(Message::Decline, &ctx), Action::Home);
    }
}
