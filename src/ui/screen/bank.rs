//! Bank: which bank, the account number (keypad, length from the bank table), and the holder's name, which
//! must be the participant's own.

use iced::widget::{column, row};
use iced::{Element, Fill};

use super::{
    Action, Env, Target, choice, keyboard_page, keypad_page, layout, navigation, question,
};
use crate::claim::BankAccount;
use crate::i18n::{MessageArg, Translator};
use crate::ui::check::{self, Check};
use crate::ui::draft::{Change, Draft};
use crate::ui::theme;
use crate::ui::widget::keyboard::Layout;
use crate::ui::widget::{Key, apply};

/// The question on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Choose the bank.
    Choose,
    /// Type the account number.
    Account,
    /// Confirm or type the account holder's name.
    Holder,
}

/// The bank screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bank {
    step: Step,
    bank_code: Option<String>,
    account: String,
    holder: String,
}

/// What the participant does on the bank screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A bank was chosen (its transfer code).
    BankChosen(String),
    /// A key on the keypad or keyboard.
    KeyPressed(Key),
    /// "Lanjut".
    Next,
    /// "Kembali".
    Back,
}

impl Bank {
    /// Starts at the list of banks; the holder is pre-filled with the participant's name.
    pub fn new(draft: &Draft) -> Bank {
        let earlier = draft.bank.as_ref();
        Bank {
            step: Step::Choose,
            bank_code: earlier.map(|bank| bank.bank_code.clone()),
            account: earlier
                .map(|bank| bank.account_number.clone())
                .unwrap_or_default(),
            holder: earlier
                .map(|bank| bank.holder.clone())
                .unwrap_or_else(|| draft.fields.name.clone()),
        }
    }

    /// The question on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    fn account_check(&self, env: &Env<'_>) -> Check {
        let code = self.bank_code.as_deref().unwrap_or_default();
        check::account(env.banks, code, &self.account)
    }

    /// Handles a tap.
    pub fn update(&mut self, message: Message, env: &Env<'_>) -> Action {
        match (self.step, message) {
            (Step::Choose, Message::BankChosen(code)) => {
                if self.bank_code.as_deref() != Some(code.as_str()) {
                    self.account.clear();
                }
                self.bank_code = Some(code);
                self.step = Step::Account;
            }
            (Step::Account, Message::KeyPressed(key)) => apply(key, &mut self.account, 20),
            (Step::Holder, Message::KeyPressed(key)) => apply(key, &mut self.holder, 60),
            (Step::Account, Message::Next) if self.account_check(env).accepts() => {
                self.step = Step::Holder;
            }
            (Step::Holder, Message::Next) => {
                if let ((true, Some(holder)), Some(bank_code)) = (
                    {
                        let (check, holder) = check::name(&self.holder);
                        (check.accepts(), holder)
                    },
                    self.bank_code.clone(),
                ) {
                    return Action::Record(
                        Change::Bank(BankAccount {
                            bank_code,
                            account_number: self.account.clone(),
                            holder,
                        }),
                        Target::Documents,
                    );
                }
            }
            (Step::Choose, Message::Back) => return Action::Show(Target::Contact),
            (Step::Account, Message::Back) => self.step = Step::Choose,
            (Step::Holder, Message::Back) => self.step = Step::Account,
            _ => {}
        }
        Action::None
    }

    /// Draws the current question.
    pub fn view(&self, t: &Translator, env: &Env<'_>) -> Element<'_, Message> {
        match self.step {
            Step::Choose => {
                let banks: Vec<Element<'_, Message>> = env
                    .banks
                    .banks()
                    .chunks(2)
                    .map(|pair| {
                        row(pair.iter().map(|bank| {
                            choice(
                                bank.name.clone(),
                                Message::BankChosen(bank.code.clone()),
                                self.bank_code.as_deref() == Some(bank.code.as_str()),
                            )
                        }))
                        .spacing(16)
                        .into()
                    })
                    .collect();
                let left = column![question(t, "ui-bank-question")]
                    .push(column(banks).spacing(12))
                    .spacing(theme::GAP)
                    .width(Fill);
                layout(left, None, navigation(t, Message::Back, None))
            }
            Step::Account => {
                let check = self.account_check(env);
                let bank = self
                    .bank_code
                    .as_deref()
                    .and_then(|code| env.banks.by_code(code));
                let help = bank
                    .map(|bank| {
                        t.tr_args(
                            "ui-bank-account-help",
                            &[
                                ("bank", MessageArg::Text(bank.name.clone())),
                                ("digits", MessageArg::from(bank.account_length)),
                            ],
                        )
                    })
                    .unwrap_or_default();
                keypad_page(
                    t,
                    (t.tr("ui-bank-account-question"), Some(help)),
                    (&self.account, &check),
                    Message::KeyPressed,
                    navigation(t, Message::Back, check.accepts().then_some(Message::Next)),
                )
            }
            Step::Holder => {
                let (check, _) = check::name(&self.holder);
                keyboard_page(
                    t,
                    (
                        t.tr("ui-bank-holder-question"),
                        Some(t.tr("ui-bank-holder-help")),
                    ),
                    (&self.holder, &check),
                    (Layout::Name, Message::KeyPressed),
                    navigation(t, Message::Back, check.accepts().then_some(Message::Next)),
                )
            }
        }
    }
}
