//! `lapak-kiosk doctor`: every part of the kiosk checked, each fault with its fix in one line.
//!
//! The checks open the real devices and files, exactly as the kiosk would, so the doctor must run while the
//! kiosk is stopped (a running kiosk holds the printer port).

mod sound;

use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use crate::camera;
use crate::config::{ConfigError, KioskConfig, LoadedConfig, Mode};
use crate::identity::{IdentityError, KEY_FILE, KioskIdentity};
use crate::kiosk::OUTBOX_FILE;
use crate::outbox::{NikHashKey, Outbox, OutboxLimits, OutboxOrigin, OutboxOwner};
use crate::printer::{self, PrinterState};

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Works.
    Ok,
    /// Works, but someone should look soon.
    Warning,
    /// Broken: the kiosk cannot do part of its job.
    Fault,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// What was checked: `config`, `data`, `key`, `outbox`, `camera`, `printer`, `sound`, `central`.
    pub part: &'static str,
    /// How it came out.
    pub verdict: Verdict,
    /// What was found.
    pub detail: String,
    /// What to do about it, in one line; empty when nothing.
    pub fix: String,
}

impl Check {
    fn new(
        part: &'static str,
        verdict: Verdict,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Check {
        Check {
            part,
            verdict,
            detail: detail.into(),
            fix: fix.into(),
        }
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Every check, in order.
    pub checks: Vec<Check>,
}

impl Report {
    /// Whether any check found a fault.
    pub fn has_fault(&self) -> bool {
        self.checks.iter().any(|c| c.verdict == Verdict::Fault)
    }

    /// The process exit code: 0 when nothing is broken, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.has_fault())
    }

    /// The report as a readable table.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        for check in &self.checks {
            let verdict = match check.verdict {
                Verdict::Ok => "ok",
                Verdict::Warning => "WARNING",
                Verdict::Fault => "FAULT",
            };
            out.push_str(&format!(
                "{:<8} {:<8} {}\n",
                check.part, verdict, check.detail
            ));
            if !check.fix.is_empty() {
                out.push_str(&format!("{:<8} {:<8} fix: {}\n", "", "", check.fix));
            }
        }
        let faults = self
            .checks
            .iter()
            .filter(|c| c.verdict == Verdict::Fault)
            .count();
        let warnings = self
            .checks
            .iter()
            .filter(|c| c.verdict == Verdict::Warning)
            .count();
        out.push_str(&format!("{faults} fault(s), {warnings} warning(s)\n"));
        out
    }
}

/// How long the device checks may take.
#[derive(Debug, Clone, Copy)]
pub struct DoctorOptions {
    /// How long to watch the camera.
    pub camera_time: Duration,
    /// How long to wait for the printer's status.
    pub printer_timeout: Duration,
}

impl Default for DoctorOptions {
    fn default() -> Self {
        DoctorOptions {
            camera_time: Duration::from_secs(2),
            printer_timeout: Duration::from_secs(2),
        }
    }
}

/// Runs every check. A configuration that failed to load is the first fault, and the remaining checks use
/// the defaults so that the rest of the kiosk is still examined.
pub fn run(loaded: Result<LoadedConfig, ConfigError>, options: DoctorOptions) -> Report {
    let (mut checks, config, identity, outbox) = local_checks(loaded);
    checks.push(check_camera(&config.camera, options.camera_time));
    checks.push(check_printer(&config.printer, options.printer_timeout));
    checks.push(sound::check_sound(&config.sound));
    checks.push(check_central(&config, identity.as_ref(), outbox.as_ref()));
    Report { checks }
}

/// The checks that can run beside the running kiosk program (for a diagnostics bundle): the configuration,
/// the data folder, the key and the outbox. The camera, printer and speaker are left out because the kiosk's
/// own workers hold them (their states come from the kiosk itself), and so is the central check, whose
/// heartbeat would replace the kiosk's on the fleet view.
pub fn run_beside_kiosk(loaded: Result<LoadedConfig, ConfigError>) -> Report {
    let (checks, ..) = local_checks(loaded);
    Report { checks }
}

/// The configuration, data folder, key and outbox checks, with what the other checks need.
fn local_checks(
    loaded: Result<LoadedConfig, ConfigError>,
) -> (
    Vec<Check>,
    KioskConfig,
    Option<KioskIdentity>,
    Option<Outbox>,
) {
    let mut checks = Vec::new();
    let config = match loaded {
        Ok(loaded) => {
            checks.push(if loaded.warnings.is_empty() {
                Check::new("config", Verdict::Ok, format!("{} loads", loaded.origin), "")
            } else {
                let keys: Vec<String> = loaded.warnings.iter().map(|w| w.key.clone()).collect();
                Check::new(
                    "config",
                    Verdict::Warning,
                    format!("{}: unknown keys {}", loaded.origin, keys.join(", ")),
                    "correct or remove the misspelt keys (see kiosk-config/kiosk.toml for the names)",
                )
            });
            loaded.config
        }
        Err(e) => {
            let fix = match crate::config::production::fix_for(&e.key) {
                Some(fix) => format!("{fix}, then run `lapak-kiosk config check`"),
                None => "correct the file as the message says, then run `lapak-kiosk config check`"
                    .to_owned(),
            };
            checks.push(Check::new("config", Verdict::Fault, e.to_string(), fix));
            KioskConfig::default()
        }
    };
    checks.push(check_data_dir(&config));
    let identity = check_key(&config, &mut checks);
    let (outbox_check, outbox) = check_outbox(&config, identity.as_ref());
    checks.push(outbox_check);
    (checks, config, identity, outbox)
}

fn check_data_dir(config: &KioskConfig) -> Check {
    let dir = &config.storage.data_dir;
    if let Err(e) = std::fs::create_dir_all(dir) {
        return Check::new(
            "data",
            Verdict::Fault,
            format!("{}: cannot create: {e}", dir.display()),
            "create the folder and give the kiosk user write access, or set storage.data_dir",
        );
    }
    let probe = dir.join(".doctor-write-test");
    if let Err(e) = std::fs::write(&probe, b"ok") {
        return Check::new(
            "data",
            Verdict::Fault,
            format!("{}: not writable: {e}", dir.display()),
            "give the kiosk user write access to the data folder",
        );
    }
    let _ = std::fs::remove_file(&probe);
    let free = match free_bytes(dir) {
        Ok(free) => free,
        Err(e) => {
            return Check::new(
                "data",
                Verdict::Warning,
                format!("{}: free space unknown: {e}", dir.display()),
                "",
            );
        }
    };
    let min = config.storage.min_free_mb.saturating_mul(1024 * 1024);
    let detail = format!(
        "{}: {} MiB free (claims stop below {} MiB)",
        dir.display(),
        free >> 20,
        min >> 20
    );
    if free < min {
        Check::new(
            "data",
            Verdict::Fault,
            detail,
            "free disk space (`lapak-kiosk outbox purge`, remove old logs) or sync the outbox",
        )
    } else if free < min.saturating_mul(2) {
        Check::new("data", Verdict::Warning, detail, "free disk space soon")
    } else {
        Check::new("data", Verdict::Ok, detail, "")
    }
}

fn free_bytes(dir: &Path) -> Result<u64, String> {
    let stat = rustix::fs::statvfs(dir).map_err(|e| e.to_string())?;
    Ok(stat.f_bavail.saturating_mul(stat.f_frsize))
}

fn check_key(config: &KioskConfig, checks: &mut Vec<Check>) -> Option<KioskIdentity> {
    let path = config.storage.data_dir.join(KEY_FILE);
    match KioskIdentity::load(&path) {
        Ok(identity) => {
            checks.push(Check::new(
                "key",
                Verdict::Ok,
                format!(
                    "{} (number {}), public key {}",
                    identity.id(),
                    identity.number(),
                    identity.public_key_base64()
                ),
                "",
            ));
            Some(identity)
        }
        Err(IdentityError::Missing(_)) if config.kiosk.mode == Mode::Demo => {
            checks.push(Check::new(
                "key",
                Verdict::Warning,
                format!("{}: none yet", path.display()),
                "demo mode makes one on first start; a real kiosk runs `lapak-kiosk provision --number N`",
            ));
            None
        }
        Err(e) => {
            checks.push(Check::new(
                "key",
                Verdict::Fault,
                e.to_string(),
                "run `lapak-kiosk provision --number N` and register the key with the central service",
            ));
            None
        }
    }
}

fn check_outbox(config: &KioskConfig, identity: Option<&KioskIdentity>) -> (Check, Option<Outbox>) {
    let path = config.storage.data_dir.join(OUTBOX_FILE);
    let Some(identity) = identity else {
        return (
            Check::new("outbox", Verdict::Warning, "not checked: no kiosk key", ""),
            None,
        );
    };
    if !path.exists() {
        return (
            Check::new(
                "outbox",
                Verdict::Fault,
                format!(
                    "{}: missing beside the kiosk key; the kiosk refuses to start so as not to reuse claim references",
                    path.display()
                ),
                "if the outbox is really lost: `lapak-kiosk outbox init --after-loss` (or `--sequence-floor N` \
                 when the central service cannot be reached)",
            ),
            None,
        );
    }
    let outbox = match Outbox::open(
        &path,
        OutboxLimits::default(),
        NikHashKey::derive(identity.signing_key()),
    ) {
        Ok(outbox) => outbox,
        Err(e) => {
            let fix =
                "keep the data folder; export what can be read (`outbox export`) and call support";
            return (
                Check::new("outbox", Verdict::Fault, e.to_string(), fix),
                None,
            );
        }
    };
    if let Err(e) = outbox.bind_owner(
        &OutboxOwner::of(identity),
        OutboxOrigin::Adopted,
        chrono::Utc::now(),
    ) {
        return (
            Check::new(
                "outbox",
                Verdict::Fault,
                e.to_string(),
                "put back the key this outbox was made with, or export it and move it away",
            ),
            None,
        );
    }
    if let Err(e) = outbox.integrity_check() {
        let fix =
            "keep the data folder; export what can be read (`outbox export`) and call support";
        return (
            Check::new("outbox", Verdict::Fault, e.to_string(), fix),
            Some(outbox),
        );
    }
    let stats = match outbox.stats(chrono::Utc::now()) {
        Ok(stats) => stats,
        Err(e) => {
            return (
                Check::new("outbox", Verdict::Fault, e.to_string(), "call support"),
                Some(outbox),
            );
        }
    };
    let oldest = stats
        .oldest_pending_age
        .map(|age| format!(", oldest waiting {} min", age.num_minutes()))
        .unwrap_or_default();
    let detail = format!(
        "{} pending, {} delivered, {} held{oldest}",
        stats.pending, stats.delivered, stats.held
    );
    let max = u64::from(config.storage.max_pending);
    let check = if stats.pending >= max {
        Check::new(
            "outbox",
            Verdict::Fault,
            format!("{detail}: full, new claims are refused"),
            "restore the connection to the central service, or `lapak-kiosk outbox export` to a USB stick",
        )
    } else if stats.held > 0 {
        Check::new(
            "outbox",
            Verdict::Warning,
            detail,
            "held claims need staff: see `lapak-kiosk outbox list --state held`, then `lapak-kiosk outbox requeue --held`",
        )
    } else if stats
        .oldest_pending_age
        .is_some_and(|age| age.num_minutes() >= 60)
    {
        Check::new(
            "outbox",
            Verdict::Warning,
            detail,
            "claims wait for over an hour: check the network and the central service",
        )
    } else {
        Check::new("outbox", Verdict::Ok, detail, "")
    };
    (check, Some(outbox))
}

fn check_camera(config: &camera::CameraConfig, time: Duration) -> Check {
    let probe = camera::probe(config, time);
    if !probe.opened {
        return Check::new(
            "camera",
            Verdict::Fault,
            format!(
                "`{}` does not open: {}",
                config.source,
                probe.error.as_deref().unwrap_or("no reason given")
            ),
            "check the camera's USB cable, or set camera.source (`auto`, an index, or a /dev/v4l/by-id path)",
        );
    }
    let source = probe
        .source
        .as_ref()
        .map(|s| {
            format!(
                "{} {}x{} {} @{}",
                s.name, s.width, s.height, s.format, s.fps
            )
        })
        .unwrap_or_else(|| config.source.clone());
    let quality = probe
        .quality
        .as_ref()
        .map(|q| {
            let motion = q
                .motion
                .map(|m| {
                    format!(
                        ", motion {m:.1} (steady at most {:.1})",
                        config.quality.steady_motion_max
                    )
                })
                .unwrap_or_default();
            let card = match &q.card {
                Some(card) => {
                    let [top_left, top_right, ..] = card.corners;
                    format!(
                        ", card found ({:.0} % of the picture's width, tilted {:.1}°)",
                        (top_right.0 - top_left.0) * 100.0,
                        card.tilt_degrees
                    )
                }
                None => ", no card in view".to_owned(),
            };
            format!(
                ", sharpness {:.0}, brightness {:.0}, clipped white {:.1} %{motion}{card}",
                q.sharpness,
                q.luma_mean,
                q.bright_share * 100.0
            )
        })
        .unwrap_or_default();
    let detail = format!(
        "{source}: {} frames, {:.1} fps{quality}",
        probe.frames, probe.fps
    );
    if probe.frames == 0 {
        Check::new(
            "camera",
            Verdict::Fault,
            format!("{detail}: opens but gives no pictures"),
            "unplug and replug the camera; if it stays dark, replace it",
        )
    } else if probe.fps < 10.0 {
        Check::new(
            "camera",
            Verdict::Warning,
            detail,
            "the camera is slow: use a USB 2 port of its own or camera.format = \"mjpeg\"",
        )
    } else {
        Check::new("camera", Verdict::Ok, detail, "")
    }
}

fn check_printer(config: &printer::PrinterConfig, timeout: Duration) -> Check {
    if !config.enabled {
        return Check::new(
            "printer",
            Verdict::Warning,
            "disabled in the configuration: participants get no paper receipt",
            "",
        );
    }
    let status = printer::probe(config, timeout);
    let port = if config.is_simulated() {
        "simulated"
    } else {
        config.port.as_str()
    };
    let near_end = match status.near_end {
        None => ", near end: unknown (no sensor)",
        Some(true) => ", near end",
        Some(false) => "",
    };
    let detail = format!("{port}: {:?}{near_end}", status.state);
    let verdict = match status.state {
        PrinterState::Ready => Verdict::Ok,
        PrinterState::PaperLow => Verdict::Warning,
        PrinterState::NoResponse if config.one_way_ok => Verdict::Warning,
        _ => Verdict::Fault,
    };
    let fix = if verdict == Verdict::Ok {
        String::new()
    } else {
        status.fix_hint().to_owned()
    };
    Check::new("printer", verdict, detail, fix)
}

fn check_central(
    config: &KioskConfig,
    identity: Option<&KioskIdentity>,
    outbox: Option<&Outbox>,
) -> Check {
    use crate::sync::{CentralClient, KioskCredentials, SyncError, heartbeat};
    if config.sync.central_url.is_none() {
        return if config.kiosk.mode == Mode::Demo {
            Check::new(
                "central",
                Verdict::Ok,
                "none configured (demo: claims stay in the outbox)",
                "",
            )
        } else {
            Check::new(
                "central",
                Verdict::Fault,
                "no central service configured: claims are never forwarded",
                "set sync.central_url in the configuration",
            )
        };
    }
    let (Some(identity), Some(outbox)) = (identity, outbox) else {
        return Check::new(
            "central",
            Verdict::Warning,
            "not checked: no kiosk key or outbox",
            "",
        );
    };
    let credentials = KioskCredentials {
        kiosk_id: identity.id().to_owned(),
        signing_key: identity.signing_key().clone(),
    };
    let client = match CentralClient::new(&config.sync, credentials) {
        Ok(client) => client,
        Err(e) => {
            return Check::new(
                "central",
                Verdict::Fault,
                e.to_string(),
                "correct sync.central_url",
            );
        }
    };
    let url = config.sync.central_url.as_deref().unwrap_or_default();
    let mut beat = heartbeat::collect(
        &crate::sync::api::DeviceHealth::default(),
        outbox,
        &config.storage.data_dir,
        None,
        chrono::Utc::now(),
    );
    // The pushed configuration in force, as the running kiosk reports it, so the fleet view keeps it.
    let pushed = crate::sync::remote_config::state_in(&config.storage.data_dir);
    beat.config_version = pushed.version;
    beat.config_failed = pushed.failed;
    match heartbeat::send(&client, &beat) {
        Ok(skew) => {
            let seconds = skew.num_milliseconds() as f64 / 1000.0;
            let detail = format!("{url}: reachable, clock differs by {seconds:+.1} s");
            if seconds.abs() > 60.0 {
                Check::new(
                    "central",
                    Verdict::Warning,
                    detail,
                    "set the kiosk's clock (enable NTP: `timedatectl set-ntp true`)",
                )
            } else {
                Check::new("central", Verdict::Ok, detail, "")
            }
        }
        Err(SyncError::Refused { status, message }) => Check::new(
            "central",
            Verdict::Fault,
            format!("{url}: refused this kiosk ({status}): {message}"),
            format!(
                "register the kiosk: lapak-central kiosk add --id {} --number {} --public-key {}",
                identity.id(),
                identity.number(),
                identity.public_key_base64()
            ),
        ),
        Err(e) => Check::new(
            "central",
            Verdict::Fault,
            format!("{url}: not reachable: {e}"),
            "check the network cable or modem, and sync.central_url; claims wait in the outbox meanwhile",
        ),
    }
}
