//! The durable outbox: sealed claims stored in SQLite before the participant is told "saved", then handed
//! to the uploader until the central service has them.
//!
//! - One writer thread owns the read-write connection ([`Outbox`] sends it jobs and waits for the answer);
//!   every change of a claim is one transaction. The database runs in WAL mode with `synchronous=FULL`, so
//!   [`Outbox::submit`] returns only once the claim is on disk.
//! - Readers ([`Outbox::reader`]) have their own read-only connections and never wait on the writer.
//! - Claims left `sending` by a crash go back to `pending` at [`Outbox::open`].
//! - Nothing personal is stored in clear: the packet is age ciphertext, the NIK only a salted, slow, keyed
//!   hash ([`NikHashKey`]) for offline status checks, cleared in the transaction that marks the claim
//!   delivered.
//! - Delivered claims are deleted [`OutboxLimits::retention_days`] after delivery by [`Outbox::purge`], which
//!   the running kiosk calls at start and daily ([`purge_worker`]).
//!
//! States: `pending` → (`next_due`) `sending` → `delivered` | `pending` (retry) | `held`.
//! A held claim (refused for good by the central service, with a claim-level reason) is never deleted:
//! [`Outbox::requeue`] and [`Outbox::requeue_held`] put it back to `pending`, due at once.

mod claims;
mod delivery;
mod disk;
mod error;
mod export;
mod nik_hash;
mod owner;
pub mod purge_worker;
mod reader;
mod reference;
mod schema;
mod time;
mod writer;

pub use claims::{
    ClaimFilter, ClaimState, ClaimSummary, NewClaim, OutboxStats, OutgoingClaim, SavedClaim,
};
pub use error::OutboxError;
pub use export::{EXPORT_INDEX_FILE, Exported};
pub use nik_hash::{
    NIK_KDF, NIK_SALT_BYTES, NikHashError, NikHashKey, NikKdfParams, SaltedNikHash,
};
pub use owner::{OutboxOrigin, OutboxOwner};
pub use reader::OutboxReader;
pub use schema::SCHEMA_VERSION;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{ErrorCode, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use crate::claim::reference::ClaimReference;
use time::to_millis;
use writer::Writer;

/// Limits past which the outbox refuses new claims, and how long delivered claims are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxLimits {
    /// The most undelivered (pending or sending) claims the kiosk may hold.
    pub max_pending: u64,
    /// The free space to keep on the outbox's file system, beyond the claim being stored.
    pub min_free_bytes: u64,
    /// Days a delivered claim is kept before [`Outbox::purge`] deletes it.
    pub retention_days: u32,
}

impl Default for OutboxLimits {
    fn default() -> Self {
        OutboxLimits {
            max_pending: 5_000,
            min_free_bytes: 512 * 1024 * 1024,
            retention_days: 7,
        }
    }
}

/// Why the outbox refuses a claim; the screen translates it for the participant and staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum FullReason {
    /// Too many claims are waiting to be delivered.
    #[error("{pending} claims are waiting to be delivered (limit {max})")]
    TooManyPending {
        /// Claims pending or sending now.
        pending: u64,
        /// The configured limit.
        max: u64,
    },
    /// The disk is nearly full.
    #[error(
        "only {free_bytes} bytes are free on the disk (at least {min_free_bytes} must stay free)"
    )]
    LowDiskSpace {
        /// Bytes free now.
        free_bytes: u64,
        /// The configured minimum (plus the claim's size).
        min_free_bytes: u64,
    },
}

/// The outbox: a SQLite database with one writer thread.
pub struct Outbox {
    path: PathBuf,
    folder: PathBuf,
    limits: OutboxLimits,
    nik_key: NikHashKey,
    writer: Writer,
    reader: Mutex<OutboxReader>,
    requeued_at_open: usize,
}

impl Outbox {
    /// Opens (creating if needed) the outbox at `path`, applies migrations, puts claims left `sending` back to
    /// `pending` (see [`Outbox::requeued_at_open`]) and starts the writer thread.
    pub fn open(
        path: &Path,
        limits: OutboxLimits,
        nik_key: NikHashKey,
    ) -> Result<Outbox, OutboxError> {
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&folder).map_err(|err| OutboxError::Open {
            path: path.to_owned(),
            reason: format!("cannot create folder {}: {err}", folder.display()),
        })?;
        let conn = schema::open_writer(path)?;
        restrict_permissions(path)?;
        let requeued_at_open = conn
            .execute(
                "UPDATE claims SET state = 'pending' WHERE state = 'sending'",
                [],
            )
            .map_err(OutboxError::database("requeue claims left sending"))?;
        let writer = Writer::start(conn)?;
        let reader = OutboxReader::new(schema::open_reader(path)?, nik_key.clone());
        Ok(Outbox {
            path: path.to_owned(),
            folder,
            limits,
            nik_key,
            writer,
            reader: Mutex::new(reader),
            requeued_at_open,
        })
    }

    /// How many claims left `sending` by the previous run were put back to `pending` at open.
    pub fn requeued_at_open(&self) -> usize {
        self.requeued_at_open
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A new read-only view with its own connection, for another thread.
    pub fn reader(&self) -> Result<OutboxReader, OutboxError> {
        Ok(OutboxReader::new(
            schema::open_reader(&self.path)?,
            self.nik_key.clone(),
        ))
    }

    /// The next local claim sequence number, committed durably before it is returned: never the same twice,
    /// even across crashes (a number taken by a claim that was never stored is skipped).
    pub fn next_sequence(&self) -> Result<u64, OutboxError> {
        self.writer.call(|conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(OutboxError::database("take a sequence number"))?;
            let number: i64 = tx
                .query_row(
                    "UPDATE sequence SET next = next + 1 WHERE id = 1 RETURNING next - 1",
                    [],
                    |row| row.get(0),
                )
                .map_err(OutboxError::database("take a sequence number"))?;
            tx.commit()
                .map_err(OutboxError::database("take a sequence number"))?;
            u64::try_from(number).map_err(|_| OutboxError::Damaged {
                id: 0,
                reason: format!("sequence number {number} is negative"),
            })
        })
    }

    /// Stores a sealed claim and returns once it is committed to disk. Refused with [`OutboxError::Full`]
    /// when the pending count or the free disk space passes the limits.
    /// The NIK's salted argon2id hash is computed first, on the caller's thread (tens of milliseconds), never
    /// holding up the writer.
    pub fn submit(&self, claim: NewClaim<'_>) -> Result<SavedClaim, OutboxError> {
        let nik_hash = self.hash_nik(claim.nik)?;
        self.submit_hashed(claim, nik_hash)
    }

    /// The salted argon2id hash under which [`Outbox::submit`] stores a NIK, for a caller that computes it ahead
    /// of [`Outbox::submit_hashed`].
    pub fn hash_nik(&self, nik: &str) -> Result<SaltedNikHash, OutboxError> {
        self.nik_key
            .salted(nik)
            .map_err(|err| OutboxError::NikHash {
                reason: err.to_string(),
            })
    }

    /// [`Outbox::submit`] with the NIK already hashed by [`Outbox::hash_nik`] (`nik_hash` must be the hash of
    /// `claim.nik`; the NIK itself is not read again): only the durable commit.
    pub fn submit_hashed(
        &self,
        claim: NewClaim<'_>,
        nik_hash: SaltedNikHash,
    ) -> Result<SavedClaim, OutboxError> {
        let reference = claim.reference.clone();
        // A second handle on the shared buffer, not a copy of the packet.
        let ciphertext = claim.sealed.ciphertext.clone();
        let signature = claim.sealed.signature.to_bytes();
        let packet_bytes = ciphertext.len() as u64;
        let claim_id = claim.claim_id;
        let created_at = claim.created_at;
        let test = claim.test;
        let limits = self.limits;
        let folder = self.folder.clone();
        self.writer.call(move |conn| {
            let action = "store a claim";
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(OutboxError::database(action))?;
            let pending: u64 = tx
                .query_row(
                    "SELECT count(*) FROM claims WHERE state IN ('pending', 'sending')",
                    [],
                    |row| row.get(0),
                )
                .map_err(OutboxError::database(action))?;
            if pending >= limits.max_pending {
                return Err(OutboxError::Full {
                    reason: FullReason::TooManyPending {
                        pending,
                        max: limits.max_pending,
                    },
                });
            }
            let free_bytes = disk::free_bytes(&folder)?;
            let needed = limits.min_free_bytes.saturating_add(packet_bytes);
            if free_bytes < needed {
                return Err(OutboxError::Full {
                    reason: FullReason::LowDiskSpace {
                        free_bytes,
                        min_free_bytes: needed,
                    },
                });
            }
            let at = to_millis(created_at);
            let inserted = tx.execute(
                "INSERT INTO claims (claim_id, reference, created_at, state, attempts, next_attempt_at,
                     updated_at, nik_hash, test, packet, signature, packet_bytes, nik_salt, nik_kdf)
                 VALUES (?1, ?2, ?3, 'pending', 0, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    claim_id.to_string(),
                    reference.digits(),
                    at,
                    &nik_hash.hash[..],
                    test,
                    &ciphertext[..],
                    &signature[..],
                    packet_bytes,
                    &nik_hash.salt[..],
                    nik_hash.params.encode()
                ],
            );
            match inserted {
                Ok(_) => {}
                Err(rusqlite::Error::SqliteFailure(err, _)) if err.code == ErrorCode::ConstraintViolation => {
                    return Err(OutboxError::AlreadyStored { reference });
                }
                Err(err) => return Err(OutboxError::database(action)(err)),
            }
            let id = tx.last_insert_rowid();
            tx.commit().map_err(OutboxError::database(action))?;
            Ok(SavedClaim {
                id,
                claim_id,
                reference,
                created_at,
                packet_bytes,
            })
        })
    }

    /// Deletes delivered claims delivered more than `retention_days` before `now`; returns how many. Then
    /// moves the write-ahead log into the database and truncates it, so the old page images (which held the
    /// cleared NIK hashes and the deleted rows) leave the data folder; a checkpoint blocked by a reader is
    /// completed by the next purge.
    pub fn purge(&self, now: DateTime<Utc>) -> Result<usize, OutboxError> {
        let cutoff = now - TimeDelta::days(i64::from(self.limits.retention_days));
        self.writer.call(move |conn| {
            let deleted = conn
                .execute(
                    "DELETE FROM claims WHERE state = 'delivered' AND delivered_at < ?1",
                    [to_millis(cutoff)],
                )
                .map_err(OutboxError::database("purge delivered claims"))?;
            truncate_wal(conn)?;
            Ok(deleted)
        })
    }

    /// Days a delivered claim is kept before [`Outbox::purge`] deletes it.
    pub fn retention_days(&self) -> u32 {
        self.limits.retention_days
    }

    /// See [`OutboxReader::stats`].
    pub fn stats(&self, now: DateTime<Utc>) -> Result<OutboxStats, OutboxError> {
        self.with_reader(|reader| reader.stats(now))
    }

    /// See [`OutboxReader::list`].
    pub fn list(&self, filter: &ClaimFilter) -> Result<Vec<ClaimSummary>, OutboxError> {
        self.with_reader(|reader| reader.list(filter))
    }

    /// See [`OutboxReader::lookup_by_reference`].
    pub fn lookup_by_reference(
        &self,
        reference: &ClaimReference,
    ) -> Result<Option<ClaimSummary>, OutboxError> {
        self.with_reader(|reader| reader.lookup_by_reference(reference))
    }

    /// See [`OutboxReader::matches_nik`].
    pub fn matches_nik(&self, reference: &ClaimReference, nik: &str) -> Result<bool, OutboxError> {
        self.with_reader(|reader| reader.matches_nik(reference, nik))
    }

    /// See [`OutboxReader::integrity_check`].
    pub fn integrity_check(&self) -> Result<(), OutboxError> {
        self.with_reader(OutboxReader::integrity_check)
    }

    /// Writes every pending, sending or held claim into a new folder `<dir>/<kiosk_id>/<date-time>/` as
    /// `<reference>.tar.age` (age ciphertext) and `<reference>.sig` (raw 64-byte signature), plus
    /// [`EXPORT_INDEX_FILE`] without personal data; all fsync'd. Never follows a symbolic link under `dir` and
    /// never overwrites a file (a taken date-time gets a numbered folder). Returns the count and the folder.
    pub fn export(
        &self,
        dir: &Path,
        kiosk_id: &str,
        at: DateTime<Utc>,
    ) -> Result<Exported, OutboxError> {
        self.with_reader(|reader| export::export(reader, dir, kiosk_id, at))
    }

    fn with_reader<T>(
        &self,
        read: impl FnOnce(&OutboxReader) -> Result<T, OutboxError>,
    ) -> Result<T, OutboxError> {
        // A panic while holding the lock leaves the connection usable: read-only queries hold no state.
        let guard = self
            .reader
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        read(&guard)
    }
}

/// Copies the write-ahead log into the database and truncates it to zero bytes, so that page images of
/// cleared or deleted values do not stay in the log file (the database itself zeroes freed space:
/// `secure_delete`). A reader in the middle of a read can keep it from finishing; then the next delivery or
/// purge does it.
pub(super) fn truncate_wal(conn: &mut rusqlite::Connection) -> Result<(), OutboxError> {
    let busy: i64 = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))
        .map_err(OutboxError::database("truncate the write-ahead log"))?;
    if busy != 0 {
        tracing::warn!(
            "write-ahead log not truncated (a reader was busy); retried at the next delivery or purge"
        );
    }
    Ok(())
}

/// Makes the database file readable by its owner only.
fn restrict_permissions(path: &Path) -> Result<(), OutboxError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|err| {
        OutboxError::Open {
            path: path.to_owned(),
            reason: format!("cannot restrict permissions: {err}"),
        }
    })
}

// The outbox is shared between threads (the GUI, the uploader).
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<Outbox>();
};
