//! Maintenance mode for field staff: the PIN (checked against the configured argon2 hash, locked after 5 wrong
//! tries), then device health (with the delivery alert), "sync now", sending held claims again, exporting
//! packets to a USB drive, reloading the configuration, a live camera test, a test print and the way out to the
//! desktop. Everything that reads or writes files or the database runs as the screen's own work.

pub mod health;
mod tools;

use std::path::PathBuf;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use iced::widget::{column, container, image, row, space, text};
use iced::{Center, Element, Fill, Subscription, Task};

use super::documents::CameraView;
use super::{Action, choice, field, keypad_page, layout, nav_button, question};
use crate::camera::CameraEvent;
use crate::config::LoadedConfig;
use crate::i18n::MessageArg;
use crate::outbox::OutboxError;
use crate::pin::PinOutcome;
use crate::ui::Context;
use crate::ui::check::{Check, Note};
use crate::ui::context::blocking;
use crate::ui::theme;
use crate::ui::widget::keyboard::{Layout, keyboard};
use crate::ui::widget::{Key, apply};
use health::HealthFacts;
pub use tools::reconfigure;
use tools::{
    export, exported, find_drives, read_config, requeue_held, requeued, sync_now, test_print,
};

/// How often the health page reads the devices and the outbox again while it shows.
const REFRESH_EVERY: Duration = Duration::from_secs(1);

/// The page on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Type the staff PIN.
    Pin,
    /// Device health and actions.
    Health,
    /// The camera's live picture.
    Camera,
    /// Choose or type the folder to export packets to.
    Export,
}

/// The maintenance screen's state.
#[derive(Debug, Clone)]
pub struct Maintenance {
    step: Step,
    pin: String,
    last: Option<PinOutcome>,
    drives: Vec<PathBuf>,
    folder: String,
    /// The folder keyboard types capitals (drive labels such as `KINGSTON` are often upper case).
    capitals: bool,
    /// The last reading of the devices and the outbox.
    facts: Box<HealthFacts>,
    /// Where the camera is, for the camera test.
    camera: CameraView,
    /// The newest preview frame, for the camera test.
    preview: Option<image::Handle>,
}

/// What staff do in maintenance mode, and what the screen's own work reports.
#[derive(Debug, Clone)]
pub enum Message {
    /// A key on the PIN keypad.
    KeyPressed(Key),
    /// "Masuk": check the PIN.
    Enter,
    /// The PIN gate answered (`None`: the check stopped before it answered).
    PinChecked(Option<PinOutcome>),
    /// Print the test page.
    TestPrint,
    /// Close the kiosk program (back to the desktop).
    ExitToDesktop,
    /// Leave maintenance mode.
    Leave,
    /// Wake the uploader now.
    SyncNow,
    /// Put every held claim back in the queue and wake the uploader.
    SendHeldAgain,
    /// The held claims were put back (how many), or why not.
    Requeued(Result<usize, String>),
    /// Read the configuration file again.
    ReloadConfig,
    /// The configuration file was read (or why it could not be used).
    ConfigRead(Result<Box<LoadedConfig>, String>),
    /// Show the camera's live picture.
    OpenCamera,
    /// Show the export page.
    OpenExport,
    /// The removable drives mounted now.
    DrivesFound(Vec<PathBuf>),
    /// Export to this mounted drive.
    DriveChosen(PathBuf),
    /// Export to the typed folder.
    ExportTyped,
    /// The packet export finished: how many claims, into which folder (or why not).
    Exported(Result<(usize, PathBuf), OutboxError>),
    /// Switch the folder keyboard between small letters and capitals.
    ToggleCapitals,
    /// Back to the health page.
    BackToHealth,
    /// Time to read the devices and the outbox again.
    RefreshHealth,
    /// The devices and the outbox were read.
    HealthRead(Box<HealthFacts>),
    /// The camera worker reported (for the camera test).
    Camera(CameraEvent),
    /// "Lebih pelan" / "Lebih keras": the speaker's volume by this many percent.
    Volume(i8),
}

impl Maintenance {
    /// Starts at the PIN.
    pub fn new() -> Maintenance {
        Maintenance {
            step: Step::Pin,
            pin: String::new(),
            last: None,
            drives: Vec::new(),
            folder: String::new(),
            capitals: false,
            facts: Box::default(),
            camera: CameraView::Starting,
            preview: None,
        }
    }

    /// Whether the live camera picture is on screen (the root then feeds it frames).
    pub fn wants_camera(&self) -> bool {
        self.step == Step::Camera
    }

    /// The page on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    /// The last reading of the devices and the outbox.
    pub fn facts(&self) -> &HealthFacts {
        &self.facts
    }

    /// The typed export folder, when it is an absolute path.
    pub fn typed_folder(&self) -> Option<PathBuf> {
        folder_acceptable(&self.folder).then(|| PathBuf::from(self.folder.trim()))
    }

    /// The screen's clock: the health page and the camera test read the devices again every second.
    pub fn subscription(&self, _ctx: &Context<'_>) -> Subscription<Message> {
        match self.step {
            Step::Health | Step::Camera => {
                iced::time::every(REFRESH_EVERY).map(|_| Message::RefreshHealth)
            }
            Step::Pin | Step::Export => Subscription::none(),
        }
    }

    /// Handles a tap or a result of the screen's own work.
    pub fn update(&mut self, message: Message, ctx: &Context<'_>) -> Action<Message> {
        match (self.step, message) {
            (Step::Pin, Message::KeyPressed(key)) => apply(key, &mut self.pin, 12),
            (Step::Pin, Message::Enter) if !self.pin.is_empty() => {
                return Action::Run(check_pin(ctx, std::mem::take(&mut self.pin)));
            }
            (Step::Pin, Message::PinChecked(outcome)) => {
                self.pin.clear();
                if let Some(outcome) = outcome {
                    self.last = Some(outcome);
                }
                if outcome == Some(PinOutcome::Accepted) {
                    self.step = Step::Health;
                    return read_health(ctx);
                }
            }
            (Step::Health, Message::TestPrint) => return Action::Notice(test_print(ctx)),
            (Step::Health, Message::Volume(step)) => crate::ui::speech::change_volume(ctx, step),
            (Step::Health, Message::ExitToDesktop) => {
                tracing::info!("kiosk closed from maintenance mode");
                return Action::Exit;
            }
            (Step::Health, Message::SyncNow) => return Action::Notice(sync_now(ctx)),
            (Step::Health, Message::SendHeldAgain) => return requeue_held(ctx),
            (_, Message::Requeued(result)) => {
                let note = requeued(ctx, result);
                return match read_health(ctx) {
                    Action::Run(task) => Action::Working(note, task),
                    _ => Action::Notice(note),
                };
            }
            (Step::Health, Message::ReloadConfig) => return Action::Run(read_config(ctx)),
            (_, Message::ConfigRead(Ok(loaded))) => {
                tracing::info!(origin = %loaded.origin, warnings = loaded.warnings.len(), "configuration re-read and applied");
                return Action::Reconfigure(loaded);
            }
            (_, Message::ConfigRead(Err(error))) => {
                tracing::warn!(%error, "configuration re-read failed");
                return Action::Notice(Note::new(
                    "ui-maintenance-config-error",
                    vec![("error", MessageArg::Text(error))],
                ));
            }
            (Step::Health, Message::OpenCamera) => {
                self.step = Step::Camera;
                self.camera = CameraView::of(self.facts.camera.clone());
            }
            (Step::Health, Message::OpenExport) => {
                self.step = Step::Export;
                return Action::Run(find_drives());
            }
            (Step::Export, Message::DrivesFound(drives)) => self.drives = drives,
            (Step::Export, Message::KeyPressed(key)) => {
                let key = match key {
                    Key::Char(c) if self.capitals => Key::Char(c.to_ascii_uppercase()),
                    Key::Char(c) => Key::Char(c.to_ascii_lowercase()),
                    other => other,
                };
                apply(key, &mut self.folder, 200);
            }
            (Step::Export, Message::ToggleCapitals) => self.capitals = !self.capitals,
            (Step::Export, Message::DriveChosen(drive)) => return export(ctx, drive),
            (Step::Export, Message::ExportTyped) => {
                if let Some(folder) = self.typed_folder() {
                    return export(ctx, folder);
                }
            }
            (_, Message::Exported(result)) => return Action::Notice(exported(result)),
            (Step::Camera | Step::Export, Message::BackToHealth) => {
                self.step = Step::Health;
                self.preview = None;
                return read_health(ctx);
            }
            (Step::Health | Step::Camera, Message::RefreshHealth) => return read_health(ctx),
            (_, Message::HealthRead(facts)) => self.facts = facts,
            (Step::Camera, Message::Camera(event)) => self.camera_event(event),
            (_, Message::Leave) => return Action::Home,
            _ => {}
        }
        Action::None
    }

    /// The camera worker's events, for the camera test.
    fn camera_event(&mut self, event: CameraEvent) {
        self.camera.follow(&mut self.preview, event);
    }

    /// Draws the PIN entry, the health page, the camera test or the export page.
    pub fn view<'a>(&'a self, ctx: &Context<'_>) -> Element<'a, Message> {
        let t = ctx.t;
        let health = &self.facts.words(t);
        match self.step {
            Step::Pin => {
                let masked: String = self.pin.chars().map(|_| '•').collect();
                let check = match self.last {
                    None | Some(PinOutcome::Accepted) => Check::Empty,
                    Some(PinOutcome::Wrong { tries_left }) => Check::Invalid(Note::new(
                        "ui-maintenance-pin-wrong",
                        vec![("tries", MessageArg::from(tries_left))],
                    )),
                    Some(PinOutcome::Locked { seconds_left }) => Check::Invalid(Note::new(
                        "ui-maintenance-pin-locked",
                        vec![("minutes", MessageArg::from(seconds_left.div_ceil(60)))],
                    )),
                    Some(PinOutcome::NotConfigured) => {
                        Check::Invalid(Note::new("ui-maintenance-pin-not-configured", Vec::new()))
                    }
                };
                keypad_page(
                    t,
                    (t.tr("ui-maintenance-pin-question"), None),
                    (&masked, &check),
                    Message::KeyPressed,
                    row![
                        nav_button(t.tr("ui-back"), Some(Message::Leave), false),
                        space::horizontal(),
                        nav_button(
                            t.tr("ui-maintenance-enter"),
                            (!self.pin.is_empty()).then_some(Message::Enter),
                            true
                        ),
                    ]
                    .into(),
                )
            }
            Step::Health => {
                let line = |label: &str, value: &str| {
                    row![
                        text(t.tr(label))
                            .size(theme::BODY)
                            .font(theme::FONT_BOLD_FACE)
                            .width(260),
                        text(value.to_owned()).size(theme::BODY).width(Fill),
                    ]
                    .spacing(16)
                };
                let mut left = column![
                    question(t, "ui-maintenance-health"),
                    line("ui-maintenance-camera", &health.camera),
                    line("ui-maintenance-printer", &health.printer),
                    line("ui-maintenance-outbox", &health.outbox),
                    line("ui-maintenance-central", &health.central),
                ]
                .spacing(theme::GAP);
                if let Some(alert) = &health.alert {
                    left = left.push(
                        container(text(alert.clone()).size(theme::BODY))
                            .padding([12, 16])
                            .width(Fill)
                            .style(theme::notice),
                    );
                }
                if health.held > 0 {
                    left = left.push(nav_button(
                        t.tr_args(
                            "ui-maintenance-send-held",
                            &[(
                                "count",
                                MessageArg::Number(i64::try_from(health.held).unwrap_or(i64::MAX)),
                            )],
                        ),
                        Some(Message::SendHeldAgain),
                        false,
                    ));
                }
                let tools = row![
                    nav_button(
                        t.tr("ui-maintenance-sync-now"),
                        Some(Message::SyncNow),
                        false
                    ),
                    nav_button(
                        t.tr("ui-maintenance-export"),
                        Some(Message::OpenExport),
                        false
                    ),
                    nav_button(
                        t.tr("ui-maintenance-camera-test"),
                        Some(Message::OpenCamera),
                        false
                    ),
                    nav_button(
                        t.tr("ui-maintenance-reload-config"),
                        Some(Message::ReloadConfig),
                        false
                    ),
                ]
                .spacing(16);
                layout(
                    left.push(tools)
                        .push(crate::ui::speech::volume_control(ctx)),
                    None,
                    row![
                        nav_button(t.tr("ui-maintenance-leave"), Some(Message::Leave), false),
                        space::horizontal(),
                        nav_button(
                            t.tr("ui-maintenance-test-print"),
                            Some(Message::TestPrint),
                            false
                        ),
                        nav_button(
                            t.tr("ui-maintenance-exit-desktop"),
                            Some(Message::ExitToDesktop),
                            true
                        ),
                    ]
                    .spacing(16)
                    .into(),
                )
            }
            Step::Camera => {
                let picture: Element<'a, Message> = match (&self.camera, self.preview.as_ref()) {
                    (CameraView::Live, Some(preview)) => image(preview.clone())
                        .width(Fill)
                        .height(Fill)
                        .content_fit(iced::ContentFit::Contain)
                        .into(),
                    _ => container(text(health.camera.clone()).size(theme::BODY))
                        .center(Fill)
                        .into(),
                };
                let left = column![
                    question(t, "ui-maintenance-camera-test"),
                    text(health.camera.clone()).size(theme::BODY),
                    picture,
                ]
                .spacing(theme::GAP);
                layout(
                    left,
                    None,
                    row![nav_button(
                        t.tr("ui-back"),
                        Some(Message::BackToHealth),
                        false
                    )]
                    .into(),
                )
            }
            Step::Export => {
                let mut left =
                    column![question(t, "ui-maintenance-export-question")].spacing(theme::GAP);
                if self.drives.is_empty() {
                    left = left.push(text(t.tr("ui-maintenance-no-drives")).size(theme::BODY));
                }
                for drive in &self.drives {
                    left = left.push(choice(
                        drive.display().to_string(),
                        Message::DriveChosen(drive.clone()),
                        false,
                    ));
                }
                let check = if self.folder.is_empty() {
                    Check::Empty
                } else if folder_acceptable(&self.folder) {
                    Check::Valid
                } else {
                    Check::Invalid(Note::new("ui-maintenance-folder-absolute", Vec::new()))
                };
                // The folder and its keyboard on the right, wide enough for the keys.
                left = left.push(text(t.tr("ui-maintenance-export-typed")).size(theme::BODY));
                let typed = column![
                    field(t, &self.folder, &check),
                    keyboard(Layout::Path, Message::KeyPressed, t),
                ]
                .spacing(12)
                .width(iced::Length::FillPortion(2));
                layout(
                    left,
                    Some(typed.into()),
                    row![
                        nav_button(t.tr("ui-back"), Some(Message::BackToHealth), false),
                        space::horizontal(),
                        nav_button(
                            t.tr(if self.capitals {
                                "ui-maintenance-small-letters"
                            } else {
                                "ui-maintenance-capitals"
                            }),
                            Some(Message::ToggleCapitals),
                            false
                        ),
                        nav_button(
                            t.tr("ui-maintenance-export-start"),
                            folder_acceptable(&self.folder).then_some(Message::ExportTyped),
                            true
                        ),
                    ]
                    .spacing(16)
                    .align_y(Center)
                    .into(),
                )
            }
        }
    }
}

/// Checks a staff PIN with the gate off the UI thread (argon2 is slow on purpose; a lock-out is written to
/// its file).
fn check_pin(ctx: &Context<'_>, pin: String) -> Task<Message> {
    let gate = Arc::clone(ctx.gate);
    let now = ctx.now;
    Task::perform(
        blocking(move || {
            gate.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .try_pin(&pin, now)
        }),
        Message::PinChecked,
    )
}

/// Reads the devices and the outbox for the health page.
fn read_health(ctx: &Context<'_>) -> Action<Message> {
    Action::Run(
        health::read(ctx.devices, ctx.now).map(|facts| Message::HealthRead(Box::new(facts))),
    )
}

/// A typed export folder must be an absolute path.
fn folder_acceptable(folder: &str) -> bool {
    folder.trim().starts_with('/') && folder.trim().len() > 1
}

impl Default for Maintenance {
    fn default() -> Self {
        Maintenance::new()
    }
}

#[cfg(test)]
mod tests;
