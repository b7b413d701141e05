//! The sealed claim packet: what the kiosk stores and forwards, and what the central service opens.
//!
//! # Plaintext
//! A plain (GNU/ustar) tar archive built in memory with two kinds of entries, all regular files:
//! - `manifest.json`: the [`Manifest`] as JSON (schema version 1);
//! - `documents/<kind>.jpg`: one JPEG per [`DocumentEntry`], named by [`DocumentKind::id`].
//!
//! The plaintext never touches disk: it is built in memory, encrypted, and its buffer wiped.
//!
//! # Sealing
//! 1. The tar is encrypted with [age](https://age-encryption.org/v1) (binary format, not armored) to the
//!    central service's X25519 recipient. The kiosk itself cannot open what it sealed.
//! 2. The kiosk signs the ciphertext with its Ed25519 key. The exact message signed (pure Ed25519, no
//!    prehash mode) is the concatenation of
//!    - the 31 ASCII bytes of [`SIGNATURE_CONTEXT`] (`lapak-kiosk/packet-signature/v1`, no terminator), then
//!    - a single `0x00` byte, then
//!    - the 32-byte SHA-256 digest of the whole ciphertext file,
//!
//!    64 bytes in all (see [`signed_message`]). The signature is 64 bytes (`R || s`).
//!
//! # Opening
//! [`open`] verifies the signature before anything else, then decrypts, reads the tar, parses the manifest and
//! checks that every listed document is present with the listed size and SHA-256 and that nothing else is in
//! the archive. An operator holding the central identity can do the same by hand:
//! `age -d -i identity.txt claim.tar.age | tar -tvf -`.

/// The age recipient of the demo central service. Its identity ships in `kiosk-config/demo/` so that anyone can
/// open demo packets; a production kiosk must name its own central service's recipient.
pub const DEMO_RECIPIENT: &str = include_str!("../../../kiosk-config/demo/central-recipient.txt");

mod archive;
mod manifest;
mod seal;

pub use manifest::{
    Consent, DocumentEntry, MANIFEST_FILE, Manifest, SCHEMA_VERSION, document_file_name,
};
pub use seal::{SIGNATURE_CONTEXT, open, seal, sign_ciphertext, signed_message, verify_signature};

use crate::claim::DocumentKind;
use zeroize::Zeroize;

/// The largest sealed packet the kiosk produces or the central service accepts (ciphertext bytes).
pub const MAX_PACKET_BYTES: u64 = 128 * 1024 * 1024;
/// The largest single document (JPEG bytes) a packet may carry.
pub const MAX_DOCUMENT_BYTES: u64 = 8 * 1024 * 1024;
/// The largest `manifest.json` a packet may carry.
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// One photographed document: the JPEG bytes and their pixel size. The bytes are wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Document {
    /// Which document this is.
    pub kind: DocumentKind,
    /// The JPEG file, as encoded by the capture step.
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Drop for Document {
    fn drop(&mut self) {
        self.jpeg.zeroize();
    }
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The photo is personal data: show only its shape.
        f.debug_struct("Document")
            .field("kind", &self.kind)
            .field("bytes", &self.jpeg.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

/// A sealed packet: the age ciphertext and the kiosk's signature over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedPacket {
    /// The binary age file (encrypted tar), in a shared buffer: the outbox, the uploader and the HTTP body
    /// hand it on without copying it.
    pub ciphertext: bytes::Bytes,
    /// The kiosk's Ed25519 signature over [`signed_message`] of the ciphertext.
    pub signature: ed25519_dalek::Signature,
}

/// A packet opened by the holder of the central identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedPacket {
    /// The manifest, as sealed (its document entries describe `documents`).
    pub manifest: Manifest,
    /// The documents, in the manifest's order.
    pub documents: Vec<Document>,
}

/// Why a packet could not be sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    /// The signature does not match the ciphertext and the kiosk key: altered in transit or another kiosk.
    #[error(
        "packet signature is not valid for this kiosk's key (altered or signed by another kiosk)"
    )]
    BadSignature,
    /// The bytes are not an age file this build understands.
    #[error("packet is not an age-encrypted file: {reason}")]
    NotAgeFile {
        /// The decoder's explanation.
        reason: String,
    },
    /// The packet is not encrypted to the identity used to open it.
    #[error("packet is not encrypted to this identity (wrong central key)")]
    WrongRecipient,
    /// The age payload failed to decrypt (truncated or corrupted after the header).
    #[error("packet payload failed to decrypt: {reason}")]
    Decrypt {
        /// The decoder's explanation.
        reason: String,
    },
    /// Encryption failed while sealing.
    #[error("packet could not be encrypted: {reason}")]
    Encrypt {
        /// The encoder's explanation.
        reason: String,
    },
    /// The decrypted content is not a readable tar archive, or the archive could not be written.
    #[error("packet archive is not a valid tar file: {reason}")]
    BadTar {
        /// What was wrong.
        reason: String,
    },
    /// `manifest.json` is missing, not valid JSON or not a valid manifest.
    #[error("packet manifest is not valid: {reason}")]
    BadManifest {
        /// The parser's message or the failed check.
        reason: String,
    },
    /// The manifest's reference is not a claim reference (not 13 digits, or a wrong check digit).
    #[error("packet manifest reference {reference:?} is not a claim reference: {reason}")]
    BadReference {
        /// The reference as written in the manifest.
        reference: String,
        /// Why it is not a claim reference.
        reason: crate::claim::reference::ReferenceError,
    },
    /// The manifest's schema version is not one this build reads.
    #[error("packet manifest schema version {found} is not supported (expected {expected})")]
    UnsupportedSchema {
        /// The version in the manifest.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// A document listed in the manifest is not in the archive.
    #[error("document {file} is listed in the manifest but missing from the packet")]
    MissingDocument {
        /// The document's path inside the archive.
        file: String,
    },
    /// A document's size differs from the manifest.
    #[error("document {file} is {actual} bytes but the manifest says {expected}")]
    SizeMismatch {
        /// The document's path inside the archive.
        file: String,
        /// Size listed in the manifest.
        expected: u64,
        /// Size found in the archive.
        actual: u64,
    },
    /// A document's SHA-256 differs from the manifest.
    #[error("document {file} does not match its SHA-256 in the manifest")]
    HashMismatch {
        /// The document's path inside the archive.
        file: String,
    },
    /// The archive holds an entry the manifest does not list (or a second copy of one it does).
    #[error("packet holds an unexpected entry: {path}")]
    UnexpectedFile {
        /// The entry's path (or a description of it).
        path: String,
    },
    /// The same document kind was given twice.
    #[error("document {kind} appears more than once")]
    DuplicateDocument {
        /// The document kind's identifier.
        kind: String,
    },
    /// Something exceeds the packet size limits.
    #[error("{what} is larger than the limit of {limit} bytes")]
    TooLarge {
        /// What was too large.
        what: String,
        /// The limit in bytes.
        limit: u64,
    },
}

#[cfg(test)]
mod tests;
