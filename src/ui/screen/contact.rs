//! Contact: the mobile number (keypad) and, if the participant has one, an e-mail address (keyboard).

use iced::widget::{column, row, space, text};
use iced::{Element, Fill};

use super::{Action, Target, field, layout, nav_button, navigation, question};
use crate::i18n::Translator;
use crate::ui::check;
use crate::ui::draft::{Change, Draft};
use crate::ui::theme;
use crate::ui::widget::keyboard::{Layout, keyboard};
use crate::ui::widget::keypad::keypad;
use crate::ui::widget::{Key, apply};

/// The question on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Type the mobile number.
    Phone,
    /// Type an e-mail address, or skip.
    Email,
}

/// The contact screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    step: Step,
    phone: String,
    email: String,
}

/// What the participant does on the contact screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A key on the keypad or keyboard.
    KeyPressed(Key),
    /// "Lanjut".
    Next,
    /// "Kembali".
    Back,
    /// "Tidak punya e-mail".
    SkipEmail,
}

impl Contact {
    /// Starts at the phone number, pre-filled from the draft when coming back.
    pub fn new(draft: &Draft) -> Contact {
        Contact {
            step: Step::Phone,
            phone: national_form(&draft.fields.phone),
            email: draft.fields.email.clone(),
        }
    }

    /// The question on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    fn done(&self, email: String) -> Action {
        match check::phone(&self.phone) {
            (check, Some(phone)) if check.accepts() => {
                Action::Record(Change::Contact { phone, email }, Target::Bank)
            }
            _ => Action::None,
        }
    }

    /// Handles a key or a button.
    pub fn update(&mut self, message: Message) -> Action {
        match (self.step, message) {
            (Step::Phone, Message::KeyPressed(key)) => apply(key, &mut self.phone, 13),
            (Step::Email, Message::KeyPressed(key)) => {
                let key = match key {
                    Key::Char(c) => Key::Char(c.to_ascii_lowercase()),
                    Key::Space => return Action::None,
                    other => other,
                };
                apply(key, &mut self.email, 80);
            }
            (Step::Phone, Message::Next) if check::phone(&self.phone).0.accepts() => {
                self.step = Step::Email;
            }
            (Step::Email, Message::Next) if check::email(&self.email).accepts() => {
                return self.done(self.email.clone());
            }
            (Step::Email, Message::SkipEmail) => return self.done(String::new()),
            (Step::Phone, Message::Back) => return Action::Show(Target::Reason),
            (Step::Email, Message::Back) => self.step = Step::Phone,
            _ => {}
        }
        Action::None
    }

    /// Draws the current question.
    pub fn view(&self, t: &Translator) -> Element<'_, Message> {
        match self.step {
            Step::Phone => {
                let (check, _) = check::phone(&self.phone);
                let left = column![
                    question(t, "ui-contact-phone-question"),
                    text(t.tr("ui-contact-phone-help")).size(theme::BODY),
                    field(t, &self.phone, &check),
                ]
                .spacing(theme::GAP);
                layout(
                    left,
                    Some(keypad(
                        Message::KeyPressed,
                        t.tr("ui-key-erase"),
                        t.tr("ui-key-clear"),
                    )),
                    navigation(t, Message::Back, check.accepts().then_some(Message::Next)),
                )
            }
            Step::Email => {
                let check = check::email(&self.email);
                let left = column![
                    question(t, "ui-contact-email-question"),
                    field(t, &self.email, &check),
                    keyboard(
                        Layout::Email,
                        Message::KeyPressed,
                        t.tr("ui-key-space"),
                        t.tr("ui-key-erase"),
                        t.tr("ui-key-clear"),
                    ),
                ]
                .spacing(theme::GAP)
                .width(Fill);
                let navigation = row![
                    nav_button(t.tr("ui-back"), Some(Message::Back), false),
                    space::horizontal(),
                    nav_button(t.tr("ui-contact-no-email"), Some(Message::SkipEmail), false),
                    nav_button(
                        t.tr("ui-next"),
                        check.accepts().then_some(Message::Next),
                        true
                    ),
                ]
                .spacing(16)
                .into();
                layout(left, None, navigation)
            }
        }
    }
}

/// `+628…` back to the `08…` form people type.
fn national_form(phone: &str) -> String {
    match phone.strip_prefix("+62") {
        Some(rest) => format!("0{rest}"),
        None => phone.to_owned(),
    }
}
