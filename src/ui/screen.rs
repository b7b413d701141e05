//! The participant's screens, one file each, and what they ask the [`App`](super::App) to do.
//!
//! Every screen keeps one contract: its own `Message`, `update(&mut self, Message, &Context) -> Action<Message>`
//! (its own work returned as [`Action::Run`], whose results come back as its own messages), `view(&self,
//! &Context)` and, where it has clocks or feeds, `subscription(&self, &Context)`.

pub mod bank;
pub mod cancel;
pub mod consent;
pub mod contact;
pub mod documents;
pub mod home;
pub mod identity;
pub mod maintenance;
mod parts;
pub mod reason;
pub mod review;
pub mod saved;
pub mod status;

pub use parts::{
    CURSOR, NOT_YET, choice, explain, field, heading, keyboard_page, keypad_page, layout,
    nav_button, navigation, question, tall_choice,
};

use iced::{Element, Subscription, Task};

use super::Context;
use super::check::Note;
use super::draft::{Change, Draft};
use super::widget::repaint::repaint_on_change;
use crate::camera::{CameraEvent, SimulatedScene};
use crate::claim::DocumentKind;
use crate::claim::reference::ClaimReference;
use crate::config::LoadedConfig;

/// A screen the journey can go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Start a claim / check a status.
    Home,
    /// What is collected, why, how long.
    Consent,
    /// NIK, date of birth and sex, KPJ, name.
    Identity,
    /// Reason, dates and eligibility.
    Reason,
    /// The heir (death claims), phone, e-mail, the balance question and the NPWP.
    Contact,
    /// Bank and account.
    Bank,
    /// One screen per required document, then the face photo.
    Documents,
    /// Every answer, each editable.
    Review,
    /// One document's photo taken again from the review, which then returns.
    Document(DocumentKind),
    /// Check the status of a claim made earlier.
    Status,
    /// Staff maintenance mode (behind the PIN).
    Maintenance,
}

/// What a screen asks the [`App`](super::App) to do after one of its messages (`M`).
pub enum Action<M> {
    /// Nothing beyond the screen's own state.
    None,
    /// The screen's own work (capture, sealing, a status check, reading files); its results come back as the
    /// screen's own messages.
    Run(Task<M>),
    /// Show this notice above the screen while the screen's own work runs.
    Working(Note, Task<M>),
    /// Show this notice above the screen until the next tap.
    Notice(Note),
    /// End the session and go home.
    Home,
    /// Go to another screen.
    Show(Target),
    /// Record an answer in the draft, then go to a screen.
    Record(Change, Target),
    /// Record an answer in the draft and stay on this screen.
    Keep(Change),
    /// Change one answer from the review screen, then come back to it.
    Edit(Target),
    /// The claim is sealed and stored under this reference: print the receipt, drop the draft, show "saved".
    Submitted(ClaimReference),
    /// A configuration file was read again and is usable: apply what can change without a restart.
    Reconfigure(Box<LoadedConfig>),
    /// The participant cannot answer this question now: open the way out (what to bring or do, a slip, the
    /// choice to end the session) over the screen, which keeps its answers beneath.
    WayOut(super::help::DeadEnd),
    /// Close the kiosk program.
    Exit,
}

impl<M: Send + 'static> Action<M> {
    /// The same action for a wider message type (the screen's work then reports in that type).
    pub fn map<N: Send + 'static>(self, f: impl Fn(M) -> N + Send + 'static) -> Action<N> {
        match self {
            Action::None => Action::None,
            Action::Run(task) => Action::Run(task.map(f)),
            Action::Working(note, task) => Action::Working(note, task.map(f)),
            Action::Notice(note) => Action::Notice(note),
            Action::Home => Action::Home,
            Action::Show(target) => Action::Show(target),
            Action::Record(change, target) => Action::Record(change, target),
            Action::Keep(change) => Action::Keep(change),
            Action::Edit(target) => Action::Edit(target),
            Action::Submitted(reference) => Action::Submitted(reference),
            Action::Reconfigure(loaded) => Action::Reconfigure(loaded),
            Action::WayOut(end) => Action::WayOut(end),
            Action::Exit => Action::Exit,
        }
    }

    /// Whether the screen started work of its own.
    pub fn runs(&self) -> bool {
        matches!(self, Action::Run(_) | Action::Working(..))
    }
}

impl<M> std::fmt::Debug for Action<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::None => f.write_str("None"),
            Action::Run(_) => f.write_str("Run(..)"),
            Action::Working(note, _) => write!(f, "Working({}, ..)", note.id()),
            Action::Notice(note) => write!(f, "Notice({})", note.id()),
            Action::Home => f.write_str("Home"),
            Action::Show(target) => write!(f, "Show({target:?})"),
            Action::Record(change, target) => write!(f, "Record({change:?}, {target:?})"),
            Action::Keep(change) => write!(f, "Keep({change:?})"),
            Action::Edit(target) => write!(f, "Edit({target:?})"),
            Action::Submitted(reference) => write!(f, "Submitted({reference})"),
            Action::Reconfigure(loaded) => write!(f, "Reconfigure({})", loaded.origin),
            Action::WayOut(end) => write!(f, "WayOut({end:?})"),
            Action::Exit => f.write_str("Exit"),
        }
    }
}

/// Actions compare by what they ask; work to run cannot be compared, so an action carrying a task equals no
/// other action.
impl<M> PartialEq for Action<M> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Action::None, Action::None)
            | (Action::Home, Action::Home)
            | (Action::Exit, Action::Exit) => true,
            (Action::Notice(a), Action::Notice(b)) => a == b,
            (Action::Show(a), Action::Show(b)) | (Action::Edit(a), Action::Edit(b)) => a == b,
            (Action::Record(a, x), Action::Record(b, y)) => a == b && x == y,
            (Action::Keep(a), Action::Keep(b)) => a == b,
            (Action::Submitted(a), Action::Submitted(b)) => a == b,
            (Action::WayOut(a), Action::WayOut(b)) => a == b,
            _ => false,
        }
    }
}

/// A message for one of the screens.
#[derive(Debug, Clone)]
pub enum Message {
    /// For the home screen.
    Home(home::Message),
    /// For the consent screen.
    Consent(consent::Message),
    /// For the identity screen.
    Identity(identity::Message),
    /// For the reason screen.
    Reason(reason::Message),
    /// For the contact screen.
    Contact(contact::Message),
    /// For the bank screen.
    Bank(bank::Message),
    /// For the documents screen.
    Documents(documents::Message),
    /// For the saved screen.
    Saved(saved::Message),
    /// For the review screen.
    Review(review::Message),
    /// For the status screen.
    Status(status::Message),
    /// For the maintenance screens.
    Maintenance(maintenance::Message),
    /// "Ulangi suara" in the header: the screen's words are said again.
    RepeatSpeech,
}

/// The screen on display, with its own state.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "one screen lives at a time, replaced on each page change"
)]
pub enum Screen {
    /// Home.
    Home(home::Home),
    /// Consent.
    Consent(consent::Consent),
    /// Identity.
    Identity(identity::Identity),
    /// Reason and eligibility.
    Reason(reason::ReasonScreen),
    /// Contact.
    Contact(contact::Contact),
    /// Bank.
    Bank(bank::Bank),
    /// Documents and face photo.
    Documents(documents::Documents),
    /// The claim is stored.
    Saved(saved::Saved),
    /// Review.
    Review(review::Review),
    /// Status check.
    Status(status::Status),
    /// Maintenance mode.
    Maintenance(maintenance::Maintenance),
}

impl Screen {
    /// The home screen.
    pub fn home() -> Screen {
        Screen::Home(home::Home::new())
    }

    /// Opens a screen, pre-filled from the draft when the participant comes back to change an answer.
    pub fn open(target: Target, ctx: &Context<'_>) -> Screen {
        let draft = ctx.draft;
        match target {
            Target::Home => Screen::home(),
            Target::Consent => Screen::Consent(consent::Consent::new(ctx.settings.retention_days)),
            Target::Identity => Screen::Identity(identity::Identity::new(draft)),
            Target::Reason => Screen::Reason(reason::ReasonScreen::new(draft)),
            Target::Contact => Screen::Contact(contact::Contact::new(draft)),
            Target::Bank => Screen::Bank(bank::Bank::new(draft)),
            Target::Documents => {
                let kinds = draft
                    .reason
                    .as_ref()
                    .map(|details| {
                        ctx.claim
                            .rules
                            .documents_for(details.reason, draft.balance_above_npwp_threshold)
                    })
                    .unwrap_or_default();
                let kinds = identity::reading::still_to_photograph(kinds, draft);
                Screen::Documents(documents::Documents::new(kinds, ctx))
            }
            Target::Review => Screen::Review(review::Review::new()),
            Target::Document(kind) => Screen::Documents(documents::Documents::retake(kind, ctx)),
            Target::Status => Screen::Status(status::Status::new()),
            Target::Maintenance => Screen::Maintenance(maintenance::Maintenance::new()),
        }
    }

    /// Which screen this is.
    pub fn target(&self) -> Target {
        match self {
            Screen::Home(_) => Target::Home,
            Screen::Consent(_) => Target::Consent,
            Screen::Identity(_) => Target::Identity,
            Screen::Reason(_) => Target::Reason,
            Screen::Contact(_) => Target::Contact,
            Screen::Bank(_) => Target::Bank,
            Screen::Documents(_) => Target::Documents,
            Screen::Saved(_) => Target::Home,
            Screen::Review(_) => Target::Review,
            Screen::Status(_) => Target::Status,
            Screen::Maintenance(_) => Target::Maintenance,
        }
    }

    /// Passes a message to the screen it belongs to; a message for another screen is ignored.
    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Action<Message> {
        match (self, message) {
            (_, Message::RepeatSpeech) => {
                ctx.devices.narrator.forget();
                Action::None
            }
            (Screen::Home(screen), Message::Home(message)) => {
                screen.update(message, ctx).map(Message::Home)
            }
            (Screen::Consent(screen), Message::Consent(message)) => {
                screen.update(message, ctx).map(Message::Consent)
            }
            (Screen::Identity(screen), Message::Identity(message)) => {
                screen.update(message, ctx).map(Message::Identity)
            }
            (Screen::Reason(screen), Message::Reason(message)) => {
                screen.update(message, ctx).map(Message::Reason)
            }
            (Screen::Contact(screen), Message::Contact(message)) => {
                screen.update(message, ctx).map(Message::Contact)
            }
            (Screen::Bank(screen), Message::Bank(message)) => {
                screen.update(message, ctx).map(Message::Bank)
            }
            (Screen::Documents(screen), Message::Documents(message)) => {
                screen.update(message, ctx).map(Message::Documents)
            }
            (Screen::Saved(screen), Message::Saved(message)) => {
                screen.update(message, ctx).map(Message::Saved)
            }
            (Screen::Review(screen), Message::Review(message)) => {
                screen.update(message, ctx).map(Message::Review)
            }
            (Screen::Status(screen), Message::Status(message)) => {
                screen.update(message, ctx).map(Message::Status)
            }
            (Screen::Maintenance(screen), Message::Maintenance(message)) => {
                screen.update(message, ctx).map(Message::Maintenance)
            }
            _ => Action::None,
        }
    }

    /// The screen's own clocks and feeds (the documents screen's picture checks, the health page's refresh).
    pub fn subscription(&self, ctx: &Context<'_>) -> Subscription<Message> {
        match self {
            Screen::Documents(screen) => screen.subscription(ctx).map(Message::Documents),
            Screen::Maintenance(screen) => screen.subscription(ctx).map(Message::Maintenance),
            Screen::Identity(screen) => screen.subscription(ctx).map(Message::Identity),
            _ => Subscription::none(),
        }
    }

    /// Whether the screen shows the camera's live picture (the root then runs the camera feed for it).
    pub fn wants_camera(&self) -> bool {
        match self {
            Screen::Documents(_) => true,
            Screen::Maintenance(screen) => screen.wants_camera(),
            Screen::Identity(screen) => screen.wants_camera(),
            _ => false,
        }
    }

    /// A camera event as a message for the screen that shows the picture (the camera test in maintenance
    /// mode, else the documents screen; any other screen ignores it).
    pub fn camera_message(&self, event: CameraEvent) -> Message {
        match self {
            Screen::Maintenance(_) => Message::Maintenance(maintenance::Message::Camera(event)),
            Screen::Identity(_) => {
                Message::Identity(identity::Message::Photo(documents::Message::Camera(event)))
            }
            _ => Message::Documents(documents::Message::Camera(event)),
        }
    }

    /// What the demo kiosk's simulated camera shows here: the face on the selfie screen, else the sample card.
    pub fn demo_scene(&self) -> SimulatedScene {
        match self {
            Screen::Documents(documents) if documents.current() == Some(DocumentKind::Selfie) => {
                SimulatedScene::Face
            }
            Screen::Identity(identity) => identity.demo_scene().unwrap_or(SimulatedScene::Card),
            _ => SimulatedScene::Card,
        }
    }

    /// Draws the screen.
    pub fn view<'a>(&'a self, ctx: &Context<'_>) -> Element<'a, Message> {
        let page = match self {
            Screen::Identity(screen) => format!("identity {:?}", screen.step()),
            Screen::Reason(screen) => format!("reason {:?}", screen.step()),
            Screen::Contact(screen) => format!("contact {:?}", screen.step()),
            Screen::Bank(screen) => format!("bank {:?}", screen.step()),
            Screen::Documents(screen) => format!("documents {:?}", screen.current()),
            Screen::Status(screen) => format!("status {:?}", screen.step()),
            Screen::Maintenance(screen) => format!("maintenance {:?}", screen.step()),
            Screen::Saved(_) => "saved".to_owned(),
            other => format!("{:?}", other.target()),
        };
        let content = match self {
            Screen::Home(screen) => screen.view(ctx).map(Message::Home),
            Screen::Consent(screen) => screen.view(ctx).map(Message::Consent),
            Screen::Identity(screen) => screen.view(ctx).map(Message::Identity),
            Screen::Reason(screen) => screen.view(ctx).map(Message::Reason),
            Screen::Contact(screen) => screen.view(ctx).map(Message::Contact),
            Screen::Bank(screen) => screen.view(ctx).map(Message::Bank),
            Screen::Documents(screen) => screen.view(ctx).map(Message::Documents),
            Screen::Saved(screen) => screen.view(ctx).map(Message::Saved),
            Screen::Review(screen) => screen.view(ctx).map(Message::Review),
            Screen::Status(screen) => screen.view(ctx).map(Message::Status),
            Screen::Maintenance(screen) => screen.view(ctx).map(Message::Maintenance),
        };
        repaint_on_change(&page, content)
    }
}

/// Whether an answer changed from the review may go straight back to it: not when it changed whom the claim
/// is for (the reason is then asked again, or the death's date and the heir are still to come).
pub fn returns_to_review(next: Target, draft: &Draft) -> bool {
    next != Target::Home
        && draft.reason.as_ref().is_some_and(|details| {
            details.reason != crate::claim::Reason::Death
                || (details.event_date.is_some() && draft.fields.applicant.is_some())
        })
}

/// Drops photos the current answers no longer ask for; returns the ones they ask for that are missing.
pub fn fit_documents_to_answers(
    draft: &mut Draft,
    ctx_rules: &crate::claim::rules::RulesTable,
) -> Vec<DocumentKind> {
    let Some(details) = &draft.reason else {
        return Vec::new();
    };
    let required = ctx_rules.documents_for(details.reason, draft.balance_above_npwp_threshold);
    draft.documents.retain(|doc| required.contains(&doc.kind));
    required
        .into_iter()
        .filter(|kind| !draft.documents.iter().any(|doc| doc.kind == *kind))
        .collect()
}
