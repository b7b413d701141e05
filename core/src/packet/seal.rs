//! Sealing (encrypt, then sign) and opening (verify, decrypt, check) a packet.

use std::collections::BTreeSet;
use std::io::{Read, Write};

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::manifest::{DocumentEntry, MANIFEST_FILE, Manifest, SCHEMA_VERSION, document_file_name};
use super::{
    Document, MAX_DOCUMENT_BYTES, MAX_MANIFEST_BYTES, MAX_PACKET_BYTES, OpenedPacket, PacketError,
    SealedPacket, archive,
};
use crate::claim::reference::ClaimReference;

/// The domain-separation label that starts every signed packet message.
pub const SIGNATURE_CONTEXT: &[u8] = b"lapak-kiosk/packet-signature/v1";

/// The exact bytes the kiosk signs for a ciphertext: [`SIGNATURE_CONTEXT`], one `0x00` byte, then the
/// SHA-256 of the ciphertext (64 bytes in all).
pub fn signed_message(ciphertext: &[u8]) -> Vec<u8> {
    let digest = Sha256::digest(ciphertext);
    let mut message = Vec::with_capacity(SIGNATURE_CONTEXT.len() + 1 + digest.len());
    message.extend_from_slice(SIGNATURE_CONTEXT);
    message.push(0);
    message.extend_from_slice(&digest);
    message
}

/// Signs a ciphertext with the kiosk key (over [`signed_message`]).
pub fn sign_ciphertext(ciphertext: &[u8], key: &SigningKey) -> Signature {
    key.sign(&signed_message(ciphertext))
}

/// Checks a packet's signature against the sending kiosk's public key, without decrypting anything
/// (strict Ed25519 verification: malleable signatures and weak keys are refused).
pub fn verify_signature(
    ciphertext: &[u8],
    signature: &Signature,
    key: &VerifyingKey,
) -> Result<(), PacketError> {
    key.verify_strict(&signed_message(ciphertext), signature)
        .map_err(|_| PacketError::BadSignature)
}

/// Seals a claim: builds the archive in memory (the manifest's `documents` are filled in from `docs` and its
/// `schema_version` set to [`SCHEMA_VERSION`]), encrypts it to `recipient` and signs the ciphertext.
pub fn seal(
    manifest: &Manifest,
    docs: &[Document],
    recipient: &age::x25519::Recipient,
    key: &SigningKey,
) -> Result<SealedPacket, PacketError> {
    let mut seen = BTreeSet::new();
    for doc in docs {
        if !seen.insert(doc.kind) {
            return Err(PacketError::DuplicateDocument {
                kind: doc.kind.id().to_owned(),
            });
        }
        if doc.jpeg.len() as u64 > MAX_DOCUMENT_BYTES {
            return Err(PacketError::TooLarge {
                what: document_file_name(doc.kind),
                limit: MAX_DOCUMENT_BYTES,
            });
        }
    }

    let mut manifest = manifest.clone();
    manifest.schema_version = SCHEMA_VERSION;
    manifest.documents = docs.iter().map(DocumentEntry::describe).collect();
    let manifest_json = Zeroizing::new(serde_json::to_vec_pretty(&manifest).map_err(|err| {
        PacketError::BadManifest {
            reason: err.to_string(),
        }
    })?);
    if manifest_json.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(PacketError::TooLarge {
            what: MANIFEST_FILE.to_owned(),
            limit: MAX_MANIFEST_BYTES,
        });
    }

    let mut files: Vec<(&str, &[u8])> = Vec::with_capacity(docs.len() + 1);
    files.push((MANIFEST_FILE, &manifest_json));
    for (entry, doc) in manifest.documents.iter().zip(docs) {
        files.push((&entry.file, &doc.jpeg));
    }
    let mtime = u64::try_from(manifest.created_at.timestamp()).unwrap_or(0);
    let plaintext = archive::build(&files, mtime)?;
    encrypt_and_sign(&plaintext, recipient, key)
}

/// Encrypts a finished archive to the recipient and signs the ciphertext.
pub(crate) fn encrypt_and_sign(
    plaintext: &[u8],
    recipient: &age::x25519::Recipient,
    key: &SigningKey,
) -> Result<SealedPacket, PacketError> {
    let encrypt_error = |reason: String| PacketError::Encrypt { reason };
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(recipient as &dyn age::Recipient))
            .map_err(|err| encrypt_error(err.to_string()))?;
    let mut ciphertext = Vec::with_capacity(plaintext.len() + 1024);
    let mut writer = encryptor
        .wrap_output(&mut ciphertext)
        .map_err(|err| encrypt_error(err.to_string()))?;
    writer
        .write_all(plaintext)
        .map_err(|err| encrypt_error(err.to_string()))?;
    writer
        .finish()
        .map_err(|err| encrypt_error(err.to_string()))?;
    if ciphertext.len() as u64 > MAX_PACKET_BYTES {
        return Err(PacketError::TooLarge {
            what: "sealed packet".to_owned(),
            limit: MAX_PACKET_BYTES,
        });
    }
    let signature = sign_ciphertext(&ciphertext, key);
    Ok(SealedPacket {
        ciphertext: ciphertext.into(),
        signature,
    })
}

/// Opens a packet: verifies the kiosk's signature first, then decrypts with the central identity, reads the
/// archive and checks it against the manifest (every listed document present with its size and SHA-256,
/// nothing unlisted).
pub fn open(
    sealed: &SealedPacket,
    identity: &age::x25519::Identity,
    kiosk_key: &VerifyingKey,
) -> Result<OpenedPacket, PacketError> {
    if sealed.ciphertext.len() as u64 > MAX_PACKET_BYTES {
        return Err(PacketError::TooLarge {
            what: "sealed packet".to_owned(),
            limit: MAX_PACKET_BYTES,
        });
    }
    verify_signature(&sealed.ciphertext, &sealed.signature, kiosk_key)?;
    let plaintext = decrypt(&sealed.ciphertext, identity)?;
    let mut files = archive::read(&plaintext, |path| {
        if path == MANIFEST_FILE {
            MAX_MANIFEST_BYTES
        } else {
            MAX_DOCUMENT_BYTES
        }
    })?;

    let manifest_file = files
        .iter()
        .find(|file| file.path == MANIFEST_FILE)
        .ok_or_else(|| PacketError::BadManifest {
            reason: format!("{MANIFEST_FILE} is missing"),
        })?;
    let manifest: Manifest = serde_json::from_slice(&manifest_file.data)
        .map_err(|err| manifest_error(&manifest_file.data, err))?;
    check_manifest(&manifest)?;

    let mut documents = Vec::with_capacity(manifest.documents.len());
    for entry in &manifest.documents {
        let file = files
            .iter_mut()
            .find(|file| file.path == entry.file)
            .ok_or_else(|| PacketError::MissingDocument {
                file: entry.file.clone(),
            })?;
        let actual = file.data.len() as u64;
        if actual != entry.bytes {
            return Err(PacketError::SizeMismatch {
                file: entry.file.clone(),
                expected: entry.bytes,
                actual,
            });
        }
        if hex::encode(Sha256::digest(&file.data)) != entry.sha256.to_ascii_lowercase() {
            return Err(PacketError::HashMismatch {
                file: entry.file.clone(),
            });
        }
        documents.push(Document {
            kind: entry.kind,
            // Moved out of the archive entry, not copied: the document wipes it on drop.
            jpeg: std::mem::take(&mut *file.data),
            width: entry.width,
            height: entry.height,
        });
    }
    if let Some(extra) = files.iter().find(|file| {
        file.path != MANIFEST_FILE
            && !manifest
                .documents
                .iter()
                .any(|entry| entry.file == file.path)
    }) {
        return Err(PacketError::UnexpectedFile {
            path: extra.path.clone(),
        });
    }
    Ok(OpenedPacket {
        manifest,
        documents,
    })
}

/// Decrypts an age file into a buffer that is wiped on drop.
fn decrypt(
    ciphertext: &[u8],
    identity: &age::x25519::Identity,
) -> Result<Zeroizing<Vec<u8>>, PacketError> {
    let decryptor =
        age::Decryptor::new_buffered(ciphertext).map_err(|err| PacketError::NotAgeFile {
            reason: err.to_string(),
        })?;
    let reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|err| match err {
            age::DecryptError::NoMatchingKeys => PacketError::WrongRecipient,
            age::DecryptError::InvalidHeader
            | age::DecryptError::InvalidMac
            | age::DecryptError::UnknownFormat => PacketError::NotAgeFile {
                reason: err.to_string(),
            },
            other => PacketError::Decrypt {
                reason: other.to_string(),
            },
        })?;
    let mut plaintext = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    reader
        .take(MAX_PACKET_BYTES + 1)
        .read_to_end(&mut plaintext)
        .map_err(|err| PacketError::Decrypt {
            reason: err.to_string(),
        })?;
    if plaintext.len() as u64 > MAX_PACKET_BYTES {
        return Err(PacketError::TooLarge {
            what: "decrypted packet".to_owned(),
            limit: MAX_PACKET_BYTES,
        });
    }
    Ok(plaintext)
}

/// Why `manifest.json` did not read as a [`Manifest`]: [`PacketError::BadReference`] when its reference is text
/// that is not a claim reference, else [`PacketError::BadManifest`] with the parser's message.
fn manifest_error(json: &[u8], err: serde_json::Error) -> PacketError {
    #[derive(serde::Deserialize)]
    struct JustTheReference {
        reference: String,
    }
    if let Ok(JustTheReference { reference }) = serde_json::from_slice(json)
        && let Err(reason) = ClaimReference::parse(&reference)
    {
        return PacketError::BadReference { reference, reason };
    }
    PacketError::BadManifest {
        reason: err.to_string(),
    }
}

/// Checks what serde cannot: the schema version and the document entries' names.
fn check_manifest(manifest: &Manifest) -> Result<(), PacketError> {
    if manifest.schema_version != SCHEMA_VERSION {
        return Err(PacketError::UnsupportedSchema {
            found: manifest.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    let mut seen = BTreeSet::new();
    for entry in &manifest.documents {
        if !seen.insert(entry.kind) {
            return Err(PacketError::DuplicateDocument {
                kind: entry.kind.id().to_owned(),
            });
        }
        let expected = document_file_name(entry.kind);
        if entry.file != expected {
            return Err(PacketError::BadManifest {
                reason: format!("document {} must be stored as {expected}", entry.file),
            });
        }
    }
    Ok(())
}
