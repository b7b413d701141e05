//! Store and forward: the uploader that drains the outbox to the central service, the heartbeat, and the
//! participant's status check, plus the request signing and wire types both sides share.
//!
//! Nothing here runs on the GUI thread: the uploader and the heartbeat are threads of their own
//! ([`uploader::Uploader::spawn`], [`heartbeat::HeartbeatWorker::spawn`]); [`drain_now`] and [`status::check`]
//! block and are for the `lapak-kiosk sync` and `lapak-kiosk status` commands or a worker.
//!
//! Wiring, in outline (the outbox implements [`ClaimQueue`] and [`LocalClaims`]):
//!
//! ```text
//! let client = CentralClient::new(&config.sync, KioskCredentials { kiosk_id, signing_key })?; // Err(Offline) if no URL
//! let uploader = Uploader::spawn(client.clone(), outbox.clone(), Box::new(move |event| tx.send(event.clone())))?;
//! uploader.wake();                      // after a claim is saved, or "sync now"
//! uploader.status();                    // staff screen: requests, delivered, last error, next attempt
//! HeartbeatWorker::spawn(client, HeartbeatSources { devices, last_upload_error, delivery_alert, queue, data_dir })?;
//! drain_now(&client, outbox.as_ref(), 5, &mut |progress| println!("{progress:?}"))?;   // `lapak-kiosk sync`
//! status::check(Some(&client), outbox.as_ref(), reference, &Proof::Nik(nik))?;          // `lapak-kiosk status REF`
//! ```

pub use lapak_core::{api, signing};

pub mod backoff;
pub mod care;
pub mod client;
mod delivery;
mod delivery_alert;
pub mod diagnostics;
pub mod heartbeat;
mod outbox_queue;
pub mod queue;
pub mod remote_config;
pub mod resumable;
pub mod sequence;
pub mod status;
pub mod uploader;

use std::path::PathBuf;
use std::time::Duration;

use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};

pub use client::CentralClient;
pub use queue::{ClaimQueue, LocalClaim, LocalClaims, LocalState, QueueDepth, QueueError};
pub use uploader::{DrainProgress, DrainSummary, drain_now};

/// The smallest `upload_chunk_bytes` accepted.
pub const MIN_UPLOAD_CHUNK_BYTES: usize = 4 * 1024;
/// The largest `upload_chunk_bytes` accepted.
pub const MAX_UPLOAD_CHUNK_BYTES: usize = 16 * 1024 * 1024;

/// The `[sync]` section of `kiosk.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncConfig {
    /// Base URL of the central service, e.g. `https://lapak.example.go.id/`. `None` runs the kiosk as an
    /// offline demo: claims stay in the outbox. Plain `http` is accepted only for a loopback address.
    pub central_url: Option<String>,
    /// A PEM file of extra CA certificates to trust (e.g. a staging CA); the system roots are always used.
    pub ca_file: Option<PathBuf>,
    /// Seconds between heartbeats.
    pub heartbeat_interval_secs: u64,
    /// First backoff delay after a failed upload, in milliseconds.
    pub backoff_base_ms: u64,
    /// The longest backoff delay, in seconds.
    pub backoff_cap_secs: u64,
    /// The longest `Retry-After` the kiosk honours, in seconds (longer answers are cut to this).
    pub retry_after_limit_secs: u64,
    /// Seconds allowed to open a connection.
    pub connect_timeout_secs: u64,
    /// Seconds allowed for a request whatever its size.
    pub request_timeout_secs: u64,
    /// Extra seconds allowed per megabyte of packet (slow 2G/3G links).
    pub timeout_secs_per_mb: u64,
    /// Seconds between outbox checks when nothing is due.
    pub idle_poll_secs: u64,
    /// Failed attempts of one claim after which staff are alerted (maintenance screen, heartbeat, fleet page).
    pub alert_after_attempts: u32,
    /// Minutes a claim may wait undelivered, failing, before staff are alerted.
    pub alert_after_minutes: u64,
    /// The largest chunk of a resumable upload, in bytes (below common proxies' body limits, e.g. nginx's
    /// 1 MB); on a slow link the kiosk sends smaller chunks, sized to take about two seconds each.
    pub upload_chunk_bytes: usize,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            central_url: None,
            ca_file: None,
            heartbeat_interval_secs: 60,
            backoff_base_ms: 2_000,
            backoff_cap_secs: 600,
            retry_after_limit_secs: 3_600,
            connect_timeout_secs: 10,
            request_timeout_secs: 20,
            timeout_secs_per_mb: 60,
            idle_poll_secs: 5,
            alert_after_attempts: 10,
            alert_after_minutes: 60,
            upload_chunk_bytes: 256 * 1024,
        }
    }
}

impl SyncConfig {
    /// The timeout for a request carrying `body_bytes`: the fixed part plus the per-megabyte part.
    pub fn timeout_for(&self, body_bytes: usize) -> Duration {
        let per_mb =
            Duration::from_secs(self.timeout_secs_per_mb).mul_f64(body_bytes as f64 / 1_000_000.0);
        Duration::from_secs(self.request_timeout_secs) + per_mb
    }

    /// The backoff base delay.
    pub fn backoff_base(&self) -> Duration {
        Duration::from_millis(self.backoff_base_ms.max(1))
    }

    /// The backoff cap.
    pub fn backoff_cap(&self) -> Duration {
        Duration::from_secs(self.backoff_cap_secs).max(self.backoff_base())
    }

    /// Checks the values: a central URL that parses, uses https (or http on loopback only), and timeouts that
    /// are not zero. The error names the key.
    pub fn validate(&self) -> Result<(), SyncError> {
        if let Some(url) = &self.central_url {
            client::parse_central_url(url)?;
        }
        for (key, value) in [
            ("heartbeat_interval_secs", self.heartbeat_interval_secs),
            ("backoff_cap_secs", self.backoff_cap_secs),
            ("connect_timeout_secs", self.connect_timeout_secs),
            ("request_timeout_secs", self.request_timeout_secs),
            ("idle_poll_secs", self.idle_poll_secs),
            ("alert_after_attempts", u64::from(self.alert_after_attempts)),
            ("alert_after_minutes", self.alert_after_minutes),
        ] {
            if value == 0 {
                return Err(SyncError::Config {
                    key,
                    reason: "must be at least 1".into(),
                });
            }
        }
        if !(MIN_UPLOAD_CHUNK_BYTES..=MAX_UPLOAD_CHUNK_BYTES).contains(&self.upload_chunk_bytes) {
            return Err(SyncError::Config {
                key: "upload_chunk_bytes",
                reason: format!(
                    "must be between {MIN_UPLOAD_CHUNK_BYTES} and {MAX_UPLOAD_CHUNK_BYTES} bytes"
                ),
            });
        }
        Ok(())
    }
}

/// Who the kiosk is to the central service: its id and its Ed25519 provisioning key.
#[derive(Clone)]
pub struct KioskCredentials {
    /// The kiosk id registered with `lapak-central kiosk add`.
    pub kiosk_id: String,
    /// The kiosk's signing key.
    pub signing_key: SigningKey,
}

impl std::fmt::Debug for KioskCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KioskCredentials")
            .field("kiosk_id", &self.kiosk_id)
            .finish_non_exhaustive()
    }
}

/// What can go wrong in sync, with enough context for staff to act.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// A `[sync]` value is wrong.
    #[error("sync.{key}: {reason}")]
    Config {
        /// The key in the `[sync]` section.
        key: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// No central URL is configured: the kiosk runs offline.
    #[error("no central service is configured (sync.central_url): claims stay on this kiosk")]
    Offline,
    /// The HTTP client could not be built (e.g. an unreadable CA file).
    #[error("cannot set up the connection to the central service: {0}")]
    Client(String),
    /// The request did not get an answer (network down, timeout, garbage).
    #[error("the central service did not answer: {0}")]
    Unreachable(String),
    /// The central service answered with an unexpected status.
    #[error("the central service answered {status}: {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Its reason.
        message: String,
    },
    /// The outbox failed.
    #[error("outbox: {0}")]
    Queue(#[from] QueueError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_grow_with_the_packet() {
        let config = SyncConfig {
            request_timeout_secs: 20,
            timeout_secs_per_mb: 60,
            ..SyncConfig::default()
        };
        assert_eq!(config.timeout_for(0), Duration::from_secs(20));
        assert_eq!(config.timeout_for(500_000), Duration::from_secs(50));
        assert_eq!(config.timeout_for(2_000_000), Duration::from_secs(140));
    }

    #[test]
    fn validation_names_the_key() {
        assert_eq!(SyncConfig::default().validate(), Ok(()));
        let remote_http = SyncConfig {
            central_url: Some("http://10.1.2.3/".into()),
            ..SyncConfig::default()
        };
        assert!(matches!(
            remote_http.validate(),
            Err(SyncError::Config {
                key: "central_url",
                ..
            })
        ));
        let zero = SyncConfig {
            idle_poll_secs: 0,
            ..SyncConfig::default()
        };
        assert!(matches!(
            zero.validate(),
            Err(SyncError::Config {
                key: "idle_poll_secs",
                ..
            })
        ));
        let never_alert = SyncConfig {
            alert_after_attempts: 0,
            ..SyncConfig::default()
        };
        assert!(matches!(
            never_alert.validate(),
            Err(SyncError::Config {
                key: "alert_after_attempts",
                ..
            })
        ));
    }

    #[test]
    fn upload_chunk_bytes_outside_its_range_is_refused_naming_the_key() {
        assert_eq!(SyncConfig::default().upload_chunk_bytes, 256 * 1024);
        for bad in [MIN_UPLOAD_CHUNK_BYTES - 1, MAX_UPLOAD_CHUNK_BYTES + 1] {
            let config = SyncConfig {
                upload_chunk_bytes: bad,
                ..SyncConfig::default()
            };
            assert!(
                matches!(
                    config.validate(),
                    Err(SyncError::Config {
                        key: "upload_chunk_bytes",
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_section_parses_from_toml_with_defaults() {
        let config: Result<SyncConfig, _> =
            toml::from_str("central_url = \"https://central.example/\"\nbackoff_cap_secs = 120\n");
        let config = config.unwrap_or_default();
        assert_eq!(
            config.central_url.as_deref(),
            Some("https://central.example/")
        );
        assert_eq!(config.backoff_cap_secs, 120);
        assert_eq!(
            config.heartbeat_interval_secs,
            SyncConfig::default().heartbeat_interval_secs
        );
        let unknown: Result<SyncConfig, _> = toml::from_str("centrl_url = \"x\"\n");
        assert!(unknown.is_err());
    }

    #[test]
    fn an_offline_kiosk_has_no_client() {
        let credentials = KioskCredentials {
            kiosk_id: "K1".into(),
            signing_key: SigningKey::from_bytes(&[1; 32]),
        };
        assert!(matches!(
            CentralClient::new(&SyncConfig::default(), credentials),
            Err(SyncError::Offline)
        ));
    }
}
