//! Throughput of store and forward on loopback against the real lapak-central:
//! - `drain_700kb`: the uploader draining queued ~700 KB claims from an outbox (one kiosk, one claim at a time);
//!   before the samples, one drain of 1,000 queued claims is timed and printed;
//! - `intake_8_kiosks`: 8 kiosks sending ~700 KB claims at once (resumable uploads, as the uploader does);
//! - `intake_8_kiosks_one_shot`: the same, each claim in one `POST /v1/claims`, for comparison.
//!
//! Run with `cargo bench -p lapak-central --bench sync_throughput`.

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

    let full = bench.drain(1_000);
    eprintln!(
        "drain of 1000 queued claims of {} KB: {:.2} s ({:.1} claims/s)",
        CLAIM_BYTES / 1000,
        full.as_secs_f64(),
        1000.0 / full.as_secs_f64()
    );

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
    if let Some((open, commit, n)) = server_phases(&bench.central.dir.join("central.log")) {
        eprintln!(
            "service, mean over {n} stored claims: open (verify + decrypt + check) {open:.1} ms, durable commit {commit:.1} ms"
        );
    }
}

/// Averages of the `open_ms` and `commit_ms` fields the service logs for each stored claim.
fn server_phases(log: &std::path::Path) -> Option<(f64, f64, usize)> {
    let text = std::fs::read_to_string(log).ok()?;
    let field = |line: &str, name: &str| -> Option<f64> {
        let start = line.find(name)? + name.len();
        line[start..]
            .split_whitespace()
            .next()?
            .trim_matches('"')
            .parse()
            .ok()
    };
    let (mut open, mut commit, mut n) = (0.0, 0.0, 0usize);
    for line in text.lines().filter(|l| l.contains("claim stored")) {
        if let (Some(o), Some(c)) = (field(line, "open_ms="), field(line, "commit_ms=")) {
            open += o;
            commit += c;
            n += 1;
        }
    }
    (n > 0).then(|| (open / n as f64, commit / n as f64, n))
}

criterion_group!(sync_throughput, benches);
criterion_main!(sync_throughput);
