//! Identity: the NIK (typed on the keypad, checked as it is typed), the date of birth and sex it encodes
//! (confirmed by the participant), the KPJ number, the name and the mother's maiden name. One question at a
//! time.

use iced::Element;
use iced::widget::{column, row, text};

use super::{Action, Target, choice, keyboard_page, keypad_page, layout, navigation, question};
use crate::claim::Sex;
use crate::i18n::MessageArg;
use crate::ui::Context;
use crate::ui::check::{self, NikFacts};
use crate::ui::draft::{Change, Draft};
use crate::ui::theme;
use crate::ui::widget::keyboard::Layout;
use crate::ui::widget::{Key, apply};

/// The question on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Type the NIK.
    Nik,
    /// Confirm the date of birth and sex read from the NIK.
    Confirm,
    /// Type the KPJ number.
    Kpj,
    /// Type the name as on the e-KTP.
    Name,
    /// Type the mother's maiden name (the F5 form's security question).
    Mother,
}

/// The identity screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    step: Step,
    nik: String,
    facts: Option<NikFacts>,
    kpj: String,
    name: String,
    mother: String,
}

/// What the participant does on the identity screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A key on the keypad or keyboard.
    KeyPressed(Key),
    /// "Lanjut".
    Next,
    /// "Kembali".
    Back,
    /// "Ya, benar": the date of birth and sex are right.
    Confirmed,
    /// "Tidak": the NIK must be typed again.
    NotMine,
}

impl Identity {
    /// Starts at the NIK, or with the answers already in the draft when coming back to change them.
    pub fn new(draft: &Draft) -> Identity {
        Identity {
            step: Step::Nik,
            nik: draft.fields.nik.clone(),
            facts: None,
            kpj: draft.fields.kpj.clone(),
            name: draft.fields.name.clone(),
            mother: draft.fields.mother_maiden_name.clone(),
        }
    }

    /// The question on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    /// Handles a key or a button; today's date decides the century of the NIK's two-digit year, the
    /// configured claim facts decide the region codes and the KPJ length.
    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Action<Message> {
        let (today, regions, kpj_length) = (ctx.today, ctx.claim.regions, ctx.claim.kpj);
        match (self.step, message) {
            (Step::Nik, Message::KeyPressed(key)) => apply(key, &mut self.nik, 16),
            (Step::Kpj, Message::KeyPressed(key)) => apply(key, &mut self.kpj, kpj_length.max()),
            (Step::Name, Message::KeyPressed(key)) => apply(key, &mut self.name, 60),
            (Step::Mother, Message::KeyPressed(key)) => apply(key, &mut self.mother, 60),
            (Step::Nik, Message::Next) => {
                let (check, facts) = check::nik_in(regions, &self.nik, today);
                if check.accepts() {
                    self.facts = facts;
                    self.step = Step::Confirm;
                }
            }
            (Step::Confirm, Message::Confirmed) => self.step = Step::Kpj,
            (Step::Confirm, Message::NotMine) => {
                self.facts = None;
                self.step = Step::Nik;
            }
            (Step::Kpj, Message::Next) if check::kpj(&self.kpj, kpj_length).accepts() => {
                self.step = Step::Name;
            }
            (Step::Name, Message::Next) if check::name(&self.name).0.accepts() => {
                self.step = Step::Mother;
            }
            (Step::Mother, Message::Next) => {
                let (_, name) = check::name(&self.name);
                let (mother_check, mother) = check::mother_maiden_name(&self.mother);
                if let (true, Some(name), Some(mother_maiden_name), Some(facts)) =
                    (mother_check.accepts(), name, mother, self.facts)
                {
                    return Action::Record(
                        Change::Identity {
                            nik: self.nik.clone(),
                            date_of_birth: facts.date_of_birth,
                            sex: facts.sex,
                            kpj: self.kpj.clone(),
                            name,
                            mother_maiden_name,
                        },
                        Target::Reason,
                    );
                }
            }
            (Step::Nik, Message::Back) => return Action::Show(Target::Consent),
            (Step::Confirm, Message::Back) => self.step = Step::Nik,
            (Step::Kpj, Message::Back) => self.step = Step::Confirm,
            (Step::Name, Message::Back) => self.step = Step::Kpj,
            (Step::Mother, Message::Back) => self.step = Step::Name,
            _ => {}
        }
        Action::None
    }

    /// Draws the current question.
    pub fn view(&self, ctx: &Context<'_>) -> Element<'_, Message> {
        let t = ctx.t;
        let next_if = |ok: bool| navigation(t, Message::Back, ok.then_some(Message::Next));
        match self.step {
            Step::Nik => {
                let (check, _) = check::nik_in(ctx.claim.regions, &self.nik, ctx.today);
                keypad_page(
                    t,
                    (
                        t.tr("ui-identity-nik-question"),
                        Some(t.tr("ui-identity-nik-help")),
                    ),
                    (&self.nik, &check),
                    Message::KeyPressed,
                    next_if(check.accepts()),
                )
            }
            Step::Confirm => {
                let (born, sex) = match self.facts {
                    Some(facts) => (
                        t.date(facts.date_of_birth),
                        t.tr(match facts.sex {
                            Sex::Male => "ui-sex-male",
                            Sex::Female => "ui-sex-female",
                        }),
                    ),
                    None => (String::new(), String::new()),
                };
                let left = column![
                    question(t, "ui-identity-confirm-question"),
                    text(t.tr_args("ui-identity-born", &[("date", MessageArg::Text(born))]))
                        .size(36),
                    text(t.tr_args("ui-identity-sex", &[("sex", MessageArg::Text(sex))])).size(36),
                    row![
                        choice(t.tr("ui-yes-correct"), Message::Confirmed, false),
                        choice(t.tr("ui-no-change"), Message::NotMine, false),
                    ]
                    .spacing(theme::GAP),
                ]
                .spacing(theme::GAP);
                layout(left, None, navigation(t, Message::Back, None))
            }
            Step::Kpj => {
                let check = check::kpj(&self.kpj, ctx.claim.kpj);
                keypad_page(
                    t,
                    (
                        t.tr("ui-identity-kpj-question"),
                        Some(t.tr("ui-identity-kpj-help")),
                    ),
                    (&self.kpj, &check),
                    Message::KeyPressed,
                    next_if(check.accepts()),
                )
            }
            Step::Name => {
                let (check, _) = check::name(&self.name);
                keyboard_page(
                    t,
                    (t.tr("ui-identity-name-question"), None),
                    (&self.name, &check),
                    (Layout::Name, Message::KeyPressed),
                    next_if(check.accepts()),
                )
            }
            Step::Mother => {
                let (check, _) = check::mother_maiden_name(&self.mother);
                keyboard_page(
                    t,
                    (t.tr("ui-identity-mother-question"), None),
                    (&self.mother, &check),
                    (Layout::Name, Message::KeyPressed),
                    next_if(check.accepts()),
                )
            }
        }
    }

    /// What is wrong with the answer typed on the current step, as the message id shown under it (`None`
    /// while it is acceptable or still being typed): the kiosk speaks it.
    pub fn problem(&self, ctx: &Context<'_>) -> Option<&'static str> {
        let check = match self.step {
            Step::Nik => check::nik_in(ctx.claim.regions, &self.nik, ctx.today).0,
            Step::Kpj => check::kpj(&self.kpj, ctx.claim.kpj),
            Step::Name => check::name(&self.name).0,
            Step::Mother => check::mother_maiden_name(&self.mother).0,
            Step::Confirm => return None,
        };
        match check {
            check::Check::Invalid(note) => Some(note.id()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::validate::KpjLength;
    use crate::ui::context::fixture::Fixture;

    const NIK: &str = "3174015203850001";

    fn press(screen: &mut Identity, ctx: &Context<'_>, keys: &str) {
        for c in keys.chars() {
            let key = if c == ' ' { Key::Space } else { Key::Char(c) };
            assert_eq!(screen.update(Message::KeyPressed(key), ctx), Action::None);
        }
    }

    /// From the NIK to the KPJ question.
    fn at_kpj(ctx: &Context<'_>) -> Identity {
        let mut screen = Identity::new(ctx.draft);
        press(&mut screen, ctx, NIK);
        screen.update(Message::Next, ctx);
        assert_eq!(screen.step(), Step::Confirm);
        screen.update(Message::Confirmed, ctx);
        assert_eq!(screen.step(), Step::Kpj);
        screen
    }

    #[test]
    fn the_answers_are_recorded_with_the_birth_date_and_sex_from_the_nik() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut screen = at_kpj(&ctx);
        press(&mut screen, &ctx, "12345678901");
        screen.update(Message::Next, &ctx);
        press(&mut screen, &ctx, "siti  aminah");
        screen.update(Message::Next, &ctx);
        assert_eq!(screen.step(), Step::Mother);
        // "Lanjut" does nothing while the mother's maiden name is empty.
        assert_eq!(screen.update(Message::Next, &ctx), Action::None);
        press(&mut screen, &ctx, "SRI WAHYUNI");
        assert_eq!(
            screen.update(Message::Next, &ctx),
            Action::Record(
                Change::Identity {
                    nik: NIK.to_owned(),
                    date_of_birth: chrono::NaiveDate::from_ymd_opt(1985, 3, 12).expect("a date"),
                    sex: Sex::Female,
                    kpj: "12345678901".to_owned(),
                    name: "SITI AMINAH".to_owned(),
                    mother_maiden_name: "SRI WAHYUNI".to_owned(),
                },
                Target::Reason
            )
        );
    }

    #[test]
    fn a_wrong_nik_does_not_go_on_and_not_mine_asks_it_again() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut screen = Identity::new(ctx.draft);
        press(&mut screen, &ctx, "3174015203850000");
        screen.update(Message::Next, &ctx);
        assert_eq!(screen.step(), Step::Nik);
        let mut screen = Identity::new(ctx.draft);
        press(&mut screen, &ctx, NIK);
        screen.update(Message::Next, &ctx);
        screen.update(Message::NotMine, &ctx);
        assert_eq!(screen.step(), Step::Nik);
        assert_eq!(
            screen.update(Message::Back, &ctx),
            Action::Show(Target::Consent)
        );
    }

    #[test]
    fn the_kpj_follows_the_configured_length_not_a_fixed_one() {
        let mut fixture = Fixture::new();
        fixture.claim.kpj = KpjLength::new(14, 16).expect("a length");
        let ctx = fixture.context();
        let mut screen = at_kpj(&ctx);
        // Thirteen digits, the most the shipped default takes, are too few on this kiosk.
        press(&mut screen, &ctx, "1234567890123");
        screen.update(Message::Next, &ctx);
        assert_eq!(screen.step(), Step::Kpj);
        // Sixteen are accepted, and a seventeenth key is not taken.
        press(&mut screen, &ctx, "4567");
        assert_eq!(screen.kpj, "1234567890123456");
        screen.update(Message::Next, &ctx);
        assert_eq!(screen.step(), Step::Name);

        let mut fixture = Fixture::new();
        fixture.claim.kpj = KpjLength::new(8, 8).expect("a length");
        let ctx = fixture.context();
        let mut screen = at_kpj(&ctx);
        press(&mut screen, &ctx, "1234567890");
        assert_eq!(screen.kpj, "12345678");
        screen.update(Message::Next, &ctx);
        assert_eq!(screen.step(), Step::Name);
    }
}
