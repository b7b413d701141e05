//! Unit tests of sealing and opening.

use chrono::{NaiveDate, TimeZone, Utc};
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::*;
use crate::claim::reference::{ClaimReference, ReferenceError};
use crate::claim::{BankAccount, ClaimFields, DocumentKind, Reason, ReasonDetails};

fn signing_key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn manifest() -> Manifest {
    Manifest {
        schema_version: SCHEMA_VERSION,
        claim_id: Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0),
        reference: ClaimReference::new(420, 123).unwrap(),
        kiosk_id: "kiosk-042".to_owned(),
        created_at: Utc
            .with_ymd_and_hms(2026, 11, 2, 9, 30, 0)
            .single()
            .unwrap(),
        app_version: "0.1.0".to_owned(),
        test: false,
        fields: ClaimFields {
            nik: "3173054509870002".to_owned(),
            kpj: "12345678901".to_owned(),
            name: "Siti Rahayu".to_owned(),
            mother_maiden_name: "Aminah".to_owned(),
            phone: "+6281234567890".to_owned(),
            date_of_birth: NaiveDate::from_ymd_opt(1987, 9, 5),
            ..ClaimFields::default()
        },
        reason: ReasonDetails {
            reason: Reason::Resign,
            event_date: NaiveDate::from_ymd_opt(2026, 8, 31),
            membership_start: None,
        },
        bank: BankAccount {
            bank_code: "014".to_owned(),
            account_number: "8820123456".to_owned(),
            holder: "Siti Rahayu".to_owned(),
        },
        consent: Consent {
            version: "2026-01".to_owned(),
            accepted_at: Utc
                .with_ymd_and_hms(2026, 11, 2, 9, 10, 0)
                .single()
                .unwrap(),
        },
        documents: Vec::new(),
    }
}

fn document(kind: DocumentKind, len: usize, salt: u8) -> Document {
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(salt)));
    Document {
        kind,
        jpeg,
        width: 640,
        height: 400,
    }
}

struct Keys {
    identity: age::x25519::Identity,
    kiosk: SigningKey,
}

fn keys() -> Keys {
    Keys {
        identity: age::x25519::Identity::generate(),
        kiosk: signing_key(7),
    }
}

fn sealed_with(keys: &Keys, docs: &[Document]) -> SealedPacket {
    seal(&manifest(), docs, &keys.identity.to_public(), &keys.kiosk).unwrap()
}

fn open_with(keys: &Keys, sealed: &SealedPacket) -> Result<OpenedPacket, PacketError> {
    open(sealed, &keys.identity, &keys.kiosk.verifying_key())
}

/// Seals an archive built by hand (so its manifest can lie), encrypted and signed properly.
fn seal_raw(keys: &Keys, manifest: &Manifest, files: &[(&str, &[u8])]) -> SealedPacket {
    let json = serde_json::to_vec(manifest).unwrap();
    let mut all: Vec<(&str, &[u8])> = vec![(MANIFEST_FILE, &json)];
    all.extend_from_slice(files);
    let tar = archive::build(&all, 0).unwrap();
    seal::encrypt_and_sign(&tar, &keys.identity.to_public(), &keys.kiosk).unwrap()
}

#[test]
fn round_trip_returns_manifest_and_documents() {
    let keys = keys();
    let docs = vec![
        document(DocumentKind::Ektp, 5000, 1),
        document(DocumentKind::Selfie, 7000, 2),
    ];
    let sealed = sealed_with(&keys, &docs);
    let opened = open_with(&keys, &sealed).unwrap();

    let mut expected = manifest();
    expected.documents = docs.iter().map(DocumentEntry::describe).collect();
    assert_eq!(opened.manifest, expected);
    assert_eq!(opened.documents, docs);
    assert_eq!(opened.manifest.documents[1].file, "documents/selfie.jpg");
    // The manifest's lines describe the photos as they are.
    let first = &opened.manifest.documents[0];
    assert_eq!(first.bytes, docs[0].jpeg.len() as u64);
    assert_eq!(first.sha256, hex::encode(Sha256::digest(&docs[0].jpeg)));
    assert_eq!((first.width, first.height), (docs[0].width, docs[0].height));
}

#[test]
fn ciphertext_is_binary_age_without_plaintext() {
    let keys = keys();
    let docs = vec![document(DocumentKind::Ektp, 3000, 9)];
    let sealed = sealed_with(&keys, &docs);
    assert!(sealed.ciphertext.starts_with(b"age-encryption.org/v1\n"));
    let haystack = &sealed.ciphertext;
    for needle in [
        &b"3173054509870002"[..],
        b"Siti Rahayu",
        b"8820123456",
        &docs[0].jpeg[100..132],
    ] {
        assert!(!haystack.windows(needle.len()).any(|w| w == needle));
    }
}

#[test]
fn tampered_ciphertext_byte_is_a_bad_signature() {
    let keys = keys();
    let mut sealed = sealed_with(&keys, &[document(DocumentKind::Ektp, 1000, 3)]);
    let middle = sealed.ciphertext.len() / 2;
    let mut tampered = sealed.ciphertext.to_vec();
    tampered[middle] ^= 0x01;
    sealed.ciphertext = tampered.into();
    assert_eq!(open_with(&keys, &sealed), Err(PacketError::BadSignature));
    assert_eq!(
        verify_signature(
            &sealed.ciphertext,
            &sealed.signature,
            &keys.kiosk.verifying_key()
        ),
        Err(PacketError::BadSignature)
    );
}

#[test]
fn another_kiosks_key_is_a_bad_signature() {
    let keys = keys();
    let sealed = sealed_with(&keys, &[document(DocumentKind::Ektp, 1000, 3)]);
    let other = signing_key(8).verifying_key();
    assert_eq!(
        open(&sealed, &keys.identity, &other),
        Err(PacketError::BadSignature)
    );
}

#[test]
fn signature_covers_the_documented_message() {
    let keys = keys();
    let sealed = sealed_with(&keys, &[]);
    let message = signed_message(&sealed.ciphertext);
    assert_eq!(message.len(), 64);
    assert_eq!(&message[..31], b"lapak-kiosk/packet-signature/v1");
    assert_eq!(message[31], 0);
    assert_eq!(
        &message[32..],
        Sha256::digest(&sealed.ciphertext).as_slice()
    );
    use ed25519_dalek::Verifier;
    assert!(
        keys.kiosk
            .verifying_key()
            .verify(&message, &sealed.signature)
            .is_ok()
    );
    // Signing the raw ciphertext instead would not verify.
    assert!(
        keys.kiosk
            .verifying_key()
            .verify(&sealed.ciphertext, &sealed.signature)
            .is_err()
    );
}

#[test]
fn wrong_identity_is_refused() {
    let keys = keys();
    let sealed = sealed_with(&keys, &[document(DocumentKind::Ektp, 1000, 3)]);
    let stranger = Keys {
        identity: age::x25519::Identity::generate(),
        kiosk: signing_key(7),
    };
    assert_eq!(
        open_with(&stranger, &sealed),
        Err(PacketError::WrongRecipient)
    );
}

#[test]
fn signed_garbage_is_not_an_age_file() {
    let keys = keys();
    let ciphertext = b"this is not an age file at all".to_vec();
    let signature = sign_ciphertext(&ciphertext, &keys.kiosk);
    let result = open_with(
        &keys,
        &SealedPacket {
            ciphertext: ciphertext.into(),
            signature,
        },
    );
    assert!(
        matches!(result, Err(PacketError::NotAgeFile { .. })),
        "{result:?}"
    );
}

#[test]
fn wrong_hash_in_manifest_is_a_hash_mismatch() {
    let keys = keys();
    let doc = document(DocumentKind::Ektp, 2000, 4);
    let mut entry = DocumentEntry::describe(&doc);
    entry.sha256 = hex::encode(Sha256::digest(b"some other photo"));
    let mut lying = manifest();
    lying.documents = vec![entry];
    let sealed = seal_raw(&keys, &lying, &[("documents/ektp.jpg", &doc.jpeg)]);
    assert_eq!(
        open_with(&keys, &sealed),
        Err(PacketError::HashMismatch {
            file: "documents/ektp.jpg".to_owned()
        })
    );
}

#[test]
fn wrong_size_in_manifest_is_a_size_mismatch() {
    let keys = keys();
    let doc = document(DocumentKind::Ektp, 2000, 4);
    let mut entry = DocumentEntry::describe(&doc);
    entry.bytes += 1;
    let mut lying = manifest();
    lying.documents = vec![entry];
    let sealed = seal_raw(&keys, &lying, &[("documents/ektp.jpg", &doc.jpeg)]);
    assert!(matches!(
        open_with(&keys, &sealed),
        Err(PacketError::SizeMismatch {
            expected: 2005,
            actual: 2004,
            ..
        })
    ));
}

#[test]
fn listed_but_absent_document_is_missing() {
    let keys = keys();
    let doc = document(DocumentKind::Selfie, 500, 5);
    let mut lying = manifest();
    lying.documents = vec![DocumentEntry::describe(&doc)];
    let sealed = seal_raw(&keys, &lying, &[]);
    assert_eq!(
        open_with(&keys, &sealed),
        Err(PacketError::MissingDocument {
            file: "documents/selfie.jpg".to_owned()
        })
    );
}

#[test]
fn unlisted_file_is_unexpected() {
    let keys = keys();
    let doc = document(DocumentKind::Selfie, 500, 5);
    let mut m = manifest();
    m.documents = vec![DocumentEntry::describe(&doc)];
    let sealed = seal_raw(
        &keys,
        &m,
        &[
            ("documents/selfie.jpg", &doc.jpeg),
            ("documents/extra.jpg", b"x"),
        ],
    );
    assert_eq!(
        open_with(&keys, &sealed),
        Err(PacketError::UnexpectedFile {
            path: "documents/extra.jpg".to_owned()
        })
    );
}

#[test]
fn invalid_manifest_reports_the_parser_message() {
    let keys = keys();
    let tar = archive::build(&[(MANIFEST_FILE, b"{\"schema_version\": 1}")], 0).unwrap();
    let sealed = seal::encrypt_and_sign(&tar, &keys.identity.to_public(), &keys.kiosk).unwrap();
    match open_with(&keys, &sealed) {
        Err(PacketError::BadManifest { reason }) => {
            assert!(reason.contains("missing field"), "{reason}")
        }
        other => panic!("expected a bad manifest, got {other:?}"),
    }
}

/// Seals a manifest whose reference field is replaced by `reference` (as JSON text), properly encrypted and signed.
fn sealed_with_reference(keys: &Keys, reference: &str) -> SealedPacket {
    let mut json = serde_json::to_value(manifest()).unwrap();
    json["reference"] = serde_json::Value::String(reference.to_owned());
    let json = serde_json::to_vec(&json).unwrap();
    let tar = archive::build(&[(MANIFEST_FILE, &json)], 0).unwrap();
    seal::encrypt_and_sign(&tar, &keys.identity.to_public(), &keys.kiosk).unwrap()
}

#[test]
fn a_manifest_reference_with_a_wrong_check_digit_or_letters_is_refused_at_open() {
    let keys = keys();
    let good = manifest().reference.digits().to_owned();
    let mut wrong_check = good.clone();
    let last = wrong_check.pop().unwrap();
    wrong_check.push(if last == '0' { '1' } else { '0' });
    let cases = [
        (wrong_check.as_str(), ReferenceError::CheckDigit),
        ("12a4", ReferenceError::NotDigits),
        ("77", ReferenceError::WrongLength { digits: 2 }),
    ];
    for (reference, expected) in cases {
        match open_with(&keys, &sealed_with_reference(&keys, reference)) {
            Err(PacketError::BadReference {
                reference: found,
                reason,
            }) => assert_eq!((found.as_str(), reason), (reference, expected)),
            other => panic!("{reference}: expected a bad reference, got {other:?}"),
        }
    }
    let opened = open_with(&keys, &sealed_with_reference(&keys, &good)).unwrap();
    assert_eq!(opened.manifest.reference.digits(), good);
}

#[test]
fn future_schema_is_refused() {
    let keys = keys();
    let mut m = manifest();
    m.schema_version = 2;
    let sealed = seal_raw(&keys, &m, &[]);
    assert_eq!(
        open_with(&keys, &sealed),
        Err(PacketError::UnsupportedSchema {
            found: 2,
            expected: 1
        })
    );
}

#[test]
fn decrypted_garbage_is_a_bad_tar() {
    let keys = keys();
    let sealed =
        seal::encrypt_and_sign(&[0x55; 700], &keys.identity.to_public(), &keys.kiosk).unwrap();
    assert!(matches!(
        open_with(&keys, &sealed),
        Err(PacketError::BadTar { .. })
    ));
}

#[test]
fn duplicate_document_kinds_are_refused_when_sealing() {
    let keys = keys();
    let docs = [
        document(DocumentKind::Ektp, 10, 1),
        document(DocumentKind::Ektp, 10, 2),
    ];
    assert_eq!(
        seal(&manifest(), &docs, &keys.identity.to_public(), &keys.kiosk),
        Err(PacketError::DuplicateDocument {
            kind: "ektp".to_owned()
        })
    );
}

#[test]
fn oversized_document_is_refused_when_sealing() {
    let keys = keys();
    let docs = [document(DocumentKind::Ektp, MAX_DOCUMENT_BYTES as usize, 1)];
    assert!(matches!(
        seal(&manifest(), &docs, &keys.identity.to_public(), &keys.kiosk),
        Err(PacketError::TooLarge { .. })
    ));
}

#[test]
fn document_debug_hides_the_photo() {
    let doc = document(DocumentKind::Selfie, 40, 0x41);
    let shown = format!("{doc:?}");
    assert!(shown.contains("bytes: 44"), "{shown}");
    assert!(!shown.contains("255"), "{shown}");
}

#[test]
fn a_sealed_packets_clone_shares_its_ciphertext_instead_of_copying_it() {
    let keys = keys();
    let sealed = sealed_with(&keys, &[document(DocumentKind::Ektp, 4000, 5)]);
    let handed_on = sealed.clone();
    assert_eq!(handed_on.ciphertext, sealed.ciphertext);
    assert_eq!(
        handed_on.ciphertext.as_ptr(),
        sealed.ciphertext.as_ptr(),
        "the outbox and the uploader hand the packet on without copying it"
    );
    let chunk = sealed.ciphertext.slice(100..200);
    assert_eq!(chunk.as_ptr(), sealed.ciphertext[100..].as_ptr());
}
