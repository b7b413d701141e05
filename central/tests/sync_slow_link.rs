//! A rural link: a TCP proxy on loopback passing 256 kbit/s each way and cutting every connection 10 s after
//! it opened. Ten claims of ~700 KB (22 s each at that rate, so a one-shot POST would never finish) are all
//! delivered exactly once by resumable uploads, and the bytes carried upstream stay within 1.3 times the
//! packets' size (a cut loses only the chunk in flight, never the whole packet).
//!
//! This test takes about four minutes (7 MB at 32 KB/s).

mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use common::link::{Link, LinkSpec};
use common::*;
use lapak_kiosk::outbox::{ClaimFilter, ClaimState};
use lapak_kiosk::sync::{CentralClient, SyncConfig, drain_now};

const CLAIMS: u64 = 10;
const CLAIM_BYTES: usize = 700_000;
/// Generous: the packets alone need about 220 s at the link's rate.
const LIMIT: Duration = Duration::from_secs(600);

#[test]
fn ten_700_kb_claims_are_delivered_once_over_a_256_kbit_link_cut_every_10_s() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();
    let outbox = outbox(&tmp.path().join("kiosk"), &key);
    submit_claims(
        &outbox,
        1,
        CLAIMS,
        "K001",
        &key,
        &central.recipient,
        CLAIM_BYTES,
    );
    let packet_bytes: u64 = outbox
        .list(&ClaimFilter {
            state: None,
            limit: 100,
        })
        .expect("list")
        .iter()
        .map(|c| c.packet_bytes)
        .sum();

    let link = Link::start(central.port, LinkSpec::rural());
    // The kiosk's shipped timeouts and chunk size; a short backoff so the test measures the link.
    let config = SyncConfig {
        backoff_base_ms: 200,
        backoff_cap_secs: 2,
        ..sync_config(&link.url())
    };
    let config = SyncConfig {
        request_timeout_secs: SyncConfig::default().request_timeout_secs,
        timeout_secs_per_mb: SyncConfig::default().timeout_secs_per_mb,
        upload_chunk_bytes: SyncConfig::default().upload_chunk_bytes,
        ..config
    };
    let client = CentralClient::new(&config, credentials("K001", &key)).expect("client");
    let started = Instant::now();
    let mut failed_attempts = 0;
    while started.elapsed() < LIMIT {
        let summary = drain_now(&client, &outbox, 5, &mut |_| {}).expect("drain");
        failed_attempts += summary.failed_attempts;
        let stats = outbox.stats(Utc::now()).expect("stats");
        if stats.pending == 0 && stats.sending == 0 {
            break;
        }
    }
    let elapsed = started.elapsed();
    let stats = outbox.stats(Utc::now()).expect("stats");
    assert_eq!(
        stats.delivered, CLAIMS,
        "delivered within {LIMIT:?}: {stats:?}"
    );
    assert_eq!(stats.held, 0);
    assert_eq!(
        outbox
            .list(&ClaimFilter {
                state: Some(ClaimState::Held),
                limit: 10
            })
            .expect("list")
            .len(),
        0
    );
    assert_eq!(central.claim_counts(), (CLAIMS as i64, CLAIMS as i64));

    let upstream = link.upstream_bytes();
    let ratio = upstream as f64 / packet_bytes as f64;
    let goodput = packet_bytes as f64 / elapsed.as_secs_f64() / (256_000.0 / 8.0);
    eprintln!(
        "{CLAIMS} claims, {packet_bytes} packet bytes in {:.1} s over {} connections: {upstream} bytes upstream \
         ({ratio:.3} x), goodput {:.1} % of the link, {failed_attempts} failed attempts",
        elapsed.as_secs_f64(),
        link.connections(),
        goodput * 100.0
    );
    assert!(
        link.connections() as f64 >= elapsed.as_secs_f64() / 10.0,
        "the link was cut every 10 s"
    );
    assert!(
        ratio <= 1.3,
        "{upstream} bytes went upstream for {packet_bytes} bytes of packets ({ratio:.3} x)"
    );
    central.stop();
}
