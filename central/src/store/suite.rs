//! One store test suite, run against both engines: each case is a function of a way to open the store, and
//! [`on_both!`] makes a `sqlite` test (a temporary file) and a `postgres` test (a throwaway PostgreSQL cluster
//! started by the test, `tests/common/postgres.rs`) of it. "Two stores" below are two independent handles on
//! one database (on PostgreSQL, two connection pools: two replicas).

use std::sync::{Arc, Barrier};

use chrono::Utc;
use lapak_core::claim::reference::ClaimReference;

use super::{Inserted, NewClaimRow, NewUpload, Store, StoreError};
use crate::blobs::{PacketPlace, StoredPacket};

#[path = "../../tests/common/postgres.rs"]
pub(super) mod cluster;

type TestResult = Result<(), Box<dyn std::error::Error>>;
type Open<'a> = &'a (dyn Fn() -> Result<Store, StoreError> + Sync);

macro_rules! on_both {
    ($($case:ident),* $(,)?) => {$(
        mod $case {
            #[test]
            fn sqlite() -> super::TestResult {
                let dir = tempfile::tempdir()?;
                let path = dir.path().join("c.sqlite");
                super::$case(&|| crate::store::Store::open(&path))
            }

            #[test]
            fn postgres() -> super::TestResult {
                let cluster = super::cluster::PgCluster::start()?;
                let url = cluster.create_database("central")?;
                super::$case(&|| crate::store::Store::connect(std::path::Path::new(&url)))
            }
        }
    )*};
}

pub(super) use on_both;

on_both!(
    registry_add_list_revoke,
    a_number_or_a_key_belongs_to_one_kiosk,
    heartbeat_history_is_bounded_and_the_fleet_shows_the_newest,
    highest_sequence_reads_only_the_numbers_references,
    a_claim_stored_by_two_stores_at_once_is_one_row_and_one_repeat,
    a_reference_stored_by_two_claim_ids_at_once_is_stored_once,
    a_claim_reads_back_with_its_status_history_and_packet_key,
    a_signature_is_a_replay_until_forgotten,
    an_upload_moves_only_from_its_durable_offset_and_is_swept_when_expired,
    reopening_keeps_everything_and_migrates_nothing_twice,
    packets_kept_in_rows_move_to_the_packet_store_once_and_a_mismatched_one_stays,
);

#[test]
fn replicas_starting_together_on_a_fresh_postgres_database_migrate_it_once() -> TestResult {
    let cluster = cluster::PgCluster::start()?;
    let url = cluster.create_database("central")?;
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || Store::connect(std::path::Path::new(&url)).map(drop))
        })
        .collect();
    for start in starts {
        start.join().map_err(|_| "a start panicked")??;
    }
    assert_eq!(
        cluster.psql(
            "central",
            "SELECT string_agg(version::text, ',') FROM lapak_schema"
        )?,
        super::postgres::POSTGRES_MIGRATIONS.len().to_string()
    );
    Ok(())
}

/// A stored claim of kiosk `kiosk` with this id and reference (the other columns are placeholders).
fn claim<'a>(kiosk: &'a str, claim_id: &'a str, reference: &'a ClaimReference) -> NewClaimRow<'a> {
    NewClaimRow {
        claim_id,
        kiosk_id: kiosk,
        reference,
        body_sha256: "00",
        packet_key: "packets/key",
        packet_bytes: 13,
        packet_signature: &[7; 64],
        test: true,
        received_at: Utc::now(),
        receipt: "{\"receipt\":1}",
        nik_hash: "nik-hash",
        dob_hash: None,
    }
}

fn registry_add_list_revoke(open: Open<'_>) -> TestResult {
    let store = open()?;
    let now = Utc::now();
    store.add_kiosk("K1", 1, "key", now)?;
    assert!(matches!(
        store.add_kiosk("K1", 2, "key2", now),
        Err(StoreError::KioskExists(_))
    ));
    assert_eq!(store.kiosk_number("K1")?, Some(1));
    assert_eq!(store.kiosk_number("K9")?, None);
    assert!(store.kiosk("K1")?.is_some_and(|k| k.revoked_at.is_none()));
    assert!(store.revoke_kiosk("K1", now)?);
    assert!(!store.revoke_kiosk("K2", now)?);
    let list = store.list_kiosks()?;
    assert_eq!(list.len(), 1);
    assert!(list[0].revoked_at.is_some());
    assert!(store.kiosk("K2")?.is_none());
    Ok(())
}

fn a_number_or_a_key_belongs_to_one_kiosk(open: Open<'_>) -> TestResult {
    let store = open()?;
    let now = Utc::now();
    store.add_kiosk("K1", 7, "key-one", now)?;
    match store.add_kiosk("K2", 7, "key-two", now) {
        Err(StoreError::NumberTaken { number, holder }) => {
            assert_eq!((number, holder.as_str()), (7, "K1"));
        }
        other => panic!("a second kiosk number 7 was not refused: {other:?}"),
    }
    match store.add_kiosk("K2", 8, "key-one", now) {
        Err(StoreError::KeyTaken(holder)) => assert_eq!(holder, "K1"),
        other => panic!("a shared key was not refused: {other:?}"),
    }
    assert_eq!(store.list_kiosks()?.len(), 1);
    Ok(())
}

fn heartbeat_history_is_bounded_and_the_fleet_shows_the_newest(open: Open<'_>) -> TestResult {
    let store = open()?;
    store.add_kiosk("K1", 1, "key", Utc::now())?;
    store.add_kiosk("K0", 2, "key0", Utc::now())?;
    for i in 0..12 {
        store.record_heartbeat("K1", &format!("{{\"n\":{i}}}"), Utc::now(), 5)?;
    }
    assert_eq!(store.heartbeat_count("K1")?, 5);
    let reference = ClaimReference::new(1, 1)?;
    store.insert_claim(&claim("K1", "c1", &reference))?;
    let fleet = store.fleet()?;
    let ids: Vec<&str> = fleet.iter().map(|row| row.kiosk.id.as_str()).collect();
    assert_eq!(ids, ["K0", "K1"], "the fleet is listed by id");
    assert_eq!((fleet[0].last.as_ref(), fleet[0].claims), (None, 0));
    assert_eq!(
        fleet[1].last.as_ref().map(|(_, b)| b.as_str()),
        Some("{\"n\":11}")
    );
    assert_eq!(fleet[1].claims, 1);
    Ok(())
}

fn highest_sequence_reads_only_the_numbers_references(open: Open<'_>) -> TestResult {
    let store = open()?;
    store.add_kiosk("K1", 7, "key-one", Utc::now())?;
    assert_eq!(store.highest_sequence(7)?, 0);
    for (claim_id, reference) in [
        ("a", ClaimReference::new(7, 12)?),
        ("b", ClaimReference::new(7, 9)?),
        ("c", ClaimReference::new(8, 999)?),
        ("d", ClaimReference::new(99_999, 42)?),
    ] {
        assert_eq!(
            store.insert_claim(&claim("K1", claim_id, &reference))?,
            Inserted::New
        );
    }
    assert_eq!(store.highest_sequence(7)?, 12);
    assert_eq!(store.highest_sequence(8)?, 999);
    assert_eq!(store.highest_sequence(9)?, 0);
    assert_eq!(store.highest_sequence(99_999)?, 42);
    Ok(())
}

/// Runs `work(store, round)` on two threads at once, each with its own store, for `rounds` rounds that start
/// together; returns each round's two outcomes.
fn two_at_once<T: Send + 'static>(
    open: Open<'_>,
    rounds: u32,
    work: impl Fn(&Store, u32, usize) -> Result<T, StoreError> + Send + Sync + 'static,
) -> Result<Vec<[T; 2]>, Box<dyn std::error::Error>> {
    let stores = [Arc::new(open()?), Arc::new(open()?)];
    let work = Arc::new(work);
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = stores
        .iter()
        .enumerate()
        .map(|(side, store)| {
            let (store, work, barrier) =
                (Arc::clone(store), Arc::clone(&work), Arc::clone(&barrier));
            std::thread::spawn(move || {
                (0..rounds)
                    .map(|round| {
                        barrier.wait();
                        work(&store, round, side)
                    })
                    .collect::<Result<Vec<T>, StoreError>>()
            })
        })
        .collect();
    let mut sides = Vec::new();
    for handle in handles {
        sides.push(handle.join().map_err(|_| "a storing thread panicked")??);
    }
    let second = sides.pop().ok_or("no second side")?;
    let first = sides.pop().ok_or("no first side")?;
    Ok(first.into_iter().zip(second).map(|(a, b)| [a, b]).collect())
}

fn a_claim_stored_by_two_stores_at_once_is_one_row_and_one_repeat(open: Open<'_>) -> TestResult {
    open()?.add_kiosk("K1", 1, "key", Utc::now())?;
    let rounds = 25;
    let outcomes = two_at_once(open, rounds, |store, round, _side| {
        let reference =
            ClaimReference::new(1, u64::from(round) + 1).map_err(|e| StoreError::Sqlite {
                doing: "making a reference",
                message: e.to_string(),
            })?;
        store.insert_claim(&claim("K1", &format!("claim-{round}"), &reference))
    })?;
    for (round, pair) in outcomes.iter().enumerate() {
        let new = pair.iter().filter(|o| **o == Inserted::New).count();
        let repeats = pair
            .iter()
            .filter(|o| matches!(o, Inserted::KeyExists(e) if e.kiosk_id == "K1" && e.receipt == "{\"receipt\":1}"))
            .count();
        assert_eq!((new, repeats), (1, 1), "round {round}: {pair:?}");
    }
    let store = open()?;
    assert_eq!(store.fleet()?[0].claims, u64::from(rounds));
    assert_eq!(store.highest_sequence(1)?, u64::from(rounds));
    Ok(())
}

fn a_reference_stored_by_two_claim_ids_at_once_is_stored_once(open: Open<'_>) -> TestResult {
    open()?.add_kiosk("K1", 1, "key", Utc::now())?;
    let rounds = 25;
    let outcomes = two_at_once(open, rounds, |store, round, side| {
        let reference =
            ClaimReference::new(1, u64::from(round) + 1).map_err(|e| StoreError::Sqlite {
                doing: "making a reference",
                message: e.to_string(),
            })?;
        store.insert_claim(&claim("K1", &format!("claim-{round}-{side}"), &reference))
    })?;
    for (round, pair) in outcomes.iter().enumerate() {
        let mut pair = pair.to_vec();
        pair.sort_by_key(|o| matches!(o, Inserted::ReferenceTaken));
        assert_eq!(
            pair,
            [Inserted::New, Inserted::ReferenceTaken],
            "round {round}"
        );
    }
    assert_eq!(open()?.fleet()?[0].claims, u64::from(rounds));
    Ok(())
}

fn a_claim_reads_back_with_its_status_history_and_packet_key(open: Open<'_>) -> TestResult {
    let store = open()?;
    store.add_kiosk("K1", 1, "key", Utc::now())?;
    let reference = ClaimReference::new(1, 5)?;
    assert!(store.existing_claim("c5")?.is_none());
    assert_eq!(
        store.insert_claim(&claim("K1", "c5", &reference))?,
        Inserted::New
    );
    let existing = store
        .existing_claim("c5")?
        .ok_or("the stored claim is not found")?;
    assert_eq!(
        (existing.kiosk_id.as_str(), existing.body_sha256.as_str()),
        ("K1", "00")
    );
    let status = store.claim_status(&reference)?.ok_or("no status")?;
    assert_eq!(
        (status.status.as_str(), status.nik_hash.as_str()),
        ("received", "nik-hash")
    );
    assert!(store.set_status(
        &reference,
        "rejected",
        Some("document unreadable"),
        Utc::now()
    )?);
    let status = store.claim_status(&reference)?.ok_or("no status")?;
    assert_eq!(
        (status.status.as_str(), status.reason.as_deref()),
        ("rejected", Some("document unreadable"))
    );
    let unknown = ClaimReference::new(1, 6)?;
    assert!(!store.set_status(&unknown, "paid", None, Utc::now())?);
    assert!(store.claim_status(&unknown)?.is_none());
    assert_eq!(
        store.packet(&reference)?,
        Some(StoredPacket {
            sha256: "00".into(),
            place: PacketPlace::Blob("packets/key".into())
        })
    );
    assert!(store.packet(&unknown)?.is_none());
    Ok(())
}

fn a_signature_is_a_replay_until_forgotten(open: Open<'_>) -> TestResult {
    let store = open()?;
    let now = Utc::now().timestamp();
    let (one, two) = ([1u8; 64], [2u8; 64]);
    assert!(store.remember_signature(&one, now + 300, now)?);
    assert!(
        !store.remember_signature(&one, now + 300, now)?,
        "a replay was not seen"
    );
    assert!(store.remember_signature(&two, now + 300, now)?);
    store.forget_signature(&one)?;
    assert!(
        store.remember_signature(&one, now + 300, now)?,
        "a forgotten signature is still seen"
    );
    Ok(())
}

fn an_upload_moves_only_from_its_durable_offset_and_is_swept_when_expired(
    open: Open<'_>,
) -> TestResult {
    let store = open()?;
    store.add_kiosk("K1", 1, "key", Utc::now())?;
    let claim_id = uuid::Uuid::new_v4();
    store.create_upload(&NewUpload {
        id: "u1",
        kiosk_id: "K1",
        claim_id,
        packet_signature: &[9; 64],
        length: 10,
        created_at: Utc::now(),
        expires_at: 1_000,
    })?;
    assert!(store.upload_exists("u1")?);
    assert!(!store.upload_exists("u2")?);
    assert!(store.move_upload_offset("u1", 0, 4, 2_000)?);
    assert!(
        !store.move_upload_offset("u1", 0, 8, 2_000)?,
        "moved from a stale offset"
    );
    let row = store.upload("u1")?.ok_or("the upload is gone")?;
    assert_eq!(
        (
            row.claim_id,
            row.packet_signature,
            row.length,
            row.offset,
            row.expires_at
        ),
        (claim_id, [9; 64], 10, 4, 2_000)
    );
    store.restart_upload("u1")?;
    assert_eq!(store.upload("u1")?.map(|r| r.offset), Some(0));
    store.finish_upload("u1", "{\"r\":1}", 201)?;
    assert_eq!(
        store.upload("u1")?.and_then(|r| r.receipt),
        Some(("{\"r\":1}".to_owned(), 201))
    );
    assert!(store.expired_uploads(2_000)?.is_empty());
    assert_eq!(store.expired_uploads(2_001)?, ["u1"]);
    store.delete_expired_upload("u1", 1_999)?;
    assert!(store.upload_exists("u1")?, "deleted before its expiry");
    store.delete_expired_upload("u1", 2_001)?;
    assert!(store.upload("u1")?.is_none());
    Ok(())
}

fn reopening_keeps_everything_and_migrates_nothing_twice(open: Open<'_>) -> TestResult {
    {
        let store = open()?;
        store.add_kiosk("K1", 1, "key", Utc::now())?;
        store.insert_claim(&claim("K1", "c1", &ClaimReference::new(1, 1)?))?;
    }
    let store = open()?;
    drop(open()?);
    assert_eq!(store.list_kiosks()?.len(), 1);
    assert_eq!(store.fleet()?[0].claims, 1);
    assert!(store.existing_claim("c1")?.is_some());
    Ok(())
}

fn packets_kept_in_rows_move_to_the_packet_store_once_and_a_mismatched_one_stays(
    open: Open<'_>,
) -> TestResult {
    use crate::blobs::{FolderBlobs, packet_bytes};
    use sha2::{Digest as _, Sha256};
    let store = open()?;
    let dir = tempfile::tempdir()?;
    let blobs = FolderBlobs::new(dir.path().join("packets"));
    store.add_kiosk("K1", 1, "key", Utc::now())?;
    let mut references = Vec::new();
    // 250 claims from before packets left the database (more than one batch), one of them damaged.
    for n in 1..=250u64 {
        let reference = ClaimReference::new(1, n)?;
        let claim_id = format!("c{n:03}");
        store.insert_claim(&claim("K1", &claim_id, &reference))?;
        let packet = format!("sealed packet {n}").into_bytes();
        let sha = hex::encode(Sha256::digest(&packet));
        let kept = if n == 7 {
            b"damaged".to_vec()
        } else {
            packet.clone()
        };
        store.keep_packet_inline(&claim_id, &kept, &sha)?;
        references.push((reference, packet));
    }
    let report = crate::packet_move::move_inline_packets(&*store, &blobs)?;
    assert_eq!(report.moved, 249);
    assert_eq!(report.mismatched, ["c007"]);
    for (n, (reference, packet)) in (1..).zip(&references) {
        let stored = store.packet(reference)?.ok_or("no packet")?;
        if n == 7 {
            assert_eq!(stored.place, PacketPlace::Inline(b"damaged".to_vec()));
            continue;
        }
        assert!(matches!(stored.place, PacketPlace::Blob(_)), "claim {n}");
        assert_eq!(&packet_bytes(&blobs, stored)?, packet, "claim {n}");
    }
    // Run again: nothing left to move but the damaged one.
    let again = crate::packet_move::move_inline_packets(&*store, &blobs)?;
    assert_eq!((again.moved, again.mismatched.len()), (0, 1));
    Ok(())
}
