//! Outage: claims saved while the central service is down are all delivered exactly once after it starts, and
//! while it is down the uploader's request rate stays within its backoff.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use lapak_kiosk::sync::CentralClient;
use lapak_kiosk::sync::uploader::Uploader;

#[test]
fn a_backlog_saved_during_an_outage_is_delivered_once_when_the_service_returns() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);

    let outbox = Arc::new(outbox(&tmp.path().join("kiosk"), &key));
    submit_claims(&outbox, 1, 12, "K001", &key, &central.recipient, 20_000);
    let mut config = sync_config(&central.url());
    config.backoff_base_ms = 100;
    config.backoff_cap_secs = 1;
    let client = CentralClient::new(&config, credentials("K001", &key)).expect("client");
    let uploader = Uploader::spawn(client, outbox.clone(), Box::new(|_| {})).expect("uploader");

    // Down for 4 s: every request fails at once (connection refused), so only the backoff spaces them.
    let down = Duration::from_secs(4);
    let started = Instant::now();
    std::thread::sleep(down);
    let status = uploader.status();
    let elapsed = started.elapsed();
    // Each wait is at least half its nominal delay: 50, 100, 200, 400, then 500 ms (half the 1 s cap).
    let mut bound = 1u64;
    let mut t = Duration::ZERO;
    let mut nominal = Duration::from_millis(100);
    while t <= elapsed {
        t += nominal / 2;
        nominal = (nominal * 2).min(Duration::from_secs(1));
        bound += 1;
    }
    assert!(status.requests >= 4, "the uploader kept trying: {status:?}");
    assert!(
        status.requests <= bound,
        "{} requests in {elapsed:?} exceed the backoff bound {bound}",
        status.requests
    );
    assert_eq!(status.delivered, 0);
    assert!(
        status.last_error.is_some(),
        "the last error is visible to staff"
    );
    assert_eq!(central.claim_count(), 0);

    central.start();
    uploader.wake();
    let all = wait_until(Duration::from_secs(30), || {
        uploader.status().delivered >= 12
    });
    let status = uploader.status();
    assert!(all, "not everything was delivered: {status:?}");
    assert_eq!(status.held, 0);
    assert_eq!(status.last_error, None);
    uploader.stop();
    assert_eq!(central.claim_count(), 12);
    assert_eq!(central.distinct_claims(), 12);
    let depth =
        lapak_kiosk::sync::ClaimQueue::depth(outbox.as_ref(), chrono::Utc::now()).expect("depth");
    assert_eq!(depth.pending, 0);
    central.stop();
}
