//! Consent: what the kiosk collects, why, and how long it is kept; first in three short lines, the full text
//! one tap away ("Baca selengkapnya").

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
    /// The full text is shown ("Baca selengkapnya" was tapped).
    full: bool,
}

/// The participant's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// "Saya setuju".
    Agree,
    /// "Tidak, kembali".
    Decline,
    /// "Baca selengkapnya": the full text instead of the short one.
    ReadAll,
}

impl Consent {
    /// The consent screen; `retention_days` is `storage.retention_days`, the days a delivered claim is kept.
    pub fn new(retention_days: u32) -> Consent {
        Consent {
            retention_days,
            full: false,
        }
    }

    /// Agreeing records consent and goes on to the identity questions; declining ends the session.
    pub fn update(&mut self, message: Message, _ctx: &Context<'_>) -> Action<Message> {
        match message {
            Message::Agree => Action::Record(Change::Consented, Target::Identity),
            Message::Decline => Action::Home,
            Message::ReadAll => {
                self.full = true;
                Action::None
            }
        }
    }

    /// Whether the full text is on screen.
    pub fn shows_full_text(&self) -> bool {
        self.full
    }

    /// Draws the short text (or the full one) and the two answers.
    pub fn view(&self, ctx: &Context<'_>) -> Element<'_, Message> {
        let t = ctx.t;
        let days = [("days", crate::i18n::MessageArg::from(self.retention_days))];
        let left = if self.full {
            self.full_text(ctx)
        } else {
            column![
                question(t, "ui-consent-question"),
                explain(t, "ui-consent-short-what"),
                text(t.tr_args("ui-consent-short-keep", &days)).size(theme::BODY),
                nav_button(t.tr("ui-consent-read-all"), Some(Message::ReadAll), false),
            ]
            .spacing(theme::GAP)
            .width(Fill)
        };
        let navigation = iced::widget::row![
            nav_button(t.tr("ui-consent-decline"), Some(Message::Decline), false),
            iced::widget::space::horizontal(),
            nav_button(t.tr("ui-consent-agree"), Some(Message::Agree), true),
        ]
        .into();
        layout(left, None, navigation)
    }

    /// The full text: what is collected, why, and how long it is kept.
    fn full_text(&self, ctx: &Context<'_>) -> iced::widget::Column<'_, Message> {
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
        column![
            question(t, "ui-consent-full-title"),
            paragraph("ui-consent-what-title", explain(t, "ui-consent-what")),
            paragraph("ui-consent-why-title", explain(t, "ui-consent-why")),
            paragraph("ui-consent-keep-title", keep),
        ]
        .spacing(theme::GAP)
        .width(Fill)
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

    #[test]
    fn read_all_shows_the_full_text_and_stays_on_the_screen() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut consent = Consent::new(7);
        assert!(!consent.shows_full_text());
        assert_eq!(consent.update(Message::ReadAll, &ctx), Action::None);
        assert!(consent.shows_full_text());
    }
}
