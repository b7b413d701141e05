//! Status check: the claim reference (with check-digit feedback as it is typed), then the NIK or the date of
//! birth, then the answer.

use chrono::NaiveDate;
use iced::Element;
use iced::widget::{column, row, text};

use super::{Action, choice, keypad_page, layout, nav_button, navigation, question};
use crate::claim::reference::{ClaimReference, REFERENCE_DIGITS};
use crate::i18n::Translator;
use crate::ui::check::{self, Check, Note};
use crate::ui::theme;
use crate::ui::widget::{Key, apply};

/// How the participant proves the claim is theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// The NIK.
    Nik,
    /// The date of birth.
    DateOfBirth,
}

/// The question on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Type the claim reference.
    Reference,
    /// Choose NIK or date of birth.
    ChooseProof,
    /// Type the NIK or date of birth.
    Proof(Proof),
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
    /// The NIK, when the participant chose it.
    pub nik: Option<String>,
    /// The date of birth, when the participant chose it.
    pub date_of_birth: Option<NaiveDate>,
}

/// The status screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    step: Step,
    reference: String,
    proof: String,
    answer: Option<String>,
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
    /// The participant chose how to prove the claim is theirs.
    ProofChosen(Proof),
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
            proof: String::new(),
            answer: None,
        }
    }

    /// The question on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    /// Shows the answer (already in the participant's language).
    pub fn answered(&mut self, answer: String) {
        self.answer = Some(answer);
        self.step = Step::Answered;
    }

    fn proof_check(&self, proof: Proof, today: NaiveDate) -> Check {
        match proof {
            Proof::Nik => check::nik(&self.proof, today).0,
            Proof::DateOfBirth => check::date(&self.proof, today).0,
        }
    }

    /// Handles a tap.
    pub fn update(&mut self, message: Message, today: NaiveDate) -> Action {
        match (self.step, message) {
            (Step::Reference, Message::KeyPressed(key)) => {
                apply(key, &mut self.reference, REFERENCE_DIGITS)
            }
            (Step::Proof(proof), Message::KeyPressed(key)) => {
                let max = match proof {
                    Proof::Nik => 16,
                    Proof::DateOfBirth => 8,
                };
                apply(key, &mut self.proof, max);
            }
            (Step::Reference, Message::Next) if reference_check(&self.reference).accepts() => {
                self.step = Step::ChooseProof;
            }
            (Step::ChooseProof, Message::ProofChosen(proof)) => {
                self.proof.clear();
                self.step = Step::Proof(proof);
            }
            (Step::Proof(proof), Message::Next) => {
                if !self.proof_check(proof, today).accepts() {
                    return Action::None;
                }
                let Ok(reference) = ClaimReference::parse(&self.reference) else {
                    return Action::None;
                };
                let query = match proof {
                    Proof::Nik => StatusQuery {
                        reference,
                        nik: Some(self.proof.clone()),
                        date_of_birth: None,
                    },
                    Proof::DateOfBirth => StatusQuery {
                        reference,
                        nik: None,
                        date_of_birth: check::date(&self.proof, today).1,
                    },
                };
                self.step = Step::Asking;
                return Action::CheckStatus(query);
            }
            (Step::Reference, Message::Back) | (_, Message::Finish) => return Action::Home,
            (Step::ChooseProof, Message::Back) => self.step = Step::Reference,
            (Step::Proof(_), Message::Back) => self.step = Step::ChooseProof,
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
            Step::ChooseProof => {
                let left = column![
                    question(t, "ui-status-proof-question"),
                    row![
                        choice(
                            t.tr("ui-status-proof-nik"),
                            Message::ProofChosen(Proof::Nik),
                            false
                        ),
                        choice(
                            t.tr("ui-status-proof-dob"),
                            Message::ProofChosen(Proof::DateOfBirth),
                            false
                        ),
                    ]
                    .spacing(theme::GAP),
                ]
                .spacing(theme::GAP);
                layout(left, None, navigation(t, Message::Back, None))
            }
            Step::Proof(proof) => {
                let check = self.proof_check(proof, today);
                let (question_id, shown) = match proof {
                    Proof::Nik => ("ui-identity-nik-question", self.proof.clone()),
                    Proof::DateOfBirth => ("ui-status-dob-question", check::show_date(&self.proof)),
                };
                keypad_page(
                    t,
                    (t.tr(question_id), None),
                    (&shown, &check),
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
                let left = column![
                    question(t, "ui-status-answer"),
                    text(self.answer.clone().unwrap_or_default()).size(36),
                ]
                .spacing(theme::GAP);
                layout(
                    left,
                    None,
                    row![
                        iced::widget::space::horizontal(),
                        nav_button(t.tr("ui-finish"), Some(Message::Finish), true)
                    ]
                    .into(),
                )
            }
        }
    }
}

impl Default for Status {
    fn default() -> Self {
        Status::new()
    }
}
