//! What the screens share: the kiosk's setup ([`UiContext`]: settings, tables, devices) and, per message, the
//! read-only [`Context`] every screen's `update` and `view` get.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::draft::Draft;
use super::screen::status::StatusQuery;
use crate::camera::{CameraHandle, QualityThresholds, SimulatedControl};
use crate::claim::bank::BankTable;
use crate::claim::regions::Regions;
use crate::claim::rules::RulesTable;
use crate::claim::validate::KpjLength;
use crate::i18n::Translator;
use crate::outbox::Outbox;
use crate::pin::PinGate;
use crate::printer::PrinterHandle;
use crate::submission::{ClaimContext, Submitter};
use crate::sync::queue::LocalClaims;
use crate::sync::status::{Proof, StatusAnswer};
use crate::sync::uploader::Uploader;
use crate::sync::{CentralClient, SyncError};

/// What every screen may read while it handles a message or draws itself. Time arrives with the clock
/// tick (never read inside `update`), answers and device results arrive as the screen's own messages.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The participant's language.
    pub t: &'a Translator,
    /// The last clock tick.
    pub now: DateTime<Utc>,
    /// The kiosk's "today": the date in its configured time zone (the claim pipeline uses the same).
    pub today: NaiveDate,
    /// The wall-clock time in the kiosk's time zone, as printed on receipts and slips.
    pub local_time: NaiveDateTime,
    /// The configured claim facts (rules, banks, regions, KPJ length): the ones the claim pipeline checks with.
    pub claim: &'a ClaimContext,
    /// The answers of this session.
    pub draft: &'a Draft,
    /// Timings and options.
    pub settings: &'a UiSettings,
    /// The devices, for the screens that start work with them.
    pub devices: &'a Devices,
    /// The staff PIN gate (kept across visits to maintenance mode, so the lock-out holds).
    pub gate: &'a Arc<Mutex<PinGate>>,
}

impl Context<'_> {
    /// The claim facts for these screens: the claim pipeline's own when the kiosk has one (so the screens and
    /// the pipeline check with the same configuration), else the tables given with the built-in regions and
    /// KPJ length.
    pub fn claim_facts(context: &UiContext) -> ClaimContext {
        match &context.devices.submitter {
            Some(submitter) => submitter.context().clone(),
            None => ClaimContext {
                rules: (*context.rules).clone(),
                banks: (*context.banks).clone(),
                regions: Regions::embedded(),
                kpj: KpjLength::default(),
                consent_version: String::new(),
                time_zone: context.settings.time_zone,
            },
        }
    }
}

/// Runs blocking work (camera pipeline, sealing, SQLite, files) on a worker thread; `None` if it panicked.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(work).await.ok()
}

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
    /// The speaker (the photo countdown's beat); silent when the kiosk has none.
    pub sound: crate::sound::SharedSound,
    /// The office's helpline and opening hours (`[help]`), shown by "Minta bantuan".
    pub help: crate::config::help::HelpSection,
    /// What the screens said last and the volume staff set (see [`speech`](super::speech)).
    pub narrator: Arc<super::speech::Narrator>,
    /// The e-KTP and the KPJ card are photographed first and read (`[reading] enabled` in a build that can
    /// read); `false`: the participant types them and the cards are photographed with the other documents.
    pub read_cards: bool,
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
    /// The language every session starts in and returns to (`kiosk.language`).
    pub language: crate::i18n::Language,
}

impl Default for UiSettings {
    fn default() -> Self {
        UiSettings {
            idle_after_secs: 90,
            idle_countdown_secs: 30,
            fullscreen: true,
            maintenance_pin_hash: None,
            config_file: None,
            time_zone: crate::config::KioskTimeZone::Wib,
            retention_days: crate::outbox::OutboxLimits::default().retention_days,
            pin_lockout_file: None,
            language: crate::i18n::Language::Id,
        }
    }
}

#[cfg(test)]
pub(crate) use fixture::test_context;

/// A fixed setting for the screens' `update` tests: the shipped tables, no devices, 28 November 2026 at
/// 10:00 WIB.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;
    use crate::i18n::Language;

    /// Everything a [`Context`] borrows.
    pub struct Fixture {
        pub t: Translator,
        pub claim: ClaimContext,
        pub draft: Draft,
        pub settings: UiSettings,
        pub devices: Devices,
        pub gate: Arc<Mutex<PinGate>>,
        pub now: DateTime<Utc>,
        /// What the screens asked the speaker to play (it is also `devices.sound`).
        pub sound: Arc<crate::sound::RecordingSound>,
    }

    impl Fixture {
        /// The shipped tables, Bahasa Indonesia, no devices.
        pub fn new() -> Fixture {
            let sound = Arc::new(crate::sound::RecordingSound::new());
            let devices = Devices {
                sound: crate::sound::SharedSound(sound.clone()),
                ..Devices::default()
            };
            let context = UiContext::with_shipped_tables(UiSettings::default(), devices)
                .expect("shipped tables");
            let now = DateTime::parse_from_rfc3339("2026-11-28T03:00:00Z")
                .expect("a time")
                .with_timezone(&Utc);
            Fixture {
                t: Translator::new(Language::Id),
                claim: Context::claim_facts(&context),
                draft: Draft::default(),
                settings: context.settings,
                devices: context.devices,
                gate: Arc::new(Mutex::new(PinGate::with_file(None, None, now))),
                now,
                sound,
            }
        }

        /// The context the screens read.
        pub fn context(&self) -> Context<'_> {
            Context {
                t: &self.t,
                now: self.now,
                today: self.settings.time_zone.today(self.now),
                local_time: self.settings.time_zone.local(self.now),
                claim: &self.claim,
                draft: &self.draft,
                settings: &self.settings,
                devices: &self.devices,
                gate: &self.gate,
            }
        }
    }

    /// A [`Context`] over a fresh [`Fixture`] that lives to the end of the test run.
    pub fn test_context() -> Context<'static> {
        Box::leak(Box::new(Fixture::new())).context()
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::Fixture;
    use crate::sound::{Cue, SoundEvent};

    #[test]
    fn the_test_fixture_records_what_the_screens_play_on_its_sound() {
        let fixture = Fixture::new();
        let context = fixture.context();
        context.devices.sound.play(Cue::CountdownTick);
        context.devices.sound.stop();
        assert_eq!(
            fixture.sound.events(),
            [SoundEvent::Played(Cue::CountdownTick), SoundEvent::Stopped]
        );
    }
}
