//! What sync needs from the outbox, as traits: the uploader drains a [`ClaimQueue`], the status check asks
//! [`LocalClaims`]. The outbox implements both; tests can use small in-memory versions.

use chrono::{DateTime, Utc};

use super::resumable::UploadUrls;
use crate::claim::reference::ClaimReference;
use crate::outbox::OutgoingClaim;

/// An outbox failure as text (the outbox's own error, flattened so it can travel in messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QueueError(pub String);

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
    /// The next claim due at `now`, marked in flight (the outbox's own [`OutgoingClaim`], handed on as it is);
    /// `None` when nothing is due.
    fn next_due(&self, now: DateTime<Utc>) -> Result<Option<OutgoingClaim>, QueueError>;
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
    pub reference: ClaimReference,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
    /// Where it stands.
    pub state: LocalState,
}

/// The outbox as the status check sees it.
pub trait LocalClaims {
    /// The claim with this reference, only if `nik` is the NIK it was saved with (else `None`, exactly as for an
    /// unknown reference).
    fn find(&self, reference: &ClaimReference, nik: &str)
    -> Result<Option<LocalClaim>, QueueError>;
}
