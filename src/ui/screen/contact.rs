//! Contact: for a death claim first the heir who applies (NIK, name, relationship), then the mobile number
//! (keypad, "08" already typed), an e-mail address only when the participant asks to add one (keyboard),
//! whether the JHT balance is above the NPWP threshold and, if so, the NPWP (keypad).

use iced::Element;
use iced::widget::{column, row, space, text};

use super::{
    Action, Target, choice, keyboard_page, keypad_page, layout, nav_button, navigation, question,
};
use crate::claim::{Applicant, HeirRelationship, Reason};
use crate::ui::Context;
use crate::ui::check;
use crate::ui::draft::{Change, Draft};
use crate::ui::help::DeadEnd;
use crate::ui::theme;
use crate::ui::widget::keyboard::Layout;
use crate::ui::widget::{Key, apply};

/// The words shown for an heir's relationship to the worker.
pub fn relationship_id(relationship: HeirRelationship) -> &'static str {
    match relationship {
        HeirRelationship::Spouse => "ui-heir-spouse",
        HeirRelationship::Child => "ui-heir-child",
        HeirRelationship::Parent => "ui-heir-parent",
        HeirRelationship::Grandparent => "ui-heir-grandparent",
        HeirRelationship::Grandchild => "ui-heir-grandchild",
        HeirRelationship::Sibling => "ui-heir-sibling",
        HeirRelationship::ParentInLaw => "ui-heir-parent-in-law",
        HeirRelationship::NamedInWill => "ui-heir-named-in-will",
    }
}

/// The question on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Death claims: type the heir's NIK.
    HeirNik,
    /// Death claims: type the heir's name.
    HeirName,
    /// Death claims: choose the heir's relationship to the worker.
    HeirRelationship,
    /// Type the mobile number ("08" already typed); an e-mail address may be added from here.
    Phone,
    /// Type an e-mail address (asked for with "Tambah e-mail"), or go on without one.
    Email,
    /// "Saldo JHT di atas Rp50 juta?" yes or no.
    Balance,
    /// Type the NPWP (the balance is above the threshold).
    Npwp,
}

/// The contact screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    step: Step,
    death: bool,
    heir_nik: String,
    heir_name: String,
    relationship: Option<HeirRelationship>,
    phone: String,
    email: String,
    above_threshold: bool,
    npwp: String,
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
    /// "Tambah e-mail (tidak wajib)" under the phone number.
    AddEmail,
    /// The heir chose a relationship.
    Relationship(HeirRelationship),
    /// The answer to "Saldo JHT di atas Rp50 juta?".
    BalanceAbove(bool),
    /// A way out of a question the participant cannot answer now ("Saya tidak punya …").
    WayOut(crate::ui::help::DeadEnd),
}

impl Contact {
    /// Starts at the heir (death claims) or the phone number, pre-filled from the draft when coming back.
    pub fn new(draft: &Draft) -> Contact {
        let death = draft
            .reason
            .as_ref()
            .is_some_and(|details| details.reason == Reason::Death);
        let applicant = draft.fields.applicant.clone();
        let relationship = applicant.as_ref().map(|a| a.relationship);
        let (heir_nik, heir_name) = applicant.map(|a| (a.nik, a.name)).unwrap_or_default();
        Contact {
            step: if death { Step::HeirNik } else { Step::Phone },
            death,
            heir_nik,
            heir_name,
            relationship,
            phone: phone::prefilled(&draft.fields.phone),
            email: draft.fields.email.clone(),
            above_threshold: draft.balance_above_npwp_threshold,
            npwp: draft.fields.npwp.clone(),
        }
    }

    /// The question on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    fn done(&self, ctx: &Context<'_>) -> Action<Message> {
        let Some(phone) = check::phone(&self.phone).1 else {
            return Action::None;
        };
        let applicant = if self.death {
            match (
                check::nik_in(ctx.claim.regions, &self.heir_nik, ctx.today)
                    .0
                    .accepts(),
                check::name(&self.heir_name).1,
                self.relationship,
            ) {
                (true, Some(name), Some(relationship)) => Some(Applicant {
                    nik: self.heir_nik.clone(),
                    name,
                    relationship,
                }),
                _ => return Action::None,
            }
        } else {
            None
        };
        let npwp = if self.above_threshold {
            match check::npwp(&self.npwp) {
                (check, Some(npwp)) if check.accepts() => npwp,
                _ => return Action::None,
            }
        } else {
            String::new()
        };
        Action::Record(
            Change::Contact {
                applicant,
                phone,
                email: self.email.clone(),
                balance_above_npwp_threshold: self.above_threshold,
                npwp,
            },
            Target::Bank,
        )
    }

    /// Handles a key or a button; today's date decides the century of the heir's NIK.
    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Action<Message> {
        match (self.step, message) {
            (_, Message::WayOut(end)) => return Action::WayOut(end),
            (Step::HeirNik, Message::KeyPressed(key)) => apply(key, &mut self.heir_nik, 16),
            (Step::HeirName, Message::KeyPressed(key)) => apply(key, &mut self.heir_name, 60),
            (Step::Phone, Message::KeyPressed(key)) => apply(key, &mut self.phone, 13),
            (Step::Npwp, Message::KeyPressed(key)) => apply(key, &mut self.npwp, 16),
            (Step::Email, Message::KeyPressed(key)) => {
                let key = match key {
                    Key::Char(c) => Key::Char(c.to_ascii_lowercase()),
                    Key::Space => return Action::None,
                    other => other,
                };
                apply(key, &mut self.email, 80);
            }
            (Step::HeirNik, Message::Next)
                if check::nik_in(ctx.claim.regions, &self.heir_nik, ctx.today)
                    .0
                    .accepts() =>
            {
                self.step = Step::HeirName;
            }
            (Step::HeirName, Message::Next) if check::name(&self.heir_name).0.accepts() => {
                self.step = Step::HeirRelationship;
            }
            (Step::HeirRelationship, Message::Relationship(relationship)) => {
                self.relationship = Some(relationship);
                self.step = Step::Phone;
            }
            // The e-mail is asked only on request: "Lanjut" on the phone goes on to the balance.
            (Step::Phone, Message::Next) if check::phone(&self.phone).0.accepts() => {
                self.step = Step::Balance;
            }
            (Step::Phone, Message::AddEmail) if check::phone(&self.phone).0.accepts() => {
                self.step = Step::Email;
            }
            (Step::Email, Message::Next) if check::email(&self.email).accepts() => {
                self.step = Step::Balance;
            }
            (Step::Email, Message::SkipEmail) => {
                self.email.clear();
                self.step = Step::Balance;
            }
            (Step::Balance, Message::BalanceAbove(true)) => {
                self.above_threshold = true;
                self.step = Step::Npwp;
            }
            (Step::Balance, Message::BalanceAbove(false)) => {
                self.above_threshold = false;
                self.npwp.clear();
                return self.done(ctx);
            }
            (Step::Npwp, Message::Next) if check::npwp(&self.npwp).0.accepts() => {
                return self.done(ctx);
            }
            (Step::HeirNik, Message::Back) => return Action::Show(Target::Reason),
            (Step::HeirName, Message::Back) => self.step = Step::HeirNik,
            (Step::HeirRelationship, Message::Back) => self.step = Step::HeirName,
            (Step::Phone, Message::Back) if self.death => self.step = Step::HeirRelationship,
            (Step::Phone, Message::Back) => return Action::Show(Target::Reason),
            (Step::Email, Message::Back) => self.step = Step::Phone,
            (Step::Balance, Message::Back) if self.email.is_empty() => self.step = Step::Phone,
            (Step::Balance, Message::Back) => self.step = Step::Email,
            (Step::Npwp, Message::Back) => self.step = Step::Balance,
            _ => {}
        }
        Action::None
    }

    /// Draws the current question.
    pub fn view(&self, ctx: &Context<'_>) -> Element<'_, Message> {
        let t = ctx.t;
        let typed = |question_id: &str, help_id: &str, value: &str, check: check::Check| {
            keypad_page(
                t,
                (t.tr(question_id), Some(t.tr(help_id))),
                (value, &check),
                Message::KeyPressed,
                navigation(t, Message::Back, check.accepts().then_some(Message::Next)),
            )
        };
        match self.step {
            Step::HeirNik => typed(
                "ui-heir-nik-question",
                "ui-heir-nik-help",
                &self.heir_nik,
                check::nik_in(ctx.claim.regions, &self.heir_nik, ctx.today).0,
            ),
            Step::HeirName => {
                let (check, _) = check::name(&self.heir_name);
                keyboard_page(
                    t,
                    (t.tr("ui-heir-name-question"), None),
                    (&self.heir_name, &check),
                    (Layout::Name, Message::KeyPressed),
                    navigation(t, Message::Back, check.accepts().then_some(Message::Next)),
                )
            }
            Step::HeirRelationship => {
                // Eight choices in two columns, in the order the law calls heirs.
                let mut left =
                    column![question(t, "ui-heir-relationship-question")].spacing(theme::GAP);
                for pair in HeirRelationship::ALL.chunks(2) {
                    let mut line = row![].spacing(theme::GAP);
                    for &relationship in pair {
                        line = line.push(choice(
                            t.tr(relationship_id(relationship)),
                            Message::Relationship(relationship),
                            self.relationship == Some(relationship),
                        ));
                    }
                    left = left.push(line);
                }
                layout(left, None, navigation(t, Message::Back, None))
            }
            Step::Phone => phone::view(t, &self.phone),
            Step::Email => {
                let check = check::email(&self.email);
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
                keyboard_page(
                    t,
                    (t.tr("ui-contact-email-question"), None),
                    (&self.email, &check),
                    (Layout::Email, Message::KeyPressed),
                    navigation,
                )
            }
            Step::Balance => {
                let left = column![
                    question(t, "ui-balance-question"),
                    text(t.tr("ui-balance-help")).size(theme::BODY),
                    row![
                        choice(
                            t.tr("ui-balance-above"),
                            Message::BalanceAbove(true),
                            self.above_threshold
                        ),
                        choice(
                            t.tr("ui-balance-not-above"),
                            Message::BalanceAbove(false),
                            false
                        ),
                        choice(
                            t.tr(DeadEnd::BalanceUnknown.ids().0),
                            Message::WayOut(DeadEnd::BalanceUnknown),
                            false
                        ),
                    ]
                    .spacing(theme::GAP),
                ]
                .spacing(theme::GAP);
                layout(left, None, navigation(t, Message::Back, None))
            }
            Step::Npwp => typed(
                "ui-npwp-question",
                "ui-npwp-help",
                &self.npwp,
                check::npwp(&self.npwp).0,
            ),
        }
    }
}

mod phone;

#[cfg(test)]
mod tests;
