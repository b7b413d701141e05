//! Maintenance mode for field staff: the PIN (checked against the configured argon2 hash, locked after 5 wrong
//! tries), then device health, a test print and the way out to the desktop.

use iced::widget::{column, row, space, text};
use iced::{Element, Fill};

use super::{Action, field, layout, nav_button, question};
use crate::i18n::{MessageArg, Translator};
use crate::ui::check::{Check, Note};
use crate::ui::pin::PinOutcome;
use crate::ui::theme;
use crate::ui::widget::keypad::keypad;
use crate::ui::widget::{Key, apply};

/// What staff see on the health page, read from the devices when the page is drawn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Health {
    /// The camera's state in words.
    pub camera: String,
    /// The printer's state and what to do about it.
    pub printer: String,
    /// Outbox counts, oldest pending and last error.
    pub outbox: String,
}

/// The page on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Type the staff PIN.
    Pin,
    /// Device health and actions.
    Health,
}

/// The maintenance screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintenance {
    step: Step,
    pin: String,
    last: Option<PinOutcome>,
}

/// What staff do in maintenance mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A key on the PIN keypad.
    KeyPressed(Key),
    /// "Masuk": check the PIN.
    Enter,
    /// Print the test page.
    TestPrint,
    /// Close the kiosk program (back to the desktop).
    ExitToDesktop,
    /// Leave maintenance mode.
    Leave,
}

impl Maintenance {
    /// Starts at the PIN.
    pub fn new() -> Maintenance {
        Maintenance {
            step: Step::Pin,
            pin: String::new(),
            last: None,
        }
    }

    /// The page on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    /// The gate answered the PIN.
    pub fn pin_checked(&mut self, outcome: PinOutcome) {
        self.pin.clear();
        self.last = Some(outcome);
        if outcome == PinOutcome::Accepted {
            self.step = Step::Health;
        }
    }

    /// Handles a tap.
    pub fn update(&mut self, message: Message) -> Action {
        match (self.step, message) {
            (Step::Pin, Message::KeyPressed(key)) => apply(key, &mut self.pin, 12),
            (Step::Pin, Message::Enter) if !self.pin.is_empty() => {
                return Action::CheckPin(std::mem::take(&mut self.pin));
            }
            (Step::Health, Message::TestPrint) => return Action::TestPrint,
            (Step::Health, Message::ExitToDesktop) => return Action::ExitToDesktop,
            (_, Message::Leave) => return Action::Home,
            _ => {}
        }
        Action::None
    }

    /// Draws the PIN entry or the health page.
    pub fn view(&self, t: &Translator, health: &Health) -> Element<'_, Message> {
        match self.step {
            Step::Pin => {
                let masked: String = self.pin.chars().map(|_| '•').collect();
                let check = match self.last {
                    None | Some(PinOutcome::Accepted) => Check::Empty,
                    Some(PinOutcome::Wrong { tries_left }) => Check::Invalid(Note::new(
                        "ui-maintenance-pin-wrong",
                        vec![("tries", MessageArg::from(tries_left))],
                    )),
                    Some(PinOutcome::Locked { seconds_left }) => Check::Invalid(Note::new(
                        "ui-maintenance-pin-locked",
                        vec![("minutes", MessageArg::from(seconds_left.div_ceil(60)))],
                    )),
                    Some(PinOutcome::NotConfigured) => {
                        Check::Invalid(Note::new("ui-maintenance-pin-not-configured", Vec::new()))
                    }
                };
                let left = column![
                    question(t, "ui-maintenance-pin-question"),
                    field(t, &masked, &check),
                ]
                .spacing(theme::GAP);
                layout(
                    left,
                    Some(keypad(
                        Message::KeyPressed,
                        t.tr("ui-key-erase"),
                        t.tr("ui-key-clear"),
                    )),
                    row![
                        nav_button(t.tr("ui-back"), Some(Message::Leave), false),
                        space::horizontal(),
                        nav_button(
                            t.tr("ui-maintenance-enter"),
                            (!self.pin.is_empty()).then_some(Message::Enter),
                            true
                        ),
                    ]
                    .into(),
                )
            }
            Step::Health => {
                let line = |label: &str, value: &str| {
                    row![
                        text(t.tr(label))
                            .size(theme::BODY)
                            .font(theme::FONT_BOLD_FACE)
                            .width(260),
                        text(value.to_owned()).size(theme::BODY).width(Fill),
                    ]
                    .spacing(16)
                };
                let left = column![
                    question(t, "ui-maintenance-health"),
                    line("ui-maintenance-camera", &health.camera),
                    line("ui-maintenance-printer", &health.printer),
                    line("ui-maintenance-outbox", &health.outbox),
                ]
                .spacing(theme::GAP);
                layout(
                    left,
                    None,
                    row![
                        nav_button(t.tr("ui-maintenance-leave"), Some(Message::Leave), false),
                        space::horizontal(),
                        nav_button(
                            t.tr("ui-maintenance-test-print"),
                            Some(Message::TestPrint),
                            false
                        ),
                        nav_button(
                            t.tr("ui-maintenance-exit-desktop"),
                            Some(Message::ExitToDesktop),
                            true
                        ),
                    ]
                    .spacing(16)
                    .into(),
                )
            }
        }
    }
}

impl Default for Maintenance {
    fn default() -> Self {
        Maintenance::new()
    }
}
