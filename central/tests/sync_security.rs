//! Security: every forged, unknown, replayed, stale, tampered, oversized or revoked request is refused with the
//! right status and a reason, and nothing is stored.

mod common;

use base64::Engine as _;
use common::*;
use ed25519_dalek::SigningKey;
use lapak_kiosk::packet::SealedPacket;
use lapak_kiosk::sync::signing::{Request, sign, sign_request};
use reqwest::blocking::Client;

struct Attempt<'a> {
    kiosk: &'a str,
    signer: &'a SigningKey,
    key: String,
    timestamp: i64,
    /// Bytes that are signed.
    signed_body: Vec<u8>,
    /// Bytes that are sent.
    sent_body: Vec<u8>,
    packet_signature: String,
}

fn attempt<'a>(
    kiosk: &'a str,
    signer: &'a SigningKey,
    claim_id: uuid::Uuid,
    sealed: &SealedPacket,
) -> Attempt<'a> {
    Attempt {
        kiosk,
        signer,
        key: claim_id.to_string(),
        timestamp: chrono::Utc::now().timestamp(),
        signed_body: sealed.ciphertext.to_vec(),
        sent_body: sealed.ciphertext.to_vec(),
        packet_signature: base64::engine::general_purpose::STANDARD
            .encode(sealed.signature.to_bytes()),
    }
}

/// Sends the attempt; returns (status, error code or receipt JSON).
fn send(client: &Client, url: &str, a: &Attempt<'_>) -> (u16, serde_json::Value) {
    let headers = sign(
        a.signer,
        a.kiosk,
        &Request {
            method: "POST",
            path: "/v1/claims",
            timestamp: a.timestamp,
            idempotency_key: &a.key,
            body: &a.signed_body,
            packet_signature: Some(&a.packet_signature),
        },
    );
    let mut request = client
        .post(format!("{url}v1/claims"))
        .header("content-type", "application/octet-stream");
    for (name, value) in headers.pairs() {
        request = request.header(name, value);
    }
    let response = request.body(a.sent_body.clone()).send().expect("answered");
    let status = response.status().as_u16();
    let body = response.json().unwrap_or(serde_json::Value::Null);
    (status, body)
}

#[test]
fn bad_requests_are_refused_with_a_reason_and_store_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "max_body_bytes = 1500000");
    let key = kiosk_key(1);
    let other = kiosk_key(2);
    let revoked = kiosk_key(3);
    central.add_kiosk("K001", &key);
    central.add_kiosk("K003", &revoked);
    central.cli(&["kiosk", "revoke", "K003"]);
    let listed = central.cli(&["kiosk", "list"]);
    assert!(
        listed.contains("K001") && listed.contains("active") && listed.contains("revoked"),
        "{listed}"
    );
    central.start();
    let url = central.url();
    let client = Client::new();
    let (m, sealed) = sealed_claim(1, "K001", &key, &central.recipient, 100_000);

    let code = |r: &(u16, serde_json::Value)| (r.0, r.1["error"].as_str().unwrap_or("").to_owned());

    // Forged: signed with another key.
    let forged = attempt("K001", &other, m.claim_id, &sealed);
    assert_eq!(
        code(&send(&client, &url, &forged)),
        (401, "bad_signature".into())
    );
    // Unknown kiosk.
    let unknown = attempt("K999", &key, m.claim_id, &sealed);
    assert_eq!(
        code(&send(&client, &url, &unknown)),
        (401, "unknown_kiosk".into())
    );
    // Revoked kiosk (its own valid packet).
    let (rm, rsealed) = sealed_claim(3, "K003", &revoked, &central.recipient, 10_000);
    let rev = attempt("K003", &revoked, rm.claim_id, &rsealed);
    assert_eq!(
        code(&send(&client, &url, &rev)),
        (401, "revoked_kiosk".into())
    );
    // Stale timestamp.
    let mut stale = attempt("K001", &key, m.claim_id, &sealed);
    stale.timestamp -= 3_600;
    assert_eq!(
        code(&send(&client, &url, &stale)),
        (401, "stale_timestamp".into())
    );
    // Body changed after signing: it is not the body whose hash was signed. (Another second than the genuine
    // request below: the signature, valid over the headers, is remembered before the body is read.)
    let mut tampered = attempt("K001", &key, m.claim_id, &sealed);
    tampered.timestamp -= 1;
    if let Some(b) = tampered.sent_body.last_mut() {
        *b ^= 1;
    }
    assert_eq!(
        code(&send(&client, &url, &tampered)),
        (401, "content_mismatch".into())
    );
    // A request signed the version-1 way (no kiosk id, content hash or packet signature in the message).
    let v1 = {
        use ed25519_dalek::Signer as _;
        let timestamp = chrono::Utc::now().timestamp();
        let hash = lapak_kiosk::sync::signing::content_sha256(&sealed.ciphertext);
        let message = format!(
            "lapak-request-v1\nPOST\n/v1/claims\n{timestamp}\n{}\n{hash}",
            m.claim_id
        );
        let signature = base64::engine::general_purpose::STANDARD
            .encode(key.sign(message.as_bytes()).to_bytes());
        let genuine = attempt("K001", &key, m.claim_id, &sealed);
        let response = client
            .post(format!("{url}v1/claims"))
            .header("content-type", "application/octet-stream")
            .header("x-lapak-kiosk", "K001")
            .header("x-lapak-timestamp", timestamp.to_string())
            .header("idempotency-key", m.claim_id.to_string())
            .header("x-lapak-content-sha256", hash)
            .header("x-lapak-signature", signature)
            .header("x-lapak-packet-signature", genuine.packet_signature)
            .body(sealed.ciphertext.clone())
            .send()
            .expect("answered");
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().unwrap_or(serde_json::Value::Null);
        (status, body)
    };
    assert_eq!(code(&v1), (401, "bad_signature".into()));
    // Body changed and the request re-signed: the packet's own signature still catches it.
    let mut resigned = attempt("K001", &key, m.claim_id, &sealed);
    if let Some(b) = resigned.sent_body.last_mut() {
        *b ^= 1;
    }
    resigned.signed_body = resigned.sent_body.clone();
    assert_eq!(
        code(&send(&client, &url, &resigned)),
        (422, "bad_packet_signature".into())
    );
    // Idempotency key that is not the manifest's claim id.
    let mismatched = attempt("K001", &key, uuid::Uuid::new_v4(), &sealed);
    assert_eq!(
        code(&send(&client, &url, &mismatched)),
        (422, "claim_id_mismatch".into())
    );
    // Oversized body.
    let (bm, big) = sealed_claim(2, "K001", &key, &central.recipient, 2_000_000);
    let oversized = attempt("K001", &key, bm.claim_id, &big);
    assert_eq!(send(&client, &url, &oversized).0, 413);
    assert_eq!(
        central.claim_count(),
        0,
        "nothing stored by a refused request"
    );

    // The genuine request is stored (201); its exact replay is refused; a fresh retry gets the same receipt.
    let genuine = attempt("K001", &key, m.claim_id, &sealed);
    let first = send(&client, &url, &genuine);
    assert_eq!(first.0, 201, "{:?}", first.1);
    assert_eq!(
        code(&send(&client, &url, &genuine)),
        (401, "replayed".into())
    );
    let mut retry = attempt("K001", &key, m.claim_id, &sealed);
    retry.timestamp += 1;
    let again = send(&client, &url, &retry);
    assert_eq!(again.0, 200);
    assert_eq!(again.1, first.1, "a repeat gets the same receipt");
    // Same key, different body: 409.
    let (_, other_packet) = sealed_claim(1, "K001", &key, &central.recipient, 50_000);
    let mut conflict = attempt("K001", &key, m.claim_id, &other_packet);
    conflict.timestamp += 2;
    assert_eq!(
        code(&send(&client, &url, &conflict)),
        (409, "idempotency_conflict".into())
    );
    assert_eq!(central.claim_count(), 1);

    // A heartbeat for another kiosk's id is refused.
    let body = b"{}".to_vec();
    let headers = sign_request(
        &key,
        "K001",
        "POST",
        "/v1/kiosks/K003/heartbeat",
        chrono::Utc::now().timestamp(),
        "n1",
        &body,
    );
    let mut request = client
        .post(format!("{url}v1/kiosks/K003/heartbeat"))
        .header("content-type", "application/json");
    for (name, value) in headers.pairs() {
        request = request.header(name, value);
    }
    assert_eq!(
        request
            .body(body)
            .send()
            .expect("answered")
            .status()
            .as_u16(),
        403
    );
    // An unsigned status request is refused.
    let unsigned = client
        .post(format!("{url}v1/claims/status"))
        .header("content-type", "application/json")
        .body(format!(
            "{{\"reference\":\"{}\",\"nik\":\"{}\"}}",
            m.reference, m.fields.nik
        ))
        .send()
        .expect("answered");
    assert_eq!(unsigned.status().as_u16(), 401);
    central.stop();
}
