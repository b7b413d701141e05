//! `lapak-central import DIR`: a kiosk's USB export verified and stored exactly once; importing it again
//! changes nothing; the kiosk's own later upload of the same claims is answered as a repeat.

mod common;

use common::*;
use lapak_kiosk::outbox::{OutboxOrigin, OutboxOwner};
use lapak_kiosk::sync::drain_now;

#[test]
fn an_export_imports_once_then_as_repeats_and_the_kiosks_upload_is_a_repeat_too() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let key = kiosk_key(3);
    central.add_kiosk("K003", &key);
    central.add_kiosk("K004", &kiosk_key(4));

    let outbox = outbox(&tmp.path().join("kiosk"), &key);
    let identity = lapak_kiosk::identity::KioskIdentity::from_parts(Some("K003"), 3, key.clone())
        .expect("identity");
    outbox
        .bind_owner(
            &OutboxOwner::of(&identity),
            OutboxOrigin::Original,
            chrono::Utc::now(),
        )
        .expect("owner");
    let manifests = submit_claims(&outbox, 1, 3, "K003", &key, &central.recipient, 20_000);
    let exported = outbox
        .export(&tmp.path().join("usb"), "K003", chrono::Utc::now())
        .expect("export");
    assert_eq!(exported.count, 3);
    let usb = exported.folder;
    let index = std::fs::read_to_string(usb.join("index.json")).expect("index");
    assert!(index.contains("\"kiosk_id\": \"K003\""), "{index}");

    let first = central.cli(&["import", usb.to_str().expect("path")]);
    assert!(first.contains("3 new, 0 already had, 0 refused"), "{first}");
    assert_eq!(central.claim_counts(), (3, 3));
    for m in &manifests {
        assert!(
            first.contains(&format!("{}\tnew", m.reference.digits())),
            "{first}"
        );
    }

    let second = central.cli(&["import", usb.to_str().expect("path")]);
    assert!(
        second.contains("0 new, 3 already had, 0 refused"),
        "{second}"
    );
    assert_eq!(central.claim_counts(), (3, 3));

    // The kiosk, reconnected, sends the same claims: each answered 200 as a repeat, nothing stored twice.
    central.start();
    let client = lapak_kiosk::sync::CentralClient::new(
        &sync_config(&central.url()),
        credentials("K003", &key),
    )
    .expect("client");
    let mut repeats = 0;
    let summary = drain_now(&client, &outbox, 3, &mut |p| {
        if matches!(
            p.event,
            lapak_kiosk::sync::uploader::UploadEvent::Delivered { repeat: true, .. }
        ) {
            repeats += 1;
        }
    })
    .expect("drain");
    assert_eq!((summary.delivered, summary.held), (3, 0));
    assert_eq!(repeats, 3);
    assert_eq!(central.claim_counts(), (3, 3));
}

#[test]
fn an_import_refuses_a_forged_signature_and_another_kiosks_claims_and_names_why() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let central = Central::setup(&tmp.path().join("central"), "");
    let key = kiosk_key(5);
    central.add_kiosk("K005", &key);
    central.add_kiosk("K006", &kiosk_key(6));
    let outbox = outbox(&tmp.path().join("kiosk"), &key);
    let manifests = submit_claims(&outbox, 1, 2, "K005", &key, &central.recipient, 5_000);
    let usb = outbox
        .export(&tmp.path().join("usb"), "K005", chrono::Utc::now())
        .expect("export")
        .folder;
    // An index that names the wrong kiosk: every packet is checked against that kiosk's key and refused.
    let index_file = usb.join("index.json");
    let index = std::fs::read_to_string(&index_file).expect("index");
    std::fs::write(&index_file, index.replace("\"K005\"", "\"K006\"")).expect("lie");
    let wrong = std::process::Command::new(CENTRAL)
        .arg("--config")
        .arg(&central.config)
        .args(["import", usb.to_str().expect("path")])
        .output()
        .expect("run import");
    assert!(!wrong.status.success());
    let text = String::from_utf8_lossy(&wrong.stdout);
    assert!(text.contains("0 new, 0 already had, 2 refused"), "{text}");
    assert!(text.contains("bad_packet_signature"), "{text}");
    assert_eq!(central.claim_count(), 0);

    // The index names the kiosk again. Naming another one with --kiosk is refused as a contradiction.
    std::fs::write(&index_file, index).expect("restore the index");
    let contradicted = std::process::Command::new(CENTRAL)
        .arg("--config")
        .arg(&central.config)
        .args(["import", usb.to_str().expect("path"), "--kiosk", "K006"])
        .output()
        .expect("run import");
    let text = String::from_utf8_lossy(&contradicted.stdout);
    assert!(text.contains("kiosk_mismatch"), "{text}");
    assert_eq!(central.claim_count(), 0);

    // One forged signature: that claim is refused, the other stored.
    let sig = usb.join(format!("{}.sig", manifests[0].reference.digits()));
    let mut bytes = std::fs::read(&sig).expect("sig");
    bytes[0] ^= 0xFF;
    std::fs::write(&sig, bytes).expect("forge");
    let out = std::process::Command::new(CENTRAL)
        .arg("--config")
        .arg(&central.config)
        .args(["import", usb.to_str().expect("path"), "--kiosk", "K005"])
        .output()
        .expect("run import");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("1 new, 0 already had, 1 refused"), "{text}");
    assert!(
        text.contains(&format!(
            "{}\trefused\tbad_packet_signature",
            manifests[0].reference.digits()
        )),
        "{text}"
    );
    assert_eq!(central.claim_count(), 1);
}
