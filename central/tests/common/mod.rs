//! Shared test fixtures: a real `lapak-central` process on loopback, kiosk keys, sealed claims, an outbox.
#![allow(dead_code)]

pub mod fleet_load;
pub mod link;
pub mod moto;
pub mod postgres;
pub mod raw_http;
pub mod replicas;

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr as _;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use ed25519_dalek::SigningKey;
use lapak_kiosk::claim::reference::ClaimReference;
use lapak_kiosk::claim::{BankAccount, ClaimFields, DocumentKind, Reason, ReasonDetails};
use lapak_kiosk::outbox::{NewClaim, NikHashKey, Outbox, OutboxLimits};
use lapak_kiosk::packet::{self, Consent, Document, Manifest, SealedPacket};
use lapak_kiosk::sync::{KioskCredentials, SyncConfig};
use uuid::Uuid;

/// The `lapak-central` binary built for these tests.
pub const CENTRAL: &str = env!("CARGO_BIN_EXE_lapak-central");

/// The staff token the tests use for the fleet view.
pub const FLEET_TOKEN: &str = "test-staff-token-0123456789abcdef0123456789abcdef";

/// The `central.toml` line that opens the fleet view to [`FLEET_TOKEN`] (its SHA-256).
pub fn fleet_token_config() -> String {
    use sha2::Digest as _;
    format!(
        "fleet_token_sha256 = \"{}\"",
        hex::encode(sha2::Sha256::digest(FLEET_TOKEN.as_bytes()))
    )
}

/// `GET` a fleet route (`v1/fleet` or `fleet`) of `base_url` with the staff token.
pub fn fleet_get(base_url: &str, route: &str) -> reqwest::blocking::Response {
    reqwest::blocking::Client::new()
        .get(format!("{base_url}{route}"))
        .bearer_auth(FLEET_TOKEN)
        .send()
        .expect("fleet answered")
}

/// A free loopback port (bound then released).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// A configured lapak-central in a folder, started and stopped by the test.
pub struct Central {
    /// The folder holding config, database, identity and logs.
    pub dir: PathBuf,
    /// The config file.
    pub config: PathBuf,
    /// The port it listens on.
    pub port: u16,
    /// The age recipient printed by `init`.
    pub recipient: age::x25519::Recipient,
    child: Option<Child>,
    /// Further replicas on the same database, started and stopped with this one.
    replicas: Vec<Central>,
    /// The balancer in front of the replicas (then `port` is its port).
    balancer: Option<replicas::RoundRobin>,
    /// The PostgreSQL cluster the replicas share (dropped last).
    cluster: Option<postgres::PgCluster>,
}

impl Central {
    /// Writes the config (with `extra` TOML lines) and runs `init`. With `LAPAK_TEST_CENTRAL=postgres-replicas`
    /// in the environment, the service is two replicas on one throwaway PostgreSQL cluster behind a round-robin
    /// balancer ([`Central::setup_replicated`]), so any suite runs against that deployment unchanged; with
    /// `LAPAK_TEST_CENTRAL=postgres`, one replica behind the same balancer.
    pub fn setup(dir: &Path, extra: &str) -> Central {
        match std::env::var("LAPAK_TEST_CENTRAL").as_deref() {
            Ok("postgres-replicas") => Central::setup_replicated(dir, extra, 2),
            Ok("postgres") => Central::setup_replicated(dir, extra, 1),
            _ => Central::setup_with_database(dir, "central.sqlite", extra),
        }
    }

    /// `count` replicas sharing one database on a new PostgreSQL cluster and one identity, behind a round-robin
    /// balancer on loopback whose port is `port`.
    pub fn setup_replicated(dir: &Path, extra: &str, count: usize) -> Central {
        let cluster = postgres::PgCluster::start().expect("a PostgreSQL cluster starts");
        let url = cluster
            .create_database("central")
            .expect("the database is created");
        let mut primary = Central::setup_with_database(dir, &url, extra);
        let replicas: Vec<Central> = (1..count)
            .map(|i| primary.replica(&dir.join(format!("replica-{i}")), &url, extra))
            .collect();
        let mut ports = vec![primary.port];
        ports.extend(replicas.iter().map(|r| r.port));
        let balancer = replicas::RoundRobin::start(ports);
        primary.port = balancer.port();
        primary.replicas = replicas;
        primary.balancer = Some(balancer);
        primary.cluster = Some(cluster);
        primary
    }

    /// Integer columns (`COUNT(*), …`) of the `claims` table read in one statement, on either engine.
    pub fn claim_columns(&self, columns: &str) -> Vec<i64> {
        match &self.cluster {
            Some(cluster) => cluster
                .psql(
                    "central",
                    &format!("SELECT concat_ws(',', {columns}) FROM claims"),
                )
                .expect("psql counts")
                .split(',')
                .map(|n| n.parse().expect("a count"))
                .collect(),
            None => {
                let db = self.db();
                let mut stmt = db
                    .prepare(&format!("SELECT {columns} FROM claims"))
                    .expect("prepare");
                let columns = stmt.column_count();
                stmt.query_row([], |r| (0..columns).map(|i| r.get(i)).collect())
                    .expect("count")
            }
        }
    }

    /// [`Central::setup`] with another `database` (a PostgreSQL URL).
    pub fn setup_with_database(dir: &Path, database: &str, extra: &str) -> Central {
        std::fs::create_dir_all(dir).expect("central folder");
        let port = free_port();
        let config = dir.join("central.toml");
        std::fs::write(
            &config,
            format!(
                "listen = \"127.0.0.1:{port}\"\ndatabase = \"{database}\"\nidentity_file = \"identity.txt\"\n{extra}\n"
            ),
        )
        .expect("write config");
        let out = Command::new(CENTRAL)
            .arg("--config")
            .arg(&config)
            .arg("init")
            .output()
            .expect("run init");
        assert!(
            out.status.success(),
            "init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let recipient =
            age::x25519::Recipient::from_str(text.trim()).expect("init prints the recipient");
        Central {
            dir: dir.to_owned(),
            config,
            port,
            recipient,
            child: None,
            replicas: Vec::new(),
            balancer: None,
            cluster: None,
        }
    }

    /// A second replica of this service in `dir`: the same database and identity, its own port and uploads
    /// folder (not started).
    pub fn replica(&self, dir: &Path, database: &str, extra: &str) -> Central {
        std::fs::create_dir_all(dir).expect("replica folder");
        let port = free_port();
        let config = dir.join("central.toml");
        let identity = self.dir.join("identity.txt");
        // Replicas share the packet folder (as on a shared volume) unless the packets go to a bucket.
        let blobs = if extra.contains("[blobs]") {
            String::new()
        } else {
            format!(
                "[blobs]\ndir = \"{}\"\n",
                self.dir.join("packets").display()
            )
        };
        std::fs::write(
            &config,
            format!(
                "listen = \"127.0.0.1:{port}\"\ndatabase = \"{database}\"\nidentity_file = \"{}\"\n{extra}\n{blobs}",
                identity.display()
            ),
        )
        .expect("write replica config");
        Central {
            dir: dir.to_owned(),
            config,
            port,
            recipient: self.recipient.clone(),
            child: None,
            replicas: Vec::new(),
            balancer: None,
            cluster: None,
        }
    }

    /// Kills it with SIGKILL (no shutdown at all) and waits.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The base URL kiosks use.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Runs a `lapak-central` command with this config and returns stdout (panics on failure).
    pub fn cli(&self, args: &[&str]) -> String {
        let out = Command::new(CENTRAL)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .output()
            .expect("run cli");
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Registers a kiosk key under the kiosk's number ([`kiosk_number`]).
    pub fn add_kiosk(&self, id: &str, key: &SigningKey) {
        let public = lapak_kiosk::sync::signing::public_key_text(&key.verifying_key());
        let number = kiosk_number(id).to_string();
        self.cli(&[
            "kiosk",
            "add",
            "--id",
            id,
            "--number",
            &number,
            "--public-key",
            &public,
        ]);
    }

    /// Starts `serve` and waits until it listens.
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "already running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("central.log"))
            .expect("log file");
        let mut child = Command::new(CENTRAL)
            .arg("--config")
            .arg(&self.config)
            .arg("serve")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("start lapak-central");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the listening line");
        assert!(
            line.contains("listening on"),
            "lapak-central did not start: {line:?}; log: {}",
            std::fs::read_to_string(self.dir.join("central.log")).unwrap_or_default()
        );
        self.child = Some(child);
        for replica in &mut self.replicas {
            replica.start();
        }
    }

    /// Stops it with SIGTERM (graceful) and waits.
    pub fn stop(&mut self) {
        for replica in &mut self.replicas {
            replica.stop();
        }
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            for _ in 0..100 {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The database (read-only, for counting).
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open_with_flags(
            self.dir.join("central.sqlite"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open central db")
    }

    /// The `body_sha256` (SHA-256 of the stored packet, hex) of every claim, by claim id.
    pub fn stored_packet_sha256(&self) -> Vec<String> {
        match &self.cluster {
            Some(cluster) => cluster
                .psql(
                    "central",
                    "SELECT string_agg(body_sha256, ',' ORDER BY claim_id) FROM claims",
                )
                .expect("psql reads")
                .split(',')
                .filter(|h| !h.is_empty())
                .map(str::to_owned)
                .collect(),
            None => {
                let db = self.db();
                let mut stmt = db
                    .prepare("SELECT body_sha256 FROM claims ORDER BY claim_id")
                    .expect("prepare");
                stmt.query_map([], |r| r.get(0))
                    .expect("query")
                    .collect::<Result<_, _>>()
                    .expect("rows")
            }
        }
    }

    /// Uploads under way whose bytes are kept: files in the uploads folder on SQLite, uploads with chunk rows in
    /// `upload_chunks` on PostgreSQL (where the bytes live in the database).
    pub fn kept_partial_uploads(&self) -> i64 {
        match &self.cluster {
            Some(cluster) => cluster
                .psql(
                    "central",
                    "SELECT COUNT(DISTINCT upload_id) FROM upload_chunks",
                )
                .expect("psql counts")
                .trim()
                .parse()
                .expect("a count"),
            None => std::fs::read_dir(self.dir.join("uploads"))
                .map(|d| d.count() as i64)
                .unwrap_or(0),
        }
    }

    /// The stored packet of the claim with `reference`, as `claim export` reads it (through the packet store,
    /// checked against its SHA-256); the command's error otherwise.
    pub fn export_packet(&self, reference: &str) -> Result<Vec<u8>, String> {
        let out = self.dir.join(format!("export-{reference}.age"));
        let run = Command::new(CENTRAL)
            .arg("--config")
            .arg(&self.config)
            .args(["claim", "export", reference, "--out"])
            .arg(&out)
            .output()
            .map_err(|e| e.to_string())?;
        if !run.status.success() {
            return Err(String::from_utf8_lossy(&run.stderr).into_owned());
        }
        let bytes = std::fs::read(&out).map_err(|e| e.to_string())?;
        let _ = std::fs::remove_file(&out);
        Ok(bytes)
    }

    /// Rows in `claims`.
    pub fn claim_count(&self) -> i64 {
        self.claim_columns("COUNT(*)")[0]
    }

    /// Rows and distinct claim ids in `claims`, read in one statement: while the service is still storing a
    /// claim, two separate counts could straddle its commit.
    pub fn claim_counts(&self) -> (i64, i64) {
        let counts = self.claim_columns("COUNT(*), COUNT(DISTINCT claim_id)");
        (counts[0], counts[1])
    }

    /// Distinct claim ids in `claims` (equal to the count when nothing is duplicated).
    pub fn distinct_claims(&self) -> i64 {
        self.claim_columns("COUNT(DISTINCT claim_id)")[0]
    }
}

impl Drop for Central {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The kiosk number the fixtures use for a kiosk id: the digits at the end of the id (`K001` → 1,
/// `KIOSK-00042` → 42). Panics for an id without trailing digits.
pub fn kiosk_number(id: &str) -> u32 {
    let digits: String = id
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let number: u32 = digits
        .parse()
        .unwrap_or_else(|_| panic!("kiosk id {id:?} does not end in its number"));
    assert!(
        (1..=99_999).contains(&number),
        "kiosk id {id:?}: number out of range"
    );
    number
}

/// The reference of claim `n` (its sequence) from kiosk `kiosk_id`.
pub fn reference(n: u64, kiosk_id: &str) -> String {
    ClaimReference::new(kiosk_number(kiosk_id), n)
        .expect("a reference")
        .digits()
        .to_owned()
}

/// A deterministic kiosk key.
pub fn kiosk_key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

/// The sync config for a kiosk talking to `url`, with fast backoff for tests.
pub fn sync_config(url: &str) -> SyncConfig {
    SyncConfig {
        central_url: Some(url.to_owned()),
        backoff_base_ms: 50,
        backoff_cap_secs: 1,
        retry_after_limit_secs: 2,
        connect_timeout_secs: 2,
        request_timeout_secs: 5,
        timeout_secs_per_mb: 5,
        idle_poll_secs: 1,
        heartbeat_interval_secs: 1,
        ..SyncConfig::default()
    }
}

/// Credentials for kiosk `id`.
pub fn credentials(id: &str, key: &SigningKey) -> KioskCredentials {
    KioskCredentials {
        kiosk_id: id.to_owned(),
        signing_key: key.clone(),
    }
}

/// The NIK used for claim `n`.
pub fn nik(n: u64) -> String {
    format!("31710115019{:05}", n % 100_000)
}

/// Pseudo-random bytes standing in for a photo.
pub fn photo(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
        | 1;
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A manifest for claim `n` from kiosk `kiosk_id`.
pub fn manifest(n: u64, kiosk_id: &str, claim_id: Uuid) -> Manifest {
    let now = Utc::now();
    Manifest {
        schema_version: packet::SCHEMA_VERSION,
        claim_id,
        reference: ClaimReference::new(kiosk_number(kiosk_id), n).expect("a reference"),
        kiosk_id: kiosk_id.to_owned(),
        created_at: now,
        app_version: "test".into(),
        test: true,
        fields: ClaimFields {
            nik: nik(n),
            kpj: "12345678901".into(),
            name: "Siti Rahayu".into(),
            mother_maiden_name: "Aminah".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1990, 1, 15),
            phone: "+6281234567890".into(),
            ..ClaimFields::default()
        },
        reason: ReasonDetails {
            reason: Reason::Resign,
            event_date: NaiveDate::from_ymd_opt(2026, 1, 1),
            membership_start: None,
        },
        bank: BankAccount {
            bank_code: "014".into(),
            account_number: "1234567890".into(),
            holder: "Siti Rahayu".into(),
        },
        consent: Consent {
            version: "1".into(),
            accepted_at: now,
        },
        documents: Vec::new(),
    }
}

/// Seals claim `n` with documents totalling about `bytes`.
pub fn sealed_claim(
    n: u64,
    kiosk_id: &str,
    key: &SigningKey,
    recipient: &age::x25519::Recipient,
    bytes: usize,
) -> (Manifest, SealedPacket) {
    let claim_id = Uuid::new_v4();
    let manifest = manifest(n, kiosk_id, claim_id);
    let docs = [DocumentKind::Ektp, DocumentKind::Selfie]
        .into_iter()
        .enumerate()
        .map(|(i, kind)| Document {
            kind,
            jpeg: photo(n * 10 + i as u64, bytes / 2),
            width: 640,
            height: 480,
        })
        .collect::<Vec<_>>();
    let sealed = packet::seal(&manifest, &docs, recipient, key).expect("seal");
    (manifest, sealed)
}

/// Opens (or creates) a kiosk outbox in `dir`.
pub fn outbox(dir: &Path, key: &SigningKey) -> Outbox {
    let limits = OutboxLimits {
        max_pending: 1_000_000,
        min_free_bytes: 0,
        retention_days: 30,
    };
    Outbox::open(&dir.join("outbox.sqlite"), limits, NikHashKey::derive(key)).expect("open outbox")
}

/// Seals and submits `count` claims numbered from `first`; returns their manifests.
pub fn submit_claims(
    outbox: &Outbox,
    first: u64,
    count: u64,
    kiosk_id: &str,
    key: &SigningKey,
    recipient: &age::x25519::Recipient,
    bytes: usize,
) -> Vec<Manifest> {
    (first..first + count)
        .map(|n| {
            let (manifest, sealed) = sealed_claim(n, kiosk_id, key, recipient, bytes);
            outbox
                .submit(NewClaim {
                    claim_id: manifest.claim_id,
                    reference: &manifest.reference,
                    created_at: manifest.created_at,
                    nik: &manifest.fields.nik,
                    test: true,
                    sealed: &sealed,
                })
                .expect("submit");
            manifest
        })
        .collect()
}

/// Polls `check` every 50 ms until it is true or `limit` passes; returns whether it became true.
pub fn wait_until(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    check()
}
