//! The kiosk's touch screens (iced 0.14).
//!
//! [`App`] is the root: it routes messages to the screen on display, switches screens, keeps the session
//! (language, the claim draft, the idle clock, the notice) and owns the shared device feeds. Each screen lives
//! in its own file under `screen/` with one contract (see [`screen`]); what the screens read comes to them as
//! a [`Context`]. `update` is deterministic and does no I/O: time arrives in [`Message::Tick`], device results
//! and the screens' own work arrive as messages.

pub mod check;
pub mod chrome;
pub mod context;
pub mod draft;
pub mod drives;
pub mod feed;
pub mod headless;
pub mod help;
pub mod idle;
mod launch;
#[cfg(test)]
mod message_ids;
pub mod pictogram;
pub mod receipt;
pub mod screen;
pub mod speech;
pub mod submit;
mod subscriptions;
pub mod text_size;
pub mod theme;
pub mod widget;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Local, Utc};
use iced::widget::{column, container};
use iced::{Element, Fill, Task, Theme};

use crate::camera::{CameraEvent, CameraState};
use crate::i18n::{Language, Translator};
use crate::pin::PinGate;
use crate::printer::PrinterEvent;
use crate::submission::ClaimContext;
pub use context::{Context, Devices, StatusChecker, UiContext, UiSettings, UiSetupError};
use draft::Draft;
use idle::{Idle, IdleState};
pub use launch::run;
pub use screen::maintenance::health::{alert_line, central_line};
use screen::saved::Saved;
pub use screen::status::status_text;
use screen::{Action, Screen, Target, documents, maintenance, saved};
pub use submit::submit_note;

/// Taps on the hidden corner that open maintenance mode.
const CORNER_TAPS: u32 = 5;
/// Seconds without a corner tap after which the count starts again.
const CORNER_WINDOW_SECS: u32 = 3;

/// The root of the kiosk's screens.
#[derive(Debug)]
pub struct App {
    screen: Screen,
    shared: Shared,
}

/// What the root keeps for every screen: the setup, the session and the corner taps.
#[derive(Debug)]
struct Shared {
    context: UiContext,
    /// The configured claim facts the screens check with (the claim pipeline's own).
    claim: ClaimContext,
    language: Language,
    translator: Translator,
    now: DateTime<Local>,
    draft: Draft,
    idle: Idle,
    /// Set while an answer is being changed from the review screen: the next answer returns there.
    editing: bool,
    /// A notice shown above the screen until the next tap (e.g. the claim could not be stored).
    notice: Option<check::Note>,
    gate: Arc<Mutex<PinGate>>,
    corner_taps: u32,
    corner_quiet_secs: u32,
    /// systemd has been told the screens run.
    told_ready: bool,
    /// The help, way-out or checklist panel over the screen (the screen keeps its state beneath).
    panel: Option<help::Panel>,
    /// The participant switched large text on ("Aa"); off again when the session ends.
    large_text: bool,
}

impl Shared {
    /// What the screens read now.
    fn context(&self) -> Context<'_> {
        let now = self.now.with_timezone(&Utc);
        let zone = self.context.settings.time_zone;
        Context {
            t: &self.translator,
            now,
            today: zone.today(now),
            local_time: zone.local(now),
            claim: &self.claim,
            draft: &self.draft,
            settings: &self.context.settings,
            devices: &self.context.devices,
            gate: &self.gate,
        }
    }
}

/// Everything that can happen on the kiosk's screens.
#[derive(Debug, Clone)]
pub enum Message {
    /// A tap on the current screen (a touch: the idle clock starts again, the notice goes).
    Screen(screen::Message),
    /// The current screen's own work or clock reported (not a touch).
    Reply(screen::Message),
    /// The participant chose a language.
    LanguageSelected(Language),
    /// One second passed; carries the local time.
    Tick(DateTime<Local>),
    /// The participant touched the screen somewhere.
    Activity,
    /// The participant answered "Masih di sana?" with yes.
    StillHere,
    /// A tap on the hidden corner (five in a row open maintenance mode).
    CornerTapped,
    /// The camera worker reported (passed to the screen showing the picture).
    Camera(CameraEvent),
    /// The printer worker reported (passed to the saved screen, which waits for its receipt).
    Printer(PrinterEvent),
    /// A tap on "Minta bantuan" or on the panel over the screen.
    Help(help::Message),
    /// The participant tapped "Aa": large text on, or off again.
    TextSizeToggled,
}

impl App {
    /// Starts on the home screen in the configured language (`kiosk.language`).
    pub fn new(context: UiContext, now: DateTime<Local>) -> App {
        let settings = &context.settings;
        let language = settings.language;
        let idle = Idle::new(settings.idle_after_secs, settings.idle_countdown_secs);
        let gate = PinGate::with_file(
            settings.maintenance_pin_hash.clone(),
            settings.pin_lockout_file.clone(),
            now.with_timezone(&Utc),
        );
        App {
            screen: Screen::home(),
            shared: Shared {
                claim: Context::claim_facts(&context),
                context,
                language,
                translator: Translator::new(language),
                now,
                draft: Draft::default(),
                idle,
                editing: false,
                notice: None,
                gate: Arc::new(Mutex::new(gate)),
                corner_taps: 0,
                corner_quiet_secs: 0,
                told_ready: false,
                panel: None,
                large_text: false,
            },
        }
    }

    /// The window title.
    pub fn title(&self) -> String {
        self.shared.translator.tr("ui-kiosk-name")
    }

    /// How much larger than designed the window draws (large text on or off).
    pub fn scale_factor(&self) -> f32 {
        text_size::scale(self.shared.large_text)
    }

    /// The kiosk theme.
    pub fn theme(&self) -> Theme {
        theme::kiosk()
    }

    /// The language the screens speak now.
    pub fn language(&self) -> Language {
        self.shared.language
    }

    /// The current screen.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The claim draft of the current session.
    pub fn draft(&self) -> &Draft {
        &self.shared.draft
    }

    /// Whether the idle countdown is on screen, and how many seconds are left.
    pub fn idle_state(&self) -> IdleState {
        self.shared.idle.state()
    }

    /// The help, way-out or checklist panel over the screen, if one is open.
    pub fn panel(&self) -> Option<&help::Panel> {
        self.shared.panel.as_ref()
    }

    /// The notice shown above the screen, as a message id.
    pub fn notice(&self) -> Option<&'static str> {
        self.shared.notice.as_ref().map(check::Note::id)
    }

    /// Handles one message.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        let page = self.screen.target();
        let task = self.handle(message);
        if self.screen.target() != page {
            self.shared.panel = help::on_arrival(&self.screen, &self.shared.context());
        }
        // What a page says (a countdown's tick, its question) ends with the page; the new page speaks.
        let (shared, idle) = (&self.shared, self.shared.idle.state());
        let new_question = speech::follow(&self.screen, page, idle, &shared.context());
        self.point_demo_camera();
        match new_question && shared.large_text {
            true => Task::batch([task, text_size::to_top()]),
            false => task,
        }
    }

    /// The demo kiosk's simulated camera shows the face on the selfie screen and the sample card elsewhere.
    fn point_demo_camera(&self) {
        let Some(control) = &self.shared.context.devices.demo_camera else {
            return;
        };
        control.show(self.screen.demo_scene());
    }

    fn handle(&mut self, message: Message) -> Task<Message> {
        let shared = &mut self.shared;
        match message {
            Message::Screen(message) => {
                shared.idle.touch();
                shared.notice = None;
                return self.route(message);
            }
            Message::Reply(message) => return self.route(message),
            Message::LanguageSelected(language) => {
                shared.idle.touch();
                shared.language = language;
                shared.translator = Translator::new(language);
            }
            Message::Tick(now) => {
                shared.now = now;
                // The tick reached the UI loop, so the screens are alive: tell systemd's watchdog.
                if let Some(service) = &shared.context.devices.service {
                    if !shared.told_ready {
                        shared.told_ready = true;
                        service.ready();
                    }
                    service.watchdog();
                }
                shared.corner_quiet_secs = shared.corner_quiet_secs.saturating_add(1);
                if shared.corner_quiet_secs > CORNER_WINDOW_SECS {
                    shared.corner_taps = 0;
                }
                let active = !matches!(self.screen, Screen::Home(_));
                if shared.idle.tick(active) {
                    self.wipe();
                }
                // A remote configuration is taken as "reload config" takes one, between participants; the
                // staff's note is not shown to the public (the heartbeat reports the version to /fleet).
                if !active && let Some(loaded) = crate::sync::remote_config::take_for_screens() {
                    self.reconfigure(&loaded);
                    tracing::info!(origin = %loaded.origin, "remote configuration taken by the screens");
                }
                return self.route(screen::Message::Saved(saved::Message::Tick));
            }
            Message::Activity | Message::StillHere => shared.idle.touch(),
            Message::TextSizeToggled => {
                shared.idle.touch();
                shared.large_text = !shared.large_text;
            }
            Message::CornerTapped => {
                shared.idle.touch();
                shared.corner_taps += 1;
                shared.corner_quiet_secs = 0;
                if shared.corner_taps >= CORNER_TAPS && matches!(self.screen, Screen::Home(_)) {
                    shared.corner_taps = 0;
                    tracing::info!("maintenance PIN screen opened");
                    self.screen = self.open(Target::Maintenance);
                }
            }
            Message::Camera(event) => return self.route(self.screen.camera_message(event)),
            Message::Printer(event) => {
                return self.route(screen::Message::Saved(saved::Message::Printer(event)));
            }
            Message::Help(message) => {
                shared.idle.touch();
                let mut panel = shared.panel.take();
                let home = help::update(&mut panel, message, &shared.context());
                shared.panel = panel;
                if home {
                    self.wipe();
                }
            }
        }
        Task::none()
    }

    /// Hands a message to the current screen and carries out what it asks.
    fn route(&mut self, message: screen::Message) -> Task<Message> {
        let action = self.screen.update(message, &self.shared.context());
        self.perform(action)
    }

    /// Carries out what a screen asked for.
    fn perform(&mut self, action: Action<screen::Message>) -> Task<Message> {
        let now = self.shared.now.with_timezone(&Utc);
        match action {
            Action::None => {}
            Action::Run(task) => return task.map(Message::Reply),
            Action::Working(note, task) => {
                self.shared.notice = Some(note);
                return task.map(Message::Reply);
            }
            Action::Notice(note) => self.shared.notice = Some(note),
            Action::Home => self.wipe(),
            Action::Show(next) => {
                self.shared.editing &= next != Target::Review;
                self.screen = self.open(next);
            }
            Action::Edit(target) => {
                self.shared.editing = true;
                self.screen = self.open(target);
            }
            Action::Record(change, next) => {
                let shared = &mut self.shared;
                shared.draft.apply(change, now);
                let missing =
                    screen::fit_documents_to_answers(&mut shared.draft, &shared.claim.rules);
                let returning = shared.editing && screen::returns_to_review(next, &shared.draft);
                shared.editing = false;
                // A changed answer may ask for another document (a new reason, the NPWP card): only those are
                // asked for, then the review returns.
                self.screen = match (returning, missing.is_empty()) {
                    (true, true) => self.open(Target::Review),
                    (true, false) => Screen::Documents(documents::Documents::new(
                        missing,
                        &self.shared.context(),
                    )),
                    (false, _) => self.open(next),
                };
            }
            Action::Keep(change) => self.shared.draft.apply(change, now),
            Action::Submitted(reference) => {
                let receipt = receipt::print_receipt(&self.shared.context(), &reference);
                // The claim is stored: the participant's data leaves memory now.
                self.shared.draft = Draft::default();
                self.screen = Screen::Saved(Saved::new(reference, receipt));
            }
            Action::Reconfigure(loaded) => self.shared.notice = Some(self.reconfigure(&loaded)),
            Action::WayOut(end) => self.shared.panel = Some(help::Panel::way_out(end)),
            Action::Exit => return iced::exit(),
        }
        Task::none()
    }

    /// Opens a screen; claims need the camera and the outbox, without them home says so instead.
    fn open(&self, target: Target) -> Screen {
        if target == Target::Consent && !self.claims_possible() {
            return Screen::home();
        }
        Screen::open(target, &self.shared.context())
    }

    /// Whether a claim can be taken now: the outbox is there and so is a camera that is not lost (unplugged or
    /// failing) or stopped.
    pub fn claims_possible(&self) -> bool {
        self.camera_usable() && self.shared.context.devices.submitter.is_some()
    }

    /// Whether the camera can take photos for a new claim: one was opened and its worker has not lost it
    /// (read from the worker itself, so home knows even while no camera feed runs).
    fn camera_usable(&self) -> bool {
        self.shared
            .context
            .devices
            .camera
            .as_ref()
            .is_some_and(|camera| {
                matches!(
                    camera.state(),
                    CameraState::Running(_) | CameraState::Paused(_) | CameraState::Starting
                )
            })
    }

    /// Takes a configuration's settings that apply at once (as "reload config" does); returns the staff's note.
    fn reconfigure(&mut self, loaded: &crate::config::LoadedConfig) -> check::Note {
        let shared = &mut self.shared;
        let note = maintenance::reconfigure(&mut shared.context, &shared.gate, loaded);
        let settings = &shared.context.settings;
        shared.idle = Idle::new(settings.idle_after_secs, settings.idle_countdown_secs);
        note
    }

    /// Ends the session: the draft, photos, frames and every screen's state are dropped; home returns in
    /// the configured language with normal text.
    fn wipe(&mut self) {
        let shared = &mut self.shared;
        shared.draft = Draft::default();
        shared.editing = false;
        shared.notice = None;
        shared.panel = None;
        self.screen = Screen::home();
        shared.idle.touch();
        if let Some(camera) = &shared.context.devices.camera {
            camera.forget_frames();
        }
        shared.large_text = false;
        shared.language = shared.context.settings.language;
        shared.translator = Translator::new(shared.language);
    }

    /// Draws the header (name, language switch) and the current screen, or the idle countdown.
    pub fn view(&self) -> Element<'_, Message> {
        let t = &self.shared.translator;
        let body: Element<'_, Message> = match self.shared.idle.state() {
            IdleState::Countdown { seconds_left } => chrome::countdown(t, seconds_left),
            IdleState::Active => match &self.shared.panel {
                Some(panel) => help::view(panel, &self.shared.context()),
                None => self
                    .screen
                    .view(&self.shared.context())
                    .map(Message::Screen),
            },
        };
        let mut page = column![chrome::header(
            t,
            self.shared.language,
            self.shared.large_text
        )]
        .width(Fill)
        .height(Fill);
        let notice = self
            .shared
            .notice
            .as_ref()
            .map(|note| note.text(t))
            .or_else(|| {
                (matches!(self.screen, Screen::Home(_)) && !self.claims_possible()).then(|| {
                    t.tr(if !self.camera_usable() {
                        "ui-out-of-service-camera"
                    } else {
                        "ui-out-of-service-storage"
                    })
                })
            });
        if let Some(notice) = notice {
            page = page.push(chrome::notice(notice));
        }
        let screen = container(body).padding(32).width(Fill).height(Fill);
        page.push(text_size::frame(screen, self.shared.large_text))
            .into()
    }
}

#[cfg(test)]
mod tests;
