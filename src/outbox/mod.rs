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
use rusqlite::{ErrorCode, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::claim::reference::ClaimReference;
use crate::packet::SealedPacket;
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

/// Where a claim is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    /// Stored, waiting for (another) delivery attempt.
    Pending,
    /// Handed to the uploader, delivery under way.
    Sending,
    /// The central service has it and gave a receipt.
    Delivered,
    /// The central service refused the claim itself (a claim-level code); held for field staff, who can send
    /// it again ([`Outbox::requeue`]). Never deleted.
    Held,
}

impl ClaimState {
    /// The value stored in the `state` column.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimState::Pending => "pending",
            ClaimState::Sending => "sending",
            ClaimState::Delivered => "delivered",
            ClaimState::Held => "held",
        }
    }

    /// Parses a stored `state` value.
    pub fn parse(value: &str) -> Option<ClaimState> {
        match value {
            "pending" => Some(ClaimState::Pending),
            "sending" => Some(ClaimState::Sending),
            "delivered" => Some(ClaimState::Delivered),
            "held" => Some(ClaimState::Held),
            _ => None,
        }
    }
}

impl std::fmt::Display for ClaimState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sealed claim to store.
#[derive(Debug, Clone, Copy)]
pub struct NewClaim<'a> {
    /// The claim's unique id (the delivery idempotency key).
    pub claim_id: Uuid,
    /// The claim reference.
    pub reference: &'a ClaimReference,
    /// When the claim was made; it is due for delivery from then.
    pub created_at: DateTime<Utc>,
    /// The participant's NIK: only its keyed hash is stored.
    pub nik: &'a str,
    /// A staff test claim.
    pub test: bool,
    /// The sealed packet.
    pub sealed: &'a SealedPacket,
}

/// A claim stored durably by [`Outbox::submit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedClaim {
    /// The outbox row id.
    pub id: i64,
    /// The claim's unique id.
    pub claim_id: Uuid,
    /// The claim reference.
    pub reference: ClaimReference,
    /// When the claim was made.
    pub created_at: DateTime<Utc>,
    /// Size of the stored ciphertext.
    pub packet_bytes: u64,
}

/// A claim handed to the uploader by [`Outbox::next_due`] (now marked `sending`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingClaim {
    /// The outbox row id, for the `mark_*` calls.
    pub id: i64,
    /// The claim's unique id (the idempotency key).
    pub claim_id: Uuid,
    /// The claim reference.
    pub reference: ClaimReference,
    /// The sealed packet's ciphertext (a shared buffer: handed to the upload without a copy).
    pub ciphertext: bytes::Bytes,
    /// The kiosk's signature over the ciphertext.
    pub signature: ed25519_dalek::Signature,
    /// Delivery attempts made before this one.
    pub attempts: u32,
    /// When the claim was made.
    pub created_at: DateTime<Utc>,
}

/// Outbox counts and health for the staff screen and the heartbeat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutboxStats {
    /// Claims waiting for delivery.
    pub pending: u64,
    /// Claims being delivered now.
    pub sending: u64,
    /// Claims delivered and not yet purged.
    pub delivered: u64,
    /// Claims held after the central service refused them (waiting for staff to send them again).
    pub held: u64,
    /// How long the oldest undelivered claim has waited.
    pub oldest_pending_age: Option<TimeDelta>,
    /// The most recent delivery error of an undelivered claim.
    pub last_error: Option<String>,
}

/// What [`Outbox::list`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimFilter {
    /// Only claims in this state (all when `None`).
    pub state: Option<ClaimState>,
    /// At most this many, newest first.
    pub limit: usize,
}

impl Default for ClaimFilter {
    fn default() -> Self {
        ClaimFilter {
            state: None,
            limit: 100,
        }
    }
}

/// A stored claim without its packet or any personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimSummary {
    /// The outbox row id.
    pub id: i64,
    /// The claim's unique id.
    pub claim_id: Uuid,
    /// The claim reference.
    pub reference: ClaimReference,
    /// When the claim was made.
    pub created_at: DateTime<Utc>,
    /// Its delivery state.
    pub state: ClaimState,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// When the next delivery attempt is due.
    pub next_attempt_at: DateTime<Utc>,
    /// The last delivery error or rejection reason.
    pub last_error: Option<String>,
    /// When the central service confirmed it.
    pub delivered_at: Option<DateTime<Utc>>,
    /// When the state last changed (for a claim waiting to retry: when its failed attempt began).
    pub updated_at: DateTime<Utc>,
    /// The central service's receipt (JSON).
    pub receipt: Option<String>,
    /// A staff test claim.
    pub test: bool,
    /// Size of the sealed packet.
    pub packet_bytes: u64,
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

    /// The pending claim due longest ago (at or before `now`), marked `sending` in the same transaction;
    /// `None` when nothing is due.
    pub fn next_due(&self, now: DateTime<Utc>) -> Result<Option<OutgoingClaim>, OutboxError> {
        self.writer.call(move |conn| {
            let action = "pick the next claim to send";
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(OutboxError::database(action))?;
            let row = tx
                .query_row(
                    "SELECT id, claim_id, reference, packet, signature, attempts, created_at FROM claims
                     WHERE state = 'pending' AND next_attempt_at <= ?1
                     ORDER BY next_attempt_at, id LIMIT 1",
                    [to_millis(now)],
                    |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, Vec<u8>>(3)?,
                            row.get::<_, Vec<u8>>(4)?,
                            row.get::<_, u32>(5)?,
                            row.get::<_, i64>(6)?,
                        ))
                    },
                )
                .optional()
                .map_err(OutboxError::database(action))?;
            let Some((id, claim_id, reference, ciphertext, signature, attempts, created_at)) = row else {
                return Ok(None);
            };
            let damaged = |reason: String| OutboxError::Damaged { id, reason };
            let claim_id = Uuid::parse_str(&claim_id).map_err(|err| damaged(err.to_string()))?;
            let reference = reference::from_column(&reference).map_err(damaged)?;
            let signature = ed25519_dalek::Signature::from_slice(&signature)
                .map_err(|err| damaged(format!("signature: {err}")))?;
            tx.execute(
                "UPDATE claims SET state = 'sending', updated_at = ?2 WHERE id = ?1",
                params![id, to_millis(now)],
            )
            .map_err(OutboxError::database(action))?;
            tx.commit().map_err(OutboxError::database(action))?;
            Ok(Some(OutgoingClaim {
                id,
                claim_id,
                reference,
                ciphertext: ciphertext.into(),
                signature,
                attempts,
                created_at: time::from_millis(created_at),
            }))
        })
    }

    /// Records the central service's receipt (JSON without personal data): the claim is delivered, and its
    /// NIK hash and salt are cleared in the same transaction.
    pub fn mark_delivered(
        &self,
        id: i64,
        receipt_json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), OutboxError> {
        serde_json::from_str::<serde_json::Value>(receipt_json).map_err(|err| {
            OutboxError::InvalidReceipt {
                reason: err.to_string(),
            }
        })?;
        let receipt = receipt_json.to_owned();
        self.transition(id, "marked delivered", &[ClaimState::Pending, ClaimState::Sending], move |tx| {
            tx.execute(
                "UPDATE claims SET state = 'delivered', delivered_at = ?2, updated_at = ?2, receipt = ?3,
                     attempts = attempts + 1, last_error = NULL, nik_hash = NULL, nik_salt = NULL,
                     nik_kdf = NULL
                 WHERE id = ?1",
                params![id, to_millis(now), receipt],
            )
        })?;
        // The page images that still held the hash leave the write-ahead log now, not at the next purge. The
        // claim is delivered whatever happens here: a failure is logged and the next delivery or purge retries.
        if let Err(error) = self.writer.call(truncate_wal) {
            tracing::warn!(%error, "write-ahead log not truncated after a delivery");
        }
        Ok(())
    }

    /// Puts the claim back to `pending` after a failed attempt, due again at `next_attempt_at`.
    pub fn mark_retry(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> Result<(), OutboxError> {
        let error = error.to_owned();
        self.transition(
            id,
            "retried",
            &[ClaimState::Pending, ClaimState::Sending],
            move |tx| {
                tx.execute(
                    "UPDATE claims SET state = 'pending', attempts = attempts + 1, last_error = ?2,
                     next_attempt_at = ?3
                 WHERE id = ?1",
                    params![id, error, to_millis(next_attempt_at)],
                )
            },
        )
    }

    /// Holds the claim after the central service refused it for good with a claim-level `reason`: it is not
    /// sent again until staff requeue it ([`Outbox::requeue`]), and it is never deleted.
    pub fn mark_held(&self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<(), OutboxError> {
        let reason = reason.to_owned();
        self.transition(id, "held", &[ClaimState::Pending, ClaimState::Sending], move |tx| {
            tx.execute(
                "UPDATE claims SET state = 'held', attempts = attempts + 1, last_error = ?2, updated_at = ?3
                 WHERE id = ?1",
                params![id, reason, to_millis(now)],
            )
        })
    }

    /// Puts the held claim with this reference back to `pending`, due at `now`; its hold reason stays as the last
    /// error until the next attempt. Errors: [`OutboxError::UnknownReference`], [`OutboxError::NotHeld`].
    pub fn requeue(
        &self,
        reference: &ClaimReference,
        now: DateTime<Utc>,
    ) -> Result<(), OutboxError> {
        let reference = reference.clone();
        self.writer.call(move |conn| {
            let db = "send a held claim again";
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(OutboxError::database(db))?;
            let state: Option<String> = tx
                .query_row(
                    "SELECT state FROM claims WHERE reference = ?1",
                    [reference.digits()],
                    |row| row.get(0),
                )
                .optional()
                .map_err(OutboxError::database(db))?;
            let Some(state) = state else {
                return Err(OutboxError::UnknownReference { reference });
            };
            match ClaimState::parse(&state) {
                Some(ClaimState::Held) => {}
                Some(state) => return Err(OutboxError::NotHeld { reference, state }),
                None => {
                    return Err(OutboxError::Damaged {
                        id: 0,
                        reason: format!("claim {} has unknown state {state:?}", reference.digits()),
                    });
                }
            }
            tx.execute(
                "UPDATE claims SET state = 'pending', next_attempt_at = ?2, updated_at = ?2
                 WHERE reference = ?1 AND state = 'held'",
                params![reference.digits(), to_millis(now)],
            )
            .map_err(OutboxError::database(db))?;
            tx.commit().map_err(OutboxError::database(db))
        })
    }

    /// Puts every held claim back to `pending`, due at `now` (see [`Outbox::requeue`]); returns how many.
    pub fn requeue_held(&self, now: DateTime<Utc>) -> Result<usize, OutboxError> {
        self.writer.call(move |conn| {
            conn.execute(
                "UPDATE claims SET state = 'pending', next_attempt_at = ?1, updated_at = ?1
                 WHERE state = 'held'",
                [to_millis(now)],
            )
            .map_err(OutboxError::database("send the held claims again"))
        })
    }

    /// The resumable upload URL kept for claim `id` (see [`Outbox::set_upload_url`]); `None` when no upload
    /// was started or the claim is unknown.
    pub fn upload_url(&self, id: i64) -> Result<Option<String>, OutboxError> {
        self.writer.call(move |conn| {
            conn.query_row("SELECT upload_url FROM claims WHERE id = ?1", [id], |row| {
                row.get::<_, Option<String>>(0)
            })
            .optional()
            .map(Option::flatten)
            .map_err(OutboxError::database("read a claim's upload URL"))
        })
    }

    /// Keeps (or with `None` forgets) the URL of the resumable upload under way for claim `id`, so that a
    /// broken connection or a restart resumes it.
    pub fn set_upload_url(&self, id: i64, url: Option<&str>) -> Result<(), OutboxError> {
        let url = url.map(str::to_owned);
        self.writer.call(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE claims SET upload_url = ?2 WHERE id = ?1",
                    params![id, url],
                )
                .map_err(OutboxError::database("keep a claim's upload URL"))?;
            if changed == 0 {
                return Err(OutboxError::NotFound { id });
            }
            Ok(())
        })
    }

    /// Runs `change` on claim `id` in one transaction if the claim is in one of the `from` states.
    fn transition<F>(
        &self,
        id: i64,
        action: &'static str,
        from: &'static [ClaimState],
        change: F,
    ) -> Result<(), OutboxError>
    where
        F: FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<usize> + Send + 'static,
    {
        self.writer.call(move |conn| {
            let db = "change a claim's state";
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(OutboxError::database(db))?;
            let state: Option<String> = tx
                .query_row("SELECT state FROM claims WHERE id = ?1", [id], |row| {
                    row.get(0)
                })
                .optional()
                .map_err(OutboxError::database(db))?;
            let state = state.ok_or(OutboxError::NotFound { id })?;
            let state = ClaimState::parse(&state).ok_or_else(|| OutboxError::Damaged {
                id,
                reason: format!("unknown state {state:?}"),
            })?;
            if !from.contains(&state) {
                return Err(OutboxError::WrongState { id, state, action });
            }
            change(&tx).map_err(OutboxError::database(db))?;
            tx.commit().map_err(OutboxError::database(db))
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
fn truncate_wal(conn: &mut rusqlite::Connection) -> Result<(), OutboxError> {
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
