//! The heartbeat: every few seconds (config) the kiosk tells the central service how it is — devices, outbox
//! depth and oldest age, version, free disk, clock — and learns the server's time, logging the skew.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::SyncError;
use super::api::{DeliveryAlert, DeviceHealth, Heartbeat, HeartbeatReply};
use super::client::CentralClient;
use super::queue::ClaimQueue;
use crate::worker::{Inbox, Next, Worker};

/// Skew beyond which the heartbeat warns (the central service refuses requests further off than its tolerance).
pub const SKEW_WARNING: Duration = Duration::from_secs(30);

/// What the heartbeat learned last.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeartbeatStatus {
    /// When the central service last answered.
    pub last_answer_at: Option<DateTime<Utc>>,
    /// Server clock minus kiosk clock, in milliseconds, from the last answer.
    pub clock_skew_ms: Option<i64>,
    /// The last failure, until the next success.
    pub last_error: Option<String>,
}

/// Collects a heartbeat: devices from `devices`, outbox from `queue`, free disk of `data_dir` and the staff
/// PIN's lock-out kept there (no delivery alert: the worker adds the uploader's).
pub fn collect(
    devices: &DeviceHealth,
    queue: &dyn ClaimQueue,
    data_dir: &std::path::Path,
    last_upload_error: Option<String>,
    now: DateTime<Utc>,
) -> Heartbeat {
    let depth = queue.depth(now).unwrap_or_default();
    let disk_free_bytes = rustix::fs::statvfs(data_dir)
        .ok()
        .map(|s| s.f_bavail.saturating_mul(s.f_frsize));
    Heartbeat {
        sent_at: now,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        devices: devices.clone(),
        outbox_pending: depth.pending,
        outbox_rejected: depth.held,
        outbox_held: depth.held,
        oldest_pending_secs: depth.oldest_pending_secs,
        disk_free_bytes,
        last_upload_error,
        delivery_alert: None,
        pin_locked_until: crate::pin_lockout::PinLockout::locked_until_in(data_dir, now),
        package: Some(package_state().to_owned()),
        config_version: None,
        config_failed: None,
    }
}

/// How this kiosk is installed: the version of the Debian package `lapak-kiosk` when the running program is
/// the one it installed (under /usr), else `source`. Asked of dpkg once.
pub fn package_state() -> &'static str {
    static STATE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    STATE.get_or_init(|| {
        let packaged = std::env::current_exe()
            .map(|exe| exe.starts_with("/usr"))
            .unwrap_or(false);
        let version = packaged
            .then(|| {
                std::process::Command::new("dpkg-query")
                    .args(["-W", "-f=${Status}\t${Version}", "lapak-kiosk"])
                    .output()
                    .ok()
            })
            .flatten()
            .filter(|out| out.status.success())
            .and_then(|out| installed_version(&String::from_utf8_lossy(&out.stdout)));
        version.unwrap_or_else(|| "source".to_owned())
    })
}

/// The version in `dpkg-query -W -f='${Status}\t${Version}'`'s answer when the package is fully installed.
fn installed_version(answer: &str) -> Option<String> {
    let (status, version) = answer.split_once('\t')?;
    (status.ends_with(" installed") && !version.trim().is_empty())
        .then(|| version.trim().to_owned())
}

/// Sends one heartbeat and returns the server's clock minus ours (half the round trip accounted for).
pub fn send(client: &CentralClient, beat: &Heartbeat) -> Result<chrono::Duration, SyncError> {
    exchange(client, beat).map(|(skew, _)| skew)
}

/// Sends one heartbeat and returns the clock skew (as [`send`]) with the whole answer.
pub fn exchange(
    client: &CentralClient,
    beat: &Heartbeat,
) -> Result<(chrono::Duration, HeartbeatReply), SyncError> {
    let path = format!("v1/kiosks/{}/heartbeat", client.kiosk_id());
    let started = Instant::now();
    let (status, text) = client.post_json(&path, beat)?;
    if status != 200 {
        return Err(SyncError::Refused {
            status,
            message: text.chars().take(200).collect(),
        });
    }
    let reply: HeartbeatReply = serde_json::from_str(&text)
        .map_err(|e| SyncError::Unreachable(format!("unreadable answer: {e}")))?;
    let half_trip = chrono::Duration::from_std(started.elapsed() / 2).unwrap_or_default();
    let local_at_answer = beat.sent_at + half_trip;
    Ok((reply.server_time - local_at_answer, reply))
}

/// The background heartbeat thread: a [`Worker`] ("heartbeat") with no commands but stop; dropping it stops it.
pub struct HeartbeatWorker {
    worker: Worker<Infallible>,
    status: Arc<Mutex<HeartbeatStatus>>,
}

/// Where the heartbeat reads what it reports.
pub struct HeartbeatSources {
    /// The devices' current states (filled by the device workers; no device code here).
    pub devices: Box<dyn Fn() -> DeviceHealth + Send>,
    /// The uploader's last error, if any.
    pub last_upload_error: Box<dyn Fn() -> Option<String> + Send>,
    /// The uploader's delivery alert, if raised.
    pub delivery_alert: Box<dyn Fn() -> Option<DeliveryAlert> + Send>,
    /// The outbox.
    pub queue: Arc<dyn ClaimQueue>,
    /// The folder whose free space is reported (the outbox's).
    pub data_dir: PathBuf,
    /// Remote care: configuration and diagnostics asked for in the answer (none: the answer's offers are
    /// ignored).
    pub care: Option<Arc<super::care::Care>>,
}

impl HeartbeatWorker {
    /// Starts sending a heartbeat every `heartbeat_interval_secs`, the first one at once.
    pub fn spawn(
        client: CentralClient,
        sources: HeartbeatSources,
    ) -> Result<HeartbeatWorker, SyncError> {
        let status = Arc::new(Mutex::new(HeartbeatStatus::default()));
        let shared = Arc::clone(&status);
        let interval = Duration::from_secs(client.config().heartbeat_interval_secs.max(1));
        let worker = Worker::spawn("heartbeat", move |mut inbox: Inbox<Infallible>| {
            loop {
                let mut beat = collect(
                    &(sources.devices)(),
                    sources.queue.as_ref(),
                    &sources.data_dir,
                    (sources.last_upload_error)(),
                    Utc::now(),
                );
                beat.delivery_alert = (sources.delivery_alert)();
                if let Some(care) = &sources.care {
                    care.fill(&mut beat);
                }
                let result = exchange(&client, &beat);
                {
                    let mut s = shared.lock().unwrap_or_else(PoisonError::into_inner);
                    match &result {
                        Ok((skew, _)) => {
                            let ms = skew.num_milliseconds();
                            if skew.abs().to_std().unwrap_or_default() > SKEW_WARNING {
                                tracing::warn!(
                                    skew_ms = ms,
                                    "kiosk clock differs from the central service"
                                );
                            } else {
                                tracing::debug!(skew_ms = ms, "heartbeat answered");
                            }
                            s.last_answer_at = Some(Utc::now());
                            s.clock_skew_ms = Some(ms);
                            s.last_error = None;
                        }
                        Err(e) => {
                            tracing::info!(error = %e, "heartbeat not answered");
                            s.last_error = Some(e.to_string());
                        }
                    }
                }
                if let Some(care) = &sources.care {
                    care.answered(&client, result.as_ref().ok().map(|(_, reply)| reply));
                }
                match inbox.wait(interval) {
                    Next::Idle => {}
                    Next::Stop => break,
                    Next::Command(never) => match never {},
                }
            }
        })
        .map_err(|e| SyncError::Client(format!("cannot start the heartbeat thread: {e}")))?;
        Ok(HeartbeatWorker { worker, status })
    }

    /// A copy of what the heartbeat learned last.
    pub fn status(&self) -> HeartbeatStatus {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Stops the thread and waits for it (dropping the worker does the same).
    pub fn stop(mut self) {
        self.worker.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_fully_installed_package_gives_its_version() {
        assert_eq!(
            installed_version("install ok installed\t0.1.0-1"),
            Some("0.1.0-1".to_owned())
        );
        assert_eq!(installed_version("install ok unpacked\t0.1.0-1"), None);
        assert_eq!(
            installed_version("deinstall ok config-files\t0.1.0-1"),
            None
        );
        assert_eq!(installed_version("unknown ok not-installed\t"), None);
        assert_eq!(installed_version(""), None);
    }
}
