//! End to end on loopback: the kiosk's outbox drains to the real lapak-central, which stores the packet so
//! that the `age` CLI and `tar` open it; status checks and heartbeats go through the same service.

mod common;

use std::process::Command;
use std::sync::Arc;

use common::*;
use lapak_kiosk::sync::api::{CameraState, ClaimStatus, DeviceHealth, PrinterState};
use lapak_kiosk::sync::heartbeat::{self, HeartbeatSources, HeartbeatWorker};
use lapak_kiosk::sync::status::{self, Proof, StatusAnswer};
use lapak_kiosk::sync::{CentralClient, ClaimQueue, drain_now};
use sha2::{Digest as _, Sha256};

#[test]
fn claims_drain_to_central_and_the_stored_packet_opens_with_age_and_tar() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), &fleet_token_config());
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();

    let kiosk_dir = tmp.path().join("kiosk");
    let outbox = outbox(&kiosk_dir, &key);
    let manifests = submit_claims(&outbox, 1, 3, "K001", &key, &central.recipient, 200_000);
    let client = CentralClient::new(&sync_config(&central.url()), credentials("K001", &key))
        .expect("client");
    let mut events = Vec::new();
    let summary = drain_now(&client, &outbox, 3, &mut |p| events.push(p)).expect("drain");
    assert_eq!(summary.delivered, 3, "{summary:?}");
    assert_eq!(summary.held, 0);
    assert_eq!(
        events
            .iter()
            .filter(|p| matches!(
                p.event,
                lapak_kiosk::sync::uploader::UploadEvent::Sending { .. }
            ))
            .count(),
        3
    );
    assert_eq!(central.claim_count(), 3);
    let depth = ClaimQueue::depth(&outbox, chrono::Utc::now()).expect("depth");
    assert_eq!(depth.pending, 0);

    // The stored packet opens with the age CLI, and tar lists exactly the manifest and documents.
    let m = &manifests[1];
    let packet_file = tmp.path().join("claim.tar.age");
    central.cli(&[
        "claim",
        "export",
        m.reference.digits(),
        "--out",
        packet_file.to_str().expect("utf-8 path"),
    ]);
    let plain = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(central.dir.join("identity.txt"))
        .arg(&packet_file)
        .output()
        .expect("the age CLI is installed (Debian package `age`)");
    assert!(
        plain.status.success(),
        "age -d failed: {}",
        String::from_utf8_lossy(&plain.stderr)
    );
    let out_dir = tmp.path().join("opened");
    std::fs::create_dir_all(&out_dir).expect("mkdir");
    std::fs::write(tmp.path().join("claim.tar"), &plain.stdout).expect("write tar");
    let tar = Command::new("tar")
        .arg("-xf")
        .arg(tmp.path().join("claim.tar"))
        .arg("-C")
        .arg(&out_dir)
        .status()
        .expect("tar");
    assert!(tar.success());
    let manifest: lapak_kiosk::packet::Manifest = serde_json::from_slice(
        &std::fs::read(out_dir.join("manifest.json")).expect("manifest.json"),
    )
    .expect("manifest parses");
    assert_eq!(manifest.claim_id, m.claim_id);
    assert_eq!(manifest.reference, m.reference);
    assert_eq!(manifest.documents.len(), 2);
    for entry in &manifest.documents {
        let bytes = std::fs::read(out_dir.join(&entry.file)).expect("document extracted");
        assert_eq!(hex::encode(Sha256::digest(&bytes)), entry.sha256);
    }

    // Status: online by NIK; a wrong NIK is "not found" like an unknown reference.
    let local = &outbox;
    let by_nik = Proof::Nik(m.fields.nik.clone());
    match status::check(Some(&client), local, &m.reference, &by_nik).expect("status") {
        StatusAnswer::Central { status, .. } => assert_eq!(status, ClaimStatus::Received),
        other => panic!("expected the central answer, got {other:?}"),
    }
    central.cli(&[
        "claim",
        "set-status",
        m.reference.digits(),
        "rejected",
        "--reason",
        "savings book unreadable",
    ]);
    match status::check(Some(&client), local, &m.reference, &by_nik).expect("status") {
        StatusAnswer::Central { status, reason, .. } => {
            assert_eq!(status, ClaimStatus::Rejected);
            assert_eq!(reason.as_deref(), Some("savings book unreadable"));
        }
        other => panic!("expected the central answer, got {other:?}"),
    }
    let wrong = Proof::Nik(nik(999));
    assert_eq!(
        status::ask_central(&client, &m.reference, &wrong).expect("asked"),
        status::CentralAnswer::NotFound
    );
    assert_eq!(
        status::ask_central(
            &client,
            &lapak_kiosk::claim::reference::ClaimReference::new(1, 123).expect("a reference"),
            &by_nik
        )
        .expect("asked"),
        status::CentralAnswer::NotFound
    );
    assert_eq!(
        status::check(Some(&client), local, &m.reference, &wrong),
        Ok(StatusAnswer::NotFound)
    );

    // Offline (no client): the delivered claim's NIK hash was cleared at delivery, so the outbox alone no
    // longer knows whose it is.
    assert_eq!(
        status::check(None, local, &m.reference, &by_nik),
        Ok(StatusAnswer::NotFound)
    );

    // Heartbeat: one beat shows in the fleet view with its alerts.
    let devices = DeviceHealth {
        printer: PrinterState::PaperLow,
        camera: CameraState::Ok,
        ..DeviceHealth::default()
    };
    let beat = heartbeat::collect(&devices, &outbox, &kiosk_dir, None, chrono::Utc::now());
    let skew = heartbeat::send(&client, &beat).expect("heartbeat answered");
    assert!(skew.num_seconds().abs() < 5, "loopback skew {skew:?}");
    let fleet: serde_json::Value = fleet_get(&central.url(), "v1/fleet")
        .json()
        .expect("fleet json");
    let kiosk = &fleet["kiosks"][0];
    assert_eq!(kiosk["id"], "K001");
    assert_eq!(kiosk["printer"], "paper_low");
    assert_eq!(kiosk["claims_received"], 3);
    assert_eq!(kiosk["alerts"], serde_json::json!(["paper_low"]));
    let html = fleet_get(&central.url(), "fleet").text().expect("html");
    assert!(html.contains("K001") && html.contains("paper low"));

    // The background heartbeat worker keeps beating on its own thread.
    let worker = HeartbeatWorker::spawn(
        client.clone(),
        HeartbeatSources {
            devices: Box::new(|| DeviceHealth {
                camera: CameraState::Lost,
                ..DeviceHealth::default()
            }),
            last_upload_error: Box::new(|| None),
            delivery_alert: Box::new(|| None),
            queue: Arc::new(common::outbox(&tmp.path().join("kiosk2"), &key)),
            data_dir: kiosk_dir.clone(),
            care: None,
        },
    )
    .expect("heartbeat worker");
    assert!(wait_until(std::time::Duration::from_secs(10), || worker
        .status()
        .last_answer_at
        .is_some()));
    worker.stop();
    let fleet: serde_json::Value = fleet_get(&central.url(), "v1/fleet").json().expect("json");
    assert_eq!(
        fleet["kiosks"][0]["alerts"],
        serde_json::json!(["camera_lost"])
    );
    central.stop();
}
