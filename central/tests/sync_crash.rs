//! Crash: the uploading process is killed with SIGKILL mid-drain, again and again; every claim still ends
//! stored exactly once on the server (rows counted in its database) and delivered in the outbox.
//!
//! The uploading process is this test binary re-executed with `LAPAK_SYNC_CRASH_CHILD` set: it then runs only
//! [`uploading_process`], which drains the outbox to the central service.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use lapak_kiosk::sync::{CentralClient, ClaimQueue, drain_now};

const CHILD_ENV: &str = "LAPAK_SYNC_CRASH_CHILD";

/// The body of the uploading process (does nothing unless started by the crash test).
#[test]
fn uploading_process() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (dir, url) = spec.split_once('|').expect("dir|url");
    let key = kiosk_key(1);
    let outbox = outbox(&PathBuf::from(dir), &key);
    let client = CentralClient::new(&sync_config(url), credentials("K001", &key)).expect("client");
    let summary = drain_now(&client, &outbox, 1_000, &mut |_| {}).expect("drain");
    assert_eq!(summary.held, 0);
}

#[test]
fn killing_the_uploader_mid_drain_never_loses_or_duplicates_a_claim() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();
    let kiosk_dir = tmp.path().join("kiosk");
    // Enough claims that an idle machine cannot drain them all between the first kills.
    let claims = 300;
    {
        let outbox = outbox(&kiosk_dir, &key);
        submit_claims(
            &outbox,
            1,
            claims,
            "K001",
            &key,
            &central.recipient,
            300_000,
        );
    }
    let spec = format!("{}|{}", kiosk_dir.display(), central.url());
    let exe = std::env::current_exe().expect("test binary");
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(7)
        | 1;
    let mut kills_mid_drain = 0;
    let mut finished = false;
    for round in 0..100 {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "uploading_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &spec)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the uploading process");
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Kill after 30-150 ms until 15 kills landed mid-drain; then let it finish.
        if kills_mid_drain < 15 {
            std::thread::sleep(Duration::from_millis(30 + seed % 120));
            let running = matches!(child.try_wait(), Ok(None));
            if running {
                child.kill().expect("SIGKILL");
            }
            let _ = child.wait();
            if running && central.claim_count() < claims as i64 {
                kills_mid_drain += 1;
            }
        } else {
            let status = child.wait().expect("wait");
            assert!(status.success(), "the uploading process failed on its own");
        }
        let (stored, distinct) = central.claim_counts();
        assert_eq!(stored, distinct, "a claim was stored twice");
        assert!(stored <= claims as i64);
        let outbox = outbox(&kiosk_dir, &key);
        let depth = ClaimQueue::depth(&outbox, chrono::Utc::now()).expect("depth");
        if depth.pending == 0 {
            finished = true;
            eprintln!("drained after {round} rounds, {kills_mid_drain} kills mid-drain");
            break;
        }
    }
    assert!(
        kills_mid_drain >= 10,
        "only {kills_mid_drain} kills landed mid-drain"
    );
    assert!(finished, "the outbox did not drain");
    assert_eq!(central.claim_count(), claims as i64);
    assert_eq!(central.distinct_claims(), claims as i64);
    let outbox = outbox(&kiosk_dir, &key);
    let stats = outbox.stats(chrono::Utc::now()).expect("stats");
    assert_eq!(
        (stats.delivered, stats.pending, stats.sending, stats.held),
        (claims, 0, 0, 0)
    );
    central.stop();
}
