//! Throughput of store and forward on loopback against the real lapak-central:
//! - `drain_700kb`: the uploader draining queued ~700 KB claims from an outbox (one kiosk, one claim at a time);
//!   before the samples, one drain of 1,000 queued claims is timed and printed;
//! - `intake_8_kiosks`: 8 kiosks sending ~700 KB claims at once (resumable uploads, as the uploader does);
//! - `intake_8_kiosks_one_shot`: the same, each claim in one `POST /v1/claims`, for comparison.
//!
//! Then, outside criterion: 5 rounds of the 8-kiosk intake timed plainly (claims/s), the time per claim split
//! into verify (the packet signature, timed here on the same claims), decrypt + check (the service's
//! `open_ms` less the verify) and store (the service's `blob_ms` + `commit_ms`: packet store, then the row),
//! and what a fleet of 2,000 kiosks needs, computed from those figures (see [`projection`]).
//!
//! Run with `cargo bench -p lapak-central --bench sync_throughput`. The engine is the tests' choice:
//! `LAPAK_TEST_CENTRAL=postgres` (one replica) or `postgres-replicas` (two behind a round-robin balancer; the
//! PostgreSQL cluster is started by the bench), SQLite otherwise; packets go to the folder store.
//! `LAPAK_BENCH_DRAIN_CLAIMS=N` sets the timed drain (default 1000; 0 skips it).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use lapak_kiosk::outbox::OutgoingClaim;
use lapak_kiosk::sync::client::RequestBody;
use lapak_kiosk::sync::resumable::UploadUrlsInMemory;
use lapak_kiosk::sync::uploader::{Delivery, send_claim};
use lapak_kiosk::sync::{CentralClient, drain_now};

const CLAIM_BYTES: usize = 700_000;
const KIOSKS: u8 = 8;

struct Bench {
    _tmp: tempfile::TempDir,
    central: Central,
    round: std::cell::Cell<u64>,
}

impl Bench {
    fn new() -> Bench {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut central = Central::setup(
            &tmp.path().join("central"),
            "max_in_flight = 64\nmax_in_flight_per_kiosk = 4\nclock_skew_secs = 3600",
        );
        for k in 1..=KIOSKS {
            central.add_kiosk(&format!("K{k:03}"), &kiosk_key(k));
        }
        central.start();
        Bench {
            _tmp: tmp,
            central,
            round: std::cell::Cell::new(0),
        }
    }

    fn next_round(&self) -> u64 {
        let r = self.round.get() + 1;
        self.round.set(r);
        r
    }

    fn client(&self, k: u8) -> CentralClient {
        CentralClient::new(
            &sync_config(&self.central.url()),
            credentials(&format!("K{k:03}"), &kiosk_key(k)),
        )
        .expect("client")
    }

    /// A fresh outbox holding `n` queued claims of kiosk 1 (claim numbers unique across rounds).
    fn queued(&self, n: u64) -> (tempfile::TempDir, lapak_kiosk::outbox::Outbox) {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = kiosk_key(1);
        let outbox = outbox(dir.path(), &key);
        let first = self.next_round() * 10_000;
        submit_claims(
            &outbox,
            first,
            n,
            "K001",
            &key,
            &self.central.recipient,
            CLAIM_BYTES,
        );
        (dir, outbox)
    }

    fn drain(&self, n: u64) -> Duration {
        let (_dir, outbox) = self.queued(n);
        let client = self.client(1);
        let started = Instant::now();
        let summary = drain_now(&client, &outbox, 10, &mut |_| {}).expect("drain");
        let elapsed = started.elapsed();
        assert_eq!(summary.delivered, n, "{summary:?}");
        elapsed
    }

    /// `per_kiosk` sealed claims for each of the 8 kiosks, then all sent at once (as the uploader sends them:
    /// resumable uploads; or with `one_shot`, each in one `POST /v1/claims`); returns the sending time.
    fn intake(&self, per_kiosk: u64, one_shot: bool) -> Duration {
        let round = self.next_round();
        let batches: Vec<(u8, Vec<OutgoingClaim>)> = (1..=KIOSKS)
            .map(|k| {
                let key = kiosk_key(k);
                let claims = (0..per_kiosk)
                    .map(|i| {
                        let n = round * 10_000 + u64::from(k) * 1_000 + i;
                        let (m, sealed) = sealed_claim(
                            n,
                            &format!("K{k:03}"),
                            &key,
                            &self.central.recipient,
                            CLAIM_BYTES,
                        );
                        OutgoingClaim {
                            id: i as i64,
                            claim_id: m.claim_id,
                            reference: m.reference,
                            ciphertext: sealed.ciphertext,
                            signature: sealed.signature,
                            attempts: 0,
                            created_at: m.created_at,
                        }
                    })
                    .collect();
                (k, claims)
            })
            .collect();
        let clients: Vec<CentralClient> = (1..=KIOSKS).map(|k| self.client(k)).collect();
        let started = Instant::now();
        std::thread::scope(|scope| {
            for ((_, claims), client) in batches.iter().zip(&clients) {
                scope.spawn(move || {
                    let urls = UploadUrlsInMemory::default();
                    for claim in claims {
                        // A shed request (429/503) is retried after a short pause, as the uploader would.
                        for _ in 0..100 {
                            if one_shot {
                                if post_once(client, claim) {
                                    break;
                                }
                                std::thread::sleep(Duration::from_millis(5));
                                continue;
                            }
                            match send_claim(client, claim, &urls) {
                                Delivery::Delivered { .. } => break,
                                Delivery::Transient { .. } => {
                                    std::thread::sleep(Duration::from_millis(5))
                                }
                                Delivery::Held { reason, .. } => panic!("held: {reason}"),
                            }
                        }
                    }
                });
            }
        });
        started.elapsed()
    }
}

/// One `POST /v1/claims` of `claim`; true when the service stored it (201/200).
fn post_once(client: &CentralClient, claim: &OutgoingClaim) -> bool {
    let body = RequestBody::Packet {
        ciphertext: &claim.ciphertext,
        signature: &claim.signature,
    };
    match client.post("v1/claims", &claim.claim_id.to_string(), body) {
        Ok(response) => match response.status().as_u16() {
            200 | 201 => true,
            429 | 503 => false,
            other => panic!("POST /v1/claims answered {other}"),
        },
        Err(_) => false,
    }
}

fn benches(c: &mut Criterion) {
    let bench = Bench::new();

    let engine = std::env::var("LAPAK_TEST_CENTRAL").unwrap_or_else(|_| "sqlite".into());
    eprintln!("engine: {engine}, packets in the folder store");
    let drain_claims: u64 = std::env::var("LAPAK_BENCH_DRAIN_CLAIMS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000);
    if drain_claims > 0 {
        let full = bench.drain(drain_claims);
        eprintln!(
            "drain of {drain_claims} queued claims of {} KB: {:.2} s ({:.1} claims/s)",
            CLAIM_BYTES / 1000,
            full.as_secs_f64(),
            drain_claims as f64 / full.as_secs_f64()
        );
    }

    let mut group = c.benchmark_group("drain_700kb");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(50));
    group.bench_function("50_claims", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| bench.drain(50)).sum())
    });
    group.finish();

    let mut group = c.benchmark_group("intake_8_kiosks");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(u64::from(KIOSKS) * 10));
    group.bench_function("80_claims", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| bench.intake(10, false)).sum())
    });
    group.finish();

    // The same claims each in one POST /v1/claims (old kiosks), for comparison on the same machine and moment.
    let mut group = c.benchmark_group("intake_8_kiosks_one_shot");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(u64::from(KIOSKS) * 10));
    group.bench_function("80_claims", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| bench.intake(10, true)).sum())
    });
    group.finish();
    fleet_figures(&bench, &engine);
}

/// Claims/s of the 8-kiosk intake timed plainly, the per-claim split, and the 2,000-kiosk projection.
fn fleet_figures(bench: &Bench, engine: &str) {
    let mut rates: Vec<f64> = (0..5)
        .map(|_| f64::from(KIOSKS) * 10.0 / bench.intake(10, false).as_secs_f64())
        .collect();
    rates.sort_by(f64::total_cmp);
    let rate = rates[rates.len() / 2];
    eprintln!(
        "[{engine}] intake, 8 kiosks x 10 claims, resumable uploads: median {rate:.1} claims/s ({:.1}-{:.1}, 5 rounds)",
        rates[0],
        rates[rates.len() - 1]
    );
    let (verify_ms, packet_bytes) = verify_cost(bench);
    // Every replica's log (the second replica of `postgres-replicas` logs in its own folder).
    let logs = [
        bench.central.dir.join("central.log"),
        bench.central.dir.join("replica-1/central.log"),
    ];
    let Some(phases) = server_phases(&logs) else {
        eprintln!("no \"claim stored\" lines in {}", logs[0].display());
        return;
    };
    let decrypt_ms = (phases.open - verify_ms).max(0.0);
    let store_ms = phases.blob + phases.commit;
    eprintln!(
        "[{engine}] per claim (mean over {} stored, {:.0} KB sealed): verify {verify_ms:.1} ms, decrypt + check \
         {decrypt_ms:.1} ms, store {store_ms:.1} ms (packet file {:.1} ms + row commit {:.1} ms)",
        phases.n,
        packet_bytes / 1000.0,
        phases.blob,
        phases.commit
    );
    projection(
        engine,
        rate,
        verify_ms + decrypt_ms + store_ms,
        packet_bytes,
    );
}

/// The packet signature's verification timed in-process on 20 sealed claims (as the service verifies it
/// before decrypting), and their mean sealed size in bytes.
fn verify_cost(bench: &Bench) -> (f64, f64) {
    let key = kiosk_key(1);
    let sealed: Vec<_> = (0..20)
        .map(|n| {
            sealed_claim(
                900_000 + n,
                "K001",
                &key,
                &bench.central.recipient,
                CLAIM_BYTES,
            )
            .1
        })
        .collect();
    let verifying = key.verifying_key();
    let started = Instant::now();
    for packet in &sealed {
        lapak_kiosk::packet::verify_signature(&packet.ciphertext, &packet.signature, &verifying)
            .expect("a valid signature");
    }
    let verify_ms = started.elapsed().as_secs_f64() * 1e3 / sealed.len() as f64;
    let bytes =
        sealed.iter().map(|p| p.ciphertext.len()).sum::<usize>() as f64 / sealed.len() as f64;
    (verify_ms, bytes)
}

/// Kiosks in the fleet the projection is for.
const FLEET: f64 = 2_000.0;
/// Assumed: claims one kiosk takes on a peak day (one participant every 5 minutes over 8 opening hours).
const PEAK_CLAIMS_PER_KIOSK_PER_DAY: f64 = 100.0;
/// Assumed: opening hours in a day, over which the peak day's claims arrive.
const OPEN_HOURS: f64 = 8.0;
/// Assumed: days a year the kiosks take claims, every one of them at the peak rate (an upper bound).
const OPEN_DAYS_PER_YEAR: f64 = 300.0;

/// What 2,000 kiosks need at the assumed peak, from the measured intake rate, cost per claim and packet size.
fn projection(engine: &str, rate: f64, cost_ms: f64, packet_bytes: f64) {
    let per_day = FLEET * PEAK_CLAIMS_PER_KIOSK_PER_DAY;
    let per_sec = per_day / (OPEN_HOURS * 3600.0);
    let capacity_per_day = rate * OPEN_HOURS * 3600.0;
    let per_year_tb = per_day * OPEN_DAYS_PER_YEAR * packet_bytes / 1e12;
    eprintln!(
        "[{engine}] {FLEET:.0} kiosks x {PEAK_CLAIMS_PER_KIOSK_PER_DAY:.0} claims on a peak day = {per_day:.0} claims/day, \
         {per_sec:.1} claims/s over {OPEN_HOURS:.0} h; measured capacity {capacity_per_day:.0} claims in {OPEN_HOURS:.0} h \
         ({:.0} x the need); service time {:.2} core-hours/day at {cost_ms:.1} ms a claim; packets \
         {per_year_tb:.2} TB/year ({OPEN_DAYS_PER_YEAR:.0} peak days of {:.0} KB packets)",
        capacity_per_day / per_day,
        per_day * cost_ms / 1e3 / 3600.0,
        packet_bytes / 1000.0
    );
}

/// Means of the phases the service logs for each stored claim.
struct Phases {
    open: f64,
    blob: f64,
    commit: f64,
    n: usize,
}

/// Averages of the `open_ms`, `blob_ms` and `commit_ms` fields the service logs for each stored claim.
fn server_phases(logs: &[std::path::PathBuf]) -> Option<Phases> {
    let text: String = logs
        .iter()
        .filter_map(|log| std::fs::read_to_string(log).ok())
        .collect();
    let field = |line: &str, name: &str| -> Option<f64> {
        let start = line.find(name)? + name.len();
        line[start..]
            .split_whitespace()
            .next()?
            .trim_matches('"')
            .parse()
            .ok()
    };
    let (mut open, mut blob, mut commit, mut n) = (0.0, 0.0, 0.0, 0usize);
    for line in text.lines().filter(|l| l.contains("claim stored")) {
        if let (Some(o), Some(b), Some(c)) = (
            field(line, "open_ms="),
            field(line, "blob_ms="),
            field(line, "commit_ms="),
        ) {
            open += o;
            blob += b;
            commit += c;
            n += 1;
        }
    }
    (n > 0).then(|| Phases {
        open: open / n as f64,
        blob: blob / n as f64,
        commit: commit / n as f64,
        n,
    })
}

criterion_group!(sync_throughput, benches);
criterion_main!(sync_throughput);
