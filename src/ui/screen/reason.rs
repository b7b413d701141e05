//! Reason and dates: why the participant claims, the dates the rules need, and whether the claim may be made
//! today (or from which date). The event's date is picked in two taps (a recent month, then the day on its
//! grid, the answer beside the grid); an older date, and the membership start, are typed on the keypad.

use chrono::NaiveDate;
use iced::widget::{column, row, text};
use iced::{Element, Fill};

use super::{Action, Target, heading, keypad_page, layout, nav_button, navigation, question};
use crate::claim::eligibility::{self, Eligibility};
use crate::claim::rules::EventDate;
use crate::claim::{Reason, ReasonDetails};
use crate::ui::Context;
use crate::ui::check::{self, Note};
use crate::ui::draft::{Change, Draft};
use crate::ui::receipt;
use crate::ui::theme;
use crate::ui::widget::{Key, apply};

/// Which date is being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// The date of the event behind the reason (resignation, PHK, ...).
    Event,
    /// The date membership began (partial claims).
    MembershipStart,
}

/// The question on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Choose the reason.
    Choose,
    /// Choose the month of the date among the recent ones, or ask for the keypad.
    Month(DateKind),
    /// Choose the day on the chosen month's grid.
    Day(DateKind, YearMonth),
    /// Type a date as DDMMYYYY.
    Date(DateKind),
    /// The eligibility answer (beside the day grid when the date was picked there).
    Answer(Eligibility),
}

/// The reason screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonScreen {
    step: Step,
    reason: Option<Reason>,
    typed: String,
    event_date: Option<NaiveDate>,
    membership_start: Option<NaiveDate>,
    /// The month whose grid the event date was picked on (the answer is then shown beside it).
    picked: Option<YearMonth>,
}

/// What the participant does on the reason screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A reason was chosen.
    ReasonChosen(Reason),
    /// A month on the date picker.
    MonthChosen(YearMonth),
    /// A day on the month's grid.
    DayChosen(NaiveDate),
    /// "Ketik tanggal lain": the keypad for a date older than the months offered.
    TypeDate,
    /// A key on the date keypad.
    KeyPressed(Key),
    /// "Lanjut".
    Next,
    /// "Kembali".
    Back,
    /// "Selesai": not eligible yet, end the session.
    Finish,
    /// "Cetak slip": print the "not yet" answer to take home.
    PrintSlip,
}

impl ReasonScreen {
    /// Starts at the list of reasons, with the draft's earlier answer selected; a claim for a deceased family
    /// member (the reason is the death) starts at the month of death.
    pub fn new(draft: &Draft) -> ReasonScreen {
        let death = super::identity::for_deceased(draft);
        ReasonScreen {
            step: if death {
                Step::Month(DateKind::Event)
            } else {
                Step::Choose
            },
            reason: draft.reason.as_ref().map(|details| details.reason),
            typed: String::new(),
            event_date: draft.reason.as_ref().and_then(|details| details.event_date),
            membership_start: draft
                .reason
                .as_ref()
                .and_then(|details| details.membership_start),
            picked: None,
        }
    }

    /// The question on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    fn details(&self, reason: Reason) -> ReasonDetails {
        ReasonDetails {
            reason,
            event_date: self.event_date,
            membership_start: self.membership_start,
        }
    }

    /// The next date the rules need that has not been given, if any.
    fn next_question(&self, reason: Reason, ctx: &Context<'_>) -> Option<DateKind> {
        let rule = ctx.claim.rules.rule(reason)?;
        if rule.event_date != EventDate::NotAsked && self.event_date.is_none() {
            return Some(DateKind::Event);
        }
        if rule.min_membership_years.is_some() && self.membership_start.is_none() {
            return Some(DateKind::MembershipStart);
        }
        None
    }

    fn advance(&mut self, reason: Reason, ctx: &Context<'_>) {
        self.typed.clear();
        self.step = match self.next_question(reason, ctx) {
            // The event's date is picked; the membership start, years ago, is typed.
            Some(DateKind::Event) => Step::Month(DateKind::Event),
            Some(kind) => Step::Date(kind),
            None => Step::Answer(eligibility::check(
                &ctx.claim.rules,
                &self.details(reason),
                ctx.draft.fields.date_of_birth,
                ctx.today,
            )),
        };
    }

    /// A date picked on a month's grid.
    fn pick(&mut self, kind: DateKind, day: NaiveDate, ctx: &Context<'_>) {
        let Some(reason) = self.reason else {
            return;
        };
        match kind {
            DateKind::Event => self.event_date = Some(day),
            DateKind::MembershipStart => self.membership_start = Some(day),
        }
        self.picked = Some(YearMonth::of(day));
        self.advance(reason, ctx);
    }

    /// Handles a tap.
    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Action<Message> {
        match (self.step, message) {
            (Step::Choose, Message::ReasonChosen(reason)) => {
                if self.reason != Some(reason) {
                    self.event_date = None;
                    self.membership_start = None;
                }
                self.reason = Some(reason);
                self.picked = None;
                self.advance(reason, ctx);
            }
            (Step::Month(kind) | Step::Day(kind, _), Message::MonthChosen(month)) => {
                self.step = Step::Day(kind, month);
            }
            (Step::Month(kind), Message::TypeDate) => {
                self.typed.clear();
                self.step = Step::Date(kind);
            }
            // A day on the grid: the answer shows beside it at once, and another day may still be chosen there.
            (Step::Day(kind, month), Message::DayChosen(day)) if YearMonth::of(day) == month => {
                self.pick(kind, day, ctx);
            }
            (Step::Answer(_), Message::DayChosen(day))
                if self.picked == Some(YearMonth::of(day)) =>
            {
                self.pick(DateKind::Event, day, ctx);
            }
            (Step::Date(_), Message::KeyPressed(key)) => apply(key, &mut self.typed, 8),
            (Step::Date(kind), Message::Next) => {
                let (check, date) = check::date(&self.typed, ctx.today);
                if let (true, Some(date), Some(reason)) = (check.accepts(), date, self.reason) {
                    match kind {
                        DateKind::Event => self.event_date = Some(date),
                        DateKind::MembershipStart => self.membership_start = Some(date),
                    }
                    self.picked = None;
                    self.advance(reason, ctx);
                }
            }
            (Step::Answer(Eligibility::Eligible), Message::Next) => {
                if let Some(reason) = self.reason {
                    return Action::Record(Change::Reason(self.details(reason)), Target::Contact);
                }
            }
            (Step::Answer(Eligibility::NotYet { .. }), Message::Finish) => return Action::Home,
            (Step::Answer(answer @ Eligibility::NotYet { .. }), Message::PrintSlip) => {
                return Action::Notice(receipt::print_slip(ctx, &answer));
            }
            (Step::Choose, Message::Back) => return Action::Show(Target::Identity),
            // Back from a month's grid, or from the typed event date, is back to the months.
            (Step::Day(kind, _) | Step::Date(kind @ DateKind::Event), Message::Back) => {
                self.typed.clear();
                self.step = Step::Month(kind);
            }
            // A death claim has no list of reasons: back from its months is back to the deceased's identity.
            (Step::Month(_), Message::Back) if self.reason == Some(Reason::Death) => {
                return Action::Show(Target::Identity);
            }
            (Step::Answer(_), Message::Back) if self.reason == Some(Reason::Death) => {
                self.typed.clear();
                self.event_date = None;
                self.picked = None;
                self.step = Step::Month(DateKind::Event);
            }
            (Step::Month(_) | Step::Date(_) | Step::Answer(_), Message::Back) => {
                self.picked = None;
                self.event_date = None;
                self.membership_start = None;
                self.typed.clear();
                self.step = Step::Choose;
            }
            _ => {}
        }
        Action::None
    }

    /// Draws the current question.
    pub fn view(&self, ctx: &Context<'_>) -> Element<'_, Message> {
        let t = ctx.t;
        match self.step {
            Step::Choose => {
                // A claim for oneself: the death is claimed by an heir, who said so before the identity.
                let own: Vec<Reason> = Reason::ALL
                    .into_iter()
                    .filter(|reason| *reason != Reason::Death)
                    .collect();
                let reasons: Vec<Element<'_, Message>> = own
                    .chunks(2)
                    .map(|pair| {
                        row(pair.iter().map(|reason| {
                            crate::ui::pictogram::reason_choice(
                                *reason,
                                t.message(reason),
                                Message::ReasonChosen(*reason),
                                self.reason == Some(*reason),
                            )
                        }))
                        .spacing(16)
                        .into()
                    })
                    .collect();
                let left = column![question(t, "ui-reason-question")]
                    .push(column(reasons).spacing(12))
                    .spacing(theme::GAP)
                    .width(Fill);
                layout(left, None, navigation(t, Message::Back, None))
            }
            Step::Month(kind) => {
                let left = column![
                    heading(self.label(kind, t)),
                    text(t.tr("ui-date-month-help")).size(theme::BODY),
                    picker::month_buttons(t, ctx.today, None, Message::MonthChosen),
                ]
                .spacing(theme::GAP);
                let navigation = row![
                    nav_button(t.tr("ui-back"), Some(Message::Back), false),
                    iced::widget::space::horizontal(),
                    nav_button(t.tr("ui-date-type"), Some(Message::TypeDate), false),
                ]
                .spacing(16);
                layout(left, None, navigation.into())
            }
            Step::Day(kind, month) => {
                let left = column![
                    heading(self.label(kind, t)),
                    text(month.label(t))
                        .size(theme::HEADING)
                        .font(theme::FONT_BOLD_FACE),
                    text(t.tr("ui-date-day-help")).size(theme::BODY),
                ]
                .spacing(theme::GAP);
                let grid = picker::day_grid(month, None, Message::DayChosen);
                layout(left, Some(grid), navigation(t, Message::Back, None))
            }
            Step::Date(kind) => {
                let (check, _) = check::date(&self.typed, ctx.today);
                let label = self.label(kind, t);
                keypad_page(
                    t,
                    (label, Some(t.tr("ui-date-help"))),
                    (&check::show_date(&self.typed), &check),
                    Message::KeyPressed,
                    navigation(t, Message::Back, check.accepts().then_some(Message::Next)),
                )
            }
            Step::Answer(answer) => {
                let eligible = answer.is_eligible();
                let note = Note::of(&answer).text(t);
                // Picked on a month's grid: the date in words above the answer, the grid beside it.
                let picked = self.picked.zip(self.event_date);
                let mut left = column![].spacing(theme::GAP);
                if let Some((_, date)) = picked {
                    let label = self.label(DateKind::Event, t);
                    left = left.push(text(format!("{label}: {}", t.date(date))).size(theme::BODY));
                }
                let left = left.push(
                    column![
                        question(
                            t,
                            if eligible {
                                "ui-reason-eligible"
                            } else {
                                "ui-reason-not-yet"
                            }
                        ),
                        text(note).size(36),
                    ]
                    .spacing(theme::GAP),
                );
                // What the rules say about the chosen reason (only one partial claim ever), before it is sent.
                let rules = &ctx.claim.rules;
                let notes = self.reason.map(|r| rules.notes_for(r)).unwrap_or_default();
                let left = notes.iter().fold(left, |left, rule_note| {
                    left.push(text(t.message(rule_note)).size(theme::BODY))
                });
                let navigation = if eligible {
                    navigation(t, Message::Back, Some(Message::Next))
                } else {
                    row![
                        nav_button(t.tr("ui-back"), Some(Message::Back), false),
                        iced::widget::space::horizontal(),
                        nav_button(
                            t.tr("ui-reason-print-slip"),
                            Some(Message::PrintSlip),
                            false
                        ),
                        nav_button(t.tr("ui-finish"), Some(Message::Finish), true),
                    ]
                    .spacing(16)
                    .into()
                };
                let grid = picked
                    .map(|(month, date)| picker::day_grid(month, Some(date), Message::DayChosen));
                layout(left, grid, navigation)
            }
        }
    }

    /// The question of a date: the reason's own words for its event, else the membership start.
    fn label(&self, kind: DateKind, t: &crate::i18n::Translator) -> String {
        match (kind, self.reason.and_then(Reason::event_date_label_id)) {
            (DateKind::Event, Some(id)) => t.tr(id),
            _ => t.tr("ui-reason-membership-start"),
        }
    }
}

/// The date picker's months and day grid.
pub mod picker;

pub use picker::YearMonth;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::check::Note;
    use crate::ui::context::fixture::Fixture;

    fn press(screen: &mut ReasonScreen, ctx: &Context<'_>, keys: &str) {
        for c in keys.chars() {
            screen.update(Message::KeyPressed(Key::Char(c)), ctx);
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    /// Picks `date` on the picker: its month, then its day.
    fn pick(screen: &mut ReasonScreen, ctx: &Context<'_>, date: NaiveDate) {
        screen.update(Message::MonthChosen(YearMonth::of(date)), ctx);
        assert_eq!(
            screen.step(),
            Step::Day(DateKind::Event, YearMonth::of(date))
        );
        screen.update(Message::DayChosen(date), ctx);
    }

    #[test]
    fn a_resignation_months_ago_picked_in_two_taps_is_eligible_and_recorded_with_its_date() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut screen = ReasonScreen::new(ctx.draft);
        screen.update(Message::ReasonChosen(Reason::Resign), &ctx);
        assert_eq!(screen.step(), Step::Month(DateKind::Event));
        pick(&mut screen, &ctx, day(2026, 8, 1));
        assert_eq!(screen.step(), Step::Answer(Eligibility::Eligible));
        assert_eq!(
            screen.update(Message::Next, &ctx),
            Action::Record(
                Change::Reason(ReasonDetails {
                    reason: Reason::Resign,
                    event_date: NaiveDate::from_ymd_opt(2026, 8, 1),
                    membership_start: None,
                }),
                Target::Contact
            )
        );
    }

    #[test]
    fn a_resignation_last_week_is_not_yet_and_its_slip_needs_a_printer() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut screen = ReasonScreen::new(ctx.draft);
        screen.update(Message::ReasonChosen(Reason::Resign), &ctx);
        pick(&mut screen, &ctx, day(2026, 11, 20));
        let Step::Answer(Eligibility::NotYet { from, .. }) = screen.step() else {
            panic!(
                "a resignation eight days ago must wait: {:?}",
                screen.step()
            );
        };
        assert_eq!(Some(from), NaiveDate::from_ymd_opt(2026, 12, 20));
        // "Lanjut" does not record a claim that is not possible yet.
        assert_eq!(screen.update(Message::Next, &ctx), Action::None);
        // This kiosk has no printer: the participant is told the slip could not be printed.
        assert_eq!(
            screen.update(Message::PrintSlip, &ctx),
            Action::Notice(Note::new("ui-slip-not-printed", Vec::new()))
        );
        assert_eq!(screen.update(Message::Finish, &ctx), Action::Home);
    }

    #[test]
    fn a_date_after_next_year_is_refused_and_back_forgets_the_dates() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut screen = ReasonScreen::new(ctx.draft);
        screen.update(Message::ReasonChosen(Reason::Resign), &ctx);
        screen.update(Message::TypeDate, &ctx);
        press(&mut screen, &ctx, "01012030");
        screen.update(Message::Next, &ctx);
        assert_eq!(screen.step(), Step::Date(DateKind::Event));
        // Back from the keypad is back to the months, then to the reasons.
        screen.update(Message::Back, &ctx);
        assert_eq!(screen.step(), Step::Month(DateKind::Event));
        screen.update(Message::Back, &ctx);
        assert_eq!(screen.step(), Step::Choose);
        assert_eq!(screen.event_date, None);
        assert_eq!(
            screen.update(Message::Back, &ctx),
            Action::Show(Target::Identity)
        );
    }

    #[test]
    fn another_day_on_the_grid_beside_the_answer_changes_the_answer() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut screen = ReasonScreen::new(ctx.draft);
        screen.update(Message::ReasonChosen(Reason::Resign), &ctx);
        pick(&mut screen, &ctx, day(2026, 10, 30));
        assert!(matches!(
            screen.step(),
            Step::Answer(Eligibility::NotYet { .. })
        ));
        // The grid of October stays beside the answer: the 1st is over a month ago, and may be claimed.
        screen.update(Message::DayChosen(day(2026, 10, 1)), &ctx);
        assert_eq!(screen.step(), Step::Answer(Eligibility::Eligible));
        assert_eq!(screen.event_date, Some(day(2026, 10, 1)));
        // A day of another month is not on that grid.
        screen.update(Message::DayChosen(day(2026, 8, 1)), &ctx);
        assert_eq!(screen.event_date, Some(day(2026, 10, 1)));
        let t = crate::i18n::Translator::new(crate::i18n::Language::Id);
        let mut ui = iced_test::Simulator::with_size(
            theme::settings(),
            iced::Size::new(1216.0, 648.0),
            screen.view(&ctx),
        );
        assert!(ui.find("31").is_ok(), "the grid of October is on screen");
        assert!(ui.find(t.tr("ui-reason-eligible").as_str()).is_ok());
    }

    #[test]
    fn an_older_date_typed_on_the_keypad_is_answered_and_recorded_as_before() {
        let fixture = Fixture::new();
        let ctx = fixture.context();
        let mut screen = ReasonScreen::new(ctx.draft);
        screen.update(Message::ReasonChosen(Reason::Resign), &ctx);
        screen.update(Message::TypeDate, &ctx);
        assert_eq!(screen.step(), Step::Date(DateKind::Event));
        press(&mut screen, &ctx, "15032024");
        screen.update(Message::Next, &ctx);
        assert_eq!(screen.step(), Step::Answer(Eligibility::Eligible));
        assert_eq!(
            screen.update(Message::Next, &ctx),
            Action::Record(
                Change::Reason(ReasonDetails {
                    reason: Reason::Resign,
                    event_date: Some(day(2024, 3, 15)),
                    membership_start: None,
                }),
                Target::Contact
            )
        );
    }
}
