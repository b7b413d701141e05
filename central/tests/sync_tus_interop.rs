//! Interop: an independent tus 1.0 client, `tuspy` from PyPI (`pip install tuspy`, MIT licence), uploads a real
//! sealed packet to lapak-central in chunks with sha1 checksums, sending as static headers the kiosk's signed
//! creation headers (computed here) and the packet signature in the metadata. The claim is stored; a second
//! upload of it is answered as a repeat with the same receipt.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::Utc;
use common::*;
use lapak_kiosk::packet::SealedPacket;
use lapak_kiosk::sync::signing;

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/tus/upload_with_tuspy.py"
);

/// Runs the tuspy script for `packet` (saved at `file`) and returns its JSON report.
fn upload_with_tuspy(
    central: &Central,
    file: &Path,
    claim_id: uuid::Uuid,
    sealed: &SealedPacket,
) -> serde_json::Value {
    let signed = signing::sign_request(
        &kiosk_key(1),
        "K001",
        "POST",
        "/v1/uploads",
        Utc::now().timestamp(),
        &claim_id.to_string(),
        b"",
    );
    let headers: serde_json::Map<String, serde_json::Value> = signed
        .pairs()
        .into_iter()
        .map(|(name, value)| (name.to_owned(), serde_json::Value::String(value)))
        .collect();
    let metadata = serde_json::json!({
        "claim_id": claim_id.to_string(),
        "packet_signature": BASE64.encode(sealed.signature.to_bytes()),
    });
    let out = Command::new("python3")
        .arg(SCRIPT)
        .arg(format!("{}v1/uploads", central.url()))
        .arg(file)
        .arg(serde_json::Value::Object(headers).to_string())
        .arg(metadata.to_string())
        .arg("65536")
        .output()
        .expect("run python3 (the tuspy package must be installed: pip install tuspy)");
    assert!(
        out.status.success(),
        "tuspy upload failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}

#[test]
fn tuspy_uploads_a_sealed_claim_that_is_stored_once_and_a_second_upload_is_a_repeat() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    central.add_kiosk("K001", &kiosk_key(1));
    central.start();
    let (manifest, sealed) = sealed_claim(1, "K001", &kiosk_key(1), &central.recipient, 300_000);
    let file = tmp.path().join("claim.tar.age");
    std::fs::write(&file, &sealed.ciphertext).expect("write the packet");
    let size = sealed.ciphertext.len() as i64;
    assert!(size > 4 * 65_536, "several chunks");

    let first = upload_with_tuspy(&central, &file, manifest.claim_id, &sealed);
    assert_eq!(first["offset"], size);
    assert_eq!(first["intake_status"], "201");
    assert_eq!(first["chunks_checked_with"], "sha1");
    let receipt_text = first["receipt"].as_str().expect("a receipt").to_owned();
    let receipt: serde_json::Value = serde_json::from_str(&receipt_text).expect("receipt JSON");
    assert_eq!(receipt["claim_id"], manifest.claim_id.to_string());
    assert_eq!(receipt["reference"], manifest.reference.digits());
    assert_eq!(central.claim_counts(), (1, 1));
    let stored = central
        .export_packet(manifest.reference.digits())
        .expect("stored packet");
    assert_eq!(stored, sealed.ciphertext);

    // Signed a second later: the same second would repeat the signature, which the service refuses as a replay.
    std::thread::sleep(Duration::from_millis(1_100));
    let second = upload_with_tuspy(&central, &file, manifest.claim_id, &sealed);
    assert_ne!(second["url"], first["url"], "a new upload");
    assert_eq!(second["intake_status"], "200");
    assert_eq!(second["receipt"].as_str(), Some(receipt_text.as_str()));
    assert_eq!(central.claim_counts(), (1, 1));
    central.stop();
}
