//! Crash safety: a process storing claims is killed with SIGKILL at random moments, again and again; after
//! every restart each claim it reported as saved is present exactly once and the database is sound.
//!
//! The writer process is this test binary itself, re-executed with [`CHILD_ENV`] set to the database path:
//! the `crash_child_entry` test then runs the submit loop until it is killed.

// Test helpers outside `#[test]` functions may panic on failure too.
#![allow(clippy::unwrap_used)]

mod common;

use lapak_kiosk::claim::reference::ClaimReference;
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use lapak_kiosk::claim::DocumentKind;
use lapak_kiosk::outbox::{NIK_KDF, NewClaim, NikHashKey, Outbox, OutboxLimits, SaltedNikHash};
use rusqlite::OptionalExtension;
use uuid::Uuid;

/// Set (to the database path) in the re-executed child.
const CHILD_ENV: &str = "LAPAK_OUTBOX_CRASH_CHILD";
/// How many times the child is killed.
const KILLS: usize = 200;
/// The participant's NIK hash (`<salt hex>:<hash hex>`), made once by the parent: argon2id takes tens of
/// milliseconds, and the kills are meant to land in the commits.
const NIK_HASH_ENV: &str = "LAPAK_OUTBOX_CRASH_NIK_HASH";
/// What the child prints after `submit` returned.
const SAVED: &str = "SAVED ";

fn limits() -> OutboxLimits {
    OutboxLimits {
        max_pending: u64::MAX,
        min_free_bytes: 0,
        retention_days: 30,
    }
}

fn nik_key() -> NikHashKey {
    NikHashKey::derive(&common::kiosk_key())
}

/// The child's work: store claims as fast as it can, report each one after it is committed, and now and
/// then take one for delivery (leaving it `sending`) or mark one delivered. Runs until killed.
fn submit_until_killed(path: &Path) -> ! {
    let outbox = Outbox::open(path, limits(), nik_key()).unwrap();
    let recipient = common::central_identity().to_public();
    let person = common::Person::numbered(7);
    let sealed = common::seal_claim(
        &person,
        &ClaimReference::new(42, 0).unwrap(),
        Uuid::new_v4(),
        &[common::photo(DocumentKind::Selfie, 16, 16)],
        &recipient,
    );
    let encoded = std::env::var(NIK_HASH_ENV).unwrap();
    let (salt, hash) = encoded.split_once(':').unwrap();
    let nik_hash = SaltedNikHash {
        hash: hex::decode(hash).unwrap().try_into().unwrap(),
        salt: hex::decode(salt).unwrap().try_into().unwrap(),
        params: NIK_KDF,
    };
    loop {
        let sequence = outbox.next_sequence().unwrap();
        let reference = ClaimReference::new(42, sequence).unwrap();
        outbox
            .submit_hashed(
                NewClaim {
                    claim_id: Uuid::new_v4(),
                    reference: &reference,
                    created_at: Utc::now(),
                    nik: &person.nik,
                    test: true,
                    sealed: &sealed,
                },
                nik_hash.clone(),
            )
            .unwrap();
        println!("{SAVED}{}", reference.digits());
        if sequence.is_multiple_of(3)
            && let Some(claim) = outbox.next_due(Utc::now()).unwrap()
            && sequence.is_multiple_of(2)
        {
            outbox.mark_delivered(claim.id, "{}", Utc::now()).unwrap();
        }
    }
}

#[test]
fn crash_child_entry() {
    // Only does something in the re-executed child; see the module doc.
    if let Some(path) = std::env::var_os(CHILD_ENV) {
        submit_until_killed(Path::new(&path));
    }
}

fn random_below(limit: u64) -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap();
    u64::from_le_bytes(bytes) % limit
}

/// Checks the database after a crash, then opens the outbox as the kiosk does at start-up; returns how many
/// claims left `sending` were put back to `pending`.
fn check_after_crash(path: &Path, saved: &HashSet<String>) -> usize {
    if !path.exists() {
        assert!(
            saved.is_empty(),
            "claims were reported saved but there is no database"
        );
        return 0;
    }
    let sending_before: usize;
    {
        let conn = rusqlite::Connection::open(path).unwrap();
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
        let version: u32 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        if version == 0 {
            // Killed before the first migration committed: nothing can have been saved.
            assert!(saved.is_empty());
            return 0;
        }
        sending_before = conn
            .query_row(
                "SELECT count(*) FROM claims WHERE state = 'sending'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        let (rows, references, claim_ids): (usize, usize, usize) = conn
            .query_row(
                "SELECT count(*), count(DISTINCT reference), count(DISTINCT claim_id) FROM claims",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .unwrap();
        assert_eq!((rows, rows), (references, claim_ids), "duplicate rows");
        assert!(
            rows >= saved.len(),
            "{rows} rows but {} reported saved",
            saved.len()
        );
        // The sequence is the seven digits after the kiosk number.
        let max_used: Option<i64> = conn
            .query_row(
                "SELECT max(CAST(substr(reference, 6, 7) AS INTEGER)) FROM claims",
                [],
                |row| row.get(0),
            )
            .unwrap();
        let next: i64 = conn
            .query_row("SELECT next FROM sequence WHERE id = 1", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert!(
            max_used.unwrap_or(0) < next,
            "sequence {next} would repeat {max_used:?}"
        );
    }

    let outbox = Outbox::open(path, limits(), nik_key()).unwrap();
    assert_eq!(outbox.requeued_at_open(), sending_before);
    assert_eq!(outbox.stats(Utc::now()).unwrap().sending, 0);
    let person = common::Person::numbered(7);
    for reference in saved {
        let claim = outbox
            .lookup_by_reference(&reference.parse().unwrap())
            .unwrap();
        assert!(
            claim.is_some(),
            "claim {reference} was reported saved but is missing"
        );
    }
    let conn = rusqlite::Connection::open(path).unwrap();
    // Delivery and clearing the NIK hash are one transaction: no crash separates them.
    let delivered_with_hash: i64 = conn
        .query_row(
            "SELECT count(*) FROM claims WHERE state = 'delivered' AND nik_hash IS NOT NULL",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(delivered_with_hash, 0);
    // The newest undelivered claim still matches its NIK (one argon2 check per round).
    let newest: Option<String> = conn
        .query_row(
            "SELECT reference FROM claims WHERE state != 'delivered' ORDER BY id DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .optional()
        .unwrap();
    if let Some(reference) = newest.filter(|reference| saved.contains(reference)) {
        assert!(
            outbox
                .matches_nik(&reference.parse().unwrap(), &person.nik)
                .unwrap()
        );
    }
    outbox.integrity_check().unwrap();
    outbox.requeued_at_open()
}

#[test]
fn killed_writer_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.db");
    let exe = std::env::current_exe().unwrap();
    let mut saved: HashSet<String> = HashSet::new();
    let mut saved_in_order: Vec<String> = Vec::new();
    let mut requeued = 0;
    let started = Instant::now();
    let salted = nik_key().salted(&common::Person::numbered(7).nik).unwrap();
    let nik_hash = format!("{}:{}", hex::encode(salted.salt), hex::encode(salted.hash));

    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_child_entry",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .env(NIK_HASH_ENV, &nik_hash)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Mostly mid-loop, sometimes right at start-up (open, migrations, requeue).
        let delay = if round.is_multiple_of(5) {
            random_below(15)
        } else {
            10 + random_below(60)
        };
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "the child must have been killed, not finished"
        );
        let mut output = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut output)
            .unwrap();
        for line in output.lines() {
            if let Some(reference) = line.strip_prefix(SAVED) {
                assert!(
                    saved.insert(reference.to_owned()),
                    "reference {reference} reported twice"
                );
                saved_in_order.push(reference.to_owned());
            }
        }
        requeued += check_after_crash(&path, &saved);
    }

    // The child made real progress, so the kills landed in the middle of the work.
    assert!(
        saved.len() >= KILLS,
        "only {} claims were saved over {KILLS} runs",
        saved.len()
    );
    assert!(requeued > 0, "no claim was ever caught in flight");
    let sequences: HashSet<u64> = saved_in_order
        .iter()
        .map(|reference| reference[2..].parse().unwrap())
        .collect();
    assert_eq!(sequences.len(), saved_in_order.len());
    eprintln!(
        "{KILLS} kills, {} claims reported saved, {requeued} requeued, {:.1} s",
        saved.len(),
        started.elapsed().as_secs_f64()
    );
}
