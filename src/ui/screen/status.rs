//! Status check: the claim reference (with check-digit feedback as it is typed), then the NIK, then the
//! answer. A session allows [`MAX_TRIES`] answers of "not found"; after that the screen says to ask the staff or
//! come back later and offers no other try.

use chrono::{DateTime, Utc};
use iced::widget::{column, row, text};
use iced::{Element, Task};

use super::{Action, keypad_page, layout, nav_button, navigation, question};
use crate::claim::reference::{ClaimReference, REFERENCE_DIGITS};
use crate::i18n::{MessageArg, Translator};
use crate::sync::SyncError;
use crate::sync::status::StatusAnswer;
use crate::ui::Context;
use crate::ui::check::{self, Check, Note};
use crate::ui::context::blocking;
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
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    step: Step,
    reference: String,
    nik: String,
    /// The answer on screen, kept as data and put in words when drawn (so it follows the language).
    answer: Option<Answer>,
    /// "Not found" answers so far in this session.
    not_found: u8,
    /// Whether the answer on screen is "not found".
    last_not_found: bool,
}

/// What the status check answered, or why it could not.
pub type Answer = Result<StatusAnswer, SyncError>;

/// What the participant does on the status screen.
#[derive(Debug, Clone, PartialEq)]
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
    /// The status check answered (or could not).
    Answered(Answer),
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

    /// The answer on screen, as data.
    pub fn answer(&self) -> Option<&Answer> {
        self.answer.as_ref()
    }

    /// Shows the answer. One that did not match the NIK counts as a failed try, offline as online.
    fn answered(&mut self, answer: Answer) {
        let not_found = matches!(
            answer,
            Ok(StatusAnswer::NotFound | StatusAnswer::CannotCheckNow)
        );
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

    /// Handles a tap or the status check's answer; "Lanjut" on the NIK asks the kiosk's status checker off
    /// the UI thread.
    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Action<Message> {
        let today = ctx.today;
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
                if self.tries_left() == 0
                    || !check::nik_in(ctx.claim.regions, &self.nik, today)
                        .0
                        .accepts()
                {
                    return Action::None;
                }
                let Ok(reference) = ClaimReference::parse(&self.reference) else {
                    return Action::None;
                };
                self.step = Step::Asking;
                let query = StatusQuery {
                    reference,
                    nik: self.nik.clone(),
                };
                return Action::Run(ask(ctx, query).map(Message::Answered));
            }
            (Step::Asking, Message::Answered(answer)) => self.answered(answer),
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
    pub fn view(&self, ctx: &Context<'_>) -> Element<'_, Message> {
        let t = ctx.t;
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
                let check = check::nik_in(ctx.claim.regions, &self.nik, ctx.today).0;
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
                    text(
                        self.answer
                            .clone()
                            .map(|answer| status_text(t, answer, ctx.settings.time_zone))
                            .unwrap_or_default()
                    )
                    .size(36),
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

/// Asks the kiosk's status checker about one claim off the UI thread; without one the answer is "offline".
fn ask(ctx: &Context<'_>, query: StatusQuery) -> Task<Answer> {
    let Some(checker) = ctx.devices.status.clone() else {
        return Task::done(Err(SyncError::Offline));
    };
    Task::perform(blocking(move || checker.check(&query)), |result| {
        result.unwrap_or_else(|| Err(SyncError::Unreachable("interrupted".to_owned())))
    })
}

/// The status answer in the participant's language, its dates in the kiosk's time zone.
pub fn status_text(t: &Translator, result: Answer, zone: crate::config::KioskTimeZone) -> String {
    let date = |at: DateTime<Utc>| MessageArg::Date(zone.today(at));
    match result {
        Ok(StatusAnswer::Central {
            status,
            changed_at,
            reason,
        }) => {
            let answer = t.tr_args(
                "ui-status-central",
                &[
                    ("status", MessageArg::Text(status.id().to_owned())),
                    ("date", date(changed_at)),
                ],
            );
            // The officer's own words (a rejection's reason), as they gave them.
            match reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                Some(reason) => {
                    let reason = MessageArg::Text(reason.to_owned());
                    let said = t.tr_args("ui-status-officer-reason", &[("reason", reason)]);
                    format!("{answer}\n{said}")
                }
                None => answer,
            }
        }
        Ok(StatusAnswer::SavedNotSent { saved_at }) => {
            t.tr_args("ui-status-saved-not-sent", &[("date", date(saved_at))])
        }
        Ok(StatusAnswer::SentOn { delivered_at }) => {
            t.tr_args("ui-status-sent-on", &[("date", date(delivered_at))])
        }
        Ok(StatusAnswer::RefusedOnSend) => t.tr("ui-status-refused-on-send"),
        Ok(StatusAnswer::NotFound) => t.tr("ui-status-not-found"),
        Ok(StatusAnswer::TryLater) => t.tr("ui-status-try-later"),
        Ok(StatusAnswer::CannotCheckNow) | Err(_) => t.tr("ui-status-unavailable"),
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
    use crate::i18n::Language;
    use crate::ui::context::{fixture::Fixture, test_context};
    use crate::ui::headless::Headless;

    const REFERENCE: &str = "0000700000015";
    const NIK: &str = "3174015203850001";

    fn type_in(screen: &mut Status, digits: &str) {
        for c in digits.chars() {
            screen.update(Message::KeyPressed(Key::Char(c)), &test_context());
        }
    }

    /// Types the NIK and taps "Lanjut"; returns whether the kiosk asked.
    fn ask(screen: &mut Status) -> bool {
        type_in(screen, NIK);
        let asked = screen.update(Message::Next, &test_context()).runs();
        asked && screen.step() == Step::Asking
    }

    fn answer(screen: &mut Status, answer: Answer) {
        screen.update(Message::Answered(answer), &test_context());
    }

    #[test]
    fn three_not_found_answers_end_the_tries_of_the_session() {
        assert!(
            ClaimReference::parse(REFERENCE).is_ok(),
            "a valid reference"
        );
        let ctx = test_context();
        let mut screen = Status::new();
        type_in(&mut screen, REFERENCE);
        screen.update(Message::Next, &ctx);
        assert_eq!(screen.step(), Step::Nik);
        for try_number in 1..=MAX_TRIES {
            assert!(ask(&mut screen), "try {try_number} is asked");
            answer(&mut screen, Ok(StatusAnswer::NotFound));
            assert_eq!(screen.tries_left(), MAX_TRIES - try_number);
            screen.update(Message::TryAgain, &ctx);
            let expected = if try_number < MAX_TRIES {
                Step::Nik
            } else {
                Step::Answered
            };
            assert_eq!(screen.step(), expected, "after try {try_number}");
        }
        // No way back to the NIK once the tries are used: "Kembali" and "Lanjut" do nothing, "Selesai" goes home.
        screen.update(Message::Back, &ctx);
        assert_eq!(screen.step(), Step::Answered);
        assert_eq!(screen.update(Message::Finish, &ctx), Action::Home);
    }

    #[test]
    fn an_answer_that_found_the_claim_uses_no_try_and_offers_none() {
        let ctx = test_context();
        let mut screen = Status::new();
        type_in(&mut screen, REFERENCE);
        screen.update(Message::Next, &ctx);
        assert!(ask(&mut screen));
        answer(&mut screen, Ok(StatusAnswer::RefusedOnSend));
        assert_eq!(screen.tries_left(), MAX_TRIES);
        screen.update(Message::TryAgain, &ctx);
        assert_eq!(screen.step(), Step::Answered);
    }

    #[test]
    fn a_kiosk_without_a_status_checker_answers_offline_through_the_screens_own_message() {
        let ctx = test_context();
        let mut screen = Status::new();
        type_in(&mut screen, REFERENCE);
        screen.update(Message::Next, &ctx);
        type_in(&mut screen, NIK);
        let Action::Run(task) = screen.update(Message::Next, &ctx) else {
            panic!("the check was not started");
        };
        let replies = Headless::new()
            .expect("runtime")
            .outputs(task)
            .expect("ran");
        assert_eq!(replies, vec![Message::Answered(Err(SyncError::Offline))]);
        for reply in replies {
            screen.update(reply, &ctx);
        }
        assert_eq!(screen.step(), Step::Answered);
        assert_eq!(screen.answer(), Some(&Err(SyncError::Offline)));
        // Offline is not "not found": no try is used.
        assert_eq!(screen.tries_left(), MAX_TRIES);
    }

    #[test]
    fn the_answer_is_kept_as_data_and_its_words_follow_the_language() {
        let mut fixture = Fixture::new();
        let mut screen = Status::new();
        {
            let ctx = fixture.context();
            type_in(&mut screen, REFERENCE);
            screen.update(Message::Next, &ctx);
            assert!(ask(&mut screen));
            answer(&mut screen, Ok(StatusAnswer::TryLater));
        }
        for language in Language::ALL {
            fixture.t = Translator::new(language);
            let ctx = fixture.context();
            let words = fixture.t.tr("ui-status-try-later");
            let mut ui = iced_test::Simulator::with_size(
                crate::ui::theme::settings(),
                (1280.0, 800.0),
                screen.view(&ctx),
            );
            assert!(
                ui.find(words.as_str()).is_ok(),
                "{}: {words}",
                language.code()
            );
        }
        assert_ne!(
            Translator::new(Language::Id).tr("ui-status-try-later"),
            Translator::new(Language::En).tr("ui-status-try-later")
        );
    }
}
