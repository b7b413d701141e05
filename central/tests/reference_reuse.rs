//! References never collide: a kiosk whose outbox was lost continues above the highest sequence the central
//! service holds (learnt by `outbox init --after-loss` or at start), a reference that is not the sender's is
//! refused as `reference_not_yours`, and the registry keeps one number and one key per kiosk.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use common::*;
use lapak_kiosk::claim::reference::ClaimReference;
use lapak_kiosk::claim::{BankAccount, ClaimFields, Reason, ReasonDetails};
use lapak_kiosk::config::{ConfigOrigin, KioskConfig};
use lapak_kiosk::kiosk::{self, Kiosk, OUTBOX_FILE, SequenceFloor, StartError};
use lapak_kiosk::outbox::{ClaimFilter, ClaimState};
use lapak_kiosk::packet::{self, Document};
use lapak_kiosk::submission::ClaimDraft;
use lapak_kiosk::sync::api::{ErrorBody, is_claim_refusal};
use lapak_kiosk::sync::client::RequestBody;
use lapak_kiosk::sync::{CentralClient, drain_now};

/// A kiosk configuration sealing to `central`, its data in `data`.
fn kiosk_config(data: &Path, central: &Central) -> KioskConfig {
    let text = format!(
        "[storage]\ndata_dir = \"{}\"\nmin_free_mb = 1\n[central]\nrecipient = \"{}\"\n[sync]\ncentral_url = \"{}\"\n\
         connect_timeout_secs = 2\nrequest_timeout_secs = 5\n\
         [camera]\nsource = \"simulated:pattern\"\n[printer]\nenabled = false\n",
        data.display(),
        central.recipient,
        central.url()
    );
    KioskConfig::parse(&text, ConfigOrigin::File("kiosk.toml".into()))
        .expect("kiosk config")
        .config
}

/// A complete resign claim, through the same pipeline as the screens.
fn draft(kiosk: &Kiosk, n: u64) -> ClaimDraft {
    let documents = kiosk
        .submitter
        .context()
        .rules
        .documents_for(Reason::Resign, false)
        .into_iter()
        .enumerate()
        .map(|(i, kind)| Document {
            kind,
            jpeg: photo(n * 16 + i as u64, 8_000),
            width: 640,
            height: 480,
        })
        .collect();
    ClaimDraft {
        fields: ClaimFields {
            nik: "3174015203850001".to_owned(),
            kpj: "12345678901".to_owned(),
            name: "SITI AMINAH".to_owned(),
            mother_maiden_name: "SRI WAHYUNI".to_owned(),
            phone: "+6281234567890".to_owned(),
            ..ClaimFields::default()
        },
        reason: Some(ReasonDetails {
            reason: Reason::Resign,
            event_date: NaiveDate::from_ymd_opt(2026, 8, 1),
            membership_start: None,
        }),
        bank: Some(BankAccount {
            bank_code: "014".to_owned(),
            account_number: "1234567890".to_owned(),
            holder: "SITI AMINAH".to_owned(),
        }),
        balance_above_npwp_threshold: false,
        consent_accepted_at: Some(Utc::now()),
        documents,
        test: true,
    }
}

/// Submits `count` claims; returns their references.
fn submit(kiosk: &Kiosk, count: u64) -> Vec<ClaimReference> {
    (0..count)
        .map(|n| {
            kiosk
                .submitter
                .submit(&draft(kiosk, n), Utc::now())
                .expect("claim stored")
                .reference
        })
        .collect()
}

fn client(kiosk: &Kiosk) -> CentralClient {
    CentralClient::new(
        &kiosk.config.sync,
        credentials(kiosk.identity.id(), kiosk.identity.signing_key()),
    )
    .expect("client")
}

/// Delivers everything waiting; returns (delivered, held).
fn drain(kiosk: &Kiosk) -> (u64, u64) {
    let summary = drain_now(&client(kiosk), kiosk.outbox.as_ref(), 3, &mut |_| {}).expect("drain");
    (summary.delivered as u64, summary.held as u64)
}

fn delete_outbox(data: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let path = data.join(format!("{OUTBOX_FILE}{suffix}"));
        if path.exists() {
            std::fs::remove_file(&path).expect("delete the outbox");
        }
    }
}

#[test]
fn after_the_outbox_is_deleted_the_next_reference_is_above_every_delivered_one_and_is_delivered() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    central.start();
    let data = tmp.path().join("kiosk");
    let config = kiosk_config(&data, &central);
    let identity = kiosk::provision(&config, Some("K001"), 1).expect("provision");
    central.add_kiosk(identity.id(), identity.signing_key());

    let delivered = {
        let kiosk = Kiosk::open(config.clone()).expect("open");
        let references = submit(&kiosk, 3);
        assert_eq!(drain(&kiosk), (3, 0));
        references
    };
    delete_outbox(&data);

    match Kiosk::open(config.clone()) {
        Err(e @ StartError::OutboxMissing { .. }) => {
            assert!(e.to_string().contains("outbox init --after-loss"), "{e}");
        }
        Err(e) => panic!("wrong refusal: {e}"),
        Ok(_) => panic!("a fresh outbox was made beside the existing key"),
    }
    assert!(
        !data.join(OUTBOX_FILE).exists(),
        "the refusal made an outbox"
    );

    let done =
        kiosk::init_after_loss(&config, SequenceFloor::FromCentral).expect("init after loss");
    let highest = delivered.iter().map(|r| r.sequence()).max().expect("some");
    assert_eq!(done.highest_used, highest);
    assert!(done.floor_source.contains("central service"), "{done:?}");

    let kiosk = Kiosk::open(config).expect("open the new outbox");
    let next = submit(&kiosk, 1).remove(0);
    assert!(
        next.sequence() > highest,
        "{next} reuses a sequence at or below {highest}"
    );
    assert!(!delivered.contains(&next));
    assert_eq!(
        drain(&kiosk),
        (1, 0),
        "the new claim must be delivered, not refused"
    );
    assert_eq!(central.claim_counts(), (4, 4));
}

#[test]
fn a_restored_old_outbox_learns_the_sequence_at_start_even_when_the_service_comes_later() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    central.start();
    let data = tmp.path().join("kiosk");
    let config = kiosk_config(&data, &central);
    let identity = kiosk::provision(&config, Some("K002"), 2).expect("provision");
    central.add_kiosk(identity.id(), identity.signing_key());
    // A backup of the empty outbox, restored after two deliveries.
    let backup = tmp.path().join("backup.sqlite3");
    std::fs::copy(data.join(OUTBOX_FILE), &backup).expect("backup");
    {
        let kiosk = Kiosk::open(config.clone()).expect("open");
        submit(&kiosk, 2);
        assert_eq!(drain(&kiosk), (2, 0));
    }
    delete_outbox(&data);
    std::fs::copy(&backup, data.join(OUTBOX_FILE)).expect("restore");

    // The service is down at start: the kiosk starts, and keeps asking in the background.
    central.stop();
    let kiosk = Kiosk::open(config).expect("the restored outbox is the kiosk's own");
    let watcher = kiosk
        .learn_sequence_floor()
        .expect("asked")
        .expect("a background question while the service is down");
    central.start();
    assert!(
        wait_until(Duration::from_secs(30), || watcher.is_finished()),
        "the sequence was not learnt after the service came back"
    );
    let next = submit(&kiosk, 1).remove(0);
    assert_eq!(next.sequence(), 3, "{next}");
    assert_eq!(drain(&kiosk), (1, 0));
    assert_eq!(central.claim_counts(), (3, 3));
}

/// Seals `manifest` with its reference replaced by `reference` as text (a packet a kiosk that does not check its
/// references could send): the archive holds only the manifest, age-encrypted to `recipient` and signed.
fn seal_with_reference_text(
    manifest: &lapak_kiosk::packet::Manifest,
    reference: &str,
    recipient: &age::x25519::Recipient,
    key: &ed25519_dalek::SigningKey,
) -> lapak_kiosk::packet::SealedPacket {
    use std::io::Write as _;
    let mut json = serde_json::to_value(manifest).expect("manifest JSON");
    json["reference"] = reference.into();
    let json = serde_json::to_vec(&json).expect("manifest JSON");
    let mut archive = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(json.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    archive
        .append_data(&mut header, packet::MANIFEST_FILE, json.as_slice())
        .expect("tar");
    let plaintext = archive.into_inner().expect("tar");
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(recipient as &dyn age::Recipient))
            .expect("an encryptor");
    let mut ciphertext = Vec::new();
    let mut writer = encryptor.wrap_output(&mut ciphertext).expect("age");
    writer.write_all(&plaintext).expect("age");
    writer.finish().expect("age");
    let signature = packet::sign_ciphertext(&ciphertext, key);
    lapak_kiosk::packet::SealedPacket {
        ciphertext: ciphertext.into(),
        signature,
    }
}

#[test]
fn a_kiosk_sealing_another_kiosks_reference_is_refused_as_reference_not_yours() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    central.start();
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.add_kiosk("K002", &kiosk_key(2));
    let client = CentralClient::new(&sync_config(&central.url()), credentials("K001", &key))
        .expect("client");
    let upload = |reference: &str| {
        let m = manifest(1, "K001", uuid::Uuid::new_v4());
        let sealed = seal_with_reference_text(&m, reference, &central.recipient, &key);
        let response = client
            .post(
                "v1/claims",
                &m.claim_id.to_string(),
                RequestBody::Packet {
                    ciphertext: &sealed.ciphertext,
                    signature: &sealed.signature,
                },
            )
            .expect("answered");
        let status = response.status().as_u16();
        let body: ErrorBody = response.json().expect("an error body");
        (status, body)
    };

    let others = reference(5, "K002");
    let (status, body) = upload(&others);
    assert_eq!((status, body.error.as_str()), (422, "reference_not_yours"));
    assert!(body.message.contains("kiosk number 2"), "{}", body.message);
    assert!(is_claim_refusal(status, &body.error));

    let mut wrong_check = reference(6, "K001");
    let last = wrong_check.pop().expect("a digit");
    wrong_check.push(if last == '0' { '1' } else { '0' });
    let (status, body) = upload(&wrong_check);
    assert_eq!((status, body.error.as_str()), (422, "reference_not_yours"));

    assert_eq!(central.claim_count(), 0);

    // The sender's own reference passes the same checks.
    let outbox_dir = tmp.path().join("kiosk");
    let outbox = outbox(&outbox_dir, &key);
    submit_claims(&outbox, 7, 1, "K001", &key, &central.recipient, 5_000);
    let summary = drain_now(&client, &outbox, 3, &mut |_| {}).expect("drain");
    assert_eq!((summary.delivered, summary.held), (1, 0));
    let stored = outbox
        .list(&ClaimFilter {
            state: Some(ClaimState::Delivered),
            limit: 10,
        })
        .expect("list");
    assert_eq!(stored[0].reference.digits(), reference(7, "K001"));
}

#[test]
fn kiosk_add_keeps_one_number_and_one_key_per_kiosk() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let central = Central::setup(&tmp.path().join("central"), "");
    let add = |args: &[&str]| {
        Command::new(CENTRAL)
            .arg("--config")
            .arg(&central.config)
            .args(["kiosk", "add"])
            .args(args)
            .output()
            .expect("run kiosk add")
    };
    let key = |n: u8| lapak_kiosk::sync::signing::public_key_text(&kiosk_key(n).verifying_key());

    let first = add(&["--id", "KIOSK-00042", "--public-key", &key(1)]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );

    let same_key = add(&["--id", "KIOSK-00043", "--public-key", &key(1)]);
    assert!(!same_key.status.success());
    assert!(
        String::from_utf8_lossy(&same_key.stderr)
            .contains("already registered to kiosk KIOSK-00042"),
        "{}",
        String::from_utf8_lossy(&same_key.stderr)
    );

    let same_number = add(&[
        "--id",
        "BRANCH-A",
        "--number",
        "42",
        "--public-key",
        &key(2),
    ]);
    assert!(!same_number.status.success());
    assert!(
        String::from_utf8_lossy(&same_number.stderr)
            .contains("kiosk number 42 is already registered to kiosk KIOSK-00042"),
        "{}",
        String::from_utf8_lossy(&same_number.stderr)
    );

    let no_number = add(&["--id", "BRANCH-A", "--public-key", &key(2)]);
    assert!(!no_number.status.success());
    assert!(
        String::from_utf8_lossy(&no_number.stderr).contains("--number is required"),
        "{}",
        String::from_utf8_lossy(&no_number.stderr)
    );

    let list = central.cli(&["kiosk", "list"]);
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.contains("KIOSK-00042\tnumber 42\t"), "{list}");
}

#[test]
fn the_sequence_is_answered_only_to_the_kiosk_itself_and_only_for_its_number() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = Central::setup(&tmp.path().join("central"), "");
    central.start();
    let key = kiosk_key(1);
    central.add_kiosk("K001", &key);
    central.add_kiosk("K002", &kiosk_key(2));
    let outbox = outbox(&tmp.path().join("kiosk"), &key);
    submit_claims(&outbox, 41, 2, "K001", &key, &central.recipient, 5_000);
    let client = CentralClient::new(&sync_config(&central.url()), credentials("K001", &key))
        .expect("client");
    assert_eq!(
        drain_now(&client, &outbox, 3, &mut |_| {})
            .expect("drain")
            .delivered,
        2
    );

    let reply = lapak_kiosk::sync::sequence::ask(&client).expect("answered");
    assert_eq!(
        (
            reply.kiosk_id.as_str(),
            reply.number,
            reply.highest_sequence
        ),
        ("K001", 1, 42)
    );

    let other = CentralClient::new(
        &sync_config(&central.url()),
        credentials("K002", &kiosk_key(2)),
    )
    .expect("client");
    let reply = lapak_kiosk::sync::sequence::ask(&other).expect("answered");
    assert_eq!((reply.number, reply.highest_sequence), (2, 0));

    let asked_for_another = client
        .post(
            "v1/kiosks/K002/sequence",
            &uuid::Uuid::new_v4().to_string(),
            RequestBody::Json(b"{}".to_vec()),
        )
        .expect("answered");
    assert_eq!(asked_for_another.status().as_u16(), 403);
    let body: ErrorBody = asked_for_another.json().expect("error body");
    assert_eq!(body.error, "kiosk_mismatch");
}
