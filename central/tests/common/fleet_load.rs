//! The fleet view under load, shared by its test and its benchmark: a database filled with stored claims,
//! rounds of four kiosks delivering at once, and a client asking for `/v1/fleet` again and again.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lapak_kiosk::sync::{CentralClient, drain_now};

use super::*;

/// Kiosks in the fleet.
pub const KIOSKS: u8 = 10;
/// Claims already in the database.
pub const STORED: u64 = 1_000;
/// Claims delivered per round.
pub const PER_ROUND: u64 = 100;

/// Puts `STORED` claims of the registered kiosks straight into the service's database (it is stopped): the
/// rows the fleet view counts, with packets of 20 KB so that the table is as large as real rows make it.
pub fn fill_database(central: &Central) {
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
pub fn round(central: &Central, dir: &std::path::Path, first: u64) -> f64 {
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

/// A client asking for the fleet view with the staff token, pausing [`HAMMER_PAUSE`] between answers.
pub struct Hammer {
    stop: Arc<AtomicBool>,
    answered: Arc<AtomicU64>,
    thread: JoinHandle<()>,
}

impl Hammer {
    /// Starts asking `url`'s `/v1/fleet` (at most for a minute).
    pub fn start(url: &str) -> Hammer {
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicU64::new(0));
        let thread = {
            let (stop, answered, url) = (Arc::clone(&stop), Arc::clone(&answered), url.to_owned());
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
        Hammer {
            stop,
            answered,
            thread,
        }
    }

    /// Stops asking; returns how many fleet answers came.
    pub fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("hammer thread");
        self.answered.load(Ordering::Relaxed)
    }
}

/// A central service with [`KIOSKS`] kiosks, [`STORED`] stored claims and the fleet token, started.
pub fn loaded_central(dir: &std::path::Path) -> Central {
    let mut central = Central::setup(dir, &fleet_token_config());
    for k in 1..=KIOSKS {
        central.add_kiosk(&format!("K{k:03}"), &kiosk_key(k));
    }
    fill_database(&central);
    central.start();
    central
}
