//! Remote configuration on the kiosk. The heartbeat answer names the newest configuration version pushed for
//! this kiosk (`lapak-central config push`); a newer one than the kiosk runs is fetched over the kiosk's own
//! signed request, and applied only if
//!
//! 1. its signature verifies with `central.config_key` and it is meant for this kiosk (or a group);
//! 2. it sets no local-only key ([`lapak_core::care::LOCAL_ONLY_KEYS`]: mode, data directory, the `[central]`
//!    keys, `sync.central_url`, `sync.ca_file`, the staff PIN, file paths);
//! 3. `kiosk.toml` with its keys merged in passes the same checks as `lapak-kiosk config check`;
//! 4. the kiosk is healthy with it (the health check: devices it names exist).
//!
//! The pushed keys are kept as an overlay under the kiosk's data folder (`<data_dir>/remote-config/`, see
//! [`crate::config::overlay`]), never written into `kiosk.toml`: that file may sit where the kiosk program
//! cannot write (`/etc/lapak-kiosk` on a packaged kiosk), and staff may edit it by hand. Every load of
//! `kiosk.toml` sets the overlay's keys over it. Applying a version writes the new overlay (the keys of every
//! version applied so far) as `applied.toml` after the running one is kept as `last-good.toml`; each file is
//! written beside its place, synced and renamed. The screens take it the way the maintenance screen's "reload
//! config" does, at the next idle home screen. A configuration that fails step 1-3 is never written; one that
//! fails step 4 is rolled back to the last good overlay. Either way the heartbeat reports the failed version and
//! why (shown on `/fleet`) and the kiosk does not try that version again.
//!
//! A configuration that makes the kiosk crash at start is caught by counting starts: every start with a remote
//! version counts one (applying it live counts as the first), and a heartbeat clears the count once the kiosk
//! has run [`CONFIRM_AFTER`] (since it started or applied the configuration) with the health check passing.
//! After [`MAX_UNCONFIRMED_STARTS`] runs without that, the next start puts the last good overlay back before
//! loading it.
//!
//! The state (`state.json` in the same folder) holds the running version, the version of the last good
//! overlay, the failed version and the start count; nothing personal is in any of these files.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use ed25519_dalek::VerifyingKey;
use lapak_core::care::{ConfigFailure, RemoteConfig};
use serde::{Deserialize, Serialize};

use super::client::CentralClient;
use crate::config::{ConfigOrigin, KioskConfig, LoadedConfig, overlay};

/// Starts without confirmation after which the last good configuration is put back.
pub const MAX_UNCONFIRMED_STARTS: u32 = 3;
/// How long the kiosk runs healthy before a start counts as confirmed.
pub const CONFIRM_AFTER: Duration = Duration::from_secs(60);

/// What the kiosk knows of its remote configuration (`kiosk.toml.remote.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RemoteState {
    /// The remote version in `kiosk.toml` (none: only the local file).
    pub version: Option<u64>,
    /// The remote version in `kiosk.toml.last-good` (none: the local file).
    pub last_good_version: Option<u64>,
    /// The newest version refused or rolled back.
    pub failed: Option<ConfigFailure>,
    /// Starts since the running version was last confirmed healthy.
    pub unconfirmed_starts: u32,
}

/// The pushed configuration's files for one `kiosk.toml`: the overlays and the state, under its data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFiles {
    /// `kiosk.toml` itself (read, never written).
    pub config: PathBuf,
    /// `<data_dir>/remote-config`.
    pub dir: PathBuf,
}

impl ConfigFiles {
    /// The files of the kiosk configured by `config`, whose data folder is `data_dir`.
    pub fn new(config: impl Into<PathBuf>, data_dir: &Path) -> ConfigFiles {
        ConfigFiles {
            config: config.into(),
            dir: overlay::remote_dir(data_dir),
        }
    }

    /// The files of the kiosk configured by `config`, its data folder read from the file as written.
    pub fn for_config(config: &Path) -> Result<ConfigFiles, String> {
        let local = KioskConfig::load_local(config).map_err(|e| e.to_string())?;
        Ok(ConfigFiles::new(config, &local.config.storage.data_dir))
    }

    /// `applied.toml`: the overlay in force.
    pub fn applied(&self) -> PathBuf {
        self.dir.join(overlay::APPLIED_FILE)
    }

    /// `last-good.toml`: the overlay before the running one (empty: `kiosk.toml` alone).
    pub fn last_good(&self) -> PathBuf {
        self.dir.join("last-good.toml")
    }

    /// `state.json`.
    pub fn state_file(&self) -> PathBuf {
        self.dir.join("state.json")
    }

    /// The overlay in force ("" when none).
    fn applied_text(&self) -> std::io::Result<String> {
        match std::fs::read_to_string(self.applied()) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
            read => read,
        }
    }

    /// The state; the default when there is none (or it cannot be read, which is logged).
    pub fn state(&self) -> RemoteState {
        match std::fs::read(self.state_file()) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "remote configuration state unreadable; starting afresh");
                RemoteState::default()
            }),
            Err(_) => RemoteState::default(),
        }
    }

    /// Saves the state atomically.
    pub fn save_state(&self, state: &RemoteState) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(state).map_err(std::io::Error::other)?;
        std::fs::create_dir_all(&self.dir)?;
        write_atomically(&self.state_file(), &json)
    }

    /// Puts the last good overlay back in force (none kept: `kiosk.toml` alone).
    fn restore_last_good(&self) -> std::io::Result<()> {
        match std::fs::read(self.last_good()) {
            Ok(text) => write_atomically(&self.applied(), &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match std::fs::remove_file(self.applied()) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                }
            }
            Err(e) => Err(e),
        }
    }
}

/// The remote configuration state of the kiosk whose data folder is `data_dir` (the default when there is none):
/// what a heartbeat sent by another program than the running kiosk (`doctor`) reports, so the fleet view keeps
/// showing the version in force.
pub fn state_in(data_dir: &Path) -> RemoteState {
    ConfigFiles::new(PathBuf::new(), data_dir).state()
}

/// Writes a file so that it is either the old or the whole new one, even across a power cut: a temporary file
/// beside it, synced, renamed over it, the folder synced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".new");
    let tmp = path.with_file_name(name);
    {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = std::fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Called at every start before the configuration is loaded: counts the start when a remote version runs,
/// and after [`MAX_UNCONFIRMED_STARTS`] starts without confirmation puts the last good overlay back. Returns
/// what it did when it rolled back.
pub fn note_start(config: &Path) -> Option<String> {
    let files = ConfigFiles::for_config(config).ok()?;
    let mut state = files.state();
    let version = state.version?;
    state.unconfirmed_starts = state.unconfirmed_starts.saturating_add(1);
    let mut rolled_back = None;
    if state.unconfirmed_starts > MAX_UNCONFIRMED_STARTS {
        let reason = format!(
            "the kiosk did not come up healthy with it: {} starts without {} s of healthy running",
            MAX_UNCONFIRMED_STARTS,
            CONFIRM_AFTER.as_secs()
        );
        match files.restore_last_good() {
            Ok(()) => {
                tracing::warn!(version, %reason, "remote configuration rolled back to the last good one");
                state.failed = Some(ConfigFailure {
                    version,
                    reason: reason.clone(),
                });
                state.version = state.last_good_version;
                state.unconfirmed_starts = 0;
                rolled_back = Some(format!(
                    "configuration version {version} rolled back: {reason}"
                ));
            }
            Err(e) => tracing::error!(error = %e, "cannot put the last good configuration back"),
        }
    }
    if let Err(e) = files.save_state(&state) {
        tracing::warn!(error = %e, "cannot save the remote configuration state");
    }
    rolled_back
}

/// Whether the kiosk is healthy with a configuration (the check after applying and before confirming).
pub type HealthCheck = Box<dyn Fn(&KioskConfig) -> Result<(), String> + Send + Sync>;
/// Hands an applied configuration to the running kiosk.
pub type ApplyConfig = Box<dyn Fn(LoadedConfig) + Send + Sync>;

/// The health check of a real kiosk: the camera and printer devices the configuration names exist.
pub fn devices_exist(config: &KioskConfig) -> Result<(), String> {
    let printer = config.printer.port.trim();
    if config.printer.enabled && printer.starts_with("/dev/") && !Path::new(printer).exists() {
        return Err(format!("printer.port {printer} does not exist"));
    }
    let camera = config.camera.source.trim();
    if camera.starts_with("/dev/") && !Path::new(camera).exists() {
        return Err(format!("camera.source {camera} does not exist"));
    }
    Ok(())
}

/// The kiosk's side of remote configuration (see the module documentation).
pub struct RemoteCare {
    /// Where the pushed configuration goes, or why there is no such place.
    files: Result<ConfigFiles, String>,
    central_key: Result<VerifyingKey, String>,
    health: HealthCheck,
    apply: ApplyConfig,
    confirm_after: Duration,
    /// Since the kiosk started, or since it applied a configuration live.
    running_since: Mutex<std::time::Instant>,
    lock: Mutex<()>,
    /// The state when it could not be saved (no kiosk.toml, or a folder the kiosk may not write): kept for
    /// this run, so the heartbeat still reports a failure and the kiosk does not fetch that version again.
    unsaved: Mutex<Option<RemoteState>>,
}

impl RemoteCare {
    /// Remote configuration for the kiosk started from `config_file` (none: the embedded configuration, which
    /// cannot be replaced), trusting the base64 public key `central_key` (`central.config_key`).
    pub fn new(
        config_file: Option<PathBuf>,
        central_key: &str,
        health: HealthCheck,
        apply: ApplyConfig,
    ) -> RemoteCare {
        let central_key = if central_key.trim().is_empty() {
            Err(
                "central.config_key is not set: this kiosk accepts no remote configuration"
                    .to_owned(),
            )
        } else {
            lapak_core::signing::parse_public_key(central_key)
                .map_err(|e| format!("central.config_key: {e}"))
        };
        RemoteCare {
            files: match config_file {
                Some(file) => ConfigFiles::for_config(&file),
                None => Err(
                    "the kiosk runs the embedded configuration: there is no kiosk.toml to add to"
                        .to_owned(),
                ),
            },
            central_key,
            health,
            apply,
            confirm_after: CONFIRM_AFTER,
            running_since: Mutex::new(std::time::Instant::now()),
            lock: Mutex::new(()),
            unsaved: Mutex::new(None),
        }
    }

    /// The same with another confirmation time (tests).
    pub fn confirming_after(mut self, after: Duration) -> RemoteCare {
        self.confirm_after = after;
        self
    }

    /// The state: the saved one, or the one kept in memory when it could not be saved.
    pub fn state(&self) -> RemoteState {
        let unsaved = self
            .unsaved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        unsaved
            .or_else(|| self.files.as_ref().ok().map(ConfigFiles::state))
            .unwrap_or_default()
    }

    /// Saves the state, or keeps it in memory when it cannot be saved.
    fn save(&self, state: &RemoteState) -> Result<(), String> {
        let saved = match &self.files {
            Ok(files) => files
                .save_state(state)
                .map_err(|e| write_error(&files.state_file(), &e)),
            Err(reason) => Err(reason.clone()),
        };
        *self
            .unsaved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            saved.is_err().then(|| state.clone());
        if let Err(e) = &saved {
            tracing::warn!(error = %e, "remote configuration state kept in memory only");
        }
        saved
    }

    /// Confirms the running version once the kiosk has run long enough with the health check passing.
    pub fn confirm_if_healthy(&self) {
        let Ok(files) = &self.files else { return };
        let state = self.state();
        let running_for = self
            .running_since
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .elapsed();
        if state.unconfirmed_starts == 0 || running_for < self.confirm_after {
            return;
        }
        let healthy = KioskConfig::load(Some(&files.config))
            .map_err(|e| e.to_string())
            .and_then(|loaded| (self.health)(&loaded.config));
        if healthy.is_ok() {
            let _guard = self
                .lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let mut state = self.state();
            state.unconfirmed_starts = 0;
            let _ = self.save(&state);
        }
    }

    /// Acts on a heartbeat answer's offered version: fetches and applies it when it is newer than the running
    /// one and has not failed before. A fetch that fails (network, 5xx) is tried again at the next heartbeat.
    pub fn offered(&self, client: &CentralClient, version: Option<u64>) {
        let Some(offered) = version else { return };
        let state = self.state();
        if state.version.is_some_and(|v| v >= offered)
            || state.failed.as_ref().is_some_and(|f| f.version >= offered)
        {
            return;
        }
        let path = format!("v1/kiosks/{}/config", client.kiosk_id());
        let fetched = client
            .post_json(&path, &serde_json::json!({}))
            .map_err(|e| e.to_string())
            .and_then(|(status, text)| {
                if status == 200 {
                    serde_json::from_str::<RemoteConfig>(&text).map_err(|e| e.to_string())
                } else {
                    Err(format!(
                        "answer {status}: {}",
                        text.chars().take(200).collect::<String>()
                    ))
                }
            });
        match fetched {
            Ok(remote) => match self.apply_remote(client.kiosk_id(), &remote) {
                Ok(()) => tracing::info!(version = remote.version, "remote configuration applied"),
                Err(failure) => tracing::warn!(
                    version = failure.version,
                    reason = %failure.reason,
                    "remote configuration not applied"
                ),
            },
            Err(e) => {
                tracing::info!(error = %e, "remote configuration not fetched; next heartbeat tries again")
            }
        }
    }

    /// Checks, writes and applies a fetched configuration, or records why not (and rolls back).
    pub fn apply_remote(&self, kiosk_id: &str, remote: &RemoteConfig) -> Result<(), ConfigFailure> {
        let _guard = self
            .lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let fail = |reason: String| ConfigFailure {
            version: remote.version,
            reason,
        };
        let files = match &self.files {
            Ok(files) => files,
            Err(reason) => {
                let failure = fail(reason.clone());
                let _ = self.save(&RemoteState {
                    failed: Some(failure.clone()),
                    ..self.state()
                });
                return Err(failure);
            }
        };
        let result = self.check_and_write(files, kiosk_id, remote);
        let mut state = self.state();
        match result {
            Ok((loaded, previous)) => {
                state.last_good_version = previous;
                state.version = Some(remote.version);
                state.unconfirmed_starts = 1;
                state.failed = state.failed.filter(|f| f.version > remote.version);
                if let Err(reason) = (self.health)(&loaded.config) {
                    let reason = format!("not healthy after applying: {reason}");
                    let restored = files.restore_last_good().map_err(|e| e.to_string());
                    state.version = state.last_good_version;
                    state.unconfirmed_starts = 0;
                    state.failed = Some(fail(reason.clone()));
                    let _ = self.save(&state);
                    restored.map_err(|e| {
                        fail(format!(
                            "{reason}; the last good file could not be put back: {e}"
                        ))
                    })?;
                    if let Ok(good) = KioskConfig::load(Some(&files.config)) {
                        (self.apply)(good);
                    }
                    return Err(fail(reason));
                }
                if let Err(e) = files.save_state(&state) {
                    // Without its state the start count cannot protect the kiosk: the last good file stays.
                    let reason = write_error(&files.state_file(), &e);
                    let restored = files.restore_last_good();
                    let mut kept = self.state();
                    kept.failed = Some(fail(reason.clone()));
                    let _ = self.save(&kept);
                    return Err(fail(match restored {
                        Ok(()) => reason,
                        Err(e) => {
                            format!("{reason}; the last good file could not be put back: {e}")
                        }
                    }));
                }
                *self
                    .unsaved
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
                // Confirmed only after running healthy this long with it.
                *self
                    .running_since
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = std::time::Instant::now();
                (self.apply)(loaded);
                Ok(())
            }
            Err(reason) => {
                state.failed = Some(fail(reason.clone()));
                let _ = self.save(&state);
                Err(fail(reason))
            }
        }
    }

    /// Steps 1-3 and the writes; returns the new configuration and the version now in the last good file.
    fn check_and_write(
        &self,
        files: &ConfigFiles,
        kiosk_id: &str,
        remote: &RemoteConfig,
    ) -> Result<(LoadedConfig, Option<u64>), String> {
        let key = self.central_key.as_ref().map_err(Clone::clone)?;
        lapak_core::care::verify_config(key, kiosk_id, remote).map_err(|e| e.to_string())?;
        lapak_core::care::check_remote_keys(&remote.toml)?;
        let local = std::fs::read_to_string(&files.config)
            .map_err(|e| format!("cannot read {}: {e}", files.config.display()))?;
        let current = files
            .applied_text()
            .map_err(|e| format!("cannot read {}: {e}", files.applied().display()))?;
        // The keys of every version applied so far, this one's last.
        let pushed = if current.trim().is_empty() {
            remote.toml.clone()
        } else {
            overlay::merge(&current, &remote.toml)?
        };
        let merged = overlay::merge(&local, &pushed)?;
        let loaded = KioskConfig::parse(&merged, ConfigOrigin::File(files.config.clone()))
            .map_err(|e| format!("{e}"))?;
        if let Some(warning) = loaded.warnings.first() {
            return Err(format!("{warning}"));
        }
        let running = self.state().version;
        std::fs::create_dir_all(&files.dir).map_err(|e| write_error(&files.applied(), &e))?;
        write_atomically(&files.last_good(), current.as_bytes())
            .map_err(|e| write_error(&files.last_good(), &e))?;
        write_atomically(&files.applied(), pushed.as_bytes())
            .map_err(|e| write_error(&files.applied(), &e))?;
        Ok((loaded, running))
    }
}

/// Why a file of the pushed configuration could not be written, naming the folder when the kiosk may not write
/// there (its data folder must be its own: FIELD-GUIDE.md section 12).
fn write_error(path: &Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => format!(
            "the kiosk program may not write in {} ({e}): remote configuration needs that folder writable \
             for it (FIELD-GUIDE.md section 12)",
            path.parent().unwrap_or(Path::new(".")).display()
        ),
        _ => format!("cannot write {}: {e}", path.display()),
    }
}

/// A configuration applied by the sync thread, waiting for the screens (the real kiosk's [`ApplyConfig`]).
static FOR_SCREENS: Mutex<Option<LoadedConfig>> = Mutex::new(None);

/// Hands an applied configuration to the screens, which take it at the next idle home screen.
pub fn hand_to_screens(loaded: LoadedConfig) {
    *FOR_SCREENS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(loaded);
}

/// The configuration handed to the screens, if one waits.
pub fn take_for_screens() -> Option<LoadedConfig> {
    FOR_SCREENS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
}

pub use crate::config::overlay::merge;

#[cfg(test)]
mod tests;
