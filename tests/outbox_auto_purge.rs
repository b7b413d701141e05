//! The running kiosk's retention purge ([`PurgeWorker`]): at start and then on every turn, delivered claims
//! past `retention_days` (or passing it before the next turn) leave the outbox; undelivered ones never do.

mod common;

use lapak_kiosk::claim::reference::ClaimReference;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use lapak_kiosk::claim::DocumentKind;
use lapak_kiosk::outbox::purge_worker::PurgeWorker;
use lapak_kiosk::outbox::{NewClaim, NikHashKey, Outbox, OutboxLimits};
use uuid::Uuid;

const RETENTION_DAYS: u32 = 7;

fn outbox(dir: &std::path::Path) -> Arc<Outbox> {
    Arc::new(
        Outbox::open(
            &dir.join("outbox.db"),
            OutboxLimits {
                max_pending: 100,
                min_free_bytes: 0,
                retention_days: RETENTION_DAYS,
            },
            NikHashKey::derive(&common::kiosk_key()),
        )
        .expect("outbox opens"),
    )
}

/// Stores claim `n` and, when `delivered_at` is given, delivers it at that time; returns its reference.
fn claim(outbox: &Outbox, n: u32, delivered_at: Option<DateTime<Utc>>) -> ClaimReference {
    let reference = ClaimReference::new(44, n.into()).expect("a reference");
    let person = common::Person::numbered(n);
    let sealed = common::seal_claim(
        &person,
        &reference,
        Uuid::new_v4(),
        &[common::photo(DocumentKind::Selfie, 16, 16)],
        &common::central_identity().to_public(),
    );
    let created_at = Utc::now() - TimeDelta::days(30);
    outbox
        .submit(NewClaim {
            claim_id: Uuid::new_v4(),
            reference: &reference,
            created_at,
            nik: &person.nik,
            test: false,
            sealed: &sealed,
        })
        .expect("stored");
    if let Some(at) = delivered_at {
        let sent = outbox
            .next_due(Utc::now())
            .expect("readable")
            .expect("a claim is due");
        assert_eq!(sent.reference, reference);
        outbox.mark_delivered(sent.id, "{}", at).expect("delivered");
    }
    reference
}

fn stored(outbox: &Outbox, reference: &ClaimReference) -> bool {
    outbox
        .lookup_by_reference(reference)
        .expect("readable")
        .is_some()
}

/// Waits (at most 10 s) until `done` holds.
fn eventually(done: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

#[test]
fn at_start_delivered_claims_whose_retention_ends_before_the_next_day_are_deleted_and_others_kept()
{
    let dir = tempfile::tempdir().expect("tempdir");
    let outbox = outbox(dir.path());
    let now = Utc::now();
    let retention = TimeDelta::days(i64::from(RETENTION_DAYS));
    let long_ago = claim(&outbox, 1, Some(now - retention - TimeDelta::days(3)));
    // Its retention ends in 12 hours, before the next daily turn: deleted now, so it never stays longer.
    let ending = claim(&outbox, 2, Some(now - retention + TimeDelta::hours(12)));
    let recent = claim(&outbox, 3, Some(now - TimeDelta::hours(1)));
    let waiting = claim(&outbox, 4, None);

    let worker = PurgeWorker::spawn(Arc::clone(&outbox), Duration::from_secs(24 * 60 * 60))
        .expect("worker starts");
    assert!(eventually(
        || !stored(&outbox, &long_ago) && !stored(&outbox, &ending)
    ));
    drop(worker);
    assert!(stored(&outbox, &recent), "delivered an hour ago");
    assert!(
        stored(&outbox, &waiting),
        "an undelivered claim is never purged"
    );
    outbox.integrity_check().expect("database intact");
}

#[test]
fn the_worker_purges_again_on_every_turn_not_only_at_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outbox = outbox(dir.path());
    let worker =
        PurgeWorker::spawn(Arc::clone(&outbox), Duration::from_millis(200)).expect("worker starts");
    // Delivered (in the past) after the start's purge already ran: only a later turn can delete it.
    std::thread::sleep(Duration::from_millis(300));
    let retention = TimeDelta::days(i64::from(RETENTION_DAYS));
    let old = claim(
        &outbox,
        1,
        Some(Utc::now() - retention - TimeDelta::minutes(1)),
    );
    let waiting = claim(&outbox, 2, None);
    assert!(
        eventually(|| !stored(&outbox, &old)),
        "never purged after start"
    );
    drop(worker);
    assert!(stored(&outbox, &waiting));
}
