//! The claim's spine: sealing a packet and committing it durably to the outbox.
//!
//! Targets: sealing (tar + age + Ed25519) under 10 ms per MB; a durable commit under 25 ms per claim.
//! Run with `cargo bench --bench spine`.

#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lapak_kiosk::claim::DocumentKind;
use lapak_kiosk::outbox::{NewClaim, NikHashKey, Outbox, OutboxLimits};
use lapak_kiosk::packet::{self, Document, SealedPacket};
use uuid::Uuid;

const MB: usize = 1024 * 1024;

/// Documents of `total` bytes in all, split over five photos (incompressible, like JPEG data).
fn documents(total: usize) -> Vec<Document> {
    let kinds = [
        DocumentKind::KpjCard,
        DocumentKind::Ektp,
        DocumentKind::KartuKeluarga,
        DocumentKind::BankBook,
        DocumentKind::Selfie,
    ];
    kinds
        .iter()
        .map(|&kind| {
            let mut jpeg = vec![0u8; total / kinds.len()];
            getrandom::fill(&mut jpeg).unwrap();
            Document {
                kind,
                jpeg,
                width: 1280,
                height: 800,
            }
        })
        .collect()
}

fn sealed_packet(total: usize) -> SealedPacket {
    let person = common::Person::numbered(1);
    common::seal_claim(
        &person,
        &lapak_kiosk::claim::reference::ClaimReference::new(42, 0).expect("a reference"),
        Uuid::new_v4(),
        &documents(total),
        &common::central_identity().to_public(),
    )
}

fn limits() -> OutboxLimits {
    OutboxLimits {
        max_pending: u64::MAX,
        min_free_bytes: 0,
        retention_days: 30,
    }
}

/// Submits `count` claims to a fresh outbox in a temporary folder; returns the time spent storing them: the
/// whole `submit` (the NIK's argon2id hash and the durable commit), or with `commit_only` the durable commit
/// alone (the NIK hashed beforehand, outside the timing).
fn time_submits(
    sealed: &SealedPacket,
    count: u64,
    first_reference: &mut u64,
    commit_only: bool,
) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(
        &dir.path().join("outbox.db"),
        limits(),
        NikHashKey::derive(&common::kiosk_key()),
    )
    .unwrap();
    let person = common::Person::numbered(1);
    let mut spent = Duration::ZERO;
    for _ in 0..count {
        *first_reference += 1;
        let reference = lapak_kiosk::claim::reference::ClaimReference::new(42, *first_reference)
            .expect("a reference");
        let claim = NewClaim {
            claim_id: Uuid::new_v4(),
            reference: &reference,
            created_at: common::t0(),
            nik: &person.nik,
            test: false,
            sealed,
        };
        if commit_only {
            let hash = outbox.hash_nik(&person.nik).unwrap();
            let started = Instant::now();
            outbox.submit_hashed(claim, hash).unwrap();
            spent += started.elapsed();
        } else {
            let started = Instant::now();
            outbox.submit(claim).unwrap();
            spent += started.elapsed();
        }
    }
    spent
}

fn seal(c: &mut Criterion) {
    let person = common::Person::numbered(1);
    let manifest = common::manifest(
        &person,
        &lapak_kiosk::claim::reference::ClaimReference::new(42, 0).expect("a reference"),
        Uuid::new_v4(),
    );
    let docs = documents(MB);
    let recipient = common::central_identity().to_public();
    let key = common::kiosk_key();
    let mut group = c.benchmark_group("seal");
    group.throughput(Throughput::Bytes(MB as u64));
    group.bench_function("seal_and_sign_1MB", |b| {
        b.iter(|| packet::seal(&manifest, &docs, &recipient, &key).unwrap())
    });
    group.finish();

    let sealed = packet::seal(&manifest, &docs, &recipient, &key).unwrap();
    c.bench_function("seal/verify_signature_1MB", |b| {
        b.iter(|| {
            packet::verify_signature(&sealed.ciphertext, &sealed.signature, &key.verifying_key())
                .unwrap()
        })
    });
}

fn submit(c: &mut Criterion) {
    // A typical claim: five photos of about 50 KB each.
    let sealed = sealed_packet(256 * 1024);
    let mut reference = 0u64;
    let mut group = c.benchmark_group("outbox");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("durable_commit_256KB", |b| {
        b.iter_custom(|iters| time_submits(&sealed, iters, &mut reference, true))
    });
    let big = sealed_packet(MB);
    group.bench_function("durable_commit_1MB", |b| {
        b.iter_custom(|iters| time_submits(&big, iters, &mut reference, true))
    });
    group.bench_function("submit_with_nik_hash_256KB", |b| {
        b.iter_custom(|iters| time_submits(&sealed, iters, &mut reference, false))
    });
    group.sample_size(10);
    group.throughput(Throughput::Elements(100));
    group.bench_function("100_submits_back_to_back_256KB", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| time_submits(&sealed, 100, &mut reference, false))
                .sum()
        })
    });
    group.finish();
}

criterion_group!(benches, seal, submit);
criterion_main!(benches);
