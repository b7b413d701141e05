//! The kiosk's configuration: `kiosk-config/kiosk.toml`.
//!
//! Every key is optional and has a default, so a fresh checkout runs in demo mode with the embedded copy of the
//! shipped file. Loading reports errors with the file, the key and the reason ("kiosk-config/kiosk.toml line 12,
//! `storage.max_pending`: invalid type: string \"a lot\", expected u32"), and unknown keys as warnings, because a
//! misspelt key silently falling back to its default is a fault field staff would never find.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub mod help;
pub mod overlay;
pub mod production;
pub mod reading;

/// The shipped, documented configuration, used when no file is given or found.
pub const EMBEDDED_KIOSK_TOML: &str = include_str!("../kiosk-config/kiosk.toml");

/// Where the kiosk looks for its configuration when none is named: relative to the working directory.
pub const DEFAULT_CONFIG_PATH: &str = "kiosk-config/kiosk.toml";

pub use lapak_core::claim::KioskTimeZone;
pub use lapak_core::packet::DEMO_RECIPIENT;

/// The whole kiosk configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KioskConfig {
    /// Who and where this kiosk is.
    pub kiosk: KioskSection,
    /// Where claims are kept and how much the outbox may hold.
    pub storage: StorageSection,
    /// The central service the claims are sealed to.
    pub central: CentralSection,
    /// Claim rules and participant field settings.
    pub claim: ClaimSection,
    /// The webcam and the photo quality checks.
    pub camera: crate::camera::CameraConfig,
    /// The receipt printer.
    pub printer: crate::printer::PrinterConfig,
    /// The speaker: the photo countdown's beat.
    pub sound: crate::sound::SoundConfig,
    /// Forwarding to the central service: its URL, timeouts, backoff, heartbeat.
    pub sync: crate::sync::SyncConfig,
    /// The participant's session: idle timeout and countdowns.
    pub session: SessionSection,
    /// The staff maintenance mode.
    pub maintenance: MaintenanceSection,
    /// The office's helpline and opening hours, shown by "Minta bantuan".
    pub help: help::HelpSection,
    /// Reading the e-KTP and the KPJ card on the kiosk.
    pub reading: reading::ReadingSection,
}

/// `[session]`: how long the kiosk waits for a participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionSection {
    /// Seconds without a touch before "Masih di sana?" (Are you still there?) appears.
    pub idle_after_secs: u32,
    /// Seconds the "Masih di sana?" countdown runs before the session is wiped and home returns.
    pub idle_countdown_secs: u32,
    /// Fullscreen without window decorations (the kiosk). `false` gives a 1280x800 window for trying it out.
    pub fullscreen: bool,
}

impl Default for SessionSection {
    fn default() -> Self {
        SessionSection {
            idle_after_secs: 90,
            idle_countdown_secs: 30,
            fullscreen: true,
        }
    }
}

/// `[maintenance]`: the staff PIN.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MaintenanceSection {
    /// The argon2 hash (PHC string, `$argon2id$...`) of the staff PIN, made with `lapak-kiosk pin-hash`.
    /// Empty keeps maintenance mode closed.
    pub pin_hash: String,
}

/// Whether the kiosk runs for real or as a demonstration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Simulated devices allowed, the shipped demo recipient used when none is set, the kiosk key made on first
    /// start.
    #[default]
    Demo,
    /// Real devices; the central recipient and a provisioned kiosk key are required.
    Production,
}

/// `[kiosk]`: identity and place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KioskSection {
    /// Demo or production.
    pub mode: Mode,
    /// Where the kiosk stands, printed on receipts.
    pub location: String,
    /// The participant's first language: `id` (Bahasa Indonesia) or `en`.
    pub language: String,
    /// The kiosk's time zone: "today" for eligibility, date checks and printed dates is the date there.
    pub time_zone: KioskTimeZone,
}

impl Default for KioskSection {
    fn default() -> Self {
        KioskSection {
            mode: Mode::Demo,
            location: "Kiosk Demo".to_owned(),
            language: "id".to_owned(),
            time_zone: KioskTimeZone::Wib,
        }
    }
}

/// `[storage]`: the data directory and the outbox limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StorageSection {
    /// The data directory (the outbox database, the kiosk key, exports). Relative paths are taken from the
    /// working directory.
    pub data_dir: PathBuf,
    /// New claims are refused while this many claims wait to be sent.
    pub max_pending: u32,
    /// New claims are refused when the data directory's disk has less free space than this, in MiB.
    pub min_free_mb: u64,
    /// Delivered packets are deleted from the kiosk this many days after delivery (the running kiosk purges
    /// at start and daily; the consent screen tells the participant this number).
    pub retention_days: u32,
}

impl Default for StorageSection {
    fn default() -> Self {
        StorageSection {
            data_dir: PathBuf::from("var/lapak-kiosk"),
            max_pending: 5000,
            min_free_mb: 512,
            retention_days: 7,
        }
    }
}

/// `[central]`: the central service's public encryption key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CentralSection {
    /// The central service's age X25519 recipient (`age1…`). Packets are sealed to it; the kiosk cannot open
    /// them. Empty in demo mode means the shipped demo recipient.
    pub recipient: String,
    /// The central service's configuration key (base64 Ed25519 public key, `lapak-central config key`):
    /// remote configurations must be signed with it. Empty: the kiosk accepts none.
    pub config_key: String,
}

/// `[claim]`: participant field settings and the rules tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClaimSection {
    /// Shortest KPJ number accepted.
    pub kpj_min_len: usize,
    /// Longest KPJ number accepted.
    pub kpj_max_len: usize,
    /// The version of the consent text the participant accepts; recorded in each packet.
    pub consent_version: String,
    /// A rules table replacing the embedded `kiosk-config/rules.toml`; empty for the embedded one.
    pub rules_file: PathBuf,
    /// A bank table replacing the embedded `kiosk-config/banks.toml`; empty for the embedded one.
    pub banks_file: PathBuf,
}

impl Default for ClaimSection {
    fn default() -> Self {
        ClaimSection {
            kpj_min_len: 10,
            kpj_max_len: 13,
            consent_version: "2026-11".to_owned(),
            rules_file: PathBuf::new(),
            banks_file: PathBuf::new(),
        }
    }
}

/// Where a configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigOrigin {
    /// A file on disk.
    File(PathBuf),
    /// The copy embedded in the binary.
    Embedded,
}

impl fmt::Display for ConfigOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigOrigin::File(path) => write!(f, "{}", path.display()),
            ConfigOrigin::Embedded => f.write_str("embedded kiosk.toml"),
        }
    }
}

/// A configuration that loaded, with what it noticed on the way.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// The values, defaults filled in.
    pub config: KioskConfig,
    /// Where they came from.
    pub origin: ConfigOrigin,
    /// Keys that were not understood, and other things worth a look.
    pub warnings: Vec<ConfigWarning>,
}

/// Something in a configuration file that does not stop the kiosk but is probably a mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    /// The file.
    pub file: String,
    /// The key, dotted (`printer.baud`).
    pub key: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}`: {}", self.file, self.key, self.reason)
    }
}

/// A configuration that cannot be used: the file, the key (when one is to blame), the line and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The file (or "embedded kiosk.toml").
    pub file: String,
    /// The dotted key, empty when the whole file is at fault (unreadable, not TOML).
    pub key: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong, in words a person can act on.
    pub reason: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if !self.key.is_empty() {
            write!(f, ", `{}`", self.key)?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl KioskConfig {
    /// The kiosk's "today" at the instant `now`: the date in `kiosk.time_zone`.
    pub fn today(&self, now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
        self.kiosk.time_zone.today(now)
    }

    /// Loads the configuration: the named file, else `kiosk-config/kiosk.toml` in the working directory if it
    /// exists, else the embedded copy. A named file that does not exist is an error, never a silent default.
    pub fn load(path: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
        let chosen = match path {
            Some(p) => Some(p.to_path_buf()),
            None => {
                let default = PathBuf::from(DEFAULT_CONFIG_PATH);
                default.is_file().then_some(default)
            }
        };
        match chosen {
            Some(path) => {
                let text = read_file(&path)?;
                Self::parse_with_overlay(&text, path)
            }
            None => Self::parse(EMBEDDED_KIOSK_TOML, ConfigOrigin::Embedded),
        }
    }

    /// Loads `kiosk.toml` as written, without the pushed configuration (what remote configuration merges
    /// onto).
    pub fn load_local(path: &Path) -> Result<LoadedConfig, ConfigError> {
        let text = read_file(path)?;
        Self::parse(&text, ConfigOrigin::File(path.to_path_buf()))
    }

    /// The file's text with the pushed configuration under its data folder set over it, when there is one.
    /// An overlay that cannot be read or no longer fits the file (changed by hand since) is left out with a
    /// warning: the file as written runs.
    fn parse_with_overlay(text: &str, path: PathBuf) -> Result<LoadedConfig, ConfigError> {
        let mut local = Self::parse(text, ConfigOrigin::File(path.clone()))?;
        let applied =
            overlay::remote_dir(&local.config.storage.data_dir).join(overlay::APPLIED_FILE);
        let pushed: Result<String, String> = match std::fs::read_to_string(&applied) {
            Ok(pushed) => Ok(pushed),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(local),
            Err(e) => Err(format!("cannot read it: {e}")),
        };
        let merged = pushed.and_then(|pushed| {
            let merged = overlay::merge(text, &pushed)?;
            Self::parse(&merged, ConfigOrigin::File(path.clone())).map_err(|e| e.to_string())
        });
        match merged {
            Ok(mut merged) => {
                merged.warnings.extend(local.warnings);
                Ok(merged)
            }
            Err(reason) => {
                local.warnings.push(ConfigWarning {
                    file: applied.display().to_string(),
                    key: String::new(),
                    reason: format!("the pushed configuration is left out: {reason}"),
                });
                Ok(local)
            }
        }
    }

    /// Parses and checks a configuration text.
    pub fn parse(text: &str, origin: ConfigOrigin) -> Result<LoadedConfig, ConfigError> {
        let file = origin.to_string();
        let (config, warnings) = parse_toml::<KioskConfig>(text, &file)?;
        config.check(&file)?;
        Ok(LoadedConfig {
            config,
            origin,
            warnings,
        })
    }

    /// The age recipient packets are sealed to: the configured one, or the demo one in demo mode.
    pub fn recipient(&self) -> Result<age::x25519::Recipient, ConfigError> {
        let text = if self.central.recipient.trim().is_empty() && self.kiosk.mode == Mode::Demo {
            DEMO_RECIPIENT.trim()
        } else {
            self.central.recipient.trim()
        };
        text.parse::<age::x25519::Recipient>()
            .map_err(|e| ConfigError {
                file: String::from("configuration"),
                key: "central.recipient".to_owned(),
                line: None,
                reason: format!("not an age X25519 recipient (age1…): {e}"),
            })
    }

    /// Whether packets go to the shipped demo recipient (whose identity is public).
    pub fn uses_demo_recipient(&self) -> bool {
        self.central.recipient.trim().is_empty()
            || self.central.recipient.trim() == DEMO_RECIPIENT.trim()
    }

    /// Checks values that parse but make no sense together.
    fn check(&self, file: &str) -> Result<(), ConfigError> {
        let err = |key: &str, reason: String| ConfigError {
            file: file.to_owned(),
            key: key.to_owned(),
            line: None,
            reason,
        };
        if self.kiosk.mode == Mode::Production && self.central.recipient.trim().is_empty() {
            return Err(err(
                "central.recipient",
                "missing: a production kiosk needs the central service's age recipient (age1…); \
                 `lapak-central init` prints it"
                    .to_owned(),
            ));
        }
        if !self.central.recipient.trim().is_empty() {
            self.recipient()
                .map_err(|e| err("central.recipient", e.reason))?;
        }
        if !self.central.config_key.trim().is_empty() {
            lapak_core::signing::parse_public_key(&self.central.config_key).map_err(|e| {
                err(
                    "central.config_key",
                    format!("{e}: paste what `lapak-central config key` prints"),
                )
            })?;
        }
        if let Some(refusal) = production::check(self) {
            return Err(err(refusal.key, refusal.reason));
        }
        if !matches!(self.kiosk.language.as_str(), "id" | "en") {
            return Err(err(
                "kiosk.language",
                format!(
                    "`{}` is not a language of the kiosk: use \"id\" or \"en\"",
                    self.kiosk.language
                ),
            ));
        }
        if self.storage.data_dir.as_os_str().is_empty() {
            return Err(err("storage.data_dir", "must not be empty".to_owned()));
        }
        if self.storage.max_pending == 0 {
            return Err(err("storage.max_pending", "must be at least 1".to_owned()));
        }
        if self.storage.retention_days == 0 {
            return Err(err(
                "storage.retention_days",
                "must be at least 1 day".to_owned(),
            ));
        }
        match self.camera.validate() {
            Ok(()) => {}
            Err(crate::camera::CameraError::InvalidConfig { key, reason }) => {
                return Err(err(
                    &format!("camera.{}", key.trim_start_matches("camera.")),
                    reason,
                ));
            }
            Err(other) => return Err(err("camera.source", other.to_string())),
        }
        if self.kiosk.mode == Mode::Production && self.camera.source.trim().starts_with("simulated")
        {
            return Err(err(
                "camera.source",
                "a production kiosk needs its real camera (`auto`, an index or a /dev/v4l/by-id path)".to_owned(),
            ));
        }
        if let Err(e) = self.sync.validate() {
            return Err(match e {
                crate::sync::SyncError::Config { key, reason } => {
                    err(&format!("sync.{key}"), reason)
                }
                other => err("sync.central_url", other.to_string()),
            });
        }
        if self.session.idle_after_secs < 10 || self.session.idle_countdown_secs == 0 {
            return Err(err(
                "session.idle_after_secs",
                "the idle timeout must be at least 10 s and the countdown at least 1 s".to_owned(),
            ));
        }
        if !self.maintenance.pin_hash.is_empty()
            && !self.maintenance.pin_hash.starts_with("$argon2")
        {
            return Err(err(
                "maintenance.pin_hash",
                "not an argon2 hash: make one with `lapak-kiosk pin-hash`".to_owned(),
            ));
        }
        match self.printer.validate() {
            Ok(()) => {}
            Err(crate::printer::PrinterError::InvalidConfig { key, reason }) => {
                return Err(err(key, reason));
            }
            Err(other) => return Err(err("printer", other.to_string())),
        }
        if let Err(e) = self.sound.validate() {
            return Err(err(e.key, e.reason));
        }
        if self.kiosk.mode == Mode::Production
            && self.printer.enabled
            && self.printer.is_simulated()
        {
            return Err(err(
                "printer.port",
                "a production kiosk needs its real printer port (e.g. /dev/serial/by-id/...), or enabled = false"
                    .to_owned(),
            ));
        }
        if let Err(e) = self.help.validate() {
            return Err(err(e.key, e.reason));
        }
        let claim = &self.claim;
        if claim.kpj_min_len == 0 || claim.kpj_min_len > claim.kpj_max_len || claim.kpj_max_len > 20
        {
            return Err(err(
                "claim.kpj_min_len",
                format!(
                    "KPJ length range {}..={} is impossible: need 1 ≤ min ≤ max ≤ 20",
                    claim.kpj_min_len, claim.kpj_max_len
                ),
            ));
        }
        Ok(())
    }
}

fn read_file(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.display().to_string(),
        key: String::new(),
        line: None,
        reason: format!("cannot read the file: {e}"),
    })
}

/// Deserialises TOML into `T`, naming the key and line of the first error and collecting unknown keys.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
) -> Result<(T, Vec<ConfigWarning>), ConfigError> {
    let deserializer =
        toml::de::Deserializer::parse(text).map_err(|e| toml_error(text, file, "", &e))?;
    let mut unknown = Vec::new();
    let value: T = serde_path_to_error::deserialize(serde_ignored::Deserializer::new(
        deserializer,
        &mut |path: serde_ignored::Path<'_>| unknown.push(path.to_string()),
    ))
    .map_err(|e| {
        let key = e.path().to_string();
        let key = if key == "." { String::new() } else { key };
        toml_error(text, file, &key, e.inner())
    })?;
    let warnings = unknown
        .into_iter()
        .map(|key| ConfigWarning {
            file: file.to_owned(),
            reason: retired(&key)
                .unwrap_or("unknown key, ignored (misspelt?)")
                .to_owned(),
            key,
        })
        .collect();
    Ok((value, warnings))
}

/// Why a key that earlier versions read is ignored now, if it is one.
fn retired(key: &str) -> Option<&'static str> {
    (key == "session.saved_return_secs").then_some(
        "retired, ignored: the saved screen stays until \"Selesai\" (or the idle timer); remove the line",
    )
}

fn toml_error(text: &str, file: &str, key: &str, e: &toml::de::Error) -> ConfigError {
    let line = e
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    ConfigError {
        file: file.to_owned(),
        key: key.to_owned(),
        line,
        reason: e.message().trim().to_owned(),
    }
}

#[cfg(test)]
mod tests;
