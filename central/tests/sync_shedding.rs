//! Load shedding: uploads beyond the per-kiosk limit answer 429, beyond the global limit 503, both with
//! `Retry-After`; the kiosk treats both as transient and the claim goes through once there is room.

mod common;

use std::io::Write as _;
use std::net::TcpStream;
use std::time::Duration;

use common::*;
use lapak_kiosk::outbox::OutgoingClaim;
use lapak_kiosk::packet::SealedPacket;
use lapak_kiosk::sync::CentralClient;
use lapak_kiosk::sync::resumable::UploadUrlsInMemory;
use lapak_kiosk::sync::uploader::{Delivery, send_claim};

/// Starts a validly signed upload from kiosk `k` and sends only part of its body, holding the service's slots.
fn slow_upload(port: u16, k: u8) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let body = vec![7u8; 100_000];
    let headers = lapak_kiosk::sync::signing::sign_request(
        &kiosk_key(k),
        &format!("K00{k}"),
        "POST",
        "/v1/claims",
        chrono::Utc::now().timestamp(),
        &uuid::Uuid::new_v4().to_string(),
        &body,
    );
    let mut head = String::from(
        "POST /v1/claims HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/octet-stream\r\n\
         content-length: 100000\r\n",
    );
    for (name, value) in headers.pairs() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n0123456789");
    stream
        .write_all(head.as_bytes())
        .expect("send part of an upload");
    stream
}

fn queued(m: &lapak_kiosk::packet::Manifest, sealed: &SealedPacket) -> OutgoingClaim {
    OutgoingClaim {
        id: 1,
        claim_id: m.claim_id,
        reference: m.reference.clone(),
        ciphertext: sealed.ciphertext.clone(),
        signature: sealed.signature,
        attempts: 0,
        created_at: m.created_at,
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
    let first = slow_upload(central.port, 1);
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
    let second = slow_upload(central.port, 2);
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

#[test]
fn a_shed_request_sent_again_unchanged_is_not_refused_as_a_replay() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "max_in_flight_per_kiosk = 1");
    central.add_kiosk("K001", &kiosk_key(1));
    central.start();
    let (m, sealed) = sealed_claim(1, "K001", &kiosk_key(1), &central.recipient, 5_000);
    let packet_signature = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(sealed.signature.to_bytes())
    };
    // One signed request, sent byte for byte the same each time (as a retry within the same second is).
    let headers = lapak_kiosk::sync::signing::sign(
        &kiosk_key(1),
        "K001",
        &lapak_kiosk::sync::signing::Request {
            method: "POST",
            path: "/v1/claims",
            timestamp: chrono::Utc::now().timestamp(),
            idempotency_key: &m.claim_id.to_string(),
            body: &sealed.ciphertext,
            packet_signature: Some(&packet_signature),
        },
    );
    let http = reqwest::blocking::Client::new();
    let send = || {
        let mut request = http
            .post(format!("{}v1/claims", central.url()))
            .header("content-type", "application/octet-stream");
        for (name, value) in headers.pairs() {
            request = request.header(name, value);
        }
        let response = request
            .body(sealed.ciphertext.clone())
            .send()
            .expect("answered");
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().unwrap_or(serde_json::Value::Null);
        (status, body["error"].as_str().unwrap_or("").to_owned())
    };

    let holder = slow_upload(central.port, 1);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(send(), (429, "too_many_requests".to_owned()));
    drop(holder);
    let mut answer = send();
    let start = std::time::Instant::now();
    while answer.0 == 429 && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
        answer = send();
    }
    assert_eq!(answer.0, 201, "{answer:?}");
    // Once it went through, the same request again is a replay.
    assert_eq!(send(), (401, "replayed".to_owned()));
    assert_eq!(central.claim_count(), 1);
    central.stop();
}
