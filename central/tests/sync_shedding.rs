//! Load shedding: uploads beyond the per-kiosk limit answer 429, beyond the global limit 503, both with
//! `Retry-After`; the kiosk treats both as transient and the claim goes through once there is room.

mod common;

use std::io::Write as _;
use std::net::TcpStream;
use std::time::Duration;

use common::*;
use lapak_kiosk::packet::SealedPacket;
use lapak_kiosk::sync::CentralClient;
use lapak_kiosk::sync::queue::QueuedClaim;
use lapak_kiosk::sync::resumable::UploadUrlsInMemory;
use lapak_kiosk::sync::uploader::{Delivery, send_claim};

/// Starts an upload from `kiosk` and sends only part of its body, holding the service's slots.
fn slow_upload(port: u16, kiosk: &str) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let head = format!(
        "POST /v1/claims HTTP/1.1\r\nhost: 127.0.0.1\r\nx-lapak-kiosk: {kiosk}\r\n\
         content-type: application/octet-stream\r\ncontent-length: 100000\r\n\r\n0123456789"
    );
    stream
        .write_all(head.as_bytes())
        .expect("send part of an upload");
    stream
}

fn queued(m: &lapak_kiosk::packet::Manifest, sealed: &SealedPacket) -> QueuedClaim {
    QueuedClaim {
        id: 1,
        claim_id: m.claim_id,
        reference: m.reference.clone(),
        ciphertext: sealed.ciphertext.clone(),
        signature: sealed.signature,
        attempts: 0,
    }
}

#[test]
fn uploads_past_the_limits_are_shed_with_retry_after() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(
        &tmp.path().join("central"),
        "max_in_flight = 2\nmax_in_flight_per_kiosk = 1\nretry_after_secs = 7",
    );
    for k in 1..=3u8 {
        central.add_kiosk(&format!("K00{k}"), &kiosk_key(k));
    }
    central.start();
    let client = |k: u8| {
        CentralClient::new(
            &sync_config(&central.url()),
            credentials(&format!("K00{k}"), &kiosk_key(k)),
        )
        .expect("client")
    };
    let claim = |k: u8, n: u64| {
        let (m, sealed) = sealed_claim(
            n,
            &format!("K00{k}"),
            &kiosk_key(k),
            &central.recipient,
            5_000,
        );
        queued(&m, &sealed)
    };

    let urls = UploadUrlsInMemory::default();
    let first = slow_upload(central.port, "K001");
    std::thread::sleep(Duration::from_millis(300));
    let k1 = claim(1, 1);
    match send_claim(&client(1), &k1, &urls) {
        Delivery::Transient {
            reason,
            retry_after,
        } => {
            assert!(reason.starts_with("429"), "{reason}");
            assert_eq!(
                retry_after,
                Some(Duration::from_secs(2)),
                "Retry-After 7 cut to the kiosk's 2 s limit"
            );
        }
        other => panic!("expected 429, got {other:?}"),
    }
    let second = slow_upload(central.port, "K002");
    std::thread::sleep(Duration::from_millis(300));
    match send_claim(&client(3), &claim(3, 3), &urls) {
        Delivery::Transient {
            reason,
            retry_after,
        } => {
            assert!(reason.starts_with("503"), "{reason}");
            assert!(retry_after.is_some());
        }
        other => panic!("expected 503, got {other:?}"),
    }
    assert_eq!(central.claim_count(), 0);
    drop(first);
    drop(second);
    std::thread::sleep(Duration::from_millis(300));
    assert!(matches!(
        send_claim(&client(1), &k1, &urls),
        Delivery::Delivered { repeat: false, .. }
    ));
    assert_eq!(central.claim_count(), 1);
    central.stop();
}
