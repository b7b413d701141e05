//! Identity: first whom the claim is for ("Saya sendiri" or "Keluarga yang meninggal": then the reason is the
//! death and the questions are worded as the deceased's), then the NIK (typed on the keypad, checked as it is
//! typed), the date of birth and sex it encodes (confirmed by the participant), the KPJ number, the name and
//! the mother's maiden name. One question at a time. When the kiosk reads the cards ([`reading`]), the
//! participant's own claim starts with the e-KTP's photo and the KPJ card's, and the participant confirms
//! what was read; the keypad remains for corrections and for whatever was doubtful.

use iced::Element;
use iced::widget::{column, row, space, text};

use super::{
    Action, Target, choice, documents, keyboard_page, keypad_page, layout, nav_button, navigation,
    question,
};
use crate::claim::{Reason, ReasonDetails, Sex};
use crate::i18n::MessageArg;
use crate::ui::Context;
use crate::ui::check::{self, NikFacts};
use crate::ui::draft::{Change, Draft};
use crate::ui::help::{DeadEnd, way_out_button};
use crate::ui::theme;
use crate::ui::widget::keyboard::Layout;
use crate::ui::widget::{Key, apply};

pub mod reading;

/// The question on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Whom the claim is for: the participant, or a family member who died.
    Whom,
    /// Photograph the e-KTP (then it is read).
    EktpPhoto,
    /// Confirm what was read from the e-KTP.
    EktpRead,
    /// Type the NIK.
    Nik,
    /// Confirm the date of birth and sex read from the NIK.
    Confirm,
    /// Photograph the KPJ card (then it is read).
    KpjPhoto,
    /// Confirm the KPJ number read from the card.
    KpjRead,
    /// Type the KPJ number.
    Kpj,
    /// Type the name as on the e-KTP.
    Name,
    /// Type the mother's maiden name (the F5 form's security question).
    Mother,
}

/// The identity screen's state.
#[derive(Debug, Clone)]
pub struct Identity {
    step: Step,
    nik: String,
    facts: Option<NikFacts>,
    kpj: String,
    name: String,
    /// The place of birth read from the e-KTP and confirmed with "Benar" (never typed: empty otherwise).
    place: String,
    mother: String,
    cards: reading::Cards,
}

/// What the participant does on the identity screen.
#[derive(Debug, Clone)]
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
    /// A way out of a question the participant cannot answer now ("Saya tidak punya …").
    WayOut(crate::ui::help::DeadEnd),
    /// "Saya sendiri": the claim is the participant's own.
    ForSelf,
    /// "Keluarga yang meninggal": an heir claims for a worker who died.
    ForDeceased,
    /// The camera view of the card being photographed (the documents screen's own messages).
    Photo(documents::Message),
    /// The card photographed was read.
    Read(reading::Read),
    /// "Ketik sendiri": type instead of photographing the card.
    TypeInstead,
    /// "Benar": what was read is right.
    ReadRight,
    /// "Ubah": correct what was read on the keypad.
    ReadChange,
}

/// The words of each question: the participant's own, or the deceased's (a death claim).
fn wording(death: bool, own: &'static str, deceased: &'static str) -> &'static str {
    if death { deceased } else { own }
}

/// Whether the draft is a death claim (the heir chose "Keluarga yang meninggal").
pub fn for_deceased(draft: &Draft) -> bool {
    draft
        .reason
        .as_ref()
        .is_some_and(|details| details.reason == Reason::Death)
}

impl Identity {
    /// Starts at whom the claim is for, or at the NIK with the answers already in the draft when coming back
    /// to change them.
    pub fn new(draft: &Draft) -> Identity {
        Identity {
            step: if draft.fields.nik.is_empty() {
                Step::Whom
            } else {
                Step::Nik
            },
            nik: draft.fields.nik.clone(),
            facts: None,
            kpj: draft.fields.kpj.clone(),
            name: draft.fields.name.clone(),
            place: draft.fields.place_of_birth.clone(),
            mother: draft.fields.mother_maiden_name.clone(),
            cards: reading::Cards::default(),
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
        let message = match self.update_cards(message, ctx) {
            Ok(action) => return action,
            Err(message) => message,
        };
        match (self.step, message) {
            (Step::Whom, Message::ForSelf) => {
                self.start_cards(ctx);
                // A death claim chosen earlier no longer holds: the reason is asked again.
                if for_deceased(ctx.draft) {
                    return Action::Keep(Change::ForgetReason);
                }
            }
            (Step::Whom, Message::ForDeceased) => {
                // The heir types the deceased's numbers: the cards are not read for a death claim.
                self.cards = reading::Cards::default();
                self.place.clear();
                self.step = Step::Nik;
                if !for_deceased(ctx.draft) {
                    return Action::Keep(Change::Reason(ReasonDetails {
                        reason: Reason::Death,
                        event_date: None,
                        membership_start: None,
                    }));
                }
            }
            (_, Message::WayOut(end)) => return Action::WayOut(end),
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
            (Step::Confirm, Message::Confirmed) => self.go_to_kpj(ctx),
            (Step::Confirm, Message::NotMine) => {
                self.facts = None;
                self.step = Step::Nik;
            }
            (Step::Kpj, Message::Next) if check::kpj(&self.kpj, kpj_length).accepts() => {
                self.after_kpj();
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
                            place_of_birth: self.place.clone(),
                            mother_maiden_name,
                        },
                        Target::Reason,
                    );
                }
            }
            (Step::Whom, Message::Back) => return Action::Show(Target::Consent),
            (Step::Nik, Message::Back) => {
                let to_photo = self.back_to_photo(Step::EktpPhoto, ctx);
                if !to_photo {
                    self.step = Step::Whom;
                }
            }
            (Step::Confirm, Message::Back) => self.step = Step::Nik,
            (Step::Kpj, Message::Back) => {
                let to_photo = self.back_to_photo(Step::KpjPhoto, ctx);
                if !to_photo {
                    self.step = Step::Confirm;
                }
            }
            (Step::Name, Message::Back) => self.step = Step::Kpj,
            (Step::Mother, Message::Back) if self.cards.name_confirmed => self.step = Step::Kpj,
            (Step::Mother, Message::Back) => self.step = Step::Name,
            _ => {}
        }
        Action::None
    }

    /// Draws the current question.
    pub fn view(&self, ctx: &Context<'_>) -> Element<'_, Message> {
        let t = ctx.t;
        let next_if = |ok: bool| navigation(t, Message::Back, ok.then_some(Message::Next));
        let death = for_deceased(ctx.draft);
        let words = |own, deceased| t.tr(wording(death, own, deceased));
        match self.step {
            Step::EktpPhoto | Step::EktpRead | Step::KpjPhoto | Step::KpjRead => {
                self.view_cards(ctx)
            }
            Step::Whom => {
                let left = column![
                    question(t, "ui-ways-whom-question"),
                    text(t.tr("ui-ways-whom-help")).size(theme::BODY),
                    row![
                        choice(t.tr("ui-ways-whom-self"), Message::ForSelf, false),
                        choice(t.tr("ui-ways-whom-deceased"), Message::ForDeceased, false),
                    ]
                    .spacing(theme::GAP),
                ]
                .spacing(theme::GAP);
                layout(left, None, navigation(t, Message::Back, None))
            }
            Step::Nik => {
                let (check, _) = check::nik_in(ctx.claim.regions, &self.nik, ctx.today);
                keypad_page(
                    t,
                    (
                        words("ui-identity-nik-question", "ui-ways-deceased-nik-question"),
                        Some(words("ui-identity-nik-help", "ui-ways-deceased-nik-help")),
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
                        words("ui-identity-kpj-question", "ui-ways-deceased-kpj-question"),
                        Some(words("ui-identity-kpj-help", "ui-ways-deceased-kpj-help")),
                    ),
                    (&self.kpj, &check),
                    Message::KeyPressed,
                    row![
                        nav_button(t.tr("ui-back"), Some(Message::Back), false),
                        space::horizontal(),
                        way_out_button(t, DeadEnd::NoKpj, Message::WayOut(DeadEnd::NoKpj)),
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
            Step::Name => {
                let (check, _) = check::name(&self.name);
                keyboard_page(
                    t,
                    (
                        words(
                            "ui-identity-name-question",
                            "ui-ways-deceased-name-question",
                        ),
                        None,
                    ),
                    (&self.name, &check),
                    (Layout::Name, Message::KeyPressed),
                    next_if(check.accepts()),
                )
            }
            Step::Mother => {
                let (check, _) = check::mother_maiden_name(&self.mother);
                keyboard_page(
                    t,
                    (
                        words(
                            "ui-identity-mother-question",
                            "ui-ways-deceased-mother-question",
                        ),
                        None,
                    ),
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
            Step::Whom
            | Step::Confirm
            | Step::EktpPhoto
            | Step::EktpRead
            | Step::KpjPhoto
            | Step::KpjRead => return None,
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

    /// From whom the claim is for to the KPJ question.
    fn at_kpj(ctx: &Context<'_>) -> Identity {
        let mut screen = at_nik(ctx);
        press(&mut screen, ctx, NIK);
        screen.update(Message::Next, ctx);
        assert_eq!(screen.step(), Step::Confirm);
        screen.update(Message::Confirmed, ctx);
        assert_eq!(screen.step(), Step::Kpj);
        screen
    }

    /// A claim for oneself, at the NIK question.
    fn at_nik(ctx: &Context<'_>) -> Identity {
        let mut screen = Identity::new(ctx.draft);
        assert_eq!(screen.step(), Step::Whom);
        assert_eq!(screen.update(Message::ForSelf, ctx), Action::None);
        assert_eq!(screen.step(), Step::Nik);
        screen
    }

    #[test]
    fn a_claim_for_a_deceased_family_member_records_a_death_claim_and_self_forgets_it() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut screen = Identity::new(ctx.draft);
        assert_eq!(
            screen.update(Message::ForDeceased, &ctx),
            Action::Keep(Change::Reason(ReasonDetails {
                reason: Reason::Death,
                event_date: None,
                membership_start: None,
            }))
        );
        assert_eq!(screen.step(), Step::Nik);
        // Back to the question, the other answer: the death claim is forgotten.
        screen.update(Message::Back, &ctx);
        assert_eq!(screen.step(), Step::Whom);
        let mut death = Fixture::new();
        death.draft.reason = Some(ReasonDetails {
            reason: Reason::Death,
            event_date: None,
            membership_start: None,
        });
        let ctx = death.context();
        assert_eq!(
            screen.update(Message::ForSelf, &ctx),
            Action::Keep(Change::ForgetReason)
        );
        assert_eq!(
            Identity::new(ctx.draft).update(Message::Back, &ctx),
            Action::Show(Target::Consent)
        );
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
                    place_of_birth: String::new(),
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
        let mut screen = at_nik(&ctx);
        press(&mut screen, &ctx, "3174015203850000");
        screen.update(Message::Next, &ctx);
        assert_eq!(screen.step(), Step::Nik);
        let mut screen = at_nik(&ctx);
        press(&mut screen, &ctx, NIK);
        screen.update(Message::Next, &ctx);
        screen.update(Message::NotMine, &ctx);
        assert_eq!(screen.step(), Step::Nik);
        screen.update(Message::Back, &ctx);
        assert_eq!(screen.step(), Step::Whom);
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
