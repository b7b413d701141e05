//! Fixtures shared by the integration tests and the benchmark: a claim with known personal data and small
//! real JPEG photos.

#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use lapak_kiosk::claim::reference::ClaimReference;
use lapak_kiosk::claim::{BankAccount, ClaimFields, DocumentKind, Reason, ReasonDetails};
use lapak_kiosk::packet::{Consent, Document, Manifest, SCHEMA_VERSION};
use uuid::Uuid;

/// The personal data of one test participant.
pub struct Person {
    pub nik: String,
    pub name: String,
    pub mother: String,
    pub phone: String,
    pub account: String,
}

impl Person {
    /// A participant whose every identifier is derived from `n`, so that each is distinct.
    pub fn numbered(n: u32) -> Person {
        Person {
            nik: format!("31730545098{n:05}"),
            name: format!("Siti Rahayu Wulandari{n}"),
            mother: format!("Aminah Kartikasari{n}"),
            phone: format!("+62812{n:08}"),
            account: format!("88201{n:05}"),
        }
    }

    /// The strings that must never be found on disk.
    pub fn secrets(&self) -> Vec<String> {
        vec![
            self.nik.clone(),
            self.name.clone(),
            self.mother.clone(),
            self.phone.clone(),
            self.account.clone(),
        ]
    }
}

/// A fixed point in time for the tests.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 9, 30, 0)
        .single()
        .unwrap_or_else(|| panic!("valid date"))
}

/// A manifest for `person` with the given reference (documents are filled in by `seal`).
pub fn manifest(person: &Person, reference: &ClaimReference, claim_id: Uuid) -> Manifest {
    Manifest {
        schema_version: SCHEMA_VERSION,
        claim_id,
        reference: reference.clone(),
        kiosk_id: "kiosk-0042".to_owned(),
        created_at: t0(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        test: false,
        fields: ClaimFields {
            nik: person.nik.clone(),
            kpj: "12345678901".to_owned(),
            name: person.name.clone(),
            mother_maiden_name: person.mother.clone(),
            phone: person.phone.clone(),
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
            account_number: person.account.clone(),
            holder: person.name.clone(),
        },
        consent: Consent {
            version: "2026-01".to_owned(),
            accepted_at: t0(),
        },
        documents: Vec::new(),
    }
}

/// A real baseline JPEG of random colour noise (so every photo is distinctive).
pub fn noise_jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut pixels = vec![0u8; usize::from(width) * usize::from(height) * 3];
    getrandom::fill(&mut pixels).unwrap_or_else(|err| panic!("random bytes: {err}"));
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 85)
        .encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb)
        .unwrap_or_else(|err| panic!("encode jpeg: {err}"));
    jpeg
}

/// A document holding a noise photo of the given size.
pub fn photo(kind: DocumentKind, width: u16, height: u16) -> Document {
    Document {
        kind,
        jpeg: noise_jpeg(width, height),
        width: u32::from(width),
        height: u32::from(height),
    }
}

/// A deterministic kiosk signing key.
pub fn kiosk_key() -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[42; 32])
}

/// The central service's identity for the tests (generated per call).
pub fn central_identity() -> age::x25519::Identity {
    age::x25519::Identity::generate()
}

/// Seals a claim for `person` with the given documents.
pub fn seal_claim(
    person: &Person,
    reference: &ClaimReference,
    claim_id: Uuid,
    docs: &[Document],
    recipient: &age::x25519::Recipient,
) -> lapak_kiosk::packet::SealedPacket {
    lapak_kiosk::packet::seal(
        &manifest(person, reference, claim_id),
        docs,
        recipient,
        &kiosk_key(),
    )
    .unwrap_or_else(|err| panic!("seal: {err}"))
}
