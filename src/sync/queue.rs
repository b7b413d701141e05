//! What sync needs from the outbox, as traits: the uploader drains a [`ClaimQueue`], the status check asks
//! [`LocalClaims`]. The outbox implements both; tests can use small in-memory versions.

use chrono::{DateTime, Utc};
use ed25519_dalek::Signature;
use uuid::Uuid;

use super::resumable::UploadUrls;

/// An outbox failure as text (the outbox's own error, flattened so it can travel in messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QueueError(pub String);

/// A claim taken from the queue to send; the queue has marked it in flight.
#[derive(Debug, Clone)]
pub struct QueuedClaim {
    /// The queue's row id.
    pub id: i64,
    /// The claim id, sent as the idempotency key.
    pub claim_id: Uuid,
    /// The claim reference (for progress and logs; it is not personal data).
    pub reference: String,
    /// The sealed packet.
    pub ciphertext: Vec<u8>,
    /// The kiosk's signature of the packet.
    pub signature: Signature,
    /// Attempts made before this one.
    pub attempts: u32,
    /// When the claim was saved (how long it has waited, for the delivery alert).
    pub created_at: DateTime<Utc>,
}

/// How full the queue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueDepth {
    /// Claims waiting to be sent (including one in flight).
    pub pending: u64,
    /// Claims held after a claim-level refusal, waiting for staff to send them again.
    pub held: u64,
    /// Age in seconds of the oldest waiting claim.
    pub oldest_pending_secs: Option<u64>,
}

/// The outbox as the uploader sees it; it also keeps each claim's resumable upload URL.
pub trait ClaimQueue: Send + Sync + UploadUrls {
    /// The next claim due at `now`, marked in flight; `None` when nothing is due.
    fn next_due(&self, now: DateTime<Utc>) -> Result<Option<QueuedClaim>, QueueError>;
    /// The central service stored the claim; `receipt_json` is its receipt.
    fn mark_delivered(
        &self,
        id: i64,
        receipt_json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError>;
    /// Try again at `next_attempt_at`, after `error`.
    fn mark_retry(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> Result<(), QueueError>;
    /// The central service refused the claim itself, for `reason`: hold it for staff (never delete it).
    fn mark_held(&self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<(), QueueError>;
    /// How many claims wait and since when.
    fn depth(&self, now: DateTime<Utc>) -> Result<QueueDepth, QueueError>;
}

/// Where a claim saved on this kiosk stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalState {
    /// Saved on this kiosk, not yet sent.
    Pending,
    /// Delivered to the central service at this time.
    Delivered(DateTime<Utc>),
    /// Refused by the central service when sent; held on this kiosk for staff.
    Held,
}

/// A claim saved on this kiosk, as the offline status check shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalClaim {
    /// The claim reference.
    pub reference: String,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
    /// Where it stands.
    pub state: LocalState,
}

/// The outbox as the status check sees it.
pub trait LocalClaims {
    /// The claim with this reference, only if `nik` is the NIK it was saved with (else `None`, exactly as for an
    /// unknown reference).
    fn find(&self, reference: &str, nik: &str) -> Result<Option<LocalClaim>, QueueError>;
}
