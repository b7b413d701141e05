//! `central.toml`: where lapak-central listens, keeps its data and how much it accepts.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// The service's configuration. Relative paths are relative to the config file's folder.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CentralConfig {
    /// Address and port to listen on (plain HTTP; put a TLS-terminating proxy in front outside loopback).
    pub listen: SocketAddr,
    /// The SQLite database file, or a PostgreSQL URL (`postgres://user@host:port/dbname`) to keep every table
    /// on a PostgreSQL server shared by several replicas.
    pub database: PathBuf,
    /// The folder for the bytes of resumable uploads under way on SQLite (empty: `uploads` beside the SQLite
    /// database). On PostgreSQL the bytes are kept in the database and the folder is not written.
    pub uploads_dir: PathBuf,
    /// The age identity file made by `lapak-central init` (mode 0600).
    pub identity_file: PathBuf,
    /// Largest request body accepted, in bytes (bigger → 413).
    pub max_body_bytes: usize,
    /// Claim uploads handled at once; more → 503 with `Retry-After`.
    pub max_in_flight: usize,
    /// Claim uploads handled at once for one kiosk; more → 429 with `Retry-After`.
    pub max_in_flight_per_kiosk: usize,
    /// Seconds a shed request is told to wait (`Retry-After`).
    pub retry_after_secs: u64,
    /// Largest difference, in seconds, between a request's timestamp and the server clock.
    pub clock_skew_secs: u64,
    /// Heartbeats kept per kiosk.
    pub heartbeat_history: usize,
    /// Minutes without a heartbeat before the fleet view raises "not heard from".
    pub silent_after_minutes: u64,
    /// Minutes a kiosk's oldest unsent claim may wait before the fleet view raises "backlog".
    pub backlog_alert_minutes: u64,
    /// The prefix the API is served under, e.g. `/lapak` (empty: the root). Requests are routed and their
    /// signatures checked with it stripped, as a stripping reverse proxy would.
    pub base_path: String,
    /// Seconds any request body may take to arrive, at the least (the floor of the body deadline).
    pub body_read_timeout_secs: u64,
    /// The slowest upload rate allowed, in bytes per second: a body of N bytes gets
    /// `body_read_timeout_secs + N / body_min_bytes_per_sec` seconds, then 408 and the connection is closed.
    pub body_min_bytes_per_sec: u64,
    /// Failed proofs (wrong NIK or unknown reference) allowed per reference within
    /// `status_failure_window_secs`; then status checks for that reference answer 429 whatever the NIK.
    pub status_failures_per_reference: u32,
    /// The window, in seconds, over which failed proofs are counted.
    pub status_failure_window_secs: u64,
    /// Status checks one kiosk may make per minute; more answer 429.
    pub status_requests_per_kiosk_per_minute: u32,
    /// Lower-case hex SHA-256 of the staff token for `GET /fleet` and `GET /v1/fleet` (made by
    /// `lapak-central fleet-token`); empty keeps the fleet routes closed (404).
    pub fleet_token_sha256: String,
    /// Hours a resumable upload is kept after its last chunk (finished or not); then it is swept.
    pub upload_expiry_hours: f64,
    /// Where sealed packets are kept (`[blobs]`): a local folder or an S3-compatible bucket.
    pub blobs: BlobsConfig,
}

/// The `[blobs]` table: where sealed packets are kept outside the database.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BlobsConfig {
    /// `"folder"` (the default) or `"s3"`.
    pub store: String,
    /// The folder (`store = "folder"`); empty: `packets` beside the SQLite database (on PostgreSQL, beside
    /// `central.toml`). Replicas sharing one PostgreSQL database must share this folder too.
    pub dir: PathBuf,
    /// The bucket (`store = "s3"`).
    pub bucket: String,
    /// The endpoint URL (`http://host:port` for a server on the premises; empty for AWS itself).
    pub endpoint: String,
    /// The region.
    pub region: String,
    /// The access key id; empty: the `AWS_ACCESS_KEY_ID` environment variable.
    pub access_key_id: String,
    /// The secret access key; empty: the `AWS_SECRET_ACCESS_KEY` environment variable.
    pub secret_access_key: String,
}

impl Default for BlobsConfig {
    fn default() -> Self {
        BlobsConfig {
            store: "folder".into(),
            dir: PathBuf::new(),
            bucket: String::new(),
            endpoint: String::new(),
            region: "us-east-1".into(),
            access_key_id: String::new(),
            secret_access_key: String::new(),
        }
    }
}

impl Default for CentralConfig {
    fn default() -> Self {
        CentralConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: PathBuf::from("central.sqlite"),
            uploads_dir: PathBuf::new(),
            identity_file: PathBuf::from("central-identity.txt"),
            max_body_bytes: 32 * 1024 * 1024,
            max_in_flight: 32,
            max_in_flight_per_kiosk: 2,
            retry_after_secs: 5,
            clock_skew_secs: 300,
            heartbeat_history: 100,
            silent_after_minutes: 5,
            backlog_alert_minutes: 60,
            base_path: String::new(),
            body_read_timeout_secs: 30,
            body_min_bytes_per_sec: 16_000,
            status_failures_per_reference: 5,
            status_failure_window_secs: 3_600,
            status_requests_per_kiosk_per_minute: 30,
            fleet_token_sha256: String::new(),
            upload_expiry_hours: 24.0,
            blobs: BlobsConfig::default(),
        }
    }
}

/// A configuration file that cannot be used, naming the file and the reason.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this configuration.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and key.
        message: String,
    },
    /// A value is out of range.
    #[error("{path}: {key}: {reason}")]
    Value {
        /// The file.
        path: PathBuf,
        /// The key.
        key: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl CentralConfig {
    /// Reads and checks `path`; relative paths inside are resolved against its folder.
    pub fn load(path: &Path) -> Result<CentralConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config: CentralConfig = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let postgres = config
            .database
            .to_str()
            .is_some_and(crate::store::is_postgres_url);
        if !postgres {
            config.database = base.join(&config.database);
        }
        if !config.uploads_dir.as_os_str().is_empty() {
            config.uploads_dir = base.join(&config.uploads_dir);
        } else if postgres {
            config.uploads_dir = base.join("uploads");
        }
        config.identity_file = base.join(&config.identity_file);
        if !config.blobs.dir.as_os_str().is_empty() {
            config.blobs.dir = base.join(&config.blobs.dir);
        } else if postgres {
            config.blobs.dir = base.join("packets");
        }
        config.check(path)?;
        Ok(config)
    }

    /// The folder for the bytes of resumable uploads under way.
    pub fn uploads_dir(&self) -> PathBuf {
        if !self.uploads_dir.as_os_str().is_empty() {
            return self.uploads_dir.clone();
        }
        match self.database.parent() {
            Some(parent) if !crate::store::is_postgres_url(&self.database.to_string_lossy()) => {
                parent.join("uploads")
            }
            _ => PathBuf::from("uploads"),
        }
    }

    /// The folder for sealed packets when `[blobs] store = "folder"`.
    pub fn packets_dir(&self) -> PathBuf {
        if !self.blobs.dir.as_os_str().is_empty() {
            return self.blobs.dir.clone();
        }
        match self.database.parent() {
            Some(parent) if !crate::store::is_postgres_url(&self.database.to_string_lossy()) => {
                parent.join("packets")
            }
            _ => PathBuf::from("packets"),
        }
    }

    fn check(&self, path: &Path) -> Result<(), ConfigError> {
        let value = |key, reason: &str| ConfigError::Value {
            path: path.to_owned(),
            key,
            reason: reason.to_owned(),
        };
        if let Some(url) = self
            .database
            .to_str()
            .filter(|url| crate::store::is_postgres_url(url))
        {
            url.parse::<tokio_postgres::Config>().map_err(|e| {
                value(
                    "database",
                    &format!("not a usable PostgreSQL URL (postgres://user@host:port/dbname): {e}"),
                )
            })?;
        }
        if self.max_body_bytes < 1024 {
            return Err(value("max_body_bytes", "must be at least 1024"));
        }
        // Counts, seconds and rates that must not be zero (a zero would stop the service or open it wide).
        for (key, number) in [
            ("max_in_flight", self.max_in_flight as u64),
            (
                "max_in_flight_per_kiosk",
                self.max_in_flight_per_kiosk as u64,
            ),
            ("clock_skew_secs", self.clock_skew_secs),
            ("heartbeat_history", self.heartbeat_history as u64),
            ("body_read_timeout_secs", self.body_read_timeout_secs),
            ("body_min_bytes_per_sec", self.body_min_bytes_per_sec),
            (
                "status_failures_per_reference",
                u64::from(self.status_failures_per_reference),
            ),
            (
                "status_failure_window_secs",
                self.status_failure_window_secs,
            ),
            (
                "status_requests_per_kiosk_per_minute",
                u64::from(self.status_requests_per_kiosk_per_minute),
            ),
        ] {
            if number == 0 {
                return Err(value(key, "must be at least 1"));
            }
        }
        if !self.base_path.is_empty()
            && (!self.base_path.starts_with('/')
                || self.base_path.ends_with('/')
                || self.base_path.contains(['?', '#', ' ', '{', '}']))
        {
            return Err(value(
                "base_path",
                "must be empty or a path like \"/lapak\": starting with /, not ending with /, no ?, #, spaces or braces",
            ));
        }
        if !self.fleet_token_sha256.is_empty()
            && (self.fleet_token_sha256.len() != 64
                || !self
                    .fleet_token_sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        {
            return Err(value(
                "fleet_token_sha256",
                "must be empty or 64 lower-case hex digits (the SHA-256 printed by `lapak-central fleet-token`)",
            ));
        }
        match self.blobs.store.as_str() {
            "folder" => {}
            "s3" if self.blobs.bucket.is_empty() => {
                return Err(value(
                    "blobs.bucket",
                    "must name the bucket when store = \"s3\"",
                ));
            }
            "s3" => {}
            _ => return Err(value("blobs.store", "must be \"folder\" or \"s3\"")),
        }
        if !(self.upload_expiry_hours.is_finite() && self.upload_expiry_hours > 0.0) {
            return Err(value(
                "upload_expiry_hours",
                "must be a number of hours above 0",
            ));
        }
        Ok(())
    }

    /// How long a body of `len` bytes may take to arrive: the floor plus its length at the slowest rate.
    pub fn body_deadline(&self, len: usize) -> Duration {
        Duration::from_secs(self.body_read_timeout_secs)
            + Duration::from_secs_f64(len as f64 / self.body_min_bytes_per_sec as f64)
    }

    /// How long a resumable upload is kept after its last chunk.
    pub fn upload_expiry(&self) -> Duration {
        Duration::from_secs_f64(self.upload_expiry_hours * 3600.0)
    }

    /// The clock-skew tolerance.
    pub fn skew_tolerance(&self) -> Duration {
        Duration::from_secs(self.clock_skew_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_example_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kiosk-config/central.toml");
        let config = CentralConfig::load(&path);
        assert!(config.is_ok(), "{config:?}");
    }

    #[test]
    fn a_700_kb_claim_at_256_kbit_per_s_fits_the_default_body_deadline() {
        let len = 700 * 1000;
        let at_256_kbit = Duration::from_secs_f64(len as f64 * 8.0 / 256_000.0);
        let deadline = CentralConfig::default().body_deadline(len);
        assert!(
            deadline > at_256_kbit + Duration::from_secs(10),
            "{deadline:?} vs {at_256_kbit:?}"
        );
        assert!(deadline < Duration::from_secs(120), "{deadline:?}");
    }

    #[test]
    fn a_base_path_and_a_fleet_hash_are_checked() -> Result<(), std::io::Error> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("central.toml");
        for (text, key) in [
            ("base_path = \"lapak\"\n", "base_path"),
            ("base_path = \"/lapak/\"\n", "base_path"),
            ("fleet_token_sha256 = \"abc\"\n", "fleet_token_sha256"),
        ] {
            std::fs::write(&path, text)?;
            let err = CentralConfig::load(&path)
                .map(|_| ())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(key) && err.contains("central.toml"), "{err}");
        }
        std::fs::write(&path, "base_path = \"/lapak\"\n")?;
        assert!(CentralConfig::load(&path).is_ok());
        Ok(())
    }

    #[test]
    fn a_postgres_url_is_kept_as_is_and_uploads_go_beside_the_config_file()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("central.toml");
        let url = "postgres://lapak@127.0.0.1:5432/central";
        std::fs::write(&path, format!("database = \"{url}\"\n"))?;
        let config = CentralConfig::load(&path)?;
        assert_eq!(config.database, Path::new(url));
        assert_eq!(config.uploads_dir(), dir.path().join("uploads"));
        std::fs::write(&path, "database = \"data/c.sqlite\"\n")?;
        let config = CentralConfig::load(&path)?;
        assert_eq!(config.database, dir.path().join("data/c.sqlite"));
        assert_eq!(config.uploads_dir(), dir.path().join("data/uploads"));
        std::fs::write(
            &path,
            format!("database = \"{url}\"\nuploads_dir = \"up\"\n"),
        )?;
        assert_eq!(
            CentralConfig::load(&path)?.uploads_dir(),
            dir.path().join("up")
        );
        std::fs::write(
            &path,
            "database = \"postgres://lapak@127.0.0.1:port/central\"\n",
        )?;
        let err = CentralConfig::load(&path).err().map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("central.toml: database: not a usable PostgreSQL URL")),
            "{err:?}"
        );
        Ok(())
    }

    #[test]
    fn packets_go_beside_the_database_unless_blobs_names_a_folder_or_a_bucket()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("central.toml");
        std::fs::write(&path, "database = \"data/c.sqlite\"\n")?;
        let config = CentralConfig::load(&path)?;
        assert_eq!(config.blobs.store, "folder");
        assert_eq!(config.packets_dir(), dir.path().join("data/packets"));
        std::fs::write(
            &path,
            "database = \"postgres://lapak@127.0.0.1:5432/central\"\n",
        )?;
        assert_eq!(
            CentralConfig::load(&path)?.packets_dir(),
            dir.path().join("packets")
        );
        std::fs::write(&path, "[blobs]\ndir = \"shared/packets\"\n")?;
        assert_eq!(
            CentralConfig::load(&path)?.packets_dir(),
            dir.path().join("shared/packets")
        );
        for (text, key) in [
            ("[blobs]\nstore = \"s3\"\n", "blobs.bucket"),
            ("[blobs]\nstore = \"disk\"\n", "blobs.store"),
        ] {
            std::fs::write(&path, text)?;
            let err = CentralConfig::load(&path).err().map(|e| e.to_string());
            assert!(
                err.as_deref()
                    .is_some_and(|e| e.contains(key) && e.contains("central.toml")),
                "{err:?}"
            );
        }
        std::fs::write(
            &path,
            "[blobs]\nstore = \"s3\"\nbucket = \"b\"\nendpoint = \"http://127.0.0.1:9000\"\n",
        )?;
        assert_eq!(CentralConfig::load(&path)?.blobs.bucket, "b");
        Ok(())
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_file_and_key() -> Result<(), std::io::Error> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("central.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:1\"\nmax_in_flight = 0\n")?;
        let err = CentralConfig::load(&path)
            .map(|_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("max_in_flight") && err.contains("central.toml"),
            "{err}"
        );
        std::fs::write(&path, "upload_expiry_hours = 0\n")?;
        let err = CentralConfig::load(&path)
            .map(|_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("upload_expiry_hours") && err.contains("central.toml"),
            "{err}"
        );
        std::fs::write(&path, "lisen = \"127.0.0.1:1\"\n")?;
        let err = CentralConfig::load(&path)
            .map(|_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("lisen"), "{err}");
        Ok(())
    }
}
