//! Slow loris: forty connections to the real service send headers naming a registered kiosk (with a garbage or
//! a stale signature, and a Content-Length) and then trickle their bodies a byte every two seconds; each one
//! cut is opened again at once, for as long as the kiosk delivers. They take none of the kiosk's upload slots:
//! its real claims are delivered about as fast as with no such connections, and each slow connection is cut
//! long before its body could arrive. Validly signed uploads that trickle are cut by the body deadline (408).

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::*;
use lapak_kiosk::sync::signing::{SignedHeaders, sign_request};
use lapak_kiosk::sync::{CentralClient, drain_now};

/// The floor of the body deadline configured for the test (seconds); the rate term is negligible.
const BODY_FLOOR_SECS: u64 = 3;
/// The Content-Length the slow connections announce.
const ANNOUNCED: usize = 700_000;

/// What happened to one slow connection.
#[derive(Debug)]
struct Cut {
    /// When the service closed it, after the headers were sent (`None`: still open at the end).
    after: Option<Duration>,
    /// The status line it answered before closing, if it could be read.
    status: Option<String>,
}

/// Opens a connection, sends `headers` with a Content-Length of [`ANNOUNCED`], then one body byte every two
/// seconds until the service closes it or `stop` is set (at most 30 rounds).
fn trickle(port: u16, headers: &SignedHeaders, stop: Arc<AtomicBool>) -> Cut {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut head = format!(
        "POST /v1/claims HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/octet-stream\r\n\
         content-length: {ANNOUNCED}\r\n"
    );
    for (name, value) in headers.pairs() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send the headers");
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("read timeout");
    let start = Instant::now();
    let mut answer = Vec::new();
    for _ in 0..30 {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let _ = stream.write_all(b"x");
        let mut buf = [0u8; 4096];
        match stream.read(&mut buf) {
            Ok(0) => {
                return cut(start, &answer);
            }
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => return cut(start, &answer),
        }
    }
    Cut {
        after: None,
        status: None,
    }
}

fn cut(start: Instant, answer: &[u8]) -> Cut {
    let text = String::from_utf8_lossy(answer);
    Cut {
        after: Some(start.elapsed()),
        status: text.lines().next().map(str::to_owned),
    }
}

/// Keeps one slow connection open with fresh headers from `headers`, opening another half a second after the
/// service cuts it, until `stop` is set (at most 2,000 connections or 60 s); returns every cut.
fn attacker(port: u16, headers: impl Fn() -> SignedHeaders, stop: Arc<AtomicBool>) -> Vec<Cut> {
    let start = Instant::now();
    let mut cuts = Vec::new();
    while !stop.load(Ordering::Relaxed)
        && cuts.len() < 2_000
        && start.elapsed() < Duration::from_secs(60)
    {
        let cut = trickle(port, &headers(), Arc::clone(&stop));
        if cut.after.is_none() {
            // Still open: interrupted by the end of the test (not a cut), or never cut (a failure).
            if !stop.load(Ordering::Relaxed) {
                cuts.push(cut);
            }
            break;
        }
        cuts.push(cut);
        std::thread::sleep(Duration::from_millis(500));
    }
    cuts
}

/// Headers naming K001 with a signature that is not base64 of anything.
fn garbage() -> SignedHeaders {
    let mut headers = sign_request(
        &kiosk_key(9),
        "K001",
        "POST",
        "/v1/claims",
        chrono::Utc::now().timestamp(),
        &uuid::Uuid::new_v4().to_string(),
        &vec![0u8; ANNOUNCED],
    );
    headers.signature = "garbage-signature".to_owned();
    headers
}

/// Headers of K001, signed with its real key, but an hour old.
fn stale() -> SignedHeaders {
    sign_request(
        &kiosk_key(1),
        "K001",
        "POST",
        "/v1/claims",
        chrono::Utc::now().timestamp() - 3_600,
        &uuid::Uuid::new_v4().to_string(),
        &vec![1u8; ANNOUNCED],
    )
}

/// Headers of K002, validly signed now, for a body that will never fully arrive.
fn valid_but_slow() -> SignedHeaders {
    sign_request(
        &kiosk_key(2),
        "K002",
        "POST",
        "/v1/claims",
        chrono::Utc::now().timestamp(),
        &uuid::Uuid::new_v4().to_string(),
        &vec![2u8; ANNOUNCED],
    )
}

/// Delivers `count` claims numbered from `first` from K001 and returns how long the drain took.
fn deliver(central: &Central, dir: &std::path::Path, first: u64, count: u64) -> Duration {
    let key = kiosk_key(1);
    let outbox = outbox(dir, &key);
    submit_claims(
        &outbox,
        first,
        count,
        "K001",
        &key,
        &central.recipient,
        200_000,
    );
    let client = CentralClient::new(&sync_config(&central.url()), credentials("K001", &key))
        .expect("client");
    let start = Instant::now();
    let summary = drain_now(&client, &outbox, 3, &mut |_| {}).expect("drain");
    let took = start.elapsed();
    assert_eq!(summary.delivered, count, "{summary:?}");
    assert_eq!(summary.failed_attempts, 0, "{summary:?}");
    took
}

#[test]
fn forty_slow_connections_naming_a_kiosk_do_not_delay_its_delivery() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(
        &tmp.path().join("central"),
        &format!("body_read_timeout_secs = {BODY_FLOOR_SECS}\nbody_min_bytes_per_sec = 100000000"),
    );
    central.add_kiosk("K001", &kiosk_key(1));
    central.add_kiosk("K002", &kiosk_key(2));
    central.start();
    // Warm-up, then the unloaded time for ten claims.
    deliver(&central, &tmp.path().join("warm"), 1, 2);
    let unloaded = deliver(&central, &tmp.path().join("quiet"), 100, 10);

    let stop = Arc::new(AtomicBool::new(false));
    let port = central.port;
    let slow: Vec<_> = (0..40)
        .map(|n| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                if n % 2 == 0 {
                    attacker(port, garbage, stop)
                } else {
                    attacker(port, stale, stop)
                }
            })
        })
        .collect();
    let never = Arc::new(AtomicBool::new(false));
    let signed_slow: Vec<_> = (0..2)
        .map(|_| {
            let headers = valid_but_slow();
            let never = Arc::clone(&never);
            std::thread::spawn(move || trickle(port, &headers, never))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let loaded = deliver(&central, &tmp.path().join("loaded"), 200, 10);
    stop.store(true, Ordering::Relaxed);
    let bound = unloaded * 2 + Duration::from_secs(1);
    println!("10 claims of ~200 KB: {unloaded:?} unloaded, {loaded:?} with 40 slow connections");
    assert!(
        loaded <= bound,
        "delivery took {loaded:?} with the slow connections, {unloaded:?} without"
    );

    let deadline = Duration::from_secs(BODY_FLOOR_SECS);
    let mut connections = 0;
    let mut slowest = Duration::ZERO;
    for (n, handle) in slow.into_iter().enumerate() {
        for cut in handle.join().expect("slow connection thread") {
            connections += 1;
            let after = cut
                .after
                .unwrap_or_else(|| panic!("attacker {n}: a connection never cut: {cut:?}"));
            slowest = slowest.max(after);
            assert!(after < deadline, "attacker {n}: cut after {after:?}");
            if let Some(status) = &cut.status {
                assert!(status.contains(" 401 "), "attacker {n}: {status}");
            }
        }
    }
    println!("{connections} slow connections, each cut within {slowest:?}");
    assert!(connections >= 40, "{connections}");
    for handle in signed_slow {
        let cut = handle.join().expect("signed slow connection thread");
        println!("validly signed slow connection: {cut:?}");
        let after = cut.after.unwrap_or_else(|| panic!("never cut: {cut:?}"));
        assert!(
            after >= deadline && after < deadline + Duration::from_secs(5),
            "a validly signed slow body was cut after {after:?}"
        );
        if let Some(status) = &cut.status {
            assert!(status.contains(" 408 "), "{status}");
        }
    }
    assert_eq!(central.claim_counts(), (22, 22));
    central.stop();
}
