//! Bank: which bank, the account number (keypad, length from the bank table) with the holder's name shown
//! under it, which must be the participant's own (for a death claim the heir's: the money goes to the heir);
//! "Ubah nama" opens the keyboard to change it, else "Lanjut" on the number records the account.

use iced::widget::{column, row, space, text};
use iced::{Element, Fill};

use super::{
    Action, Target, choice, field, heading, keyboard_page, layout, nav_button, navigation, question,
};
use crate::claim::BankAccount;
use crate::i18n::MessageArg;
use crate::ui::Context;
use crate::ui::check::{self, Check};
use crate::ui::draft::{Change, Draft};
use crate::ui::help::{DeadEnd, way_out_button};
use crate::ui::theme;
use crate::ui::widget::keyboard::Layout;
use crate::ui::widget::keypad::keypad;
use crate::ui::widget::{Key, apply};

/// The question on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Choose the bank.
    Choose,
    /// Type the account number; the holder's name is shown under it.
    Account,
    /// Change the account holder's name ("Ubah nama").
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
    /// "Ubah nama": change the account holder's name.
    ChangeHolder,
    /// A way out of a question the participant cannot answer now ("Saya tidak punya …").
    WayOut(crate::ui::help::DeadEnd),
}

impl Bank {
    /// Starts at the list of banks; the holder is pre-filled with the participant's name, or the heir's for a
    /// death claim.
    pub fn new(draft: &Draft) -> Bank {
        let own_name = match &draft.fields.applicant {
            Some(heir) => heir.name.clone(),
            None => draft.fields.name.clone(),
        };
        let earlier = draft.bank.as_ref();
        Bank {
            step: Step::Choose,
            bank_code: earlier.map(|bank| bank.bank_code.clone()),
            account: earlier
                .map(|bank| bank.account_number.clone())
                .unwrap_or_default(),
            holder: earlier.map(|bank| bank.holder.clone()).unwrap_or(own_name),
        }
    }

    /// The question on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    fn account_check(&self, ctx: &Context<'_>) -> Check {
        let code = self.bank_code.as_deref().unwrap_or_default();
        check::account(&ctx.claim.banks, code, &self.account)
    }

    /// The account as answered, when the holder's name is one.
    fn record(&self) -> Option<Action<Message>> {
        let (check, holder) = check::name(&self.holder);
        match (check.accepts(), holder, self.bank_code.clone()) {
            (true, Some(holder), Some(bank_code)) => Some(Action::Record(
                Change::Bank(BankAccount {
                    bank_code,
                    account_number: self.account.clone(),
                    holder,
                }),
                Target::Documents,
            )),
            _ => None,
        }
    }

    /// Handles a tap.
    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Action<Message> {
        match (self.step, message) {
            (_, Message::WayOut(end)) => return Action::WayOut(end),
            (Step::Choose, Message::BankChosen(code)) => {
                if self.bank_code.as_deref() != Some(code.as_str()) {
                    self.account.clear();
                }
                self.bank_code = Some(code);
                self.step = Step::Account;
            }
            (Step::Account, Message::KeyPressed(key)) => apply(key, &mut self.account, 20),
            (Step::Holder, Message::KeyPressed(key)) => apply(key, &mut self.holder, 60),
            (Step::Account, Message::ChangeHolder) => self.step = Step::Holder,
            // The holder shown is right: the account is recorded at once; a name that is not one (nothing
            // pre-filled) is asked on the keyboard.
            (Step::Account, Message::Next) if self.account_check(ctx).accepts() => {
                match self.record() {
                    Some(action) => return action,
                    None => self.step = Step::Holder,
                }
            }
            (Step::Holder, Message::Next) => {
                if self.account_check(ctx).accepts()
                    && let Some(action) = self.record()
                {
                    return action;
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
    pub fn view(&self, ctx: &Context<'_>) -> Element<'_, Message> {
        let (t, banks) = (ctx.t, &ctx.claim.banks);
        match self.step {
            Step::Choose => {
                let banks: Vec<Element<'_, Message>> = banks
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
                let not_listed = Message::WayOut(DeadEnd::BankNotListed);
                let navigation = row![
                    nav_button(t.tr("ui-back"), Some(Message::Back), false),
                    space::horizontal(),
                    way_out_button(t, DeadEnd::BankNotListed, not_listed),
                ];
                layout(left, None, navigation.into())
            }
            Step::Account => {
                let check = self.account_check(ctx);
                let unknown = Message::WayOut(DeadEnd::AccountUnknown);
                let bank = self
                    .bank_code
                    .as_deref()
                    .and_then(|code| banks.by_code(code));
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
                let holder = holder::line(t, &self.holder);
                let left = column![
                    heading(t.tr("ui-bank-account-question")),
                    text(help).size(theme::BODY),
                    field(t, &self.account, &check),
                    holder,
                ]
                .spacing(theme::GAP);
                layout(
                    left,
                    Some(keypad(Message::KeyPressed, t)),
                    row![
                        nav_button(t.tr("ui-back"), Some(Message::Back), false),
                        space::horizontal(),
                        way_out_button(t, DeadEnd::AccountUnknown, unknown),
                        nav_button(
                            t.tr("ui-next"),
                            check.accepts().then_some(Message::Next),
                            true
                        ),
                    ]
                    .spacing(16)
                    .into(),
                )
            }
            Step::Holder => {
                let (check, _) = check::name(&self.holder);
                // The rule as the page's one line: a help line under it would push the keyboard's last row
                // off an 800-pixel-high screen.
                keyboard_page(
                    t,
                    (t.tr("ui-bank-holder-help"), None),
                    (&self.holder, &check),
                    (Layout::Name, Message::KeyPressed),
                    navigation(t, Message::Back, check.accepts().then_some(Message::Next)),
                )
            }
        }
    }
}

mod holder;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::context::fixture::Fixture;

    fn press(screen: &mut Bank, ctx: &Context<'_>, keys: &str) {
        for c in keys.chars() {
            screen.update(Message::KeyPressed(Key::Char(c)), ctx);
        }
    }

    #[test]
    fn lanjut_on_the_account_number_records_it_with_the_holder_prefilled_from_the_name() {
        let mut fixture = Fixture::new();
        fixture.draft.fields.name = "SITI AMINAH".to_owned();
        let ctx = fixture.context();
        let mut screen = Bank::new(ctx.draft);
        screen.update(Message::BankChosen("014".to_owned()), &ctx);
        assert_eq!(screen.step(), Step::Account);
        press(&mut screen, &ctx, "1234567890");
        // The pre-filled holder is right: "Lanjut" on the number records the account, no separate step.
        assert_eq!(
            screen.update(Message::Next, &ctx),
            Action::Record(
                Change::Bank(BankAccount {
                    bank_code: "014".to_owned(),
                    account_number: "1234567890".to_owned(),
                    holder: "SITI AMINAH".to_owned(),
                }),
                Target::Documents
            )
        );
    }

    #[test]
    fn a_death_claims_holder_is_prefilled_with_the_heirs_name_not_the_deceaseds() {
        let mut fixture = Fixture::new();
        fixture.draft.fields.name = "SITI AMINAH".to_owned();
        fixture.draft.fields.applicant = Some(crate::claim::Applicant {
            nik: "3174014505900002".to_owned(),
            name: "ANDI".to_owned(),
            relationship: crate::claim::HeirRelationship::Child,
        });
        assert_eq!(Bank::new(&fixture.draft).holder, "ANDI");
    }

    #[test]
    fn an_account_of_the_wrong_length_for_the_bank_does_not_go_on() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let length = ctx
            .claim
            .banks
            .by_code("014")
            .expect("BCA in the shipped table")
            .account_length;
        let mut screen = Bank::new(ctx.draft);
        screen.update(Message::BankChosen("014".to_owned()), &ctx);
        press(&mut screen, &ctx, &"1".repeat(length - 1));
        assert_eq!(screen.update(Message::Next, &ctx), Action::None);
        assert_eq!(screen.step(), Step::Account);
        // Another bank clears the number typed for the first one.
        screen.update(Message::Back, &ctx);
        screen.update(Message::BankChosen("009".to_owned()), &ctx);
        assert!(screen.account.is_empty());
        screen.update(Message::Back, &ctx);
        assert_eq!(
            screen.update(Message::Back, &ctx),
            Action::Show(Target::Contact)
        );
    }

    #[test]
    fn ubah_nama_changes_the_holder_on_the_keyboard_and_an_empty_name_is_asked_for() {
        let mut fixture = Fixture::new();
        fixture.draft.fields.name = "SITI AMINAH".to_owned();
        let ctx = fixture.context();
        let mut screen = Bank::new(ctx.draft);
        screen.update(Message::BankChosen("014".to_owned()), &ctx);
        press(&mut screen, &ctx, "1234567890");
        screen.update(Message::ChangeHolder, &ctx);
        assert_eq!(screen.step(), Step::Holder);
        screen.update(Message::KeyPressed(Key::Clear), &ctx);
        // No name: "Lanjut" records nothing.
        assert_eq!(screen.update(Message::Next, &ctx), Action::None);
        press(&mut screen, &ctx, "SITI");
        screen.update(Message::KeyPressed(Key::Space), &ctx);
        press(&mut screen, &ctx, "A");
        // "Kembali" keeps the name typed and shows the number again.
        screen.update(Message::Back, &ctx);
        assert_eq!(screen.step(), Step::Account);
        assert_eq!(screen.holder, "SITI A");
        assert_eq!(
            screen.update(Message::Next, &ctx),
            Action::Record(
                Change::Bank(BankAccount {
                    bank_code: "014".to_owned(),
                    account_number: "1234567890".to_owned(),
                    holder: "SITI A".to_owned(),
                }),
                Target::Documents
            )
        );
        // Nothing pre-filled (no name known): the number's "Lanjut" asks the holder on the keyboard.
        let mut fixture = Fixture::new();
        fixture.draft.fields.name = String::new();
        let ctx = fixture.context();
        let mut screen = Bank::new(ctx.draft);
        screen.update(Message::BankChosen("014".to_owned()), &ctx);
        press(&mut screen, &ctx, "1234567890");
        assert_eq!(screen.update(Message::Next, &ctx), Action::None);
        assert_eq!(screen.step(), Step::Holder);
    }
}
