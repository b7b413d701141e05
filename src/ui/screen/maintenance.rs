//! Maintenance mode for field staff: the PIN (checked against the configured argon2 hash, locked after 5 wrong
//! tries), then device health (with the delivery alert), "sync now", sending held claims again, exporting
//! packets to a USB drive, reloading the configuration, a live camera test, a test print and the way out to the
//! desktop.

use std::path::PathBuf;

use iced::widget::{column, container, image, row, space, text};
use iced::{Center, Element, Fill};

use super::documents::CameraView;
use super::{Action, Live, choice, field, keypad_page, layout, nav_button, question};
use crate::i18n::{MessageArg, Translator};
use crate::pin::PinOutcome;
use crate::ui::check::{Check, Note};
use crate::ui::theme;
use crate::ui::widget::keyboard::{Layout, keyboard};
use crate::ui::widget::{Key, apply};

/// What staff see on the health page, read from the devices when the page is drawn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Health {
    /// The camera's state in words.
    pub camera: String,
    /// The printer's state and what to do about it.
    pub printer: String,
    /// Outbox counts, oldest pending and last error.
    pub outbox: String,
    /// The network and the central service: the uploader's last delivery or its last error.
    pub central: String,
    /// The delivery alert in words, while claims fail or wait past the alert limits.
    pub alert: Option<String>,
    /// Claims held after the central service refused them (staff can send them again).
    pub held: u64,
}

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintenance {
    step: Step,
    pin: String,
    last: Option<PinOutcome>,
    drives: Vec<PathBuf>,
    folder: String,
    /// The folder keyboard types capitals (drive labels such as `KINGSTON` are often upper case).
    capitals: bool,
}

/// What staff do in maintenance mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A key on the PIN keypad.
    KeyPressed(Key),
    /// "Masuk": check the PIN.
    Enter,
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
    /// Read the configuration file again.
    ReloadConfig,
    /// Show the camera's live picture.
    OpenCamera,
    /// Show the export page.
    OpenExport,
    /// Export to this mounted drive.
    DriveChosen(PathBuf),
    /// Export to the typed folder.
    ExportTyped,
    /// Switch the folder keyboard between small letters and capitals.
    ToggleCapitals,
    /// Back to the health page.
    BackToHealth,
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
        }
    }

    /// Whether the live camera picture is on screen (the root then feeds it frames).
    pub fn wants_camera(&self) -> bool {
        self.step == Step::Camera
    }

    /// The removable drives found when the export page opened.
    pub fn drives_found(&mut self, drives: Vec<PathBuf>) {
        self.drives = drives;
    }

    /// The page on screen.
    pub fn step(&self) -> Step {
        self.step
    }

    /// The gate answered the PIN.
    pub fn pin_checked(&mut self, outcome: PinOutcome) {
        self.pin.clear();
        self.last = Some(outcome);
        if outcome == PinOutcome::Accepted {
            self.step = Step::Health;
        }
    }

    /// Handles a tap.
    pub fn update(&mut self, message: Message) -> Action {
        match (self.step, message) {
            (Step::Pin, Message::KeyPressed(key)) => apply(key, &mut self.pin, 12),
            (Step::Pin, Message::Enter) if !self.pin.is_empty() => {
                return Action::CheckPin(std::mem::take(&mut self.pin));
            }
            (Step::Health, Message::TestPrint) => return Action::TestPrint,
            (Step::Health, Message::ExitToDesktop) => return Action::ExitToDesktop,
            (Step::Health, Message::SyncNow) => return Action::SyncNow,
            (Step::Health, Message::SendHeldAgain) => return Action::RequeueHeld,
            (Step::Health, Message::ReloadConfig) => return Action::ReloadConfig,
            (Step::Health, Message::OpenCamera) => self.step = Step::Camera,
            (Step::Health, Message::OpenExport) => {
                self.step = Step::Export;
                return Action::FindDrives;
            }
            (Step::Export, Message::KeyPressed(key)) => {
                let key = match key {
                    Key::Char(c) if self.capitals => Key::Char(c.to_ascii_uppercase()),
                    Key::Char(c) => Key::Char(c.to_ascii_lowercase()),
                    other => other,
                };
                apply(key, &mut self.folder, 200);
            }
            (Step::Export, Message::ToggleCapitals) => self.capitals = !self.capitals,
            (Step::Export, Message::DriveChosen(drive)) => return Action::Export(drive),
            (Step::Export, Message::ExportTyped) if folder_acceptable(&self.folder) => {
                return Action::Export(PathBuf::from(self.folder.trim()));
            }
            (Step::Camera | Step::Export, Message::BackToHealth) => self.step = Step::Health,
            (_, Message::Leave) => return Action::Home,
            _ => {}
        }
        Action::None
    }

    /// Draws the PIN entry, the health page, the camera test or the export page.
    pub fn view<'a>(&'a self, t: &Translator, live: &Live<'a>) -> Element<'a, Message> {
        let health = &live.health;
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
                    left.push(tools),
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
                let picture: Element<'a, Message> = match (&live.camera, live.preview) {
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
mod tests {
    use super::*;

    fn unlocked() -> Maintenance {
        let mut screen = Maintenance::new();
        screen.pin_checked(PinOutcome::Accepted);
        assert_eq!(screen.step(), Step::Health);
        screen
    }

    #[test]
    fn tools_are_closed_until_the_pin_is_accepted() {
        let mut screen = Maintenance::new();
        assert_eq!(screen.update(Message::SyncNow), Action::None);
        assert_eq!(screen.update(Message::SendHeldAgain), Action::None);
        assert_eq!(screen.update(Message::OpenExport), Action::None);
        assert_eq!(screen.update(Message::ReloadConfig), Action::None);
        assert_eq!(screen.step(), Step::Pin);
    }

    #[test]
    fn health_page_asks_for_sync_requeue_and_reload() {
        let mut screen = unlocked();
        assert_eq!(screen.update(Message::SyncNow), Action::SyncNow);
        assert_eq!(screen.update(Message::SendHeldAgain), Action::RequeueHeld);
        assert_eq!(screen.update(Message::ReloadConfig), Action::ReloadConfig);
        assert_eq!(screen.update(Message::OpenCamera), Action::None);
        assert!(screen.wants_camera());
        screen.update(Message::BackToHealth);
        assert!(!screen.wants_camera());
    }

    #[test]
    fn export_goes_to_a_chosen_drive_or_an_absolute_typed_folder() {
        let mut screen = unlocked();
        assert_eq!(screen.update(Message::OpenExport), Action::FindDrives);
        let drive = PathBuf::from("/media/kiosk/USB");
        screen.drives_found(vec![drive.clone()]);
        assert_eq!(
            screen.update(Message::DriveChosen(drive.clone())),
            Action::Export(drive)
        );
        for c in "TMP".chars() {
            screen.update(Message::KeyPressed(Key::Char(c)));
        }
        // Not absolute: refused.
        assert_eq!(screen.update(Message::ExportTyped), Action::None);
        screen.update(Message::KeyPressed(Key::Clear));
        for c in "/MNT/X".chars() {
            screen.update(Message::KeyPressed(Key::Char(c)));
        }
        assert_eq!(
            screen.update(Message::ExportTyped),
            Action::Export(PathBuf::from("/mnt/x"))
        );
        // A drive label in capitals: small letters, then capitals, then small letters again.
        screen.update(Message::KeyPressed(Key::Clear));
        for c in "/MEDIA/".chars() {
            screen.update(Message::KeyPressed(Key::Char(c)));
        }
        screen.update(Message::ToggleCapitals);
        for c in "KINGSTON".chars() {
            screen.update(Message::KeyPressed(Key::Char(c)));
        }
        screen.update(Message::ToggleCapitals);
        for c in "/X".chars() {
            screen.update(Message::KeyPressed(Key::Char(c)));
        }
        assert_eq!(
            screen.update(Message::ExportTyped),
            Action::Export(PathBuf::from("/media/KINGSTON/x"))
        );
    }
}
