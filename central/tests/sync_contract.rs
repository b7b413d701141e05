//! Contract, kiosk side: what the kiosk library sends (heartbeat, status request) and what the real
//! lapak-central answers (receipt, status reply, heartbeat reply, errors, fleet) validate against the schemas
//! of `central/openapi.yaml` (checked by `central/contract/validate_samples.py`, JSON Schema via Python's
//! `jsonschema`).

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use lapak_kiosk::sync::api::{CameraState, DeviceHealth, PrinterState};
use lapak_kiosk::sync::client::RequestBody;
use lapak_kiosk::sync::heartbeat;
use lapak_kiosk::sync::status::{Proof, status_request};
use lapak_kiosk::sync::{CentralClient, drain_now};

fn write_sample(dir: &Path, name: &str, schema: &str, document: serde_json::Value) {
    let sample = serde_json::json!({ "schema": schema, "document": document });
    std::fs::write(dir.join(format!("{name}.json")), sample.to_string()).expect("write sample");
}

fn post_json(
    client: &CentralClient,
    path: &str,
    body: &impl serde::Serialize,
) -> (u16, serde_json::Value) {
    let bytes = serde_json::to_vec(body).expect("json");
    let response = client
        .post(
            path,
            &uuid::Uuid::new_v4().to_string(),
            RequestBody::Json(bytes),
        )
        .expect("answered");
    let status = response.status().as_u16();
    (status, response.json().expect("json answer"))
}

#[test]
fn kiosk_requests_and_service_answers_match_the_openapi_schemas() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let samples = tmp.path().join("samples");
    std::fs::create_dir_all(&samples).expect("mkdir");
    let mut central = Central::setup(&tmp.path().join("central"), &fleet_token_config());
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.add_kiosk("K002", &kiosk_key(2));
    central.start();
    let kiosk_dir = tmp.path().join("kiosk");
    let outbox = outbox(&kiosk_dir, &key);
    let manifests = submit_claims(&outbox, 1, 1, "K001", &key, &central.recipient, 10_000);
    let m = &manifests[0];
    let client = CentralClient::new(&sync_config(&central.url()), credentials("K001", &key))
        .expect("client");
    let summary = drain_now(&client, &outbox, 3, &mut |_| {}).expect("drain");
    assert_eq!(summary.delivered, 1);

    // The receipt the uploader stored, as the service sent it.
    let stored: String = rusqlite::Connection::open(kiosk_dir.join("outbox.sqlite"))
        .expect("outbox db")
        .query_row("SELECT receipt FROM claims", [], |r| r.get(0))
        .expect("receipt");
    write_sample(
        &samples,
        "receipt",
        "Receipt",
        serde_json::from_str(&stored).expect("receipt json"),
    );

    // Kiosk requests.
    let devices = DeviceHealth {
        printer: PrinterState::PaperOut,
        printer_detail: Some("DLE EOT 4 = 0x72".into()),
        camera: CameraState::Lost,
        camera_detail: None,
    };
    let beat = heartbeat::collect(
        &devices,
        &outbox,
        &kiosk_dir,
        Some("timed out".into()),
        chrono::Utc::now(),
    );
    write_sample(
        &samples,
        "heartbeat",
        "Heartbeat",
        serde_json::to_value(&beat).expect("json"),
    );
    let by_nik = status_request(&m.reference, &Proof::Nik(m.fields.nik.clone()));
    write_sample(
        &samples,
        "status_request_nik",
        "StatusRequest",
        serde_json::to_value(&by_nik).expect("json"),
    );

    // Service answers.
    let (code, reply) = post_json(&client, "v1/kiosks/K001/heartbeat", &beat);
    assert_eq!(code, 200);
    write_sample(&samples, "heartbeat_reply", "HeartbeatReply", reply);
    // A heartbeat with held claims and a delivery alert (then shown in the fleet sample below).
    let alerting = lapak_kiosk::sync::api::Heartbeat {
        outbox_held: 1,
        outbox_rejected: 1,
        delivery_alert: Some(lapak_kiosk::sync::api::DeliveryAlert {
            claims: 2,
            reference: m.reference.clone(),
            attempts: 10,
            waiting_since: chrono::Utc::now() - chrono::Duration::hours(1),
            raised_at: chrono::Utc::now(),
            last_error: "403: <html>Forbidden</html>".into(),
        }),
        ..beat.clone()
    };
    write_sample(
        &samples,
        "heartbeat_alert",
        "Heartbeat",
        serde_json::to_value(&alerting).expect("json"),
    );
    let (code, _) = post_json(&client, "v1/kiosks/K001/heartbeat", &alerting);
    assert_eq!(code, 200);
    let (code, reply) = post_json(&client, "v1/kiosks/K001/sequence", &serde_json::json!({}));
    assert_eq!(code, 200);
    assert_eq!(
        reply["highest_sequence"],
        serde_json::json!(1),
        "claim 1 of kiosk 1 is stored: {reply}"
    );
    write_sample(&samples, "sequence_reply", "SequenceReply", reply);
    central.cli(&[
        "claim",
        "set-status",
        m.reference.digits(),
        "rejected",
        "--reason",
        "unreadable",
    ]);
    let (code, reply) = post_json(&client, "v1/claims/status", &by_nik);
    assert_eq!(code, 200);
    write_sample(&samples, "status_reply", "StatusReply", reply);
    let (code, reply) = post_json(
        &client,
        "v1/claims/status",
        &status_request(
            &lapak_kiosk::claim::reference::ClaimReference::new(99, 1).expect("a reference"),
            &Proof::Nik("1".into()),
        ),
    );
    assert_eq!(code, 404);
    write_sample(&samples, "error_not_found", "Error", reply);
    let fleet: serde_json::Value = fleet_get(&central.url(), "v1/fleet").json().expect("json");
    assert_eq!(fleet["kiosks"].as_array().map(Vec::len), Some(2));
    assert!(
        fleet["kiosks"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|k| k["delivery_alert"]["claims"] == 2 && k["held"] == 1),
        "{fleet}"
    );
    write_sample(&samples, "fleet", "FleetView", fleet);
    central.stop();

    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.yaml");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("contract/validate_samples.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(&spec)
        .arg(&samples)
        .output()
        .expect(
            "python3 runs (with jsonschema and pyyaml: `pip install schemathesis` brings both)",
        );
    assert!(
        out.status.success(),
        "samples do not match openapi.yaml:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let valid = String::from_utf8_lossy(&out.stdout)
        .matches(": valid ")
        .count();
    let written = std::fs::read_dir(&samples).expect("samples").count();
    assert!(written >= 9, "only {written} samples were written");
    assert_eq!(
        valid,
        written,
        "every sample must be valid: {}",
        String::from_utf8_lossy(&out.stdout)
    );

    // The validator is not vacuous: a receipt without its fields is refused.
    let bad = tmp.path().join("bad");
    std::fs::create_dir_all(&bad).expect("mkdir");
    write_sample(
        &bad,
        "receipt",
        "Receipt",
        serde_json::json!({ "claim_id": 5, "status": "lost" }),
    );
    let out = Command::new("python3")
        .arg(&script)
        .arg(&spec)
        .arg(&bad)
        .output()
        .expect("python3");
    assert!(
        !out.status.success(),
        "an invalid receipt passed the schema check"
    );
}
