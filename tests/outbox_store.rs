//! The outbox's behaviour on real database files: storing, delivery states, limits, retention, export.

// Test helpers outside `#[test]` functions may panic on failure too.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use lapak_kiosk::claim::DocumentKind;
use lapak_kiosk::claim::reference::ClaimReference;
use lapak_kiosk::outbox::{
    ClaimFilter, ClaimState, FullReason, NewClaim, NikHashKey, Outbox, OutboxError, OutboxLimits,
};
use lapak_kiosk::packet::{self, SealedPacket};
use sha2::Digest;
use uuid::Uuid;

fn roomy() -> OutboxLimits {
    OutboxLimits {
        max_pending: 1000,
        min_free_bytes: 0,
        retention_days: 30,
    }
}

fn open(path: &Path, limits: OutboxLimits) -> Outbox {
    Outbox::open(path, limits, NikHashKey::derive(&common::kiosk_key())).unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    identity: age::x25519::Identity,
    outbox: Outbox,
}

fn fixture(limits: OutboxLimits) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.db");
    let outbox = open(&path, limits);
    Fixture {
        _dir: dir,
        path,
        identity: common::central_identity(),
        outbox,
    }
}

fn sealed(fx: &Fixture, n: u32, reference: &ClaimReference) -> SealedPacket {
    common::seal_claim(
        &common::Person::numbered(n),
        reference,
        Uuid::new_v4(),
        &[common::photo(DocumentKind::Selfie, 16, 16)],
        &fx.identity.to_public(),
    )
}

/// Submits claim `n` with reference [`r`]`(n)`, created at `t0 + n minutes`.
fn submit(fx: &Fixture, n: u32) -> Result<lapak_kiosk::outbox::SavedClaim, OutboxError> {
    let reference = r(n.into());
    let sealed = sealed(fx, n, &reference);
    let person = common::Person::numbered(n);
    fx.outbox.submit(NewClaim {
        claim_id: Uuid::new_v4(),
        reference: &reference,
        created_at: at(i64::from(n)),
        nik: &person.nik,
        test: false,
        sealed: &sealed,
    })
}

/// The reference of claim `n` (kiosk number 42).
fn r(n: u64) -> ClaimReference {
    ClaimReference::new(42, n).unwrap()
}

fn at(minutes: i64) -> DateTime<Utc> {
    common::t0() + TimeDelta::minutes(minutes)
}

#[test]
fn submitted_claim_is_due_and_its_packet_comes_back_intact() {
    let fx = fixture(roomy());
    let person = common::Person::numbered(1);
    let claim_id = Uuid::new_v4();
    let reference = r(17);
    let sealed = sealed(&fx, 1, &reference);
    let saved = fx
        .outbox
        .submit(NewClaim {
            claim_id,
            reference: &reference,
            created_at: at(0),
            nik: &person.nik,
            test: true,
            sealed: &sealed,
        })
        .unwrap();
    assert_eq!(saved.reference, reference);
    assert_eq!(saved.packet_bytes, sealed.ciphertext.len() as u64);

    assert_eq!(
        fx.outbox.next_due(at(-1)).unwrap(),
        None,
        "not due before it was made"
    );
    let out = fx.outbox.next_due(at(0)).unwrap().unwrap();
    assert_eq!(out.id, saved.id);
    assert_eq!(out.claim_id, claim_id);
    assert_eq!(out.ciphertext, sealed.ciphertext);
    assert_eq!(out.signature, sealed.signature);
    assert_eq!(out.attempts, 0);
    packet::verify_signature(
        &out.ciphertext,
        &out.signature,
        &common::kiosk_key().verifying_key(),
    )
    .unwrap();

    let summary = fx.outbox.lookup_by_reference(&reference).unwrap().unwrap();
    assert_eq!(summary.state, ClaimState::Sending);
    assert!(summary.test);
    assert_eq!(
        fx.outbox.next_due(at(10)).unwrap(),
        None,
        "a sending claim is not handed out twice"
    );
}

#[test]
fn duplicate_reference_or_claim_id_is_refused() {
    let fx = fixture(roomy());
    submit(&fx, 1).unwrap();
    assert_eq!(
        submit(&fx, 1).err(),
        Some(OutboxError::AlreadyStored { reference: r(1) })
    );
    let (r77, r78) = (r(77), r(78));
    let sealed = sealed(&fx, 2, &r77);
    let claim_id = Uuid::new_v4();
    let claim = NewClaim {
        claim_id,
        reference: &r77,
        created_at: at(0),
        nik: "3173054509870002",
        test: false,
        sealed: &sealed,
    };
    fx.outbox.submit(claim).unwrap();
    let again = NewClaim {
        reference: &r78,
        ..claim
    };
    assert!(matches!(
        fx.outbox.submit(again),
        Err(OutboxError::AlreadyStored { .. })
    ));
}

#[test]
fn a_row_whose_reference_no_longer_parses_is_reported_with_its_row_id() {
    let fx = fixture(roomy());
    let saved = submit(&fx, 1).unwrap();
    // The file was altered outside the kiosk: the stored reference lost its check digit.
    let whole = r(1);
    let damaged = &whole.digits()[..12];
    rusqlite::Connection::open(&fx.path)
        .unwrap()
        .execute(
            "UPDATE claims SET reference = ?1 WHERE id = ?2",
            rusqlite::params![damaged, saved.id],
        )
        .unwrap();
    let expected = |error: OutboxError| match error {
        OutboxError::Damaged { id, reason } => {
            assert_eq!(id, saved.id);
            assert!(reason.contains(damaged), "{reason}");
        }
        other => panic!("expected a damaged row, got {other:?}"),
    };
    expected(fx.outbox.list(&ClaimFilter::default()).unwrap_err());
    expected(fx.outbox.next_due(at(5)).unwrap_err());
    let usb = fx._dir.path().join("usb");
    expected(fx.outbox.export(&usb, "KIOSK-00042", at(20)).unwrap_err());
}

#[test]
fn state_transitions_follow_delivery() {
    let fx = fixture(roomy());
    let a = submit(&fx, 1).unwrap();
    let b = submit(&fx, 2).unwrap();
    let c = submit(&fx, 3).unwrap();

    // Oldest first.
    let first = fx.outbox.next_due(at(5)).unwrap().unwrap();
    assert_eq!(first.id, a.id);
    fx.outbox
        .mark_retry(a.id, "central service answered 503", at(30))
        .unwrap();
    let second = fx.outbox.next_due(at(5)).unwrap().unwrap();
    assert_eq!(second.id, b.id, "a claim waiting to retry is not due yet");
    fx.outbox
        .mark_delivered(b.id, r#"{"receipt":"R-1","status":"received"}"#, at(6))
        .unwrap();
    let third = fx.outbox.next_due(at(6)).unwrap().unwrap();
    assert_eq!(third.id, c.id);
    fx.outbox
        .mark_held(c.id, "422 wrong_recipient: sealed to another key", at(7))
        .unwrap();
    assert_eq!(fx.outbox.next_due(at(29)).unwrap(), None);
    let retried = fx.outbox.next_due(at(30)).unwrap().unwrap();
    assert_eq!((retried.id, retried.attempts), (a.id, 1));

    let a_now = fx.outbox.lookup_by_reference(&r(1)).unwrap().unwrap();
    assert_eq!(a_now.state, ClaimState::Sending);
    assert_eq!(
        a_now.last_error.as_deref(),
        Some("central service answered 503")
    );
    assert_eq!(a_now.next_attempt_at, at(30));
    let b_now = fx.outbox.lookup_by_reference(&r(2)).unwrap().unwrap();
    assert_eq!(b_now.state, ClaimState::Delivered);
    assert_eq!(b_now.delivered_at, Some(at(6)));
    assert_eq!(
        b_now.receipt.as_deref(),
        Some(r#"{"receipt":"R-1","status":"received"}"#)
    );
    let c_now = fx.outbox.lookup_by_reference(&r(3)).unwrap().unwrap();
    assert_eq!(c_now.state, ClaimState::Held);
    assert_eq!(
        c_now.last_error.as_deref(),
        Some("422 wrong_recipient: sealed to another key")
    );

    // Finished claims cannot change again; unknown ids are named.
    assert_eq!(
        fx.outbox.mark_retry(b.id, "late", at(40)),
        Err(OutboxError::WrongState {
            id: b.id,
            state: ClaimState::Delivered,
            action: "retried"
        })
    );
    assert!(matches!(
        fx.outbox.mark_delivered(c.id, "{}", at(40)),
        Err(OutboxError::WrongState {
            state: ClaimState::Held,
            ..
        })
    ));
    assert_eq!(
        fx.outbox.mark_held(9999, "x", at(40)),
        Err(OutboxError::NotFound { id: 9999 })
    );
    assert!(matches!(
        fx.outbox.mark_delivered(a.id, "not json", at(40)),
        Err(OutboxError::InvalidReceipt { .. })
    ));

    let stats = fx.outbox.stats(at(60)).unwrap();
    assert_eq!(
        (stats.pending, stats.sending, stats.delivered, stats.held),
        (0, 1, 1, 1)
    );
    assert_eq!(stats.oldest_pending_age, Some(TimeDelta::minutes(59)));
    assert_eq!(
        stats.last_error.as_deref(),
        Some("central service answered 503")
    );

    let held = fx
        .outbox
        .list(&ClaimFilter {
            state: Some(ClaimState::Held),
            limit: 10,
        })
        .unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].reference, r(3));
    let all = fx.outbox.list(&ClaimFilter::default()).unwrap();
    let refs: Vec<&ClaimReference> = all.iter().map(|c| &c.reference).collect();
    assert_eq!(refs, [&r(3), &r(2), &r(1)]);
}

#[test]
fn requeue_puts_a_held_claim_back_due_now_keeping_its_reason_and_refuses_other_states() {
    let fx = fixture(roomy());
    let held = submit(&fx, 1).unwrap();
    let pending = submit(&fx, 2).unwrap();
    let out = fx.outbox.next_due(at(1)).unwrap().unwrap();
    assert_eq!(out.id, held.id);
    fx.outbox
        .mark_held(out.id, "422 hash_mismatch: document 2", at(2))
        .unwrap();
    // Held claims are not sent: only the pending one is due.
    let next = fx.outbox.next_due(at(50)).unwrap().unwrap();
    assert_eq!(next.id, pending.id);
    fx.outbox.mark_retry(next.id, "503", at(500)).unwrap();
    assert_eq!(fx.outbox.next_due(at(60)).unwrap(), None);

    assert_eq!(
        fx.outbox.requeue(&r(2), at(60)),
        Err(OutboxError::NotHeld {
            reference: r(2),
            state: ClaimState::Pending
        })
    );
    assert_eq!(
        fx.outbox.requeue(&r(999_999), at(60)),
        Err(OutboxError::UnknownReference {
            reference: r(999_999)
        })
    );
    fx.outbox.requeue(&r(1), at(60)).unwrap();
    let again = fx.outbox.lookup_by_reference(&r(1)).unwrap().unwrap();
    assert_eq!(again.state, ClaimState::Pending);
    assert_eq!(again.next_attempt_at, at(60));
    assert_eq!(
        again.last_error.as_deref(),
        Some("422 hash_mismatch: document 2"),
        "the hold reason stays until the next attempt"
    );
    let due = fx.outbox.next_due(at(60)).unwrap().unwrap();
    assert_eq!((due.id, due.attempts), (held.id, 1));
    // A claim requeued but not yet sent is no longer held.
    assert!(matches!(
        fx.outbox.requeue(&r(1), at(61)),
        Err(OutboxError::NotHeld { .. })
    ));
}

#[test]
fn requeue_held_puts_every_held_claim_back_and_counts_them() {
    let fx = fixture(roomy());
    for n in 1..=3 {
        submit(&fx, n).unwrap();
    }
    for _ in 0..2 {
        let out = fx.outbox.next_due(at(5)).unwrap().unwrap();
        fx.outbox
            .mark_held(out.id, "409 reference_taken", at(5))
            .unwrap();
    }
    assert_eq!(fx.outbox.stats(at(6)).unwrap().held, 2);
    assert_eq!(fx.outbox.requeue_held(at(10)).unwrap(), 2);
    let stats = fx.outbox.stats(at(10)).unwrap();
    assert_eq!((stats.pending, stats.held), (3, 0));
    assert_eq!(fx.outbox.requeue_held(at(11)).unwrap(), 0);
    let mut due = Vec::new();
    while let Some(claim) = fx.outbox.next_due(at(10)).unwrap() {
        due.push(claim.reference);
    }
    due.sort();
    assert_eq!(due, [r(1), r(2), r(3)]);
}

#[test]
fn reopening_puts_sending_claims_back_to_pending() {
    let fx = fixture(roomy());
    let a = submit(&fx, 1).unwrap();
    submit(&fx, 2).unwrap();
    submit(&fx, 3).unwrap();
    fx.outbox.next_due(at(10)).unwrap().unwrap();
    fx.outbox.next_due(at(10)).unwrap().unwrap();
    assert_eq!(fx.outbox.stats(at(10)).unwrap().sending, 2);
    let Fixture {
        _dir, path, outbox, ..
    } = fx;
    drop(outbox);

    let reopened = open(&path, roomy());
    assert_eq!(reopened.requeued_at_open(), 2);
    let stats = reopened.stats(at(10)).unwrap();
    assert_eq!((stats.pending, stats.sending), (3, 0));
    assert_eq!(reopened.next_due(at(10)).unwrap().unwrap().id, a.id);
    drop(reopened);
    assert_eq!(open(&path, roomy()).requeued_at_open(), 1);
}

#[test]
fn full_outbox_refuses_with_the_pending_count() {
    let fx = fixture(OutboxLimits {
        max_pending: 2,
        ..roomy()
    });
    submit(&fx, 1).unwrap();
    submit(&fx, 2).unwrap();
    assert_eq!(
        submit(&fx, 3).err(),
        Some(OutboxError::Full {
            reason: FullReason::TooManyPending { pending: 2, max: 2 }
        })
    );
    // A claim in flight still counts; a delivered one frees room.
    let out = fx.outbox.next_due(at(10)).unwrap().unwrap();
    assert!(matches!(submit(&fx, 3), Err(OutboxError::Full { .. })));
    fx.outbox.mark_delivered(out.id, "{}", at(11)).unwrap();
    submit(&fx, 3).unwrap();
    assert_eq!(fx.outbox.stats(at(11)).unwrap().pending, 2);
}

#[test]
fn full_disk_refuses_with_the_free_space() {
    let fx = fixture(OutboxLimits {
        min_free_bytes: u64::MAX / 2,
        ..roomy()
    });
    match submit(&fx, 1) {
        Err(OutboxError::Full {
            reason:
                FullReason::LowDiskSpace {
                    free_bytes,
                    min_free_bytes,
                },
        }) => {
            assert!(free_bytes > 0 && free_bytes < u64::MAX / 2, "{free_bytes}");
            assert!(min_free_bytes > u64::MAX / 2);
        }
        other => panic!("expected a low-disk refusal, got {other:?}"),
    }
    assert_eq!(fx.outbox.stats(at(0)).unwrap().pending, 0);
}

#[test]
fn purge_deletes_only_delivered_claims_past_retention() {
    let fx = fixture(OutboxLimits {
        retention_days: 7,
        ..roomy()
    });
    let old = submit(&fx, 1).unwrap();
    let recent = submit(&fx, 2).unwrap();
    let held = submit(&fx, 3).unwrap();
    submit(&fx, 4).unwrap();
    let day = |d: i64| at(0) + TimeDelta::days(d);
    for (claim, delivered) in [(&old, day(1)), (&recent, day(5))] {
        let out = fx.outbox.next_due(day(1)).unwrap().unwrap();
        assert_eq!(out.id, claim.id);
        fx.outbox.mark_delivered(out.id, "{}", delivered).unwrap();
    }
    let out = fx.outbox.next_due(day(1)).unwrap().unwrap();
    assert_eq!(out.id, held.id);
    fx.outbox
        .mark_held(out.id, "invalid packet", day(1))
        .unwrap();

    assert_eq!(
        fx.outbox.purge(day(8)).unwrap(),
        0,
        "exactly 7 days is kept"
    );
    assert_eq!(fx.outbox.purge(day(9)).unwrap(), 1);
    assert!(fx.outbox.lookup_by_reference(&r(1)).unwrap().is_none());
    let left: Vec<ClaimReference> = fx
        .outbox
        .list(&ClaimFilter::default())
        .unwrap()
        .into_iter()
        .map(|c| c.reference)
        .collect();
    assert_eq!(left, [r(4), r(3), r(2)]);
    assert_eq!(fx.outbox.purge(day(13)).unwrap(), 1);
    assert_eq!(
        fx.outbox.purge(day(400)).unwrap(),
        0,
        "held and pending claims are kept"
    );
}

#[test]
fn sequence_numbers_never_repeat_across_reopen() {
    let fx = fixture(roomy());
    let first: Vec<u64> = (0..5).map(|_| fx.outbox.next_sequence().unwrap()).collect();
    assert_eq!(first, [1, 2, 3, 4, 5]);
    let Fixture {
        _dir, path, outbox, ..
    } = fx;
    drop(outbox);
    let reopened = open(&path, roomy());
    assert_eq!(reopened.next_sequence().unwrap(), 6);
}

#[test]
fn nik_matches_only_its_own_claim() {
    let fx = fixture(roomy());
    submit(&fx, 1).unwrap();
    submit(&fx, 2).unwrap();
    let one = common::Person::numbered(1);
    let two = common::Person::numbered(2);
    assert!(fx.outbox.matches_nik(&r(1), &one.nik).unwrap());
    assert!(!fx.outbox.matches_nik(&r(1), &two.nik).unwrap());
    assert!(fx.outbox.matches_nik(&r(2), &two.nik).unwrap());
    assert!(!fx.outbox.matches_nik(&r(999), &one.nik).unwrap());
    // Another kiosk's key does not match.
    let other = Outbox::open(
        &fx.path,
        roomy(),
        NikHashKey::derive(&ed25519_dalek::SigningKey::from_bytes(&[9; 32])),
    )
    .unwrap();
    assert!(!other.matches_nik(&r(1), &one.nik).unwrap());
}

#[test]
fn reader_sees_commits_and_is_not_blocked_by_the_writer() {
    let fx = fixture(roomy());
    let reader = fx.outbox.reader().unwrap();
    assert_eq!(reader.stats(at(0)).unwrap().pending, 0);
    submit(&fx, 1).unwrap();
    assert_eq!(reader.stats(at(0)).unwrap().pending, 1);

    // Hold a write transaction open on another connection: reads still answer at once.
    let blocker = rusqlite::Connection::open(&fx.path).unwrap();
    blocker
        .execute_batch("BEGIN IMMEDIATE; UPDATE sequence SET next = next + 1;")
        .unwrap();
    let started = std::time::Instant::now();
    let moved = std::thread::spawn(move || reader.lookup_by_reference(&r(1)).unwrap().is_some());
    assert!(moved.join().unwrap());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "reader waited for the lock"
    );
    blocker.execute_batch("ROLLBACK").unwrap();
    fx.outbox.integrity_check().unwrap();
}

#[test]
fn export_writes_sealed_packets_signatures_and_an_index() {
    let fx = fixture(roomy());
    let mut packets = Vec::new();
    for n in 1..=3 {
        let reference = r(n.into());
        let sealed = sealed(&fx, n, &reference);
        fx.outbox
            .submit(NewClaim {
                claim_id: Uuid::new_v4(),
                reference: &reference,
                created_at: at(i64::from(n)),
                nik: &common::Person::numbered(n).nik,
                test: false,
                sealed: &sealed,
            })
            .unwrap();
        packets.push(sealed);
    }
    let delivered = fx.outbox.next_due(at(10)).unwrap().unwrap();
    fx.outbox
        .mark_delivered(delivered.id, "{}", at(10))
        .unwrap();
    let held = fx.outbox.next_due(at(10)).unwrap().unwrap();
    fx.outbox.mark_held(held.id, "bad", at(10)).unwrap();

    let usb = fx._dir.path().join("usb");
    let done = fx.outbox.export(&usb, "KIOSK-00042", at(20)).unwrap();
    assert_eq!(done.count, 2);
    // One folder per kiosk, one per export inside it.
    let out = usb.join("KIOSK-00042").join("20261102-095000Z");
    assert_eq!(done.folder, out);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            format!("{}.sig", r(2).digits()),
            format!("{}.tar.age", r(2).digits()),
            format!("{}.sig", r(3).digits()),
            format!("{}.tar.age", r(3).digits()),
            "index.json".to_owned()
        ]
    );
    for (n, sealed) in [(2usize, &packets[1]), (3, &packets[2])] {
        let ciphertext =
            std::fs::read(out.join(format!("{}.tar.age", r(n as u64).digits()))).unwrap();
        let signature = std::fs::read(out.join(format!("{}.sig", r(n as u64).digits()))).unwrap();
        assert_eq!(ciphertext, sealed.ciphertext);
        assert_eq!(signature, sealed.signature.to_bytes());
        let opened = packet::open(
            &SealedPacket {
                ciphertext: ciphertext.clone().into(),
                signature: ed25519_dalek::Signature::from_slice(&signature).unwrap(),
            },
            &fx.identity,
            &common::kiosk_key().verifying_key(),
        )
        .unwrap();
        assert_eq!(opened.manifest.reference, r(n as u64));
    }
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    let entries = index.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["reference"], r(2).digits());
    assert_eq!(entries[0]["state"], "held");
    assert_eq!(entries[0]["last_error"], "bad");
    assert_eq!(entries[1]["reference"], r(3).digits());
    assert_eq!(entries[1]["state"], "pending");
    assert_eq!(
        entries[1]["packet_sha256"],
        hex::encode(sha2::Sha256::digest(&packets[2].ciphertext))
    );
}

/// The outbox database's bytes and SQLite's verdict on them.
fn database_state(fx: &Fixture) -> Vec<u8> {
    fx.outbox.integrity_check().unwrap();
    std::fs::read(&fx.path).unwrap()
}

#[test]
fn export_refuses_symlinks_planted_on_the_stick_and_leaves_the_outbox_intact() {
    use std::os::unix::fs::symlink;
    let fx = fixture(roomy());
    submit(&fx, 1).unwrap();
    submit(&fx, 2).unwrap();
    let before = database_state(&fx);
    let stamp = "20261102-095000Z";

    // The kiosk's folder on the stick is a link to the data folder: refused, nothing written through it.
    let stick = fx._dir.path().join("stick-a");
    std::fs::create_dir_all(&stick).unwrap();
    symlink(fx._dir.path(), stick.join("KIOSK-00042")).unwrap();
    let refused = fx.outbox.export(&stick, "KIOSK-00042", at(20)).unwrap_err();
    assert!(
        matches!(&refused, OutboxError::Export { reason, .. } if reason.contains("symbolic link")),
        "{refused}"
    );
    assert!(!fx._dir.path().join(stamp).exists());

    // The export folder's name is taken by a link to the outbox database: a numbered new folder is used.
    let stick = fx._dir.path().join("stick-b");
    std::fs::create_dir_all(stick.join("KIOSK-00042")).unwrap();
    symlink(&fx.path, stick.join("KIOSK-00042").join(stamp)).unwrap();
    let done = fx.outbox.export(&stick, "KIOSK-00042", at(20)).unwrap();
    assert_eq!(
        done.folder,
        stick.join("KIOSK-00042").join(format!("{stamp}-2"))
    );
    assert_eq!(done.count, 2);

    // A file name inside a (pre-made, linked) export folder: the folder itself is refused as a link, and a
    // file planted as a link never gets written through.
    let stick = fx._dir.path().join("stick-c");
    let kiosk = stick.join("KIOSK-00042");
    std::fs::create_dir_all(kiosk.join("elsewhere")).unwrap();
    symlink(
        &fx.path,
        kiosk
            .join("elsewhere")
            .join(format!("{}.tar.age", r(1).digits())),
    )
    .unwrap();
    symlink(kiosk.join("elsewhere"), kiosk.join(stamp)).unwrap();
    let done = fx.outbox.export(&stick, "KIOSK-00042", at(20)).unwrap();
    assert_eq!(done.folder, kiosk.join(format!("{stamp}-2")));
    assert!(
        std::fs::symlink_metadata(
            kiosk
                .join("elsewhere")
                .join(format!("{}.tar.age", r(1).digits()))
        )
        .unwrap()
        .file_type()
        .is_symlink()
    );

    assert_eq!(database_state(&fx), before, "the outbox database changed");
    assert_eq!(fx.outbox.stats(at(30)).unwrap().pending, 2);
}

#[test]
fn a_second_export_in_the_same_second_never_overwrites_the_first() {
    let fx = fixture(roomy());
    submit(&fx, 1).unwrap();
    let stick = fx._dir.path().join("stick");
    let first = fx.outbox.export(&stick, "KIOSK-00042", at(20)).unwrap();
    let index = std::fs::read(first.folder.join("index.json")).unwrap();
    let packet = std::fs::read(first.folder.join(format!("{}.tar.age", r(1).digits()))).unwrap();
    submit(&fx, 2).unwrap();
    let second = fx.outbox.export(&stick, "KIOSK-00042", at(20)).unwrap();
    assert_ne!(second.folder, first.folder);
    assert_eq!((first.count, second.count), (1, 2));
    assert_eq!(
        std::fs::read(first.folder.join("index.json")).unwrap(),
        index
    );
    assert_eq!(
        std::fs::read(first.folder.join(format!("{}.tar.age", r(1).digits()))).unwrap(),
        packet
    );
    assert!(
        !first
            .folder
            .join(format!("{}.tar.age", r(2).digits()))
            .exists()
    );
    assert!(
        second
            .folder
            .join(format!("{}.tar.age", r(2).digits()))
            .is_file()
    );
    // A kiosk id that is not one folder name is refused.
    assert!(matches!(
        fx.outbox.export(&stick, "../x", at(20)),
        Err(OutboxError::Export { .. })
    ));
}
