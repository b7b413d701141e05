//! Contact: for a death claim first the heir who applies (NIK, name, relationship), then the mobile number
//! (keypad), an e-mail address if the participant has one (keyboard), whether the JHT balance is above the
//! NPWP threshold and, if so, the NPWP (keypad).

use iced::Element;
use iced::widget::{column, row, space, text};

use super::{
    Action, Target, choice, keyboard_page, keypad_page, layout, nav_button, navigation, question,
};
use crate::claim::{Applicant, HeirRelationship, Reason};
use crate::ui::Context;
use crate::ui::check;
use crate::ui::draft::{Change, Draft};
use crate::ui::help::{DeadEnd, way_out_button};
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
    /// Type the mobile number.
    Phone,
    /// Type an e-mail address, or skip.
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
            phone: national_form(&draft.fields.phone),
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
            (Step::Phone, Message::Next) if check::phone(&self.phone).0.accepts() => {
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
            Step::Phone => {
                let check = check::phone(&self.phone).0;
                let no_phone = Message::WayOut(DeadEnd::NoPhone);
                keypad_page(
                    t,
                    (
                        t.tr("ui-contact-phone-question"),
                        Some(t.tr("ui-contact-phone-help")),
                    ),
                    (&self.phone, &check),
                    Message::KeyPressed,
                    row![
                        nav_button(t.tr("ui-back"), Some(Message::Back), false),
                        space::horizontal(),
                        way_out_button(t, DeadEnd::NoPhone, no_phone),
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

/// `+628…` back to the `08…` form people type.
fn national_form(phone: &str) -> String {
    match phone.strip_prefix("+62") {
        Some(rest) => format!("0{rest}"),
        None => phone.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::ReasonDetails;
    use crate::ui::context::test_context;

    fn draft_for(reason: Reason) -> Draft {
        Draft {
            reason: Some(ReasonDetails {
                reason,
                event_date: chrono::NaiveDate::from_ymd_opt(2026, 8, 1),
                membership_start: None,
            }),
            ..Draft::default()
        }
    }

    fn type_text(screen: &mut Contact, text: &str) {
        for c in text.chars() {
            let key = if c == ' ' { Key::Space } else { Key::Char(c) };
            assert_eq!(
                screen.update(Message::KeyPressed(key), &test_context()),
                Action::None
            );
        }
    }

    #[test]
    fn a_death_claim_asks_the_heir_first_and_records_them() {
        let mut screen = Contact::new(&draft_for(Reason::Death));
        assert_eq!(screen.step(), Step::HeirNik);
        type_text(&mut screen, "3174014505900002");
        screen.update(Message::Next, &test_context());
        assert_eq!(screen.step(), Step::HeirName);
        type_text(&mut screen, "ANDI");
        screen.update(Message::Next, &test_context());
        assert_eq!(screen.step(), Step::HeirRelationship);
        screen.update(
            Message::Relationship(HeirRelationship::Child),
            &test_context(),
        );
        assert_eq!(screen.step(), Step::Phone);
        type_text(&mut screen, "081234567890");
        screen.update(Message::Next, &test_context());
        screen.update(Message::SkipEmail, &test_context());
        let Action::Record(
            Change::Contact {
                applicant: Some(applicant),
                phone,
                ..
            },
            Target::Bank,
        ) = screen.update(Message::BalanceAbove(false), &test_context())
        else {
            panic!("the heir was not recorded");
        };
        assert_eq!(applicant.nik, "3174014505900002");
        assert_eq!(applicant.name, "ANDI");
        assert_eq!(applicant.relationship, HeirRelationship::Child);
        assert_eq!(phone, "+6281234567890");
    }

    #[test]
    fn the_email_keyboard_fits_under_the_question_with_full_height_keys() {
        let mut screen = Contact::new(&draft_for(Reason::Resign));
        type_text(&mut screen, "081234567890");
        screen.update(Message::Next, &test_context());
        assert_eq!(screen.step(), Step::Email);
        let t = crate::i18n::Translator::new(crate::i18n::Language::Id);
        // The body of a 1280x800 window: under the 88-pixel header, inside 32 pixels of padding.
        let body = iced::Size::new(1280.0 - 64.0, 800.0 - 88.0 - 64.0);
        let mut ui =
            iced_test::Simulator::with_size(theme::settings(), body, screen.view(&test_context()));
        let labels = [
            "1".to_owned(),
            "Q".to_owned(),
            "Z".to_owned(),
            t.tr("ui-key-clear"),
            t.tr("ui-key-erase"),
        ];
        let mut bottoms = Vec::new();
        for label in labels {
            let key = ui.find(label.as_str()).unwrap();
            let bounds = key.bounds();
            // The label fills its key inside the button's 5-pixel padding.
            assert!(
                bounds.height >= theme::TOUCH - 10.0,
                "{label:?} is squeezed: {bounds:?}"
            );
            let visible = key.visible_bounds().unwrap();
            assert!(
                visible.height >= bounds.height - 0.5 && visible.width >= bounds.width - 0.5,
                "{label:?} is clipped: {visible:?} of {bounds:?}"
            );
            bottoms.push(bounds.y + bounds.height);
        }
        let navigation = ui.find(t.tr("ui-contact-no-email").as_str()).unwrap();
        let lowest_key = bottoms.into_iter().fold(0.0, f32::max);
        assert!(lowest_key + theme::GAP <= navigation.bounds().y + 1.0);
    }

    #[test]
    fn a_balance_above_the_threshold_needs_a_valid_npwp() {
        let mut screen = Contact::new(&draft_for(Reason::Resign));
        assert_eq!(screen.step(), Step::Phone);
        type_text(&mut screen, "081234567890");
        screen.update(Message::Next, &test_context());
        screen.update(Message::SkipEmail, &test_context());
        assert_eq!(screen.step(), Step::Balance);
        screen.update(Message::BalanceAbove(true), &test_context());
        assert_eq!(screen.step(), Step::Npwp);
        type_text(&mut screen, "01234567890123");
        // 14 digits: not an NPWP yet.
        assert_eq!(screen.update(Message::Next, &test_context()), Action::None);
        type_text(&mut screen, "4");
        let Action::Record(
            Change::Contact {
                applicant,
                balance_above_npwp_threshold,
                npwp,
                ..
            },
            Target::Bank,
        ) = screen.update(Message::Next, &test_context())
        else {
            panic!("a valid NPWP was not recorded");
        };
        assert!(applicant.is_none());
        assert!(balance_above_npwp_threshold);
        assert_eq!(npwp, "012345678901234");
    }
}
