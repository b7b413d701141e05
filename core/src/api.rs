//! The JSON bodies of the central service's v1 API (`central/openapi.yaml`), shared by both sides.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::claim::reference::ClaimReference;

/// What the central service answers when it has stored a claim (201) or already had it (200).
/// It holds no personal data, so the kiosk may keep it in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The claim id (the idempotency key).
    pub claim_id: Uuid,
    /// The claim reference printed for the participant.
    pub reference: ClaimReference,
    /// The kiosk that sent it.
    pub kiosk_id: String,
    /// When the central service first stored it.
    pub received_at: DateTime<Utc>,
    /// The claim's status at the time of the answer.
    pub status: ClaimStatus,
}

/// Where a claim stands at the central service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Stored, waiting for an officer.
    Received,
    /// An officer is verifying it.
    Verifying,
    /// Approved, payment pending.
    Approved,
    /// Refused (the reason is given).
    Rejected,
    /// Paid to the participant's account.
    Paid,
}

impl ClaimStatus {
    /// The stable identifier used on the wire and in the central database.
    pub fn id(self) -> &'static str {
        match self {
            ClaimStatus::Received => "received",
            ClaimStatus::Verifying => "verifying",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Rejected => "rejected",
            ClaimStatus::Paid => "paid",
        }
    }

    /// Parses [`ClaimStatus::id`].
    pub fn from_id(id: &str) -> Option<ClaimStatus> {
        [
            ClaimStatus::Received,
            ClaimStatus::Verifying,
            ClaimStatus::Approved,
            ClaimStatus::Rejected,
            ClaimStatus::Paid,
        ]
        .into_iter()
        .find(|s| s.id() == id)
    }
}

/// Body of `POST /v1/claims/status`: the reference and the NIK, the proof that the asker is the participant
/// (a date of birth is not accepted: too few values to guess).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// The claim reference (digits).
    pub reference: ClaimReference,
    /// The worker's NIK.
    pub nik: String,
}

/// Answer of `POST /v1/claims/status` when the claim is found and the proof matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusReply {
    /// The claim reference.
    pub reference: ClaimReference,
    /// Its status.
    pub status: ClaimStatus,
    /// When the status last changed.
    pub changed_at: DateTime<Utc>,
    /// The officer's reason, for a rejection (or a note on other states).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The error codes with which the central service refuses a claim itself, for good: the packet fails its checks
/// (422) or its idempotency key or reference is already another claim's (409). Only an answer with one of these
/// codes (and the matching status) makes the kiosk stop sending a claim, and even then the claim is held for
/// staff, never deleted. Every other refusal (unknown or revoked kiosk, a proxy's 403/404/407/413, an HTML
/// page, 5xx) says nothing about the claim and is retried.
pub const CLAIM_REFUSAL_CODES: &[(u16, &str)] = &[
    (422, "bad_packet_signature"),
    (422, "not_decryptable"),
    (422, "wrong_recipient"),
    (422, "bad_archive"),
    (422, "bad_manifest"),
    (422, "hash_mismatch"),
    (422, "invalid_packet"),
    (422, "claim_id_mismatch"),
    (422, "kiosk_mismatch"),
    (422, "bad_reference"),
    (422, "reference_not_yours"),
    (409, "idempotency_conflict"),
    (409, "reference_taken"),
];

/// Whether `(status, code)` is a final, claim-level refusal (see [`CLAIM_REFUSAL_CODES`]).
pub fn is_claim_refusal(status: u16, code: &str) -> bool {
    CLAIM_REFUSAL_CODES
        .iter()
        .any(|(s, c)| *s == status && *c == code)
}

/// Answer of `POST /v1/kiosks/{id}/sequence`: the highest claim sequence the central service holds under the
/// kiosk's registered number. The kiosk continues above it, so that a lost or restored outbox never makes a
/// reference twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceReply {
    /// The asking kiosk.
    pub kiosk_id: String,
    /// Its registered number (the first five digits of its references).
    pub number: u32,
    /// The highest sequence of any claim stored under that number; 0 when there is none.
    pub highest_sequence: u64,
}

/// The body of every 4xx/5xx answer from the central service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable machine-readable code, e.g. `bad_signature`, `hash_mismatch`, `not_found`.
    pub error: String,
    /// A sentence a person can act on.
    pub message: String,
}

/// A printer's state as reported in a heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PrinterState {
    /// Online with paper.
    Ok,
    /// The roll is near its end.
    PaperLow,
    /// No paper.
    PaperOut,
    /// Offline, cover open or in error.
    Error,
    /// Not answering (or a one-way printer).
    #[default]
    Unknown,
}

/// A camera's state as reported in a heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CameraState {
    /// Delivering frames.
    Ok,
    /// Unplugged or not delivering frames.
    Lost,
    /// Not checked yet.
    #[default]
    Unknown,
}

/// The device part of a heartbeat, filled by the kiosk's device workers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DeviceHealth {
    /// The receipt printer.
    pub printer: PrinterState,
    /// Detail for staff (model, last status byte, error text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printer_detail: Option<String>,
    /// The webcam.
    pub camera: CameraState,
    /// Detail for staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera_detail: Option<String>,
}

/// Body of `POST /v1/kiosks/{id}/heartbeat`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heartbeat {
    /// The kiosk's clock when it sent this.
    pub sent_at: DateTime<Utc>,
    /// The kiosk software version.
    pub version: String,
    /// Printer and camera.
    pub devices: DeviceHealth,
    /// Claims waiting in the outbox.
    pub outbox_pending: u64,
    /// Claims held on the kiosk after a claim-level refusal: the same count as `outbox_held`, under the name
    /// central services before `outbox_held` read.
    pub outbox_rejected: u64,
    /// Claims held on the kiosk after a claim-level refusal, waiting for staff to send them again.
    #[serde(default)]
    pub outbox_held: u64,
    /// Age in seconds of the oldest waiting claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oldest_pending_secs: Option<u64>,
    /// Free bytes on the kiosk's data disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_free_bytes: Option<u64>,
    /// The uploader's last error, for staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_upload_error: Option<String>,
    /// Set while claims cannot be delivered for longer than the kiosk's alert limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_alert: Option<DeliveryAlert>,
    /// While the maintenance PIN is locked after too many wrong tries: when the lock-out ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_locked_until: Option<DateTime<Utc>>,
    /// How the kiosk was installed: the Debian package's version of `lapak-kiosk` (`dpkg-query`), or
    /// `source` when it runs from a source build. Absent from kiosks before it was reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// The remote configuration version the kiosk runs (none: only its local `kiosk.toml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_version: Option<u64>,
    /// The newest remote configuration the kiosk refused or rolled back, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_failed: Option<crate::care::ConfigFailure>,
}

/// Claims that keep failing to reach the central service: raised by the uploader when a claim has failed
/// `sync.alert_after_attempts` times or waited `sync.alert_after_minutes`, cleared when every such claim is
/// delivered or held. No personal data: the reference is a number on the participant's receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryAlert {
    /// How many claims are past the limits.
    pub claims: u32,
    /// The reference of the claim that has waited longest among them.
    pub reference: ClaimReference,
    /// Its failed attempts so far.
    pub attempts: u32,
    /// When it was saved (it has waited since).
    pub waiting_since: DateTime<Utc>,
    /// When the alert was raised.
    pub raised_at: DateTime<Utc>,
    /// The last error of a failed attempt.
    pub last_error: String,
}

/// Answer to a heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeartbeatReply {
    /// The central service's clock.
    pub server_time: DateTime<Utc>,
    /// The newest remote configuration version pushed for this kiosk (or one of its groups): a kiosk running
    /// an older one fetches it from `POST /v1/kiosks/{id}/config`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_version: Option<u64>,
    /// Staff asked for a diagnostics bundle: the request id to upload it under
    /// (`POST /v1/kiosks/{id}/diagnostics/{request}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostics_request: Option<String>,
}
