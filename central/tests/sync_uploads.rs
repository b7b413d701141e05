//! Resumable uploads (tus 1.0 under `/v1/uploads`) against the real lapak-central: the protocol's answers
//! (offsets, checksums, versions, limits, expiry, the binding to the creating kiosk), completion through the
//! same intake as `POST /v1/claims`, and the kiosk resuming an upload after a cut and after a restart.

mod common;

use std::io::Write as _;
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::Utc;
use common::link::{Link, LinkSpec};
use common::*;
use ed25519_dalek::SigningKey;
use lapak_kiosk::outbox::OutgoingClaim;
use lapak_kiosk::packet::SealedPacket;
use lapak_kiosk::sync::resumable::{self, Outcome, UploadUrls, UploadUrlsInMemory};
use lapak_kiosk::sync::signing;
use lapak_kiosk::sync::uploader::{Delivery, send_claim};
use lapak_kiosk::sync::{CentralClient, ClaimQueue};
use reqwest::blocking::{Client, Response};
use sha2::{Digest as _, Sha256};

const KIOSK: &str = "K001";

fn http() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("http client")
}

fn started(extra: &str) -> (tempfile::TempDir, Central) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), extra);
    central.add_kiosk(KIOSK, &kiosk_key(1));
    central.add_kiosk("K002", &kiosk_key(2));
    central.start();
    (tmp, central)
}

fn packet(
    central: &Central,
    n: u64,
    bytes: usize,
) -> (lapak_kiosk::packet::Manifest, SealedPacket) {
    sealed_claim(n, KIOSK, &kiosk_key(1), &central.recipient, bytes)
}

/// A signed creation request for `claim_id` from kiosk `KIOSK`.
fn create(
    central: &Central,
    key: &SigningKey,
    claim_id: uuid::Uuid,
    length: u64,
    packet_signature: &ed25519_dalek::Signature,
) -> Response {
    let url = format!("{}v1/uploads", central.url());
    let headers = signing::sign_request(
        key,
        KIOSK,
        "POST",
        "/v1/uploads",
        Utc::now().timestamp(),
        &claim_id.to_string(),
        b"",
    );
    let metadata = format!(
        "claim_id {},packet_signature {}",
        BASE64.encode(claim_id.to_string()),
        BASE64.encode(BASE64.encode(packet_signature.to_bytes()))
    );
    let mut request = http()
        .post(url)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", length.to_string())
        .header("upload-metadata", metadata);
    for (name, value) in headers.pairs() {
        request = request.header(name, value);
    }
    request.send().expect("creation answered")
}

/// Seals claim `n` (documents of about `size` bytes) from kiosk 1 and creates its upload: the manifest, the
/// sealed packet and the upload's URL.
fn new_upload(
    central: &Central,
    n: u64,
    size: usize,
) -> (lapak_kiosk::packet::Manifest, SealedPacket, String) {
    let (m, sealed) = packet(central, n, size);
    let created = create(
        central,
        &kiosk_key(1),
        m.claim_id,
        sealed.ciphertext.len() as u64,
        &sealed.signature,
    );
    let url = upload_url(central, &created);
    (m, sealed, url)
}

fn upload_url(central: &Central, response: &Response) -> String {
    assert_eq!(response.status().as_u16(), 201, "creation");
    assert_eq!(header(response, "tus-resumable"), Some("1.0.0".into()));
    let location = header(response, "location").expect("Location");
    // The Location is relative to the creation URL.
    format!("http://127.0.0.1:{}/v1/{location}", central.port)
}

fn header(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn patch(url: &str, kiosk: &str, offset: u64, bytes: &[u8], checksum: Option<String>) -> Response {
    let checksum =
        checksum.unwrap_or_else(|| format!("sha256 {}", BASE64.encode(Sha256::digest(bytes))));
    http()
        .patch(url)
        .header("tus-resumable", "1.0.0")
        .header("x-lapak-kiosk", kiosk)
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", offset.to_string())
        .header("upload-checksum", checksum)
        .body(bytes.to_vec())
        .send()
        .expect("PATCH answered")
}

fn head(url: &str, kiosk: &str) -> Response {
    http()
        .head(url)
        .header("tus-resumable", "1.0.0")
        .header("x-lapak-kiosk", kiosk)
        .send()
        .expect("HEAD answered")
}

fn offset(response: &Response) -> Option<u64> {
    header(response, "upload-offset").and_then(|v| v.parse().ok())
}

fn error_code(response: Response) -> String {
    let text = response.text().unwrap_or_default();
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_owned))
        .unwrap_or(text)
}

fn receipt(response: &Response) -> Option<String> {
    header(response, "x-lapak-receipt")
        .and_then(|v| BASE64.decode(v).ok())
        .and_then(|b| String::from_utf8(b).ok())
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
fn options_advertises_tus_1_0_0_with_creation_checksum_sha1_and_the_size_limit() {
    let (_tmp, mut central) = started("max_body_bytes = 2000000");
    let response = http()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}v1/uploads", central.url()),
        )
        .send()
        .expect("OPTIONS answered");
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(header(&response, "tus-version"), Some("1.0.0".into()));
    assert_eq!(header(&response, "tus-resumable"), Some("1.0.0".into()));
    let extensions = header(&response, "tus-extension").unwrap_or_default();
    assert!(
        extensions.split(',').any(|e| e == "creation"),
        "{extensions}"
    );
    assert!(
        extensions.split(',').any(|e| e == "checksum"),
        "{extensions}"
    );
    let algorithms = header(&response, "tus-checksum-algorithm").unwrap_or_default();
    assert!(algorithms.split(',').any(|a| a == "sha1"), "{algorithms}");
    assert!(algorithms.split(',').any(|a| a == "sha256"), "{algorithms}");
    assert_eq!(header(&response, "tus-max-size"), Some("2000000".into()));
    central.stop();
}

#[test]
fn a_request_for_another_tus_version_answers_412_and_creates_nothing() {
    let (_tmp, mut central) = started("");
    let (m, sealed) = packet(&central, 1, 5_000);
    let url = upload_url(
        &central,
        &create(
            &central,
            &kiosk_key(1),
            m.claim_id,
            sealed.ciphertext.len() as u64,
            &sealed.signature,
        ),
    );
    let response = http()
        .patch(&url)
        .header("tus-resumable", "0.2.2")
        .header("x-lapak-kiosk", KIOSK)
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", "0")
        .body(sealed.ciphertext[..100].to_vec())
        .send()
        .expect("answered");
    assert_eq!(response.status().as_u16(), 412);
    assert_eq!(header(&response, "tus-version"), Some("1.0.0".into()));
    assert_eq!(offset(&head(&url, KIOSK)), Some(0));
    central.stop();
}

#[test]
fn creation_needs_the_kiosk_signature_and_metadata_naming_the_signed_claim() {
    let (_tmp, mut central) = started("");
    let (m, sealed) = packet(&central, 1, 5_000);
    let length = sealed.ciphertext.len() as u64;
    // Signed with another kiosk's key.
    let forged = create(
        &central,
        &kiosk_key(9),
        m.claim_id,
        length,
        &sealed.signature,
    );
    assert_eq!(forged.status().as_u16(), 401);
    assert_eq!(header(&forged, "tus-resumable"), Some("1.0.0".into()));
    // Metadata naming a claim other than the signed Idempotency-Key.
    let headers = signing::sign_request(
        &kiosk_key(1),
        KIOSK,
        "POST",
        "/v1/uploads",
        Utc::now().timestamp(),
        &m.claim_id.to_string(),
        b"",
    );
    let mut request = http()
        .post(format!("{}v1/uploads", central.url()))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", length.to_string())
        .header(
            "upload-metadata",
            format!(
                "claim_id {},packet_signature {}",
                BASE64.encode(uuid::Uuid::new_v4().to_string()),
                BASE64.encode(BASE64.encode(sealed.signature.to_bytes()))
            ),
        );
    for (name, value) in headers.pairs() {
        request = request.header(name, value);
    }
    let other = request.send().expect("answered");
    assert_eq!(other.status().as_u16(), 400);
    assert_eq!(error_code(other), "bad_upload_metadata");
    central.stop();
}

#[test]
fn upload_length_over_max_body_bytes_answers_413() {
    let (_tmp, mut central) = started("max_body_bytes = 10000");
    let (m, sealed) = packet(&central, 1, 5_000);
    let response = create(
        &central,
        &kiosk_key(1),
        m.claim_id,
        10_001,
        &sealed.signature,
    );
    assert_eq!(response.status().as_u16(), 413);
    assert_eq!(error_code(response), "too_large");
    // Signed a second later: the refused creation's signature may not be used again (a replay).
    std::thread::sleep(Duration::from_millis(1_100));
    let fits = create(
        &central,
        &kiosk_key(1),
        m.claim_id,
        10_000,
        &sealed.signature,
    );
    assert_eq!(fits.status().as_u16(), 201);
    central.stop();
}

#[test]
fn a_chunk_at_the_wrong_offset_answers_409_and_changes_nothing() {
    let (_tmp, mut central) = started("");
    let (_, sealed, url) = new_upload(&central, 1, 50_000);
    let bytes = &sealed.ciphertext;
    let first = patch(&url, KIOSK, 0, &bytes[..10_000], None);
    assert_eq!(first.status().as_u16(), 204);
    assert_eq!(offset(&first), Some(10_000));
    let again = patch(&url, KIOSK, 0, &bytes[..10_000], None);
    assert_eq!(again.status().as_u16(), 409);
    assert_eq!(error_code(again), "offset_mismatch");
    let ahead = patch(&url, KIOSK, 20_000, &bytes[20_000..30_000], None);
    assert_eq!(ahead.status().as_u16(), 409);
    assert_eq!(offset(&head(&url, KIOSK)), Some(10_000));
    central.stop();
}

#[test]
fn a_chunk_with_a_bad_checksum_answers_460_and_the_offset_stays() {
    let (_tmp, mut central) = started("");
    let (_, sealed, url) = new_upload(&central, 1, 50_000);
    let bytes = &sealed.ciphertext;
    assert_eq!(
        patch(&url, KIOSK, 0, &bytes[..10_000], None)
            .status()
            .as_u16(),
        204
    );
    let wrong = format!("sha256 {}", BASE64.encode(Sha256::digest(b"other bytes")));
    let damaged = patch(&url, KIOSK, 10_000, &bytes[10_000..20_000], Some(wrong));
    assert_eq!(damaged.status().as_u16(), 460);
    assert_eq!(error_code(damaged), "checksum_mismatch");
    assert_eq!(offset(&head(&url, KIOSK)), Some(10_000));
    // sha1 is accepted too (tus requires it), and the same chunk then goes through.
    let sha1 = format!(
        "sha1 {}",
        BASE64.encode(sha1_digest(&bytes[10_000..20_000]))
    );
    let good = patch(&url, KIOSK, 10_000, &bytes[10_000..20_000], Some(sha1));
    assert_eq!(good.status().as_u16(), 204);
    assert_eq!(offset(&good), Some(20_000));
    central.stop();
}

fn sha1_digest(bytes: &[u8]) -> Vec<u8> {
    use sha1::Digest as _;
    sha1::Sha1::digest(bytes).to_vec()
}

#[test]
fn head_after_a_cut_chunk_shows_the_durable_offset_and_the_upload_resumes_there() {
    let (_tmp, mut central) = started("");
    let (_, sealed, url) = new_upload(&central, 1, 60_000);
    let bytes = &sealed.ciphertext;
    assert_eq!(
        patch(&url, KIOSK, 0, &bytes[..20_000], None)
            .status()
            .as_u16(),
        204
    );
    // A chunk of 20,000 bytes announced, 7,000 sent, then the connection breaks.
    let path = url.trim_start_matches(&format!("http://127.0.0.1:{}", central.port));
    let mut stream = TcpStream::connect(("127.0.0.1", central.port)).expect("connect");
    let head_text = format!(
        "PATCH {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ntus-resumable: 1.0.0\r\nx-lapak-kiosk: {KIOSK}\r\n\
         content-type: application/offset+octet-stream\r\nupload-offset: 20000\r\ncontent-length: 20000\r\n\r\n"
    );
    stream.write_all(head_text.as_bytes()).expect("send head");
    stream.write_all(&bytes[20_000..27_000]).expect("send part");
    drop(stream);
    std::thread::sleep(Duration::from_millis(300));
    let after = head(&url, KIOSK);
    assert_eq!(after.status().as_u16(), 200);
    assert_eq!(offset(&after), Some(20_000));
    assert_eq!(
        header(&after, "upload-length"),
        Some(bytes.len().to_string())
    );
    assert_eq!(header(&after, "cache-control"), Some("no-store".into()));
    let rest = patch(&url, KIOSK, 20_000, &bytes[20_000..], None);
    assert_eq!(rest.status().as_u16(), 204);
    assert!(receipt(&rest).is_some(), "the last chunk stores the claim");
    assert_eq!(central.claim_count(), 1);
    central.stop();
}

#[test]
fn another_kiosk_can_neither_see_nor_continue_an_upload() {
    let (_tmp, mut central) = started("");
    let (_, sealed, url) = new_upload(&central, 1, 20_000);
    let bytes = &sealed.ciphertext;
    assert_eq!(head(&url, "K002").status().as_u16(), 404);
    let foreign = patch(&url, "K002", 0, &bytes[..1_000], None);
    assert_eq!(foreign.status().as_u16(), 404);
    assert_eq!(offset(&head(&url, KIOSK)), Some(0));
    let guessed = format!("{}v1/uploads/{}", central.url(), "0".repeat(32));
    assert_eq!(head(&guessed, KIOSK).status().as_u16(), 404);
    central.stop();
}

#[test]
fn an_expired_upload_answers_410_or_404_and_its_kept_bytes_are_swept() {
    // 0.0005 h = 1.8 s.
    let (_tmp, mut central) = started("upload_expiry_hours = 0.0005");
    let (_, sealed, url) = new_upload(&central, 1, 20_000);
    let bytes = &sealed.ciphertext;
    assert_eq!(
        patch(&url, KIOSK, 0, &bytes[..5_000], None)
            .status()
            .as_u16(),
        204
    );
    // Its bytes are kept durably: a file in the uploads folder on SQLite, chunk rows on PostgreSQL.
    let kept = || central.kept_partial_uploads();
    assert_eq!(kept(), 1, "the partial upload is kept");
    assert!(
        wait_until(Duration::from_secs(10), || {
            matches!(head(&url, KIOSK).status().as_u16(), 404 | 410)
        }),
        "the upload never expired"
    );
    let late = patch(&url, KIOSK, 5_000, &bytes[5_000..], None);
    assert!(
        matches!(late.status().as_u16(), 404 | 410),
        "{}",
        late.status()
    );
    assert!(
        wait_until(Duration::from_secs(10), || kept() == 0),
        "the expired upload's bytes were not swept"
    );
    assert_eq!(head(&url, KIOSK).status().as_u16(), 404);
    assert_eq!(central.claim_count(), 0);
    central.stop();
}

#[test]
fn a_finished_upload_stores_the_claim_once_and_a_second_upload_is_a_repeat_with_the_same_receipt() {
    let (_tmp, mut central) = started("");
    let (m, sealed) = packet(&central, 1, 30_000);
    let bytes = &sealed.ciphertext;
    let length = bytes.len() as u64;
    let url = upload_url(
        &central,
        &create(
            &central,
            &kiosk_key(1),
            m.claim_id,
            length,
            &sealed.signature,
        ),
    );
    assert_eq!(
        patch(&url, KIOSK, 0, &bytes[..10_000], None)
            .status()
            .as_u16(),
        204
    );
    let last = patch(&url, KIOSK, 10_000, &bytes[10_000..], None);
    assert_eq!(last.status().as_u16(), 204);
    assert_eq!(offset(&last), Some(length));
    assert_eq!(header(&last, "x-lapak-intake-status"), Some("201".into()));
    let first_receipt = receipt(&last).expect("receipt on the last chunk");
    let parsed: serde_json::Value = serde_json::from_str(&first_receipt).expect("receipt JSON");
    assert_eq!(parsed["claim_id"], m.claim_id.to_string());
    assert_eq!(parsed["reference"], m.reference.digits());
    // A kiosk whose last answer was lost learns the receipt from HEAD.
    let lost = head(&url, KIOSK);
    assert_eq!(offset(&lost), Some(length));
    assert_eq!(receipt(&lost).as_deref(), Some(first_receipt.as_str()));
    // The same claim uploaded again: stored once, answered as a repeat with the first receipt. (A creation
    // signed in the same second as the first would be the same signature, refused as a replay.)
    std::thread::sleep(Duration::from_millis(1_100));
    let again = upload_url(
        &central,
        &create(
            &central,
            &kiosk_key(1),
            m.claim_id,
            length,
            &sealed.signature,
        ),
    );
    let repeat = patch(&again, KIOSK, 0, bytes, None);
    assert_eq!(repeat.status().as_u16(), 204);
    assert_eq!(header(&repeat, "x-lapak-intake-status"), Some("200".into()));
    assert_eq!(receipt(&repeat).as_deref(), Some(first_receipt.as_str()));
    assert_eq!(central.claim_counts(), (1, 1));
    // The stored packet is the uploaded one, byte for byte (read back through the packet store).
    let stored = central
        .export_packet(m.reference.digits())
        .expect("stored packet");
    assert_eq!(&stored, bytes);
    central.stop();
}

#[test]
fn a_packet_failing_its_checks_is_refused_at_completion_as_post_v1_claims_would() {
    let (_tmp, mut central) = started("");
    let (m, sealed) = packet(&central, 1, 20_000);
    let (_, other) = packet(&central, 2, 20_000);
    let bytes = &sealed.ciphertext;
    // The metadata carries the signature of another packet.
    let url = upload_url(
        &central,
        &create(
            &central,
            &kiosk_key(1),
            m.claim_id,
            bytes.len() as u64,
            &other.signature,
        ),
    );
    let last = patch(&url, KIOSK, 0, bytes, None);
    assert_eq!(last.status().as_u16(), 422);
    assert_eq!(header(&last, "tus-resumable"), Some("1.0.0".into()));
    assert_eq!(error_code(last), "bad_packet_signature");
    // What POST /v1/claims answers for the same packet and signature.
    let client = CentralClient::new(
        &sync_config(&central.url()),
        credentials(KIOSK, &kiosk_key(1)),
    )
    .expect("client");
    let posted = client
        .post(
            "v1/claims",
            &m.claim_id.to_string(),
            lapak_kiosk::sync::client::RequestBody::Packet {
                ciphertext: bytes,
                signature: &other.signature,
            },
        )
        .expect("POST answered");
    assert_eq!(posted.status().as_u16(), 422);
    assert_eq!(error_code(posted), "bad_packet_signature");
    assert_eq!(central.claim_count(), 0);
    central.stop();
}

#[test]
fn the_kiosk_resumes_after_a_cut_sending_only_what_the_service_lacks() {
    let (_tmp, mut central) = started("");
    let (m, sealed) = packet(&central, 1, 400_000);
    let size = sealed.ciphertext.len() as u64;
    // Every connection is cut after 150,000 bytes upstream.
    let link = Link::start(
        central.port,
        LinkSpec {
            cut_after_upstream_bytes: Some(150_000),
            ..LinkSpec::clear()
        },
    );
    let mut config = sync_config(&link.url());
    config.upload_chunk_bytes = 64 * 1024;
    let client = CentralClient::new(&config, credentials(KIOSK, &kiosk_key(1))).expect("client");
    let urls = UploadUrlsInMemory::default();
    let claim = queued(&m, &sealed);
    let mut delivered = false;
    for _ in 0..20 {
        match send_claim(&client, &claim, &urls) {
            Delivery::Delivered {
                repeat, receipt, ..
            } => {
                assert!(!repeat);
                assert_eq!(receipt.claim_id, m.claim_id);
                delivered = true;
                break;
            }
            Delivery::Transient { .. } => {}
            Delivery::Held { reason, .. } => panic!("held: {reason}"),
        }
    }
    assert!(
        delivered,
        "not delivered through a link cut every 150,000 bytes"
    );
    assert!(
        link.connections() >= 3,
        "the link was cut: {} connections",
        link.connections()
    );
    // Each cut loses at most the chunk in flight: far less than resending the packet each time.
    let carried = link.upstream_bytes();
    assert!(
        carried < size + (link.connections() * 70_000),
        "carried {carried} bytes for a {size}-byte packet over {} connections",
        link.connections()
    );
    assert_eq!(central.claim_counts(), (1, 1));
    central.stop();
}

#[test]
fn a_restarted_kiosk_resumes_its_upload_from_the_url_kept_in_the_outbox() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (_t, mut central) = started("");
    let key = kiosk_key(1);
    let manifests = {
        let outbox = outbox(tmp.path(), &key);
        submit_claims(&outbox, 1, 1, KIOSK, &key, &central.recipient, 300_000)
    };
    let size = {
        let outbox = outbox(tmp.path(), &key);
        let claim = ClaimQueue::next_due(&outbox, Utc::now())
            .expect("queue")
            .expect("a due claim");
        // The first run: the link dies for good after 120,000 bytes.
        let link = Link::start(
            central.port,
            LinkSpec {
                dead_after_upstream_bytes: Some(120_000),
                ..LinkSpec::clear()
            },
        );
        let mut config = sync_config(&link.url());
        config.upload_chunk_bytes = 32 * 1024;
        let client = CentralClient::new(&config, credentials(KIOSK, &key)).expect("client");
        let outcome = resumable::upload(&client, &claim, &outbox);
        assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
        assert!(
            UploadUrls::upload_url(&outbox, &claim).is_some(),
            "the upload URL is kept in the outbox"
        );
        claim.ciphertext.len() as u64
    };
    // The kiosk restarts (the outbox reopened) with a good link.
    let outbox = outbox(tmp.path(), &key);
    let link = Link::start(central.port, LinkSpec::clear());
    let client =
        CentralClient::new(&sync_config(&link.url()), credentials(KIOSK, &key)).expect("client");
    let claim = ClaimQueue::next_due(&outbox, Utc::now())
        .expect("queue")
        .expect("the claim is still due");
    match send_claim(&client, &claim, &outbox) {
        Delivery::Delivered { receipt, .. } => assert_eq!(receipt.claim_id, manifests[0].claim_id),
        other => panic!("expected delivery, got {other:?}"),
    }
    let carried = link.upstream_bytes();
    assert!(
        carried + 60_000 < size,
        "after the restart {carried} bytes went up for a {size}-byte packet: the upload did not resume"
    );
    assert_eq!(central.claim_counts(), (1, 1));
    central.stop();
}

#[test]
fn an_upload_started_on_one_replica_continues_and_completes_on_the_other() {
    // Two replicas on one PostgreSQL database behind a round-robin balancer: each new connection goes to the
    // other replica, so the creation and the three chunks below alternate between them.
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup_replicated(&tmp.path().join("central"), "", 2);
    central.add_kiosk(KIOSK, &kiosk_key(1));
    central.start();
    let (m, sealed, url) = new_upload(&central, 1, 60_000);
    let bytes = &sealed.ciphertext;
    let cuts = [0, 20_000, 40_000, bytes.len()];
    let mut last = None;
    for pair in cuts.windows(2) {
        let answer = patch(&url, KIOSK, pair[0] as u64, &bytes[pair[0]..pair[1]], None);
        assert_eq!(answer.status().as_u16(), 204, "chunk at {}", pair[0]);
        assert_eq!(offset(&answer), Some(pair[1] as u64));
        last = Some(answer);
    }
    let receipt = last
        .as_ref()
        .and_then(receipt)
        .expect("the last chunk stores the claim");
    assert!(receipt.contains(&m.claim_id.to_string()), "{receipt}");
    assert_eq!(central.claim_counts(), (1, 1));
    // The stored packet is the whole upload, byte for byte.
    assert_eq!(
        central.stored_packet_sha256(),
        vec![hex::encode(Sha256::digest(bytes))]
    );
    central.stop();
}
