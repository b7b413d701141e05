//! The fleet view under load: it needs the staff token, and with 1,000 claims in the database a thread asking
//! for `/v1/fleet` up to 200 times a second while four kiosks deliver at once lowers intake throughput by less
//! than 10 %. The token `lapak-central fleet-token` prints opens the view; without one configured it is closed.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::*;
use lapak_kiosk::sync::{CentralClient, drain_now};

/// Kiosks in the fleet.
const KIOSKS: u8 = 10;
/// Claims already in the database.
const STORED: u64 = 1_000;
/// Claims delivered per measured round.
const PER_ROUND: u64 = 100;
/// Rounds per condition (the best of each is compared, so other work on the machine counts least).
const ROUNDS: u64 = 4;

/// Puts `STORED` claims of the registered kiosks straight into the service's database (it is stopped): the
/// rows the fleet view counts, with packets of 20 KB so that the table is as large as real rows make it.
fn fill_database(central: &Central) {
    let mut db = rusqlite::Connection::open(central.dir.join("central.sqlite")).expect("open db");
    let tx = db.transaction().expect("transaction");
    let packet = photo(7, 20_000);
    for n in 0..STORED {
        let kiosk = format!("K{:03}", n % u64::from(KIOSKS) + 1);
        let id = uuid::Uuid::new_v4().to_string();
        tx.execute(
            "INSERT INTO claims (claim_id, kiosk_id, reference, body_sha256, packet, packet_signature, packet_bytes,
                test, received_at, receipt, status, status_changed_at, nik_hash)
             VALUES (?1, ?2, ?3, 'x', ?4, x'00', ?5, 1, '2026-11-01T00:00:00Z', '{}', 'received',
                '2026-11-01T00:00:00Z', 'h')",
            rusqlite::params![id, kiosk, format!("8{n:08}"), packet, packet.len() as i64],
        )
        .expect("insert a stored claim");
    }
    tx.commit().expect("commit");
}

/// The hammer's pause between one fleet answer and the next request (up to 200 requests a second: far more
/// than staff pages refreshing every 30 s, while leaving the test's own client from taking a whole core of the
/// machine the service runs on).
const HAMMER_PAUSE: Duration = Duration::from_millis(5);

/// Kiosks delivering at the same time in a round.
const SENDERS: u8 = 4;

/// Delivers one round of claims, `PER_ROUND / SENDERS` from each of the first [`SENDERS`] kiosks at the same
/// time, and returns claims per second.
fn round(central: &Central, dir: &std::path::Path, first: u64) -> f64 {
    let each = PER_ROUND / u64::from(SENDERS);
    let senders: Vec<_> = (1..=SENDERS)
        .map(|k| {
            let key = kiosk_key(k);
            let id = format!("K{k:03}");
            let outbox = outbox(&dir.join(&id), &key);
            submit_claims(
                &outbox,
                first + u64::from(k) * 1_000,
                each,
                &id,
                &key,
                &central.recipient,
                100_000,
            );
            let client = CentralClient::new(&sync_config(&central.url()), credentials(&id, &key))
                .expect("client");
            (outbox, client)
        })
        .collect();
    let start = Instant::now();
    std::thread::scope(|scope| {
        for (outbox, client) in &senders {
            scope.spawn(move || {
                let summary = drain_now(client, outbox, 3, &mut |_| {}).expect("drain");
                assert_eq!(summary.delivered, each, "{summary:?}");
            });
        }
    });
    (each * u64::from(SENDERS)) as f64 / start.elapsed().as_secs_f64()
}

#[test]
fn fleet_requests_need_the_staff_token_and_do_not_slow_intake() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), &fleet_token_config());
    for k in 1..=KIOSKS {
        central.add_kiosk(&format!("K{k:03}"), &kiosk_key(k));
    }
    fill_database(&central);
    central.start();
    let url = central.url();

    // Staff only: no token and a wrong token are refused (401, with a Basic challenge); the token opens it.
    let anonymous = reqwest::blocking::get(format!("{url}v1/fleet")).expect("answered");
    assert_eq!(anonymous.status().as_u16(), 401);
    assert!(anonymous.headers().contains_key("www-authenticate"));
    let page = reqwest::blocking::get(format!("{url}fleet")).expect("answered");
    assert_eq!(page.status().as_u16(), 401);
    let wrong = reqwest::blocking::Client::new()
        .get(format!("{url}v1/fleet"))
        .bearer_auth("not-the-token")
        .send()
        .expect("answered");
    assert_eq!(wrong.status().as_u16(), 401);
    let basic = reqwest::blocking::Client::new()
        .get(format!("{url}fleet"))
        .basic_auth("staff", Some(FLEET_TOKEN))
        .send()
        .expect("answered");
    assert_eq!(basic.status().as_u16(), 200);
    let fleet: serde_json::Value = fleet_get(&url, "v1/fleet").json().expect("json");
    let counted: u64 = fleet["kiosks"]
        .as_array()
        .expect("kiosks")
        .iter()
        .map(|k| k["claims_received"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(counted, STORED);

    // Intake alone, then with a thread asking for the fleet view again and again; alternating rounds.
    let mut quiet = Vec::new();
    let mut hammered = Vec::new();
    let mut fleet_answers = 0;
    for r in 0..ROUNDS {
        quiet.push(round(
            &central,
            &tmp.path().join(format!("quiet{r}")),
            100_000 + r * 10_000,
        ));
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicU64::new(0));
        let hammer = {
            let (stop, answered, url) = (Arc::clone(&stop), Arc::clone(&answered), url.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::new();
                let start = Instant::now();
                while !stop.load(Ordering::Relaxed) && start.elapsed() < Duration::from_secs(60) {
                    let response = client
                        .get(format!("{url}v1/fleet"))
                        .bearer_auth(FLEET_TOKEN)
                        .send()
                        .expect("fleet answered");
                    assert_eq!(response.status().as_u16(), 200);
                    let _ = response.bytes().expect("fleet body");
                    answered.fetch_add(1, Ordering::Relaxed);
                    std::thread::sleep(HAMMER_PAUSE);
                }
            })
        };
        hammered.push(round(
            &central,
            &tmp.path().join(format!("hammered{r}")),
            200_000 + r * 10_000,
        ));
        stop.store(true, Ordering::Relaxed);
        hammer.join().expect("hammer thread");
        fleet_answers += answered.load(Ordering::Relaxed);
    }
    let best = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let (alone, with_fleet) = (best(&quiet), best(&hammered));
    let drop = 1.0 - with_fleet / alone;
    println!(
        "intake {alone:.1} claims/s alone, {with_fleet:.1} claims/s with /v1/fleet asked up to 200 times a second \
         ({fleet_answers} fleet answers); drop {:.1} % (rounds: {quiet:.1?} / {hammered:.1?})",
        drop * 100.0
    );
    assert!(
        fleet_answers >= ROUNDS * 10,
        "the fleet was hammered: {fleet_answers}"
    );
    assert!(drop < 0.10, "intake dropped by {:.1} %", drop * 100.0);
    assert_eq!(
        central.claim_count(),
        (STORED + 2 * ROUNDS * PER_ROUND) as i64
    );
    central.stop();
}

#[test]
fn a_token_made_by_fleet_token_opens_the_fleet_view_and_none_keeps_it_closed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(CENTRAL)
        .arg("fleet-token")
        .output()
        .expect("run fleet-token");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let token = text
        .lines()
        .find_map(|l| l.strip_prefix("token: "))
        .expect("the token line")
        .to_owned();
    let config_line = text
        .lines()
        .find(|l| l.starts_with("fleet_token_sha256 = "))
        .expect("the central.toml line")
        .to_owned();
    assert!(token.len() >= 64, "a long random token: {token}");

    // Without a configured token the fleet routes do not exist, whatever is presented.
    let mut closed = Central::setup(&tmp.path().join("closed"), "");
    closed.start();
    let asked = reqwest::blocking::Client::new()
        .get(format!("{}v1/fleet", closed.url()))
        .bearer_auth(&token)
        .send()
        .expect("answered");
    assert_eq!(asked.status().as_u16(), 404);
    closed.stop();

    // With the printed line in central.toml, the printed token opens it; central.toml holds only the hash.
    let mut open = Central::setup(&tmp.path().join("open"), &config_line);
    open.start();
    let config = std::fs::read_to_string(&open.config).expect("config");
    assert!(!config.contains(&token));
    let asked = reqwest::blocking::Client::new()
        .get(format!("{}v1/fleet", open.url()))
        .bearer_auth(&token)
        .send()
        .expect("answered");
    assert_eq!(asked.status().as_u16(), 200);
    open.stop();
}
