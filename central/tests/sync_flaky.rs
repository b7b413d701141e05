//! Flaky network: a fault-injecting HTTP proxy on loopback answers 500, 429 with Retry-After, drops
//! connections (before and after forwarding), stalls past the timeout or returns garbage for about 30 % of
//! requests. Every claim must still end delivered exactly once and none held.

mod common;

use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::raw_http::{forward, read_message};
use common::*;
use lapak_kiosk::sync::CentralClient;
use lapak_kiosk::sync::uploader::Uploader;

/// The faults, chosen per request.
#[derive(Debug, Clone, Copy)]
enum Fault {
    Pass,
    ServerError,
    TooManyRequests,
    DropBeforeForwarding,
    DropAfterForwarding,
    Stall,
    GarbageAfterForwarding,
}

fn fault_for(n: u64) -> Fault {
    // A fixed pseudo-random sequence: about 30 % of requests get a fault, each kind in turn.
    let x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17) % 100;
    match x {
        0..=4 => Fault::ServerError,
        5..=9 => Fault::TooManyRequests,
        10..=14 => Fault::DropBeforeForwarding,
        15..=19 => Fault::DropAfterForwarding,
        20..=23 => Fault::Stall,
        24..=29 => Fault::GarbageAfterForwarding,
        _ => Fault::Pass,
    }
}

fn respond(stream: &mut TcpStream, text: &str) {
    let _ = stream.write_all(text.as_bytes());
}

fn handle(mut client: TcpStream, upstream: u16, fault: Fault) {
    let Some(request) = read_message(&mut client) else {
        return;
    };
    match fault {
        Fault::Pass => {
            if let Some(answer) = forward(upstream, &request) {
                let _ = client.write_all(&answer);
            }
        }
        Fault::ServerError => respond(
            &mut client,
            "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 4\r\nconnection: close\r\n\r\noops",
        ),
        Fault::TooManyRequests => respond(
            &mut client,
            "HTTP/1.1 429 Too Many Requests\r\nretry-after: 1\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        ),
        Fault::DropBeforeForwarding => {}
        Fault::DropAfterForwarding => {
            let _ = forward(upstream, &request);
        }
        Fault::Stall => std::thread::sleep(Duration::from_secs(3)),
        Fault::GarbageAfterForwarding => {
            let _ = forward(upstream, &request);
            respond(
                &mut client,
                "HTTP/1.1 200 OK\r\ncontent-length: 9\r\nconnection: close\r\n\r\n{\"rece!pt",
            );
        }
    }
    let _ = client.shutdown(std::net::Shutdown::Both);
}

#[test]
fn every_claim_is_delivered_exactly_once_through_a_faulty_network() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();

    let proxy = TcpListener::bind("127.0.0.1:0").expect("proxy");
    let proxy_port = proxy.local_addr().expect("addr").port();
    let upstream = central.port;
    let counter = Arc::new(AtomicU64::new(0));
    let faults = Arc::new(AtomicU64::new(0));
    {
        let counter = Arc::clone(&counter);
        let faults = Arc::clone(&faults);
        std::thread::spawn(move || {
            for stream in proxy.incoming().flatten() {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let fault = fault_for(n);
                if !matches!(fault, Fault::Pass) {
                    faults.fetch_add(1, Ordering::SeqCst);
                }
                std::thread::spawn(move || handle(stream, upstream, fault));
            }
        });
    }

    let outbox = Arc::new(outbox(&tmp.path().join("kiosk"), &key));
    let claims = 25;
    submit_claims(&outbox, 1, claims, "K001", &key, &central.recipient, 30_000);
    let mut config = sync_config(&format!("http://127.0.0.1:{proxy_port}/"));
    config.request_timeout_secs = 1;
    config.timeout_secs_per_mb = 1;
    config.backoff_base_ms = 20;
    config.backoff_cap_secs = 1;
    let client = CentralClient::new(&config, credentials("K001", &key)).expect("client");
    let uploader = Uploader::spawn(client, outbox.clone(), Box::new(|_| {})).expect("uploader");
    let done = wait_until(Duration::from_secs(90), || {
        let s = uploader.status();
        s.delivered + s.held >= claims
    });
    let status = uploader.status();
    uploader.stop();
    assert!(done, "not all claims were handled: {status:?}");
    assert_eq!(
        status.held, 0,
        "no claim may be held for a network fault: {status:?}"
    );
    assert_eq!(status.delivered, claims);
    let injected = faults.load(Ordering::SeqCst);
    let total = counter.load(Ordering::SeqCst);
    assert!(
        injected >= 5,
        "the proxy injected only {injected} faults in {total} requests"
    );
    assert_eq!(central.claim_count(), claims as i64);
    assert_eq!(central.distinct_claims(), claims as i64);
    let depth =
        lapak_kiosk::sync::ClaimQueue::depth(outbox.as_ref(), chrono::Utc::now()).expect("depth");
    assert_eq!(depth.pending, 0);
    central.stop();
}
