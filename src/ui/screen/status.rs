//! Status check: the claim reference (with check-digit feedback as it is typed), then the NIK, then the
//! answer. A session allows [`MAX_TRIES`] answers of "not found"; after that the screen says to ask the staff or
//! come back later and offers no other try.

use chrono::NaiveDate;
use iced::Element;
use iced::widget::{column, row, text};

use super::{Action, keypad_page, layout, nav_button, navigation, question};
use crate::claim::reference::{ClaimReference, REFERENCE_DIGITS};
use crate::i18n::Translator;
use crate::ui::check::{self, Check, Note};
use crate::ui::theme;
use crate::ui::widget::{Key, apply};

/// Checks that may answer "not found" in one session (the screen is made anew for each session).
pub const MAX_TRIES: u8 = 3;

/// The question on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Type the claim reference.
    Reference,
    /// Type the NIK.
    Nik,
    /// Waiting for the answer.
    Asking,
    /// The answer is on screen.
    Answered,
}

/// What the kiosk asks about a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusQuery {
    /// The claim reference.
    pub reference: ClaimReference,
    /// The participant's NIK.
    pub nik: String,
}

/// The status screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    step: Step,
    reference: String,
    nik: String,
    answer: Option<String>,
    /// "Not found" answers so far in this session.
    not_found: u8,
    /// Whether the answer on screen is "not found".
    last_not_found: bool,
}

/// What the participant does on the status screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A key on the keypad.
    KeyPressed(Key),
    /// "Lanjut".
    Next,
    /// "Kembali".
    Back,
    /// "Coba lagi" after a "not found" answer.
    TryAgain,
    /// "Selesai".
    Finish,
}

/// Checks a reference as it is typed: the check digit is judged once all digits are in.
pub fn reference_check(value: &str) -> Check {
    if value.is_empty() {
        return Check::Empty;
    }
    if value.len() < REFERENCE_DIGITS {
        return Check::Typing;
    }
    match ClaimReference::parse(value) {
        Ok(_) => Check::Valid,
        Err(error) => Check::Invalid(Note::of(&error)),
    }
}

impl Status {
    /// Starts at the reference.
    pub fn new() -> Status {
        Status {
            step: Step::Reference,
            reference: String::new(),
            nik: String::new(),
            answer: None,
            not_found: 0,
            last_not_found: false,
        }
    }

    /// The question on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    /// How many more "not found" answers this session allows.
    pub fn tries_left(&self) -> u8 {
        MAX_TRIES.saturating_sub(self.not_found)
    }

    /// Shows the answer (already in the participant's language); `not_found` counts it as a failed try.
    pub fn answered(&mut self, answer: String, not_found: bool) {
        if not_found {
            self.not_found = self.not_found.saturating_add(1);
        }
        self.last_not_found = not_found;
        self.answer = Some(answer);
        self.step = Step::Answered;
    }

    fn last_was_not_found(&self) -> bool {
        self.last_not_found
    }

    /// Handles a tap.
    pub fn update(&mut self, message: Message, today: NaiveDate) -> Action {
        match (self.step, message) {
            (Step::Reference, Message::KeyPressed(key)) => {
                apply(key, &mut self.reference, REFERENCE_DIGITS)
            }
            (Step::Nik, Message::KeyPressed(key)) => apply(key, &mut self.nik, 16),
            (Step::Reference, Message::Next) if reference_check(&self.reference).accepts() => {
                self.nik.clear();
                self.step = Step::Nik;
            }
            (Step::Nik, Message::Next) => {
                if self.tries_left() == 0 || !check::nik(&self.nik, today).0.accepts() {
                    return Action::None;
                }
                let Ok(reference) = ClaimReference::parse(&self.reference) else {
                    return Action::None;
                };
                self.step = Step::Asking;
                return Action::CheckStatus(StatusQuery {
                    reference,
                    nik: self.nik.clone(),
                });
            }
            (Step::Answered, Message::TryAgain)
                if self.last_was_not_found() && self.tries_left() > 0 =>
            {
                self.nik.clear();
                self.answer = None;
                self.step = Step::Nik;
            }
            (Step::Reference, Message::Back) | (_, Message::Finish) => return Action::Home,
            (Step::Nik, Message::Back) => self.step = Step::Reference,
            _ => {}
        }
        Action::None
    }

    /// Draws the current question or the answer.
    pub fn view(&self, t: &Translator, today: NaiveDate) -> Element<'_, Message> {
        match self.step {
            Step::Reference => {
                let check = reference_check(&self.reference);
                keypad_page(
                    t,
                    (
                        t.tr("ui-status-reference-question"),
                        Some(t.tr("ui-status-reference-help")),
                    ),
                    (&self.reference, &check),
                    Message::KeyPressed,
                    navigation(t, Message::Back, check.accepts().then_some(Message::Next)),
                )
            }
            Step::Nik => {
                let check = check::nik(&self.nik, today).0;
                keypad_page(
                    t,
                    (t.tr("ui-identity-nik-question"), None),
                    (&self.nik, &check),
                    Message::KeyPressed,
                    navigation(t, Message::Back, check.accepts().then_some(Message::Next)),
                )
            }
            Step::Asking => layout(
                column![question(t, "ui-status-asking")],
                None,
                row![].into(),
            ),
            Step::Answered => {
                let mut left = column![
                    question(t, "ui-status-answer"),
                    text(self.answer.clone().unwrap_or_default()).size(36),
                ]
                .spacing(theme::GAP);
                let mut buttons = row![iced::widget::space::horizontal()].spacing(theme::GAP);
                if self.last_was_not_found() {
                    if self.tries_left() > 0 {
                        buttons = buttons.push(nav_button(
                            t.tr("ui-status-try-again"),
                            Some(Message::TryAgain),
                            false,
                        ));
                    } else {
                        left = left.push(text(t.tr("ui-status-no-more-tries")).size(28));
                    }
                }
                buttons = buttons.push(nav_button(t.tr("ui-finish"), Some(Message::Finish), true));
                layout(left, None, buttons.into())
            }
        }
    }
}

impl Default for Status {
    fn default() -> Self {
        Status::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = "0000700000015";
    const NIK: &str = "3174015203850001";

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
    }

    fn type_in(screen: &mut Status, digits: &str) {
        for c in digits.chars() {
            screen.update(Message::KeyPressed(Key::Char(c)), today());
        }
    }

    /// Types the NIK and taps "Lanjut"; returns whether the kiosk asked.
    fn ask(screen: &mut Status) -> bool {
        type_in(screen, NIK);
        matches!(
            screen.update(Message::Next, today()),
            Action::CheckStatus(StatusQuery { ref nik, .. }) if nik == NIK
        )
    }

    #[test]
    fn three_not_found_answers_end_the_tries_of_the_session() {
        assert!(
            ClaimReference::parse(REFERENCE).is_ok(),
            "a valid reference"
        );
        let mut screen = Status::new();
        type_in(&mut screen, REFERENCE);
        screen.update(Message::Next, today());
        assert_eq!(screen.step(), Step::Nik);
        for try_number in 1..=MAX_TRIES {
            assert!(ask(&mut screen), "try {try_number} is asked");
            screen.answered("tidak ditemukan".into(), true);
            assert_eq!(screen.tries_left(), MAX_TRIES - try_number);
            screen.update(Message::TryAgain, today());
            let expected = if try_number < MAX_TRIES {
                Step::Nik
            } else {
                Step::Answered
            };
            assert_eq!(screen.step(), expected, "after try {try_number}");
        }
        // No way back to the NIK once the tries are used: "Kembali" and "Lanjut" do nothing, "Selesai" goes home.
        screen.update(Message::Back, today());
        assert_eq!(screen.step(), Step::Answered);
        assert_eq!(screen.update(Message::Finish, today()), Action::Home);
    }

    #[test]
    fn an_answer_that_found_the_claim_uses_no_try_and_offers_none() {
        let mut screen = Status::new();
        type_in(&mut screen, REFERENCE);
        screen.update(Message::Next, today());
        assert!(ask(&mut screen));
        screen.answered("disetujui".into(), false);
        assert_eq!(screen.tries_left(), MAX_TRIES);
        screen.update(Message::TryAgain, today());
        assert_eq!(screen.step(), Step::Answered);
    }
}
