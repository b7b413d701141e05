//! A stolen kiosk reveals nothing: after claims are stored, delivered, held and exported, no file in the
//! data folder holds a participant's NIK, names, account or phone number (ASCII or UTF-16), any piece of
//! their photos, or even a JPEG start marker outside the sealed packets. After delivery and the retention
//! purge nothing derived from a delivered claim's NIK remains (no keyed hash, no argon2 output, no salt), and
//! a pending claim's NIK can only be guessed at the full argon2id cost recorded with it.

// Test helpers outside `#[test]` functions may panic on failure too.
#![allow(clippy::unwrap_used)]

mod common;

use lapak_kiosk::claim::reference::ClaimReference;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::TimeDelta;
use lapak_kiosk::claim::DocumentKind;
use lapak_kiosk::outbox::{NIK_KDF, NewClaim, NikHashKey, NikKdfParams, Outbox, OutboxLimits};
use lapak_kiosk::packet::Document;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Every regular file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|unit| {
            if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            }
        })
        .collect()
}

/// Distinctive 32-byte chunks of a JPEG: its entropy-coded data after the start-of-scan header (the headers
/// before it are the same for every photo from the same encoder).
fn photo_chunks(jpeg: &[u8]) -> Vec<Vec<u8>> {
    let sos = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xDA])
        .unwrap_or_else(|| panic!("test photo has no start of scan"));
    let scan = &jpeg[sos + 14..jpeg.len() - 2];
    assert!(scan.len() >= 256, "test photo is too small to sample");
    scan.chunks_exact(32).map(<[u8]>::to_vec).collect()
}

/// Whether a `FF D8 FF` found at `offset` lies inside a copy of one of the sealed packets (random ciphertext
/// bytes can form the marker by chance); a 20-byte window around it must match ciphertext exactly.
fn inside_ciphertext(data: &[u8], offset: usize, ciphertexts: &[Vec<u8>]) -> bool {
    let windows = [offset.saturating_sub(17), offset.saturating_sub(8), offset];
    windows.iter().any(|&start| {
        let end = (start + 20).min(data.len());
        end - start == 20 && ciphertexts.iter().any(|c| contains(c, &data[start..end]))
    })
}

/// The first leak found in any file under `dir`, described; `None` when the folder is clean.
fn find_leak(dir: &Path, needles: &[(String, Vec<u8>)], ciphertexts: &[Vec<u8>]) -> Option<String> {
    // Needles by their first two bytes, so each file is walked once.
    let mut by_prefix: HashMap<[u8; 2], Vec<(&[u8], &str)>> = HashMap::new();
    for (what, needle) in needles {
        assert!(needle.len() >= 2);
        by_prefix
            .entry([needle[0], needle[1]])
            .or_default()
            .push((needle, what));
    }
    let mut possible = vec![false; 1 << 16];
    for prefix in by_prefix.keys() {
        possible[usize::from(u16::from_be_bytes(*prefix))] = true;
    }
    for file in files_under(dir) {
        let data = std::fs::read(&file).unwrap();
        for (offset, pair) in data.windows(2).enumerate() {
            if !possible[usize::from(u16::from_be_bytes([pair[0], pair[1]]))] {
                continue;
            }
            for (needle, what) in &by_prefix[&[pair[0], pair[1]]] {
                if data[offset..].starts_with(needle) {
                    return Some(format!("{what} found in {}", file.display()));
                }
            }
        }
        let marker = data
            .windows(3)
            .enumerate()
            .filter(|(_, w)| *w == [0xFF, 0xD8, 0xFF])
            .map(|(offset, _)| offset)
            .find(|&offset| !inside_ciphertext(&data, offset, ciphertexts));
        if let Some(offset) = marker {
            return Some(format!(
                "JPEG start marker at byte {offset} of {} outside any sealed packet",
                file.display()
            ));
        }
    }
    None
}

fn total_bytes(dir: &Path) -> u64 {
    files_under(dir)
        .iter()
        .map(|file| std::fs::metadata(file).unwrap().len())
        .sum()
}

#[test]
fn data_folder_holds_no_personal_data() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let central = common::central_identity();
    let outbox = Outbox::open(
        &data.join("outbox.db"),
        OutboxLimits {
            max_pending: 100,
            min_free_bytes: 0,
            retention_days: 30,
        },
        NikHashKey::derive(&common::kiosk_key()),
    )
    .unwrap();

    let mut needles: Vec<(String, Vec<u8>)> = Vec::new();
    let mut ciphertexts = Vec::new();
    for n in 1..=3u32 {
        let person = common::Person::numbered(n);
        let docs: Vec<Document> = vec![
            common::photo(DocumentKind::Ektp, 40, 26),
            common::photo(DocumentKind::Selfie, 24, 32),
        ];
        let reference = ClaimReference::new(42, n.into()).unwrap();
        let sealed = common::seal_claim(
            &person,
            &reference,
            Uuid::new_v4(),
            &docs,
            &central.to_public(),
        );
        outbox
            .submit(NewClaim {
                claim_id: Uuid::new_v4(),
                reference: &reference,
                created_at: common::t0() + TimeDelta::minutes(i64::from(n)),
                nik: &person.nik,
                test: false,
                sealed: &sealed,
            })
            .unwrap();
        ciphertexts.push(sealed.ciphertext.to_vec());
        for secret in person.secrets() {
            needles.push((format!("{secret:?} (ASCII)"), secret.as_bytes().to_vec()));
            needles.push((format!("{secret:?} (UTF-16LE)"), utf16(&secret, false)));
            needles.push((format!("{secret:?} (UTF-16BE)"), utf16(&secret, true)));
        }
        let nik_digest = Sha256::digest(person.nik.as_bytes());
        needles.push(("unkeyed SHA-256 of a NIK".to_owned(), nik_digest.to_vec()));
        needles.push((
            "unkeyed SHA-256 of a NIK (hex)".to_owned(),
            hex::encode(nik_digest).into_bytes(),
        ));
        for doc in &docs {
            for (i, chunk) in photo_chunks(&doc.jpeg).into_iter().enumerate() {
                needles.push((
                    format!("chunk {i} of the {:?} photo of claim {n}", doc.kind),
                    chunk,
                ));
            }
        }
    }

    // Move the claims through every state, then export what is undelivered.
    let now = common::t0() + TimeDelta::hours(1);
    let first = outbox.next_due(now).unwrap().unwrap();
    outbox
        .mark_delivered(first.id, r#"{"receipt":"R-1"}"#, now)
        .unwrap();
    let second = outbox.next_due(now).unwrap().unwrap();
    outbox.mark_held(second.id, "invalid packet", now).unwrap();
    let exported = outbox
        .export(&data.join("export"), "KIOSK-00042", now)
        .unwrap();
    assert_eq!(exported.count, 2);

    // While the kiosk runs (WAL and shared memory present) ...
    let names: Vec<String> = files_under(&data)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n == "outbox.db-wal"), "{names:?}");
    assert_eq!(find_leak(&data, &needles, &ciphertexts), None);
    assert!(total_bytes(&data) > ciphertexts.iter().map(|c| c.len() as u64).sum::<u64>());

    // ... and after it stopped.
    drop(outbox);
    assert_eq!(find_leak(&data, &needles, &ciphertexts), None);

    // The scan itself finds what it looks for.
    let leak = data.join("leak.bin");
    let mut planted = b"prefix".to_vec();
    planted.extend_from_slice(&needles.last().unwrap().1);
    std::fs::write(&leak, planted).unwrap();
    let found = find_leak(&data, &needles, &ciphertexts).unwrap_or_default();
    assert!(
        found.contains("photo") && found.contains("leak.bin"),
        "{found}"
    );
    std::fs::write(&leak, [0x00, 0xFF, 0xD8, 0xFF, 0xE0, 0x00]).unwrap();
    let found = find_leak(&data, &needles, &ciphertexts).unwrap_or_default();
    assert!(found.contains("JPEG start marker at byte 1"), "{found}");
}

/// The NIK hash columns of the claim with this reference, read straight from the database file.
fn stored_nik_columns(
    db: &Path,
    reference: &ClaimReference,
) -> (Option<Vec<u8>>, Option<Vec<u8>>, Option<String>) {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row(
        "SELECT nik_hash, nik_salt, nik_kdf FROM claims WHERE reference = ?1",
        [reference.digits()],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
    .unwrap()
}

#[test]
fn from_delivery_on_no_nik_derived_bytes_remain_and_pending_guesses_cost_the_full_kdf() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let db = data.join("outbox.db");
    let central = common::central_identity();
    let key = NikHashKey::derive(&common::kiosk_key());
    let outbox = Outbox::open(
        &db,
        OutboxLimits {
            max_pending: 100,
            min_free_bytes: 0,
            retention_days: 1,
        },
        key.clone(),
    )
    .unwrap();
    let now = chrono::Utc::now();
    let people: Vec<common::Person> = (1..=2).map(common::Person::numbered).collect();
    let mut ciphertexts = Vec::new();
    let mut references = Vec::new();
    for (n, person) in people.iter().enumerate() {
        let reference = ClaimReference::new(43, n as u64).unwrap();
        let sealed = common::seal_claim(
            person,
            &reference,
            Uuid::new_v4(),
            &[common::photo(DocumentKind::Ektp, 40, 26)],
            &central.to_public(),
        );
        outbox
            .submit(NewClaim {
                claim_id: Uuid::new_v4(),
                reference: &reference,
                created_at: now - TimeDelta::days(3),
                nik: &person.nik,
                test: false,
                sealed: &sealed,
            })
            .unwrap();
        ciphertexts.push(sealed.ciphertext.to_vec());
        references.push(reference);
    }

    // While pending: the stored hash is argon2id under the parameters recorded in the row, keyed with the
    // kiosk secret and this claim's salt; nothing cheaper reproduces it, so every guess pays that cost.
    let mut stored = Vec::new();
    for (person, reference) in people.iter().zip(&references) {
        let (hash, salt, kdf) = stored_nik_columns(&db, reference);
        let (hash, salt, kdf) = (hash.unwrap(), salt.unwrap(), kdf.unwrap());
        let params = NikKdfParams::decode(&kdf).unwrap();
        assert_eq!(params, NIK_KDF);
        assert!(
            params.m_cost_kib >= 19 * 1024,
            "{kdf}: less than 19 MiB per guess"
        );
        assert!(
            params.t_cost * params.m_cost_kib >= 3 * 19 * 1024,
            "{kdf}: too few passes"
        );
        assert_eq!(
            key.argon2(&person.nik, &salt, params).unwrap()[..],
            hash[..]
        );
        let cheaper = NikKdfParams {
            t_cost: 1,
            ..params
        };
        assert_ne!(
            key.argon2(&person.nik, &salt, cheaper).unwrap()[..],
            hash[..]
        );
        assert_ne!(
            key.hash(&person.nik)[..],
            hash[..],
            "the fast HMAC form must not be stored"
        );
        assert!(outbox.matches_nik(reference, &person.nik).unwrap());
        stored.push((hash, salt));
    }

    // The first claim was delivered two days ago: its hash is cleared at once, and the purge deletes it.
    let first = outbox.next_due(now).unwrap().unwrap();
    assert_eq!(first.reference, references[0]);
    outbox
        .mark_delivered(first.id, r#"{"receipt":"R-1"}"#, now - TimeDelta::days(2))
        .unwrap();
    assert_eq!(stored_nik_columns(&db, &references[0]), (None, None, None));
    assert!(!outbox.matches_nik(&references[0], &people[0].nik).unwrap());

    let delivered = &people[0];
    let (hash, salt) = &stored[0];
    let mut needles: Vec<(String, Vec<u8>)> = vec![
        (
            "the delivered NIK (ASCII)".to_owned(),
            delivered.nik.as_bytes().to_vec(),
        ),
        (
            "the delivered NIK (UTF-16LE)".to_owned(),
            utf16(&delivered.nik, false),
        ),
        (
            "the delivered NIK (UTF-16BE)".to_owned(),
            utf16(&delivered.nik, true),
        ),
        (
            "the delivered NIK's HMAC under the kiosk key".to_owned(),
            key.hash(&delivered.nik).to_vec(),
        ),
        (
            "the delivered claim's argon2id output".to_owned(),
            hash.clone(),
        ),
        ("the delivered claim's salt".to_owned(), salt.clone()),
        (
            "the delivered claim's salt and hash".to_owned(),
            [&salt[..], &hash[..]].concat(),
        ),
    ];
    // Gone from every file at delivery already (database, write-ahead log, shared memory) ...
    assert_eq!(find_leak(&data, &needles, &ciphertexts), None);
    // ... and still after the retention purge deleted the claim.
    assert_eq!(outbox.purge(now).unwrap(), 1);
    assert!(
        outbox
            .lookup_by_reference(&references[0])
            .unwrap()
            .is_none()
    );
    assert_eq!(find_leak(&data, &needles, &ciphertexts), None);
    drop(outbox);
    assert_eq!(find_leak(&data, &needles, &ciphertexts), None);

    // The scan finds the pending claim's hash and salt, which must stay for its status check.
    needles.push((
        "the pending claim's argon2id output".to_owned(),
        stored[1].0.clone(),
    ));
    needles.push(("the pending claim's salt".to_owned(), stored[1].1.clone()));
    let found = find_leak(&data, &needles, &ciphertexts).unwrap_or_default();
    assert!(found.contains("pending claim"), "{found}");
}
