//! `manifest.json`: what the packet says about the claim and its documents.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::claim::reference::ClaimReference;
use crate::claim::{BankAccount, ClaimFields, DocumentKind, ReasonDetails};

/// The manifest schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;
/// The manifest's path inside the archive.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The claim as described inside a packet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`SCHEMA_VERSION`] for packets written by this build.
    pub schema_version: u32,
    /// The claim's unique id (also the idempotency key for delivery).
    pub claim_id: Uuid,
    /// The claim reference printed on the receipt (digits only in the JSON; a packet whose reference is not a
    /// valid claim reference does not open: [`super::PacketError::BadReference`]).
    pub reference: ClaimReference,
    /// The kiosk that took the claim.
    pub kiosk_id: String,
    /// When the participant confirmed the claim.
    pub created_at: DateTime<Utc>,
    /// The kiosk software version that sealed the packet.
    pub app_version: String,
    /// A staff test claim, not to be paid.
    pub test: bool,
    /// The participant's answers.
    pub fields: ClaimFields,
    /// The claim reason and its dates.
    pub reason: ReasonDetails,
    /// The account to pay to.
    pub bank: BankAccount,
    /// The consent the participant accepted.
    pub consent: Consent,
    /// One entry per document in the archive (filled in by [`super::seal`]).
    pub documents: Vec<DocumentEntry>,
}

/// The consent text the participant accepted, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// The version of the consent text shown.
    pub version: String,
    /// When the participant accepted it.
    pub accepted_at: DateTime<Utc>,
}

/// One document in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEntry {
    /// Which document.
    pub kind: DocumentKind,
    /// Its path inside the archive: `documents/<kind>.jpg`.
    pub file: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Size of the JPEG in bytes.
    pub bytes: u64,
    /// SHA-256 of the JPEG, lower-case hex.
    pub sha256: String,
}

impl DocumentEntry {
    /// The manifest's line for a photographed document: its archive path, size and SHA-256.
    pub fn describe(doc: &super::Document) -> DocumentEntry {
        use sha2::{Digest as _, Sha256};
        DocumentEntry {
            kind: doc.kind,
            file: document_file_name(doc.kind),
            width: doc.width,
            height: doc.height,
            bytes: doc.jpeg.len() as u64,
            sha256: hex::encode(Sha256::digest(&doc.jpeg)),
        }
    }
}

/// The archive path of a document of this kind: `documents/<kind>.jpg`.
pub fn document_file_name(kind: DocumentKind) -> String {
    format!("documents/{}.jpg", kind.id())
}
