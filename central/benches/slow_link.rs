//! Delivery over a rural link: the kiosk's uploader drains ~700 KB claims to the real lapak-central through a
//! TCP proxy on loopback passing 256 kbit/s each way and cutting every connection 10 s after it opened (the
//! proxy of `central/tests/sync_slow_link.rs`). Prints the delivery time, the goodput as a share of the link's
//! rate (target at least 75 %) and the bytes carried upstream per packet byte; then the same over the same
//! link without cuts, for comparison.
//!
//! Run with `cargo bench -p lapak-central --bench slow_link` (`LAPAK_BENCH_CLAIMS=N`, default 5: ~2 minutes per
//! run).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use common::link::{Link, LinkSpec};
use common::*;
use lapak_kiosk::outbox::ClaimFilter;
use lapak_kiosk::sync::{CentralClient, SyncConfig, drain_now};

const CLAIM_BYTES: usize = 700_000;
const LINK_BYTES_PER_SEC: f64 = 256_000.0 / 8.0;

fn run(label: &str, spec: LinkSpec, claims: u64) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();
    let outbox = outbox(&tmp.path().join("kiosk"), &key);
    submit_claims(
        &outbox,
        1,
        claims,
        "K001",
        &key,
        &central.recipient,
        CLAIM_BYTES,
    );
    let packet_bytes: u64 = outbox
        .list(&ClaimFilter {
            state: None,
            limit: 10_000,
        })
        .expect("list")
        .iter()
        .map(|c| c.packet_bytes)
        .sum();
    let link = Link::start(central.port, spec);
    // The shipped kiosk settings, with a short backoff so the figure is the link's.
    let config = SyncConfig {
        central_url: Some(link.url()),
        backoff_base_ms: 200,
        backoff_cap_secs: 2,
        ..SyncConfig::default()
    };
    let client = CentralClient::new(&config, credentials("K001", &key)).expect("client");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60 * claims.max(1)) {
        drain_now(&client, &outbox, 5, &mut |_| {}).expect("drain");
        let stats = outbox.stats(Utc::now()).expect("stats");
        if stats.pending == 0 && stats.sending == 0 {
            break;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let delivered = outbox.stats(Utc::now()).expect("stats").delivered;
    assert_eq!(delivered, claims, "{label}: not all delivered");
    assert_eq!(central.claim_counts(), (claims as i64, claims as i64));
    let ideal = packet_bytes as f64 / LINK_BYTES_PER_SEC;
    println!(
        "{label}: {claims} claims ({packet_bytes} bytes) in {elapsed:.1} s (the link's limit: {ideal:.1} s); \
         goodput {:.1} % of 256 kbit/s; {:.3} bytes upstream per packet byte; {} connections",
        100.0 * ideal / elapsed,
        link.upstream_bytes() as f64 / packet_bytes as f64,
        link.connections()
    );
    central.stop();
}

fn main() {
    let claims = std::env::var("LAPAK_BENCH_CLAIMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average: {}", load.trim());
    }
    run("256 kbit/s, cut every 10 s", LinkSpec::rural(), claims);
    run(
        "256 kbit/s, no cuts",
        LinkSpec {
            cut_after: None,
            ..LinkSpec::rural()
        },
        claims,
    );
}
