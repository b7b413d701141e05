//! The central database behind one interface, [`Engine`], with two implementations: SQLite (the default, one
//! file beside the configuration) and PostgreSQL (`database = "postgres://…"` in `central.toml`, for several
//! replicas sharing one database). Kiosk registry, claims, status history, heartbeats, resumable uploads and
//! the memory of request signatures already seen (replay refusal) live behind it.
//!
//! Every method blocks: handlers call the store from `spawn_blocking`, never on the async threads. Every write
//! is committed durably before it returns, so a claim is answered only once it is stored.

use std::path::Path;

use chrono::{DateTime, Utc};
use lapak_core::claim::reference::ClaimReference;

use crate::blobs::{PacketPlace, StoredPacket};
use crate::uploads::UploadRow;

pub mod care;
mod postgres;
mod postgres_care;
mod postgres_claims;
mod postgres_uploads;
mod sqlite;
mod sqlite_care;
mod sqlite_claims;
mod sqlite_uploads;
#[cfg(test)]
mod suite;
#[cfg(test)]
mod suite_care;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// A database failure, with what was being done.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database: {doing}: {message}")]
    Sqlite {
        /// What was being done.
        doing: &'static str,
        /// SQLite's message.
        message: String,
    },
    /// PostgreSQL failed or could not be reached.
    #[error("database (PostgreSQL): {doing}: {message}")]
    Postgres {
        /// What was being done.
        doing: &'static str,
        /// The client's message.
        message: String,
    },
    /// The database is newer than this build.
    #[error("database schema version {found} is newer than this build knows ({known})")]
    TooNew {
        /// The version found in the database.
        found: i64,
        /// The newest version this build knows.
        known: usize,
    },
    /// A kiosk with this id is already registered.
    #[error("kiosk {0} is already registered")]
    KioskExists(String),
    /// Another kiosk has this number: two kiosks with one number would make the same references.
    #[error("kiosk number {number} is already registered to kiosk {holder}")]
    NumberTaken {
        /// The number asked for.
        number: u32,
        /// The kiosk that has it.
        holder: String,
    },
    /// Another kiosk id has this public key: one key belongs to one kiosk.
    #[error("this public key is already registered to kiosk {0}")]
    KeyTaken(String),
}

/// A registered kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskRow {
    /// Its id.
    pub id: String,
    /// Its Ed25519 public key (base64).
    pub public_key: String,
    /// When it was added.
    pub added_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// A kiosk with its newest heartbeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetRow {
    /// The kiosk.
    pub kiosk: KioskRow,
    /// When the last heartbeat arrived (RFC 3339) and its JSON body.
    pub last: Option<(String, String)>,
    /// Claims received from it.
    pub claims: u64,
}

/// What is already stored under an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingClaim {
    /// The kiosk that sent it.
    pub kiosk_id: String,
    /// SHA-256 (hex) of the packet as first received.
    pub body_sha256: String,
    /// The receipt first answered.
    pub receipt: String,
}

/// A claim whose sealed packet is still in its row (stored before packets left the database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlinePacket {
    /// The idempotency key.
    pub claim_id: String,
    /// SHA-256 (hex) of the packet as received.
    pub sha256: String,
    /// The packet.
    pub bytes: Vec<u8>,
}

/// A claim to store.
pub struct NewClaimRow<'a> {
    /// The idempotency key.
    pub claim_id: &'a str,
    /// The sending kiosk.
    pub kiosk_id: &'a str,
    /// The reference from the manifest.
    pub reference: &'a ClaimReference,
    /// SHA-256 (hex) of the packet.
    pub body_sha256: &'a str,
    /// The key of the sealed packet, already stored durably in the packet store.
    pub packet_key: &'a str,
    /// The packet's size in bytes.
    pub packet_bytes: u64,
    /// The kiosk's packet signature.
    pub packet_signature: &'a [u8],
    /// A staff test claim.
    pub test: bool,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// The receipt JSON answered now and for every repeat.
    pub receipt: &'a str,
    /// Keyed hash of the NIK.
    pub nik_hash: &'a str,
    /// Keyed hash of the date of birth: written by earlier versions, none for new claims (the status check
    /// takes only the NIK).
    pub dob_hash: Option<&'a str>,
}

/// The outcome of [`Engine::insert_claim`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    /// Stored now.
    New,
    /// Another request stored the same idempotency key first.
    KeyExists(ExistingClaim),
    /// The reference belongs to another claim.
    ReferenceTaken,
}

/// What a status look-up needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimStatusRow {
    /// Keyed hash of the NIK.
    pub nik_hash: String,
    /// Status id.
    pub status: String,
    /// When it changed (RFC 3339).
    pub changed_at: String,
    /// Reason given with the change.
    pub reason: Option<String>,
}

/// A resumable upload to create.
pub struct NewUpload<'a> {
    /// Its random id.
    pub id: &'a str,
    /// The kiosk creating it.
    pub kiosk_id: &'a str,
    /// The claim id from its metadata.
    pub claim_id: uuid::Uuid,
    /// The kiosk's packet signature.
    pub packet_signature: &'a [u8; 64],
    /// The packet's size in bytes.
    pub length: u64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Unix seconds after which it is swept.
    pub expires_at: i64,
}

/// What the central service keeps, on either database engine. Every method blocks until the database has
/// answered (and, for a write, committed durably); call it off the async threads. Remote care's tables are
/// its part [`care::Care`].
pub trait Engine: care::Care + Send + Sync {
    /// Registers a kiosk with its number (unique in the fleet) and public key (unique too). A kiosk registered
    /// before numbers were kept is given its number when added again with the same id and key.
    fn add_kiosk(
        &self,
        id: &str,
        number: u32,
        public_key: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The number registered for a kiosk id (`None` for an unknown kiosk or one registered before numbers).
    fn kiosk_number(&self, id: &str) -> Result<Option<u32>, StoreError>;
    /// The highest claim sequence among the stored claims whose reference carries this kiosk number (0 when
    /// there are none).
    fn highest_sequence(&self, number: u32) -> Result<u64, StoreError>;
    /// Every registered kiosk, by id.
    fn list_kiosks(&self) -> Result<Vec<KioskRow>, StoreError>;
    /// One kiosk.
    fn kiosk(&self, id: &str) -> Result<Option<KioskRow>, StoreError>;
    /// Revokes a kiosk; false when there is no such kiosk.
    fn revoke_kiosk(&self, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError>;
    /// Stores a heartbeat and keeps only the newest `keep` of that kiosk.
    fn record_heartbeat(
        &self,
        kiosk_id: &str,
        body: &str,
        now: DateTime<Utc>,
        keep: usize,
    ) -> Result<(), StoreError>;
    /// Heartbeats kept for a kiosk.
    #[cfg(test)]
    fn heartbeat_count(&self, kiosk_id: &str) -> Result<u64, StoreError>;
    /// Every kiosk with its newest heartbeat and claim count.
    fn fleet(&self) -> Result<Vec<FleetRow>, StoreError>;
    /// What is stored under an idempotency key.
    fn existing_claim(&self, claim_id: &str) -> Result<Option<ExistingClaim>, StoreError>;
    /// Stores a claim in one durable transaction (or says why not): exactly once per idempotency key, even
    /// when several requests (on several replicas) store the same key at once.
    fn insert_claim(&self, row: &NewClaimRow<'_>) -> Result<Inserted, StoreError>;
    /// The status columns of the claim with this reference.
    fn claim_status(
        &self,
        reference: &ClaimReference,
    ) -> Result<Option<ClaimStatusRow>, StoreError>;
    /// Sets a claim's status (back office); false when no claim has this reference.
    fn set_status(
        &self,
        reference: &ClaimReference,
        status: &str,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Where the sealed packet of the claim with this reference is, and its SHA-256 (read it with
    /// [`crate::blobs::packet_bytes`]).
    fn packet(&self, reference: &ClaimReference) -> Result<Option<StoredPacket>, StoreError>;
    /// Up to `limit` claims whose packet is still in their row, in claim id order after `after`.
    fn inline_packets(&self, after: &str, limit: u32) -> Result<Vec<InlinePacket>, StoreError>;
    /// Records that the packet in the claim's row is now in the packet store under `key`: the row keeps the
    /// key and drops the bytes. False when the row held no packet any more (moved already).
    fn packet_moved(&self, claim_id: &str, key: &str) -> Result<bool, StoreError>;
    /// Makes a stored claim look as if it was stored before packets left the database (tests).
    #[cfg(test)]
    fn keep_packet_inline(&self, id: &str, bytes: &[u8], sha: &str) -> Result<(), StoreError>;
    /// Remembers a request signature until `expires_at` (Unix seconds); false when it was already seen (a
    /// replay), on this replica or any other sharing the database.
    fn remember_signature(
        &self,
        signature: &[u8; 64],
        expires_at: i64,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Forgets a request signature (a request shed before anything of it was done, so its retry is not a
    /// replay).
    fn forget_signature(&self, signature: &[u8; 64]) -> Result<(), StoreError>;
    /// Creates a resumable upload's row at offset 0.
    fn create_upload(&self, upload: &NewUpload<'_>) -> Result<(), StoreError>;
    /// The upload `id`, if it exists.
    fn upload(&self, id: &str) -> Result<Option<UploadRow>, StoreError>;
    /// Moves an upload's offset from `from` to `to` and its expiry; false when its offset was not `from`.
    fn move_upload_offset(
        &self,
        id: &str,
        from: u64,
        to: u64,
        expires_at: i64,
    ) -> Result<bool, StoreError>;
    /// Sends an upload back to offset 0 (its bytes were lost).
    fn restart_upload(&self, id: &str) -> Result<(), StoreError>;
    /// Records the receipt and intake status of a finished upload's stored claim.
    fn finish_upload(&self, id: &str, receipt: &str, status: u16) -> Result<(), StoreError>;
    /// The ids of uploads expired at `now` (Unix seconds).
    fn expired_uploads(&self, now: i64) -> Result<Vec<String>, StoreError>;
    /// Deletes upload `id` if it is still expired at `now` (Unix seconds).
    fn delete_expired_upload(&self, id: &str, now: i64) -> Result<(), StoreError>;
    /// Whether upload `id` has a row.
    fn upload_exists(&self, id: &str) -> Result<bool, StoreError>;
    /// Whether the bytes of uploads under way are kept in the database (PostgreSQL: any replica continues an
    /// upload another one started) rather than in files in the uploads folder (SQLite: one service).
    fn keeps_upload_bytes(&self) -> bool {
        false
    }
    /// Stores a chunk of upload `id` at offset `from` (dropping any bytes kept past `from`) and moves the
    /// offset to the chunk's end and the expiry, in one durable transaction; false when its offset was not
    /// `from`. Only for an engine that [`Engine::keeps_upload_bytes`].
    fn append_upload_bytes(
        &self,
        _id: &str,
        _from: u64,
        _bytes: &[u8],
        _expires_at: i64,
    ) -> Result<bool, StoreError> {
        Err(bytes_not_kept())
    }
    /// The first `length` bytes of upload `id`, or `None` when fewer are kept. Only for an engine that
    /// [`Engine::keeps_upload_bytes`].
    fn upload_bytes(&self, _id: &str, _length: u64) -> Result<Option<Vec<u8>>, StoreError> {
        Err(bytes_not_kept())
    }
}

/// Where a packet is from its row's `packet_key`, `packet` and `body_sha256` columns.
fn stored_packet(key: Option<String>, inline: Option<Vec<u8>>, sha256: String) -> StoredPacket {
    let place = match key {
        Some(key) => PacketPlace::Blob(key),
        None => PacketPlace::Inline(inline.unwrap_or_default()),
    };
    StoredPacket { sha256, place }
}

fn bytes_not_kept() -> StoreError {
    StoreError::Sqlite {
        doing: "reading upload bytes",
        message: "this database keeps upload bytes in the uploads folder".into(),
    }
}

/// Where `central.toml` keeps the data: a SQLite file or a PostgreSQL URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database<'a> {
    /// The SQLite file.
    Sqlite(&'a Path),
    /// The PostgreSQL connection URL.
    Postgres(&'a str),
}

impl<'a> Database<'a> {
    /// Reads the `database` value of `central.toml`: a `postgres://` or `postgresql://` URL selects
    /// PostgreSQL, anything else is the SQLite file.
    pub fn of(value: &'a Path) -> Database<'a> {
        match value.to_str() {
            Some(url) if is_postgres_url(url) => Database::Postgres(url),
            _ => Database::Sqlite(value),
        }
    }
}

/// Whether a `database` value names a PostgreSQL server.
pub fn is_postgres_url(value: &str) -> bool {
    value.starts_with("postgres://") || value.starts_with("postgresql://")
}

/// The central database, on whichever engine the configuration chose; its methods are [`Engine`]'s.
pub struct Store(Box<dyn Engine>);

impl Store {
    /// Opens (creating if needed) and migrates the SQLite database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(Store(Box::new(SqliteStore::open(path)?)))
    }

    /// Opens the database `central.toml` names: the SQLite file, or the PostgreSQL server (connected and
    /// migrated now, so a wrong URL or an unreachable server stops the start).
    pub fn connect(database: &Path) -> Result<Store, StoreError> {
        match Database::of(database) {
            Database::Sqlite(path) => Store::open(path),
            Database::Postgres(url) => Ok(Store(Box::new(PostgresStore::connect(url)?))),
        }
    }
}

impl std::ops::Deref for Store {
    type Target = dyn Engine;

    fn deref(&self) -> &Self::Target {
        self.0.as_ref()
    }
}
