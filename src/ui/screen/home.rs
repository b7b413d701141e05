//! Home: start a claim, or check the status of one.

use iced::widget::{button, column, text};
use iced::{Center, Element, Fill};

use super::{Action, Target};
use crate::ui::Context;
use crate::ui::theme;

/// The home screen (it has no state of its own).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Home;

/// What can be done on the home screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Start a new claim.
    StartClaim,
    /// Check the status of a claim made earlier.
    CheckStatus,
}

impl Home {
    /// The home screen.
    pub fn new() -> Home {
        Home
    }

    /// Handles a tap.
    pub fn update(&mut self, message: Message, _ctx: &Context<'_>) -> Action<Message> {
        match message {
            Message::StartClaim => Action::Show(Target::Consent),
            Message::CheckStatus => Action::Show(Target::Status),
        }
    }

    /// Draws the two big choices.
    pub fn view(&self, ctx: &Context<'_>) -> Element<'_, Message> {
        let t = ctx.t;
        let big = |label: String, message: Message, primary: bool| {
            button(
                text(label)
                    .size(36)
                    .font(theme::FONT_BOLD_FACE)
                    .width(Fill)
                    .align_x(Center),
            )
            .on_press(message)
            .width(640)
            .padding([32, 24])
            .style(if primary {
                theme::primary_button
            } else {
                theme::secondary_button
            })
        };
        column![
            text(t.tr("ui-home-welcome"))
                .size(48)
                .font(theme::FONT_BOLD_FACE),
            text(t.tr("ui-home-intro")).size(theme::BODY),
            big(t.tr("ui-home-start"), Message::StartClaim, true),
            big(t.tr("ui-home-status"), Message::CheckStatus, false),
        ]
        .spacing(40)
        .align_x(Center)
        .width(Fill)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::context::fixture::Fixture;

    #[test]
    fn start_leads_to_consent_and_status_to_the_status_check() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut home = Home::new();
        assert_eq!(
            home.update(Message::StartClaim, &ctx),
            Action::Show(Target::Consent)
        );
        assert_eq!(
            home.update(Message::CheckStatus, &ctx),
            Action::Show(Target::Status)
        );
    }
}
