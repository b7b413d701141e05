//! The kiosk's touch screens (iced 0.14).
//!
//! [`App`] owns what the screens share (language, the claim draft, the idle clock, the devices) and carries
//! out the [`screen::Action`]s the screens return. Each screen lives in its own file under `screen/` with the
//! same contract: `new`, `update(&mut self, Message) -> Action`, `view`. `update` is deterministic: time
//! arrives in [`Message::Tick`], device results arrive as messages from workers and tasks.

pub mod check;
pub mod draft;
pub mod drives;
pub mod feed;
pub mod headless;
pub mod idle;
pub mod screen;
pub mod theme;
pub mod widget;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Local, NaiveDate, Utc};
use iced::widget::{button, column, container, image, mouse_area, row, space, text};
use iced::{Center, Element, Fill, Subscription, Task, Theme};

use crate::camera::{
    CameraEvent, CameraHandle, CameraState, CaptureOutcome, QualityHint, QualityThresholds,
    SimulatedControl, SimulatedScene,
};
use crate::claim::DocumentKind;
use crate::claim::bank::BankTable;
use crate::claim::reference::ClaimReference;
use crate::claim::rules::RulesTable;
use crate::i18n::{Language, Translator};
use crate::outbox::{FullReason, Outbox, OutboxError};
use crate::pin::PinGate;
use crate::printer::{
    JobId, NotEligibleSlip, PrinterEvent, PrinterHandle, Receipt as PrintedReceipt,
};
use crate::submission::{SubmitError, Submitter};
use crate::sync::queue::LocalClaims;
use crate::sync::status::{Proof, StatusAnswer};
use crate::sync::uploader::Uploader;
use crate::sync::{CentralClient, SyncError};
use draft::Draft;
use idle::{Idle, IdleState};
use screen::documents::CameraView;
use screen::maintenance::Health;
use screen::saved::{Receipt, Saved};
use screen::status::StatusQuery;
use screen::{Action, Env, Live, Screen, Target};

/// What the kiosk's screens need from the rest of the program.
#[derive(Debug, Clone)]
pub struct UiContext {
    /// Timings and window options.
    pub settings: UiSettings,
    /// The claim rules (waiting periods, ages, documents).
    pub rules: Arc<RulesTable>,
    /// The banks the JHT can be paid to.
    pub banks: Arc<BankTable>,
    /// The camera, printer and outbox.
    pub devices: Devices,
}

/// The devices and the store the screens use. Each is optional: a missing one is an out-of-service state
/// on screen, never a crash.
#[derive(Clone, Default)]
pub struct Devices {
    /// The camera worker; `None` when no camera could be opened (claims are paused, status checks work).
    pub camera: Option<Arc<CameraHandle>>,
    /// The photo quality thresholds.
    pub quality: QualityThresholds,
    /// The printer worker; `None` when there is no printer (claims continue, the reference is shown).
    pub printer: Option<Arc<PrinterHandle>>,
    /// Seals and stores claims; `None` when the outbox could not be opened (claims are paused).
    pub submitter: Option<Arc<Submitter>>,
    /// Header lines and location printed on receipts.
    pub receipt_header: Vec<String>,
    /// Where the kiosk stands, printed on receipts.
    pub location: String,
    /// The kiosk's id: exports go to a folder of this name on the drive.
    pub kiosk_id: String,
    /// Answers status checks; `None` when the kiosk cannot check (the screen says so).
    pub status: Option<StatusChecker>,
    /// The outbox, for the counts and the export on the maintenance screen.
    pub outbox: Option<Arc<Outbox>>,
    /// The uploader, woken by "Sync now" on the maintenance screen; `None` on an offline kiosk.
    pub uploader: Option<Arc<Uploader>>,
    /// The simulated camera's control in demo mode: the kiosk points it at the card or the face by screen.
    pub demo_camera: Option<SimulatedControl>,
    /// systemd's notification socket: "ready" once the screens run, a watchdog ping from every clock tick.
    pub service: Option<Arc<crate::service_notify::ServiceNotifier>>,
}

/// What the status check asks: the central service when it is configured, else this kiosk's outbox.
#[derive(Clone)]
pub struct StatusChecker {
    /// The central service (`None` on an offline kiosk).
    pub central: Option<Arc<CentralClient>>,
    /// The claims saved on this kiosk.
    pub local: Arc<dyn LocalClaims + Send + Sync>,
}

impl StatusChecker {
    /// Asks about one claim (blocking: network and SQLite).
    pub fn check(&self, query: &StatusQuery) -> Result<StatusAnswer, SyncError> {
        let proof = Proof::Nik(query.nik.clone());
        crate::sync::status::check(
            self.central.as_deref(),
            self.local.as_ref(),
            &query.reference,
            &proof,
        )
    }
}

impl std::fmt::Debug for Devices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Devices")
            .field("camera", &self.camera.is_some())
            .field("printer", &self.printer.is_some())
            .field("submitter", &self.submitter.is_some())
            .field("status", &self.status.is_some())
            .field("uploader", &self.uploader.is_some())
            .field("service", &self.service.is_some())
            .finish_non_exhaustive()
    }
}

impl UiContext {
    /// The screens with the given settings and devices, and the rules and bank tables shipped with the kiosk.
    pub fn with_shipped_tables(
        settings: UiSettings,
        devices: Devices,
    ) -> Result<UiContext, UiSetupError> {
        Ok(UiContext {
            settings,
            rules: Arc::new(
                RulesTable::embedded_default().map_err(|e| UiSetupError::Rules(e.to_string()))?,
            ),
            banks: Arc::new(
                BankTable::embedded_default().map_err(|e| UiSetupError::Banks(e.to_string()))?,
            ),
            devices,
        })
    }
}

/// Why the screens could not be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UiSetupError {
    /// The built-in rules table is broken.
    #[error("built-in rules table: {0}")]
    Rules(String),
    /// The built-in bank table is broken.
    #[error("built-in bank table: {0}")]
    Banks(String),
}

/// Timings and window options for the screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiSettings {
    /// Seconds without a touch before "Masih di sana?" appears.
    pub idle_after_secs: u32,
    /// Seconds the "Masih di sana?" countdown runs before the session is wiped.
    pub idle_countdown_secs: u32,
    /// Seconds the "saved" screen stays before returning home.
    pub saved_return_secs: u32,
    /// Fullscreen and undecorated (the kiosk); `false` gives a 1280x800 window for development.
    pub fullscreen: bool,
    /// The argon2 hash (PHC string) of the staff PIN; `None` keeps maintenance mode closed.
    pub maintenance_pin_hash: Option<String>,
    /// The configuration file "Reload config" reads again; `None` reads the default place.
    pub config_file: Option<PathBuf>,
    /// The kiosk's time zone: "today" on the screens and the date on receipts are the date there.
    pub time_zone: crate::config::KioskTimeZone,
    /// Days a delivered claim stays on the kiosk (`storage.retention_days`), as the consent screen says.
    pub retention_days: u32,
    /// The file that keeps the staff PIN's lock-out across restarts; `None` keeps it in memory only.
    pub pin_lockout_file: Option<PathBuf>,
}

impl Default for UiSettings {
    fn default() -> Self {
        UiSettings {
            idle_after_secs: 90,
            idle_countdown_secs: 30,
            saved_return_secs: 30,
            fullscreen: true,
            maintenance_pin_hash: None,
            config_file: None,
            time_zone: crate::config::KioskTimeZone::Wib,
            retention_days: crate::outbox::OutboxLimits::default().retention_days,
            pin_lockout_file: None,
        }
    }
}

/// Taps on the hidden corner that open maintenance mode.
const CORNER_TAPS: u32 = 5;
/// Seconds without a corner tap after which the count starts again.
const CORNER_WINDOW_SECS: u32 = 3;

/// Runs the kiosk's screens until the window closes.
pub fn run(context: UiContext) -> iced::Result {
    let window = iced::window::Settings {
        size: iced::Size::new(1280.0, 800.0),
        fullscreen: context.settings.fullscreen,
        decorations: !context.settings.fullscreen,
        resizable: !context.settings.fullscreen,
        ..iced::window::Settings::default()
    };
    iced::application(
        move || App::new(context.clone(), Local::now()),
        App::update,
        App::view,
    )
    .title(App::title)
    .subscription(App::subscription)
    .theme(App::theme)
    .settings(theme::settings())
    .window(window)
    .run()
}

/// The root of the kiosk's screens.
#[derive(Debug)]
pub struct App {
    context: UiContext,
    language: Language,
    translator: Translator,
    now: DateTime<Local>,
    screen: Screen,
    draft: Draft,
    idle: Idle,
    /// Set while an answer is being changed from the review screen: the next answer returns there.
    editing: bool,
    /// A notice shown above the screen until the next tap (e.g. the claim could not be stored).
    notice: Option<check::Note>,
    camera: CameraView,
    preview: Option<image::Handle>,
    frozen: Option<image::Handle>,
    assessing: bool,
    receipt_job: Option<JobId>,
    gate: PinGate,
    corner_taps: u32,
    corner_quiet_secs: u32,
    /// systemd has been told the screens run.
    told_ready: bool,
}

/// Everything that can happen on the kiosk's screens.
#[derive(Debug, Clone)]
pub enum Message {
    /// A message for the current screen.
    Screen(screen::Message),
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
    /// The camera worker reported.
    Camera(CameraEvent),
    /// Time to check the live picture for quality hints.
    AssessDue,
    /// A check of the live picture gave these hints.
    Assessed(DocumentKind, Vec<QualityHint>),
    /// The printer worker reported.
    Printer(PrinterEvent),
    /// The claim was sealed and stored (or not).
    Submitted(Result<ClaimReference, SubmitError>),
    /// The status check answered (or could not).
    StatusAnswered(Result<StatusAnswer, SyncError>),
    /// The packet export finished: how many claims, into which folder (or why not).
    Exported(Result<(usize, PathBuf), OutboxError>),
}

impl App {
    /// Starts on the home screen in Bahasa Indonesia.
    pub fn new(context: UiContext, now: DateTime<Local>) -> App {
        let idle = Idle::new(
            context.settings.idle_after_secs,
            context.settings.idle_countdown_secs,
        );
        let gate = PinGate::with_file(
            context.settings.maintenance_pin_hash.clone(),
            context.settings.pin_lockout_file.clone(),
            now.with_timezone(&Utc),
        );
        let camera = if context.devices.camera.is_some() {
            CameraView::Starting
        } else {
            CameraView::Unavailable
        };
        App {
            context,
            language: Language::Id,
            translator: Translator::new(Language::Id),
            now,
            screen: Screen::home(),
            draft: Draft::default(),
            idle,
            editing: false,
            notice: None,
            camera,
            preview: None,
            frozen: None,
            assessing: false,
            receipt_job: None,
            gate,
            corner_taps: 0,
            corner_quiet_secs: 0,
            told_ready: false,
        }
    }

    /// The window title.
    pub fn title(&self) -> String {
        self.translator.tr("ui-kiosk-name")
    }

    /// The kiosk theme.
    pub fn theme(&self) -> Theme {
        theme::kiosk()
    }

    /// The language the screens speak now.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The current screen.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The claim draft of the current session.
    pub fn draft(&self) -> &Draft {
        &self.draft
    }

    /// Whether the idle countdown is on screen, and how many seconds are left.
    pub fn idle_state(&self) -> IdleState {
        self.idle.state()
    }

    /// The notice shown above the screen, as a message id.
    pub fn notice(&self) -> Option<&'static str> {
        self.notice.as_ref().map(check::Note::id)
    }

    /// Shows a notice above the screen until the next tap.
    fn say(&mut self, id: &'static str) {
        self.notice = Some(check::Note::new(id, Vec::new()));
    }

    /// Where the camera is.
    pub fn camera(&self) -> &CameraView {
        &self.camera
    }

    /// The kiosk's "today": the date in its configured time zone (the claim pipeline uses the same).
    fn today(&self) -> NaiveDate {
        self.context
            .settings
            .time_zone
            .today(self.now.with_timezone(&Utc))
    }

    /// The wall-clock time in the kiosk's time zone, as printed on receipts and slips.
    fn local_time(&self) -> chrono::NaiveDateTime {
        self.context
            .settings
            .time_zone
            .local(self.now.with_timezone(&Utc))
    }

    /// Handles one message.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        let task = self.handle(message);
        self.point_demo_camera();
        task
    }

    /// The demo kiosk's simulated camera shows the face on the selfie screen and the sample card elsewhere.
    fn point_demo_camera(&self) {
        let Some(control) = &self.context.devices.demo_camera else {
            return;
        };
        let scene = match &self.screen {
            Screen::Documents(documents) if documents.current() == Some(DocumentKind::Selfie) => {
                SimulatedScene::Face
            }
            _ => SimulatedScene::Card,
        };
        control.show(scene);
    }

    fn handle(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Screen(message) => {
                self.idle.touch();
                self.notice = None;
                let today = self.today();
                let env = Env {
                    today,
                    rules: &self.context.rules,
                    banks: &self.context.banks,
                    retention_days: self.context.settings.retention_days,
                };
                let action = self.screen.update(message, &self.draft, &env);
                return self.perform(action);
            }
            Message::LanguageSelected(language) => {
                self.idle.touch();
                self.language = language;
                self.translator = Translator::new(language);
            }
            Message::Tick(now) => {
                self.now = now;
                // The tick reached the UI loop, so the screens are alive: tell systemd's watchdog.
                if let Some(service) = &self.context.devices.service {
                    if !self.told_ready {
                        self.told_ready = true;
                        service.ready();
                    }
                    service.watchdog();
                }
                self.corner_quiet_secs = self.corner_quiet_secs.saturating_add(1);
                if self.corner_quiet_secs > CORNER_WINDOW_SECS {
                    self.corner_taps = 0;
                }
                let active = !matches!(self.screen, Screen::Home(_) | Screen::Saved(_));
                if self.idle.tick(active) {
                    self.wipe();
                }
                if let Screen::Saved(saved) = &mut self.screen {
                    let action = saved.tick();
                    return self.perform(action);
                }
            }
            Message::Activity | Message::StillHere => self.idle.touch(),
            Message::CornerTapped => {
                self.idle.touch();
                self.corner_taps += 1;
                self.corner_quiet_secs = 0;
                if self.corner_taps >= CORNER_TAPS && matches!(self.screen, Screen::Home(_)) {
                    self.corner_taps = 0;
                    tracing::info!("maintenance PIN screen opened");
                    self.screen = self.open(Target::Maintenance);
                }
            }
            Message::Camera(event) => self.camera_event(event),
            Message::AssessDue => return self.assess(),
            Message::Assessed(kind, hints) => {
                // Not a touch: the idle clock keeps running.
                self.assessing = false;
                let today = self.today();
                let env = Env {
                    today,
                    rules: &self.context.rules,
                    banks: &self.context.banks,
                    retention_days: self.context.settings.retention_days,
                };
                let message =
                    screen::Message::Documents(screen::documents::Message::Hints(kind, hints));
                let action = self.screen.update(message, &self.draft, &env);
                return self.perform(action);
            }
            Message::Printer(event) => self.printer_event(event),
            Message::Submitted(result) => self.submitted(result),
            Message::Exported(result) => self.exported(result),
            Message::StatusAnswered(result) => {
                // An answer that did not match the NIK counts as a failed try, offline as online.
                let not_found = matches!(
                    result,
                    Ok(StatusAnswer::NotFound | StatusAnswer::CannotCheckNow)
                );
                let answer = status_text(&self.translator, result, self.context.settings.time_zone);
                if let Screen::Status(status) = &mut self.screen {
                    status.answered(answer, not_found);
                }
            }
        }
        Task::none()
    }

    fn env(&self) -> Env<'_> {
        Env {
            today: self.today(),
            rules: &self.context.rules,
            banks: &self.context.banks,
            retention_days: self.context.settings.retention_days,
        }
    }

    /// Carries out what a screen asked for.
    fn perform(&mut self, action: Action) -> Task<Message> {
        let now = self.now.with_timezone(&Utc);
        match action {
            Action::None => {}
            Action::Home => self.wipe(),
            Action::Show(next) => {
                self.editing = false;
                self.screen = self.open(next);
            }
            Action::Edit(target) => {
                self.editing = true;
                self.screen = self.open(target);
            }
            Action::Record(change, next) => {
                self.draft.apply(change, now);
                let missing = self.fit_documents_to_answers();
                if self.editing && next != Target::Home {
                    self.editing = false;
                    // A changed answer may ask for another document (a new reason, the NPWP card): only
                    // those are asked for, then the review returns.
                    self.screen = if missing.is_empty() {
                        self.open(Target::Review)
                    } else {
                        // Opening the documents screen reads the camera's state first.
                        let _ = self.open(Target::Documents);
                        Screen::Documents(screen::documents::Documents::new(missing, &self.draft))
                    };
                    return Task::none();
                }
                self.editing = false;
                self.screen = self.open(next);
            }
            Action::Keep(change) => {
                if matches!(change, draft::Change::Document(_)) {
                    self.frozen = self.preview.clone();
                }
                self.draft.apply(change, now);
            }
            Action::Capture(kind) => return self.capture(kind),
            Action::PrintSlip(answer) => self.print_slip(&answer),
            Action::CheckPin(pin) => {
                let outcome = self.gate.try_pin(&pin, now);
                if let Screen::Maintenance(screen) = &mut self.screen {
                    screen.pin_checked(outcome);
                }
            }
            Action::TestPrint => match &self.context.devices.printer {
                Some(printer) => {
                    let job = printer.print_test(self.local_time());
                    tracing::info!(%job, "test page sent from maintenance mode");
                    self.say("ui-maintenance-test-print-sent");
                }
                None => self.say("ui-maintenance-no-printer"),
            },
            Action::ExitToDesktop => {
                tracing::info!("kiosk closed from maintenance mode");
                return iced::exit();
            }
            Action::Submit => return self.submit(),
            Action::SyncNow => match &self.context.devices.uploader {
                Some(uploader) => {
                    uploader.wake();
                    tracing::info!("uploader woken from maintenance mode");
                    self.say("ui-maintenance-sync-started");
                }
                None => self.say("ui-maintenance-no-uploader"),
            },
            Action::RequeueHeld => self.requeue_held(),
            Action::ReloadConfig => self.reload_config(),
            Action::FindDrives => {
                let drives = drives::mounted_removable_drives();
                if let Screen::Maintenance(screen) = &mut self.screen {
                    screen.drives_found(drives);
                }
            }
            Action::Export(folder) => return self.export(folder),
            Action::CheckStatus(query) => {
                let Some(checker) = self.context.devices.status.clone() else {
                    return Task::done(Message::StatusAnswered(Err(SyncError::Offline)));
                };
                return Task::perform(blocking(move || checker.check(&query)), |result| {
                    Message::StatusAnswered(
                        result.unwrap_or_else(|| {
                            Err(SyncError::Unreachable("interrupted".to_owned()))
                        }),
                    )
                });
            }
        }
        Task::none()
    }

    /// Drops photos the current answers no longer ask for; returns the ones they ask for that are missing.
    fn fit_documents_to_answers(&mut self) -> Vec<DocumentKind> {
        let Some(details) = &self.draft.reason else {
            return Vec::new();
        };
        let required = self
            .context
            .rules
            .documents_for(details.reason, self.draft.balance_above_npwp_threshold);
        self.draft
            .documents
            .retain(|doc| required.contains(&doc.kind));
        required
            .into_iter()
            .filter(|kind| !self.draft.documents.iter().any(|doc| doc.kind == *kind))
            .collect()
    }

    fn open(&mut self, target: Target) -> Screen {
        if target == Target::Documents
            && let Some(camera) = &self.context.devices.camera
        {
            // The camera feed runs only on the documents screen: start from the worker's own state.
            self.camera = match camera.state() {
                CameraState::Running(_) => CameraView::Live,
                CameraState::Lost(_) => CameraView::Lost,
                // A resting camera opens again when this screen's feed starts.
                CameraState::Starting | CameraState::Paused(_) => CameraView::Starting,
                CameraState::Stopped => CameraView::Unavailable,
            };
        }
        // Claims need the camera and the outbox: without them the kiosk says so instead of starting.
        if target == Target::Consent && !self.claims_possible() {
            return Screen::home();
        }
        Screen::open(target, &self.draft, &self.env())
    }

    /// Whether the current screen shows the camera's live picture.
    fn shows_camera(&self) -> bool {
        match &self.screen {
            Screen::Documents(_) => true,
            Screen::Maintenance(screen) => screen.wants_camera(),
            _ => false,
        }
    }

    /// Whether a claim can be taken now: the outbox is there and so is a camera that is not lost (unplugged or
    /// failing) or stopped.
    pub fn claims_possible(&self) -> bool {
        self.camera_usable() && self.context.devices.submitter.is_some()
    }

    /// Whether the camera can take photos for a new claim: one was opened and its worker has not lost it
    /// (read from the worker itself, so home knows even while no camera feed runs).
    fn camera_usable(&self) -> bool {
        self.context.devices.camera.as_ref().is_some_and(|camera| {
            matches!(
                camera.state(),
                CameraState::Running(_) | CameraState::Paused(_) | CameraState::Starting
            )
        })
    }

    fn camera_event(&mut self, event: CameraEvent) {
        match event {
            CameraEvent::Started(_) | CameraEvent::Restored => self.camera = CameraView::Live,
            CameraEvent::Lost(_) => {
                self.camera = CameraView::Lost;
                self.preview = None;
            }
            CameraEvent::Frame(preview) => {
                self.camera = CameraView::Live;
                if self.shows_camera() {
                    self.preview = Some(image::Handle::from_rgba(
                        preview.width,
                        preview.height,
                        preview.rgba.clone(),
                    ));
                }
            }
        }
    }

    /// Takes the newest frame and runs the capture pipeline off the UI thread.
    fn capture(&mut self, kind: DocumentKind) -> Task<Message> {
        let Some(camera) = self.context.devices.camera.clone() else {
            return Task::done(documents_message(screen::documents::Message::Captured(
                Err("no camera".to_owned()),
            )));
        };
        let limits = self.context.devices.quality.clone();
        Task::perform(
            blocking(move || {
                let frame = camera.capture().map_err(|e| e.to_string())?;
                crate::camera::capture(kind, &frame, &limits).map_err(|e| e.to_string())
            }),
            |result: Option<Result<CaptureOutcome, String>>| {
                documents_message(screen::documents::Message::Captured(
                    result.unwrap_or_else(|| Err("interrupted".to_owned())),
                ))
            },
        )
    }

    /// Checks the live picture for hints, one check at a time.
    fn assess(&mut self) -> Task<Message> {
        let Screen::Documents(documents) = &self.screen else {
            return Task::none();
        };
        let (Some(kind), Some(camera)) = (documents.current(), self.context.devices.camera.clone())
        else {
            return Task::none();
        };
        if self.assessing || self.camera != CameraView::Live {
            return Task::none();
        }
        self.assessing = true;
        let limits = self.context.devices.quality.clone();
        Task::perform(
            blocking(move || {
                let frame = camera.capture().ok()?;
                crate::camera::assess(kind, &frame, &limits).ok()
            }),
            move |report| {
                let hints = report
                    .flatten()
                    .map(|report| report.hints)
                    .unwrap_or_default();
                Message::Assessed(kind, hints)
            },
        )
    }

    /// Seals and stores the claim off the UI thread through the shared claim pipeline (which checks every
    /// answer again); "saved" is shown only after the commit.
    fn submit(&mut self) -> Task<Message> {
        let Some(submitter) = self.context.devices.submitter.clone() else {
            self.refuse_submit(check::Note::new("ui-out-of-service-storage", Vec::new()));
            return Task::none();
        };
        let claim = match self.draft.claim_draft() {
            Ok(claim) => claim,
            Err(error) => return Task::done(Message::Submitted(Err(error))),
        };
        let now = self.now.with_timezone(&Utc);
        Task::perform(
            blocking(move || {
                submitter
                    .submit(&claim, now)
                    .map(|submitted| submitted.reference)
            }),
            |result| {
                Message::Submitted(result.unwrap_or_else(|| {
                    Err(SubmitError::Outbox(OutboxError::Database {
                        action: "seal and store the claim",
                        reason: "the work stopped before it finished".to_owned(),
                    }))
                }))
            },
        )
    }

    fn refuse_submit(&mut self, note: check::Note) {
        self.notice = Some(note);
        if let Screen::Review(review) = &mut self.screen {
            review.submit_failed();
        }
    }

    fn submitted(&mut self, result: Result<ClaimReference, SubmitError>) {
        match result {
            Ok(reference) => {
                let receipt = self.print_receipt(&reference);
                // The claim is stored: the participant's data leaves memory now.
                self.draft = Draft::default();
                self.frozen = None;
                self.preview = None;
                self.screen = Screen::Saved(Saved::new(
                    reference,
                    receipt,
                    self.context.settings.saved_return_secs,
                ));
            }
            Err(error) => {
                match &error {
                    // Only the names of the fields go to the log, never anything typed.
                    SubmitError::Invalid(problems) => {
                        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
                        tracing::warn!(?fields, "claim not stored: answers missing or wrong");
                    }
                    other => tracing::error!(error = %other, "claim not stored"),
                }
                self.refuse_submit(submit_note(&error));
            }
        }
    }

    /// Reads the configuration file again. A usable file's session times, staff PIN, photo checks and kiosk
    /// location apply at once; devices, the central service and the claim rules are opened at start and
    /// change when the kiosk program restarts. A broken file changes nothing and is named with its fault.
    fn reload_config(&mut self) {
        let path = self.context.settings.config_file.clone();
        let note = match crate::config::KioskConfig::load(path.as_deref()) {
            Ok(loaded) => {
                let config = &loaded.config;
                let settings = &mut self.context.settings;
                settings.idle_after_secs = config.session.idle_after_secs;
                settings.idle_countdown_secs = config.session.idle_countdown_secs;
                settings.saved_return_secs = config.session.saved_return_secs;
                settings.maintenance_pin_hash =
                    Some(config.maintenance.pin_hash.clone()).filter(|hash| !hash.is_empty());
                self.idle = Idle::new(settings.idle_after_secs, settings.idle_countdown_secs);
                self.gate
                    .replace_hash(settings.maintenance_pin_hash.clone());
                self.context.devices.quality = config.camera.quality.clone();
                self.context.devices.location = config.kiosk.location.clone();
                tracing::info!(origin = %loaded.origin, warnings = loaded.warnings.len(), "configuration re-read and applied");
                check::Note::new(
                    "ui-maintenance-config-ok",
                    vec![
                        (
                            "origin",
                            crate::i18n::MessageArg::Text(loaded.origin.to_string()),
                        ),
                        (
                            "warnings",
                            crate::i18n::MessageArg::from(loaded.warnings.len()),
                        ),
                    ],
                )
            }
            Err(error) => {
                tracing::warn!(%error, "configuration re-read failed");
                check::Note::new(
                    "ui-maintenance-config-error",
                    vec![("error", crate::i18n::MessageArg::Text(error.to_string()))],
                )
            }
        };
        self.notice = Some(note);
    }

    /// Exports the undelivered packets into a new folder `<folder>/<kiosk id>/<date-time>/`, off the UI thread.
    fn export(&mut self, folder: PathBuf) -> Task<Message> {
        let Some(outbox) = self.context.devices.outbox.clone() else {
            self.say("ui-maintenance-no-outbox");
            return Task::none();
        };
        let kiosk_id = self.context.devices.kiosk_id.clone();
        let at = self.now.with_timezone(&Utc);
        self.say("ui-maintenance-exporting");
        Task::perform(
            blocking(move || {
                outbox
                    .export(&folder, &kiosk_id, at)
                    .map(|done| (done.count, done.folder))
            }),
            |result| {
                Message::Exported(result.unwrap_or_else(|| {
                    Err(OutboxError::Database {
                        action: "export packets",
                        reason: "the export stopped before it finished".to_owned(),
                    })
                }))
            },
        )
    }

    /// Puts the held claims back in the queue and wakes the uploader ("send held claims again").
    fn requeue_held(&mut self) {
        use crate::i18n::MessageArg;
        let Some(outbox) = &self.context.devices.outbox else {
            self.say("ui-maintenance-no-outbox");
            return;
        };
        self.notice = Some(match outbox.requeue_held(self.now.with_timezone(&Utc)) {
            Ok(count) => {
                tracing::info!(
                    count,
                    "held claims put back in the queue from maintenance mode"
                );
                if let Some(uploader) = &self.context.devices.uploader {
                    uploader.wake();
                }
                check::Note::new(
                    "ui-maintenance-held-requeued",
                    vec![("count", MessageArg::from(count))],
                )
            }
            Err(error) => {
                tracing::error!(%error, "held claims could not be put back in the queue");
                check::Note::new(
                    "ui-maintenance-requeue-failed",
                    vec![("error", MessageArg::Text(error.to_string()))],
                )
            }
        });
    }

    fn exported(&mut self, result: Result<(usize, PathBuf), OutboxError>) {
        use crate::i18n::MessageArg;
        self.notice = Some(match result {
            Ok((count, folder)) => {
                tracing::info!(count, folder = %folder.display(), "packets exported");
                check::Note::new(
                    "ui-maintenance-exported",
                    vec![
                        ("count", MessageArg::from(count)),
                        ("folder", MessageArg::Text(folder.display().to_string())),
                    ],
                )
            }
            Err(error) => {
                tracing::error!(%error, "export failed");
                check::Note::new(
                    "ui-maintenance-export-failed",
                    vec![("error", MessageArg::Text(error.to_string()))],
                )
            }
        });
    }

    /// Sends the receipt to the printer if it can print; a printer fault never blocks the claim.
    fn print_receipt(&mut self, reference: &ClaimReference) -> Receipt {
        let Some(printer) = &self.context.devices.printer else {
            return Receipt::NotPrinted;
        };
        if !printer.status().state.can_print(true) {
            return Receipt::NotPrinted;
        }
        let t = &self.translator;
        let receipt = PrintedReceipt {
            header: self.context.devices.receipt_header.clone(),
            location: self.context.devices.location.clone(),
            when: self.local_time(),
            reference_label: t.tr("ui-saved-reference"),
            reference: reference.clone(),
            reference_display: reference.to_string(),
            next_steps: vec![t.tr("ui-saved-next")],
        };
        self.receipt_job = Some(printer.print(receipt));
        Receipt::Printing
    }

    /// Prints the "not yet eligible" slip; says plainly when the printer cannot.
    fn print_slip(&mut self, answer: &crate::claim::eligibility::Eligibility) {
        let printer = self
            .context
            .devices
            .printer
            .as_ref()
            .filter(|printer| printer.status().state.can_print(true));
        let Some(printer) = printer else {
            self.say("ui-slip-not-printed");
            return;
        };
        let t = &self.translator;
        let slip = NotEligibleSlip {
            header: self.context.devices.receipt_header.clone(),
            location: self.context.devices.location.clone(),
            when: self.local_time(),
            title: t.tr("ui-reason-not-yet"),
            body: vec![check::Note::of(answer).text(t)],
        };
        let _job = printer.print(slip);
        self.say("ui-slip-printing");
    }

    fn printer_event(&mut self, event: PrinterEvent) {
        let (job, outcome) = match event {
            PrinterEvent::Printed { job } => (job, Receipt::Printed),
            PrinterEvent::PrintFailed { job, .. } => (job, Receipt::NotPrinted),
            PrinterEvent::StatusChanged(_) => return,
        };
        if self.receipt_job == Some(job) {
            self.receipt_job = None;
            if let Screen::Saved(saved) = &mut self.screen {
                saved.set_receipt(outcome);
            }
        }
    }

    /// Ends the session: the draft, photos, frames and every screen's state are dropped; home returns in
    /// Bahasa Indonesia.
    fn wipe(&mut self) {
        self.draft = Draft::default();
        self.editing = false;
        self.notice = None;
        self.preview = None;
        self.frozen = None;
        self.screen = Screen::home();
        self.idle.touch();
        if let Some(camera) = &self.context.devices.camera {
            camera.forget_frames();
        }
        if self.language != Language::Id {
            self.language = Language::Id;
            self.translator = Translator::new(Language::Id);
        }
    }

    /// The clock, the touches that keep the session alive, and the device workers.
    pub fn subscription(&self) -> Subscription<Message> {
        let tick = iced::time::every(Duration::from_secs(1)).map(|_| Message::Tick(Local::now()));
        let touches = iced::event::listen_raw(|event, _status, _window| match event {
            iced::Event::Mouse(iced::mouse::Event::ButtonPressed(_))
            | iced::Event::Touch(iced::touch::Event::FingerPressed { .. }) => {
                Some(Message::Activity)
            }
            _ => None,
        });
        let mut subscriptions = vec![tick, touches];
        // Frames are only wanted on the documents screen: elsewhere they would redraw the screen for nothing.
        if let Some(camera) = &self.context.devices.camera
            && self.shows_camera()
        {
            subscriptions.push(feed::camera(camera).map(Message::Camera));
            if matches!(self.screen, Screen::Documents(_)) {
                subscriptions.push(
                    iced::time::every(Duration::from_millis(700)).map(|_| Message::AssessDue),
                );
            }
        }
        if let Some(printer) = &self.context.devices.printer {
            subscriptions.push(feed::printer(printer).map(Message::Printer));
        }
        Subscription::batch(subscriptions)
    }

    /// Draws the header (name, language switch) and the current screen, or the idle countdown.
    pub fn view(&self) -> Element<'_, Message> {
        let t = &self.translator;
        let env = self.env();
        let live = Live {
            camera: self.camera.clone(),
            preview: self.preview.as_ref(),
            frozen: self.frozen.as_ref(),
            health: match &self.screen {
                Screen::Maintenance(screen) => self.health(screen.step()),
                _ => Health::default(),
            },
        };
        let body: Element<'_, Message> = match self.idle.state() {
            IdleState::Countdown { seconds_left } => self.countdown(seconds_left),
            IdleState::Active => self
                .screen
                .view(t, &self.draft, &env, &live)
                .map(Message::Screen),
        };
        let mut page = column![self.header()].width(Fill).height(Fill);
        let notice = self.notice.as_ref().map(|note| note.text(t)).or_else(|| {
            (matches!(self.screen, Screen::Home(_)) && !self.claims_possible()).then(|| {
                t.tr(if !self.camera_usable() {
                    "ui-out-of-service-camera"
                } else {
                    "ui-out-of-service-storage"
                })
            })
        });
        if let Some(notice) = notice {
            page = page.push(
                container(text(notice).size(theme::BODY))
                    .padding([16, 32])
                    .width(Fill)
                    .style(theme::notice),
            );
        }
        page.push(container(body).padding(32).width(Fill).height(Fill))
            .into()
    }

    /// Reads the devices' state for the maintenance screen, in the screen's language.
    /// Only the health page reads the printer, the outbox and the uploader; the camera test, redrawn with
    /// every frame, reads the camera alone.
    fn health(&self, step: screen::maintenance::Step) -> Health {
        use crate::i18n::MessageArg;
        let t = &self.translator;
        let devices = &self.context.devices;
        let camera = match &devices.camera {
            None => t.tr("ui-health-camera-none"),
            Some(handle) => match handle.state() {
                CameraState::Starting => t.tr("ui-health-camera-starting"),
                CameraState::Running(info) => t.tr_args(
                    "ui-health-camera-running",
                    &[
                        ("name", MessageArg::Text(info.name.clone())),
                        ("width", MessageArg::from(info.width)),
                        ("height", MessageArg::from(info.height)),
                    ],
                ),
                CameraState::Paused(info) => t.tr_args(
                    "ui-health-camera-resting",
                    &[("name", MessageArg::Text(info.name.clone()))],
                ),
                CameraState::Lost(reason) => t.tr_args(
                    "ui-health-camera-lost",
                    &[("reason", MessageArg::Text(reason))],
                ),
                CameraState::Stopped => t.tr("ui-health-camera-stopped"),
            },
        };
        if step != screen::maintenance::Step::Health {
            return Health {
                camera,
                ..Health::default()
            };
        }
        let printer = match &devices.printer {
            None => t.tr("ui-health-printer-none"),
            Some(handle) => t.tr(printer_state_id(handle.status().state)),
        };
        let mut held = 0;
        let outbox = match &devices.outbox {
            None => t.tr("ui-health-outbox-none"),
            Some(outbox) => match outbox.stats(self.now.with_timezone(&Utc)) {
                Ok(stats) => {
                    held = stats.held;
                    let count = |n: u64| MessageArg::Number(i64::try_from(n).unwrap_or(i64::MAX));
                    let mut line = t.tr_args(
                        "ui-health-outbox-counts",
                        &[
                            ("pending", count(stats.pending)),
                            ("sending", count(stats.sending)),
                            ("delivered", count(stats.delivered)),
                            ("held", count(stats.held)),
                        ],
                    );
                    if let Some(age) = stats.oldest_pending_age {
                        line.push(' ');
                        line.push_str(&t.tr_args(
                            "ui-health-outbox-oldest",
                            &[("minutes", MessageArg::Number(age.num_minutes()))],
                        ));
                    }
                    if let Some(error) = stats.last_error {
                        line.push(' ');
                        line.push_str(&t.tr_args(
                            "ui-health-outbox-error",
                            &[("error", MessageArg::Text(error))],
                        ));
                    }
                    line
                }
                Err(error) => t.tr_args(
                    "ui-health-outbox-unreadable",
                    &[("error", MessageArg::Text(error.to_string()))],
                ),
            },
        };
        let uploader_status = devices.uploader.as_ref().map(|u| u.status());
        let central = match &uploader_status {
            None => t.tr("ui-health-central-none"),
            Some(status) => central_line(t, status),
        };
        Health {
            camera,
            printer,
            outbox,
            central,
            alert: uploader_status
                .and_then(|status| status.alert)
                .map(|alert| alert_line(t, &alert)),
            held,
        }
    }

    fn header(&self) -> Element<'_, Message> {
        let t = &self.translator;
        let language = |language: Language, id: &str| {
            let style = if self.language == language {
                theme::selected_button
            } else {
                theme::secondary_button
            };
            button(
                text(t.tr(id))
                    .size(theme::BODY)
                    .align_y(Center)
                    .height(Fill),
            )
            .on_press(Message::LanguageSelected(language))
            .height(theme::TOUCH)
            .padding([0, 20])
            .style(style)
        };
        container(
            row![
                mouse_area(
                    text(t.tr("ui-kiosk-name"))
                        .size(theme::BODY)
                        .font(theme::FONT_BOLD_FACE)
                )
                .on_press(Message::CornerTapped),
                space::horizontal(),
                language(Language::Id, "ui-language-id"),
                language(Language::En, "ui-language-en"),
            ]
            .spacing(16)
            .align_y(Center),
        )
        .padding([12, 32])
        .width(Fill)
        .style(theme::header)
        .into()
    }

    fn countdown(&self, seconds_left: u32) -> Element<'_, Message> {
        let t = &self.translator;
        let seconds = crate::i18n::MessageArg::from(seconds_left);
        let panel = container(
            column![
                text(t.tr("ui-idle-title"))
                    .size(theme::HEADING)
                    .font(theme::FONT_BOLD_FACE),
                text(t.tr_args("ui-idle-body", &[("seconds", seconds)])).size(theme::BODY),
                button(text(t.tr("ui-idle-continue")).size(theme::BODY))
                    .on_press(Message::StillHere)
                    .padding([16, 40])
                    .style(theme::primary_button),
            ]
            .spacing(theme::GAP)
            .align_x(Center),
        )
        .padding(48)
        .style(theme::notice);
        container(panel).center(Fill).into()
    }
}

/// What the participant is told when the claim could not be stored, in plain words.
pub fn submit_note(error: &SubmitError) -> check::Note {
    let id = match error {
        SubmitError::Invalid(_) => "ui-submit-incomplete",
        SubmitError::NotEligible(eligibility) => return check::Note::of(eligibility),
        SubmitError::Outbox(OutboxError::Full {
            reason: FullReason::TooManyPending { .. },
        }) => "ui-submit-full-pending",
        SubmitError::Outbox(OutboxError::Full {
            reason: FullReason::LowDiskSpace { .. },
        }) => "ui-submit-full-disk",
        SubmitError::Outbox(_) | SubmitError::Packet(_) | SubmitError::Reference(_) => {
            "ui-out-of-service-storage"
        }
    };
    check::Note::new(id, Vec::new())
}

/// The status answer in the participant's language, its dates in the kiosk's time zone.
pub fn status_text(
    t: &Translator,
    result: Result<StatusAnswer, SyncError>,
    zone: crate::config::KioskTimeZone,
) -> String {
    use crate::i18n::MessageArg;
    let date = |at: DateTime<Utc>| MessageArg::Date(zone.today(at));
    match result {
        Ok(StatusAnswer::Central {
            status, changed_at, ..
        }) => t.tr_args(
            "ui-status-central",
            &[
                ("status", MessageArg::Text(status.id().to_owned())),
                ("date", date(changed_at)),
            ],
        ),
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

/// The uploader's state in words for staff: failing (with the error), delivering, or nothing sent yet.
pub fn central_line(t: &Translator, status: &crate::sync::uploader::UploaderStatus) -> String {
    use crate::i18n::MessageArg;
    let count = |n: u64| MessageArg::Number(i64::try_from(n).unwrap_or(i64::MAX));
    if status.failures_in_a_row > 0 {
        let error = status.last_error.clone().unwrap_or_default();
        return t.tr_args(
            "ui-health-central-failing",
            &[
                ("error", MessageArg::Text(error)),
                ("failures", MessageArg::from(status.failures_in_a_row)),
            ],
        );
    }
    match status.last_delivered_at {
        Some(at) => {
            let local = at.with_timezone(&Local);
            t.tr_args(
                "ui-health-central-ok",
                &[
                    ("date", MessageArg::Date(local.date_naive())),
                    ("time", MessageArg::Text(local.format("%H:%M").to_string())),
                    ("delivered", count(status.delivered)),
                ],
            )
        }
        None => t.tr_args(
            "ui-health-central-waiting",
            &[("requests", count(status.requests))],
        ),
    }
}

/// The delivery alert in words for staff: how many claims, the longest-waiting one, since when, the last error.
pub fn alert_line(t: &Translator, alert: &crate::sync::api::DeliveryAlert) -> String {
    use crate::i18n::MessageArg;
    let since = alert.waiting_since.with_timezone(&Local);
    t.tr_args(
        "ui-health-delivery-alert",
        &[
            ("claims", MessageArg::from(alert.claims)),
            (
                "reference",
                MessageArg::Text(alert.reference.digits().to_owned()),
            ),
            ("attempts", MessageArg::from(alert.attempts)),
            ("date", MessageArg::Date(since.date_naive())),
            ("time", MessageArg::Text(since.format("%H:%M").to_string())),
            ("error", MessageArg::Text(alert.last_error.clone())),
        ],
    )
}

/// The message id of a printer state, with what staff should do about it.
fn printer_state_id(state: crate::printer::PrinterState) -> &'static str {
    use crate::printer::PrinterState;
    match state {
        PrinterState::Ready => "ui-health-printer-ready",
        PrinterState::PaperLow => "ui-health-printer-paper-low",
        PrinterState::PaperOut => "ui-health-printer-paper-out",
        PrinterState::CoverOpen => "ui-health-printer-cover-open",
        PrinterState::CutterError => "ui-health-printer-cutter-error",
        PrinterState::Unrecoverable => "ui-health-printer-unrecoverable",
        PrinterState::Offline => "ui-health-printer-offline",
        PrinterState::NoResponse => "ui-health-printer-no-response",
        PrinterState::Disconnected => "ui-health-printer-disconnected",
    }
}

fn documents_message(message: screen::documents::Message) -> Message {
    Message::Screen(screen::Message::Documents(message))
}

/// Runs blocking work (camera pipeline, sealing, SQLite) on a worker thread; `None` if it panicked.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(work).await.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sources of every screen and widget, scanned for the message ids they use.
    const SOURCES: [&str; 16] = [
        include_str!("mod.rs"),
        include_str!("check.rs"),
        include_str!("screen.rs"),
        include_str!("screen/home.rs"),
        include_str!("screen/consent.rs"),
        include_str!("screen/identity.rs"),
        include_str!("screen/reason.rs"),
        include_str!("screen/contact.rs"),
        include_str!("screen/bank.rs"),
        include_str!("screen/documents.rs"),
        include_str!("screen/review.rs"),
        include_str!("screen/saved.rs"),
        include_str!("screen/status.rs"),
        include_str!("screen/maintenance.rs"),
        include_str!("widget/keypad.rs"),
        include_str!("widget/keyboard.rs"),
    ];

    fn ids_in_sources() -> Vec<String> {
        let mut ids = Vec::new();
        for source in SOURCES {
            for piece in source.split('"').skip(1).step_by(2) {
                let is_id = piece.starts_with("ui-")
                    && piece.len() > 3
                    && piece
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if is_id && !ids.iter().any(|id| id == piece) {
                    ids.push(piece.to_owned());
                }
            }
        }
        ids
    }

    #[test]
    fn every_screen_text_exists_in_both_languages() {
        let ids = ids_in_sources();
        assert!(ids.len() > 50, "found only {} ids", ids.len());
        for language in Language::ALL {
            let t = Translator::new(language);
            let missing: Vec<&String> = ids.iter().filter(|id| !t.has_message(id)).collect();
            assert!(
                missing.is_empty(),
                "{}: missing {missing:?}",
                language.code()
            );
        }
    }

    #[test]
    fn refused_claims_are_explained_by_their_cause() {
        use crate::claim::eligibility::{Eligibility, NotYetReason};
        let full = |reason| SubmitError::Outbox(OutboxError::Full { reason });
        let pending = full(FullReason::TooManyPending {
            pending: 5000,
            max: 5000,
        });
        let disk = full(FullReason::LowDiskSpace {
            free_bytes: 1,
            min_free_bytes: 2,
        });
        assert_eq!(submit_note(&pending).id(), "ui-submit-full-pending");
        assert_eq!(submit_note(&disk).id(), "ui-submit-full-disk");
        assert_eq!(
            submit_note(&SubmitError::Invalid(Vec::new())).id(),
            "ui-submit-incomplete"
        );
        let not_yet = Eligibility::NotYet {
            from: NaiveDate::from_ymd_opt(2026, 12, 20).unwrap_or_default(),
            because: NotYetReason::WaitingPeriod {
                reason: crate::claim::Reason::Resign,
                months: 1,
            },
        };
        let note = submit_note(&SubmitError::NotEligible(not_yet));
        assert_eq!(note, check::Note::of(&not_yet));
        // The date the participant may come back is in the words shown.
        let t = Translator::new(Language::Id);
        assert!(note.text(&t).contains("Desember"), "{}", note.text(&t));
        let disk_failure = SubmitError::Outbox(OutboxError::Database {
            action: "commit",
            reason: "disk I/O error".to_owned(),
        });
        assert_eq!(submit_note(&disk_failure).id(), "ui-out-of-service-storage");
    }

    #[test]
    fn every_clock_tick_in_the_ui_loop_feeds_the_systemd_watchdog() {
        use std::os::unix::net::UnixDatagram;
        let dir = tempfile::tempdir().expect("temp folder");
        let path = dir.path().join("notify");
        let systemd = UnixDatagram::bind(&path).expect("bind");
        systemd
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let service = crate::service_notify::ServiceNotifier::for_socket(&path.to_string_lossy())
            .expect("notifier");
        let devices = Devices {
            service: Some(Arc::new(service)),
            ..Devices::default()
        };
        let context =
            UiContext::with_shipped_tables(UiSettings::default(), devices).expect("tables");
        let mut app = App::new(context, Local::now());
        let next = || {
            let mut buffer = [0u8; 32];
            let n = systemd.recv(&mut buffer).expect("a notification");
            String::from_utf8_lossy(&buffer[..n]).into_owned()
        };
        // Nothing before the loop runs.
        systemd.set_nonblocking(true).expect("nonblocking");
        assert!(systemd.recv(&mut [0u8; 8]).is_err());
        systemd.set_nonblocking(false).expect("blocking");
        let _ = app.update(Message::Tick(Local::now()));
        assert_eq!(next(), "READY=1");
        assert_eq!(next(), "WATCHDOG=1");
        let _ = app.update(Message::Tick(Local::now()));
        assert_eq!(next(), "WATCHDOG=1");
    }

    #[test]
    fn staff_read_whether_claims_reach_the_central_service() {
        use crate::sync::uploader::UploaderStatus;
        use chrono::TimeZone as _;
        let t = Translator::new(Language::Id);
        let waiting = UploaderStatus {
            running: true,
            requests: 0,
            ..UploaderStatus::default()
        };
        assert!(central_line(&t, &waiting).starts_with("Belum ada klaim terkirim"));
        let delivered_at = Local
            .with_ymd_and_hms(2026, 11, 28, 9, 5, 0)
            .single()
            .map(|at| at.with_timezone(&Utc));
        let delivering = UploaderStatus {
            requests: 3,
            delivered: 3,
            last_delivered_at: delivered_at,
            ..waiting.clone()
        };
        let line = central_line(&t, &delivering);
        assert!(line.starts_with("Terhubung"), "{line}");
        assert!(line.contains("09.05") || line.contains("09:05"), "{line}");
        assert!(line.contains("28 November 2026"), "{line}");
        // A failure after deliveries: the error is what staff read, not the old success.
        let failing = UploaderStatus {
            failures_in_a_row: 4,
            last_error: Some("connection refused".to_owned()),
            ..delivering
        };
        let line = central_line(&t, &failing);
        assert!(line.starts_with("Tidak terhubung"), "{line}");
        assert!(
            line.contains("connection refused") && line.contains('4'),
            "{line}"
        );
    }

    #[test]
    fn staff_read_the_delivery_alert_with_claim_time_attempts_and_error() {
        use crate::sync::api::DeliveryAlert;
        use chrono::TimeZone as _;
        let waiting_since = Local
            .with_ymd_and_hms(2026, 11, 28, 7, 30, 0)
            .single()
            .map(|at| at.with_timezone(&Utc))
            .expect("a local time");
        let alert = DeliveryAlert {
            claims: 4,
            reference: "0000700000015".parse().expect("a reference"),
            attempts: 11,
            waiting_since,
            raised_at: waiting_since,
            last_error: "413: Request Entity Too Large".into(),
        };
        for language in Language::ALL {
            let line = alert_line(&Translator::new(language), &alert);
            for part in [
                "0000700000015",
                "11",
                "413: Request Entity Too Large",
                "2026",
            ] {
                assert!(line.contains(part), "{}: {line}", language.code());
            }
            assert!(
                line.contains("07.30") || line.contains("07:30"),
                "{}: {line}",
                language.code()
            );
        }
        let line = alert_line(&Translator::new(Language::Id), &alert);
        assert!(line.starts_with("Perhatian: 4 klaim"), "{line}");
    }

    #[test]
    fn every_quality_hint_exists_in_both_languages() {
        for language in Language::ALL {
            let t = Translator::new(language);
            for hint in QualityHint::ALL {
                assert!(
                    t.has_message(hint.message_id()),
                    "{}: {hint:?}",
                    language.code()
                );
            }
        }
    }
}
