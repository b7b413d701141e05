//! A sealed packet is standard age + tar: the Debian `age` and `tar` commands open and list it.

// Test helpers outside `#[test]` functions may panic on failure too.
#![allow(clippy::unwrap_used)]

mod common;

use lapak_kiosk::claim::reference::ClaimReference;
use std::path::Path;
use std::process::Command;

use age::secrecy::ExposeSecret;
use lapak_kiosk::claim::DocumentKind;
use lapak_kiosk::packet;
use sha2::{Digest, Sha256};
use uuid::Uuid;

fn run(command: &mut Command) -> Vec<u8> {
    let output = command
        .output()
        .unwrap_or_else(|err| panic!("cannot run {command:?} (is it installed?): {err}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn age_and_tar_commands_open_a_sealed_packet() {
    let dir = tempfile::tempdir().unwrap();
    let identity = age::x25519::Identity::generate();
    let key = common::kiosk_key();
    let person = common::Person::numbered(1);
    let docs = vec![
        common::photo(DocumentKind::Ektp, 96, 60),
        common::photo(DocumentKind::Selfie, 48, 64),
        common::photo(DocumentKind::BankBook, 80, 80),
    ];
    let sealed = packet::seal(
        &common::manifest(
            &person,
            &ClaimReference::new(42, 17).unwrap(),
            Uuid::new_v4(),
        ),
        &docs,
        &identity.to_public(),
        &key,
    )
    .unwrap();
    packet::verify_signature(&sealed.ciphertext, &sealed.signature, &key.verifying_key()).unwrap();

    let identity_file = dir.path().join("identity.txt");
    std::fs::write(
        &identity_file,
        format!("{}\n", identity.to_string().expose_secret()),
    )
    .unwrap();
    let packet_file = dir.path().join("claim.tar.age");
    std::fs::write(&packet_file, &sealed.ciphertext).unwrap();
    let tar_file = dir.path().join("claim.tar");
    run(Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&identity_file)
        .arg("-o")
        .arg(&tar_file)
        .arg(&packet_file));

    // Listing: exactly the manifest and one file per document, regular files.
    let listing = String::from_utf8(run(Command::new("tar").arg("-tvf").arg(&tar_file))).unwrap();
    let lines: Vec<&str> = listing.lines().collect();
    let names: Vec<&str> = lines
        .iter()
        .map(|line| line.split_whitespace().last().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "manifest.json",
            "documents/ektp.jpg",
            "documents/selfie.jpg",
            "documents/bank_book.jpg"
        ],
        "{listing}"
    );
    assert!(
        lines.iter().all(|line| line.starts_with("-rw-------")),
        "{listing}"
    );

    // Extracted files match the manifest's sizes and hashes.
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    run(Command::new("tar")
        .arg("-xf")
        .arg(&tar_file)
        .arg("-C")
        .arg(&out));
    let manifest: packet::Manifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest.fields.nik, person.nik);
    assert_eq!(manifest.documents.len(), docs.len());
    for (entry, doc) in manifest.documents.iter().zip(&docs) {
        let bytes = std::fs::read(out.join(Path::new(&entry.file))).unwrap();
        assert_eq!(bytes, doc.jpeg, "{}", entry.file);
        assert_eq!(bytes.len() as u64, entry.bytes, "{}", entry.file);
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            entry.sha256,
            "{}",
            entry.file
        );
        assert_eq!((entry.width, entry.height), (doc.width, doc.height));
    }

    // And the library opens the same bytes to the same content.
    let opened = packet::open(&sealed, &identity, &key.verifying_key()).unwrap();
    assert_eq!(opened.manifest, manifest);
    assert_eq!(opened.documents, docs);
}

#[test]
fn age_command_refuses_a_packet_for_another_identity() {
    let dir = tempfile::tempdir().unwrap();
    let recipient = age::x25519::Identity::generate().to_public();
    let stranger = age::x25519::Identity::generate();
    let person = common::Person::numbered(2);
    let sealed = packet::seal(
        &common::manifest(
            &person,
            &ClaimReference::new(42, 25).unwrap(),
            Uuid::new_v4(),
        ),
        &[common::photo(DocumentKind::Selfie, 16, 16)],
        &recipient,
        &common::kiosk_key(),
    )
    .unwrap();
    let identity_file = dir.path().join("identity.txt");
    std::fs::write(
        &identity_file,
        format!("{}\n", stranger.to_string().expose_secret()),
    )
    .unwrap();
    let packet_file = dir.path().join("claim.tar.age");
    std::fs::write(&packet_file, &sealed.ciphertext).unwrap();
    let output = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&identity_file)
        .arg(&packet_file)
        .output()
        .unwrap_or_else(|err| panic!("cannot run age (is it installed?): {err}"));
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
}
