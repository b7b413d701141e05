//! What can go wrong with the outbox, in words staff can act on.

use std::path::PathBuf;

use super::{ClaimState, FullReason};
use crate::claim::reference::ClaimReference;

/// An outbox operation that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboxError {
    /// The database file could not be opened or created.
    #[error("cannot open the outbox database {path}: {reason}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// SQLite's or the file system's explanation.
        reason: String,
    },
    /// SQLite refused to switch to write-ahead logging.
    #[error("the outbox database must use WAL journaling, but SQLite answered journal_mode={mode}")]
    NotWal {
        /// The journal mode SQLite reported.
        mode: String,
    },
    /// The database was written by a newer kiosk version.
    #[error(
        "the outbox database is at schema version {found}, newer than this build's {supported}: update the kiosk software"
    )]
    NewerSchema {
        /// The database's `user_version`.
        found: u32,
        /// The latest version this build knows.
        supported: u32,
    },
    /// A migration failed to apply.
    #[error("outbox migration {version} failed: {reason}")]
    Migration {
        /// The migration's version number.
        version: u32,
        /// SQLite's explanation.
        reason: String,
    },
    /// A database statement failed.
    #[error("outbox database error while trying to {action}: {reason}")]
    Database {
        /// What the outbox was doing.
        action: &'static str,
        /// SQLite's explanation.
        reason: String,
    },
    /// The outbox refuses new claims until it has room again.
    #[error("the outbox is full: {reason}")]
    Full {
        /// Why (translated for participants by the screen).
        reason: FullReason,
    },
    /// A claim with this id or reference is already stored.
    #[error("claim {} is already stored in the outbox", .reference.digits())]
    AlreadyStored {
        /// The claim reference.
        reference: ClaimReference,
    },
    /// A receipt from the central service that is not JSON.
    #[error("the delivery receipt is not valid JSON: {reason}")]
    InvalidReceipt {
        /// The parser's message.
        reason: String,
    },
    /// No claim row with this id.
    #[error("no claim with outbox id {id}")]
    NotFound {
        /// The row id.
        id: i64,
    },
    /// No claim with this reference is stored.
    #[error("no claim with reference {} is stored on this kiosk", .reference.digits())]
    UnknownReference {
        /// The reference asked for.
        reference: ClaimReference,
    },
    /// Only a held claim can be sent again by staff.
    #[error("claim {} is {state}, not held: only a held claim can be sent again", .reference.digits())]
    NotHeld {
        /// The claim reference.
        reference: ClaimReference,
        /// Its current state.
        state: ClaimState,
    },
    /// The claim is not in a state that allows the change.
    #[error("claim {id} is {state} and cannot be {action}")]
    WrongState {
        /// The row id.
        id: i64,
        /// Its current state.
        state: ClaimState,
        /// The refused change.
        action: &'static str,
    },
    /// A stored value could not be read back (database edited by hand or damaged).
    #[error("outbox row {id} is damaged: {reason}")]
    Damaged {
        /// The row id.
        id: i64,
        /// What was wrong.
        reason: String,
    },
    /// SQLite's integrity check found problems.
    #[error("the outbox database failed its integrity check: {details}")]
    IntegrityCheckFailed {
        /// What `PRAGMA integrity_check` reported.
        details: String,
    },
    /// The free space of the outbox's file system could not be read.
    #[error("cannot read the free disk space of {path}: {reason}")]
    DiskSpace {
        /// The folder checked.
        path: PathBuf,
        /// The operating system's explanation.
        reason: String,
    },
    /// Writing an export failed.
    #[error("cannot export to {path}: {reason}")]
    Export {
        /// The file or folder being written.
        path: PathBuf,
        /// The operating system's explanation.
        reason: String,
    },
    /// The outbox was made for another kiosk key: its claims and sequence are not this kiosk's.
    #[error(
        "this outbox belongs to kiosk {found_id} (number {found_number}), not to this kiosk {expected_id} \
         (number {expected_number}): put back that kiosk's key, or move the outbox away (export it first)"
    )]
    OtherKiosk {
        /// The kiosk recorded in the outbox.
        found_id: String,
        /// Its number.
        found_number: u32,
        /// The kiosk opening it.
        expected_id: String,
        /// Its number.
        expected_number: u32,
    },
    /// The NIK could not be hashed for storage.
    #[error("cannot hash the NIK for storage: {reason}")]
    NikHash {
        /// What failed.
        reason: String,
    },
    /// The writer thread has stopped (it panicked or the outbox is shutting down).
    #[error("the outbox writer has stopped; restart the kiosk")]
    WriterStopped,
}

impl OutboxError {
    /// Wraps a SQLite error with what the outbox was doing.
    pub(crate) fn database(action: &'static str) -> impl FnOnce(rusqlite::Error) -> OutboxError {
        move |err| OutboxError::Database {
            action,
            reason: err.to_string(),
        }
    }
}
