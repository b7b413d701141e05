//! Packets leave the database: intake writes each sealed packet to the packet store (`[blobs]`) before it
//! commits the claim's row, a store outage answers 503 and loses nothing, and a packet read back (`claim
//! export`) is checked against the SHA-256 kept in the row.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use common::moto::Moto;
use common::*;
use lapak_kiosk::sync::client::RequestBody;
use lapak_kiosk::sync::uploader::Uploader;
use lapak_kiosk::sync::{CentralClient, drain_now};
use sha2::{Digest as _, Sha256};

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Runs `claim export` for `reference` into `out`; the command's success and its stderr.
fn export(central: &Central, reference: &str, out: &Path) -> (bool, String) {
    let run = Command::new(CENTRAL)
        .arg("--config")
        .arg(&central.config)
        .args(["claim", "export", reference, "--out"])
        .arg(out)
        .output()
        .expect("run export");
    (
        run.status.success(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

#[test]
fn a_claim_is_stored_as_a_packet_file_not_in_its_row_and_exported_from_it_checked_against_its_hash()
{
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();
    let outbox = outbox(&tmp.path().join("kiosk"), &key);
    let manifests = submit_claims(&outbox, 1, 2, "K001", &key, &central.recipient, 20_000);
    let client = CentralClient::new(&sync_config(&central.url()), credentials("K001", &key))
        .expect("client");
    let summary = drain_now(&client, &outbox, 3, &mut |_| {}).expect("drain");
    assert_eq!(summary.delivered, 2, "{summary:?}");

    // One file per claim under packets/<claim id>/<SHA-256>, whose bytes have that SHA-256; no row keeps
    // packet bytes.
    let files = files_under(&central.dir.join("packets"));
    assert_eq!(files.len(), 2, "{files:?}");
    let mut hashes = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).expect("read packet file");
        let sha = hex::encode(Sha256::digest(&bytes));
        assert_eq!(
            file.file_name().and_then(|n| n.to_str()),
            Some(sha.as_str())
        );
        hashes.push(sha);
    }
    let mut stored = central.stored_packet_sha256();
    stored.sort();
    hashes.sort();
    assert_eq!(stored, hashes);
    let bytes_in_rows = central.claim_columns("COALESCE(SUM(COALESCE(length(packet), 0)), 0)");
    assert_eq!(bytes_in_rows, vec![0]);

    // Export reads the file back, checked.
    let reference = manifests[0].reference.digits().to_string();
    let out = tmp.path().join("exported.age");
    let (ok, stderr) = export(&central, &reference, &out);
    assert!(ok, "{stderr}");
    let exported = std::fs::read(&out).expect("exported file");
    let file = files
        .iter()
        .find(|f| std::fs::read(f).ok().as_deref() == Some(exported.as_slice()))
        .expect("the export is one of the packet files");

    // A packet file changed on disk is refused, not exported.
    std::fs::write(file, b"changed bytes").expect("change the file");
    let (ok, stderr) = export(&central, &reference, &tmp.path().join("changed.age"));
    assert!(!ok, "a changed packet was exported");
    assert!(stderr.contains("does not match its SHA-256"), "{stderr}");
    assert!(!tmp.path().join("changed.age").exists());
    central.stop();
}

#[test]
fn claims_sent_while_the_s3_store_is_down_are_answered_503_and_arrive_exactly_once_after_it_returns()
 {
    let tmp = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut moto = Moto::start(port).expect("moto_server starts");
    let mut central = Central::setup(&tmp.path().join("central"), &moto.blobs_config());
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();

    let outbox = Arc::new(outbox(&tmp.path().join("kiosk"), &key));
    let manifests = submit_claims(&outbox, 1, 12, "K001", &key, &central.recipient, 20_000);
    let mut config = sync_config(&central.url());
    config.backoff_base_ms = 100;
    config.backoff_cap_secs = 1;
    let client = CentralClient::new(&config, credentials("K001", &key)).expect("client");
    let uploader = Uploader::spawn(client, outbox.clone(), Box::new(|_| {})).expect("uploader");
    assert!(
        wait_until(Duration::from_secs(30), || uploader.status().delivered >= 3),
        "the first claims were delivered: {:?}",
        uploader.status()
    );

    // The bucket goes away mid-run: requests are answered 503 and no row is committed without its packet.
    moto.stop();
    assert!(
        wait_until(Duration::from_secs(60), || {
            let status = uploader.status();
            status.last_error.is_some() && status.failures_in_a_row >= 2
        }),
        "the outage was seen by the kiosk: {:?}",
        uploader.status()
    );
    let during = uploader.status();
    assert!(during.delivered < 12, "{during:?}");
    assert_eq!(central.claim_count(), during.delivered as i64);
    let log = std::fs::read_to_string(central.dir.join("central.log")).unwrap_or_default();
    assert!(log.contains("packet store failure"), "{log}");

    // Back (empty, as moto keeps nothing): every claim arrives, each exactly once.
    let _moto = Moto::start(port).expect("moto_server starts again");
    uploader.wake();
    assert!(
        wait_until(Duration::from_secs(90), || uploader.status().delivered
            >= 12),
        "not everything was delivered: {:?}",
        uploader.status()
    );
    let status = uploader.status();
    assert_eq!((status.delivered, status.held), (12, 0), "{status:?}");
    uploader.stop();
    assert_eq!(central.claim_counts(), (12, 12));

    // The last claim was stored after the restart: its packet reads back from the bucket, checked.
    let reference = manifests[11].reference.digits().to_string();
    let out = tmp.path().join("last.age");
    let (ok, stderr) = export(&central, &reference, &out);
    assert!(ok, "{stderr}");
    central.stop();
}

#[test]
fn a_claim_whose_packet_was_stored_without_its_row_is_stored_once_when_sent_again() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.start();
    let (manifest, sealed) = sealed_claim(1, "K001", &key, &central.recipient, 20_000);
    // As after a crash between the packet's write and the row's commit: the packet is there, the row is not.
    let sha = hex::encode(Sha256::digest(&sealed.ciphertext));
    let left = central
        .dir
        .join("packets/packets")
        .join(manifest.claim_id.to_string())
        .join(&sha);
    std::fs::create_dir_all(left.parent().expect("a folder")).expect("packet folder");
    std::fs::write(&left, &sealed.ciphertext).expect("the packet left behind");
    assert_eq!(central.claim_count(), 0);

    let client = CentralClient::new(&sync_config(&central.url()), credentials("K001", &key))
        .expect("client");
    let body = RequestBody::Packet {
        ciphertext: &sealed.ciphertext,
        signature: &sealed.signature,
    };
    let answer = client
        .post("v1/claims", &manifest.claim_id.to_string(), body)
        .expect("an answer");
    assert_eq!(answer.status().as_u16(), 201);
    assert_eq!(central.claim_counts(), (1, 1));
    assert_eq!(files_under(&central.dir.join("packets")), vec![left]);
    assert_eq!(
        central
            .export_packet(manifest.reference.digits())
            .expect("export"),
        sealed.ciphertext.to_vec()
    );
    central.stop();
}
