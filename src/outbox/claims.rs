//! The claim as the outbox takes it in, stores it, hands it to the uploader and lists it for staff.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::claim::reference::ClaimReference;
use crate::packet::SealedPacket;

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
    /// it again ([`Outbox::requeue`](super::Outbox::requeue)). Never deleted.
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

/// A claim stored durably by [`Outbox::submit`](super::Outbox::submit).
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

/// A claim handed to the uploader by [`Outbox::next_due`](super::Outbox::next_due) (now marked `sending`).
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

/// What [`Outbox::list`](super::Outbox::list) returns.
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
