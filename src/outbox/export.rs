//! Exporting undelivered claims to a folder (a USB stick carried to the branch when the network is gone for
//! good): only sealed packets, signatures and an index without personal data.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::time::from_millis;
use super::{ClaimState, OutboxError, OutboxReader};

/// The index file written beside the exported packets.
pub const EXPORT_INDEX_FILE: &str = "index.json";

/// One exported claim, as listed in `index.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct ExportEntry {
    reference: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    kiosk_id: Option<String>,
    claim_id: Uuid,
    created_at: DateTime<Utc>,
    state: ClaimState,
    attempts: u32,
    last_error: Option<String>,
    test: bool,
    packet_file: String,
    signature_file: String,
    packet_bytes: u64,
    packet_sha256: String,
}

/// Writes `<reference>.tar.age` (the age ciphertext) and `<reference>.sig` (the raw 64-byte Ed25519
/// signature) for every pending, sending or held claim, then `index.json`; every file is fsync'd and
/// so is the folder. Returns how many claims were exported.
pub(crate) fn export(reader: &OutboxReader, dir: &Path) -> Result<usize, OutboxError> {
    let export_error = |path: &Path| {
        let path = path.to_owned();
        move |err: std::io::Error| OutboxError::Export {
            path,
            reason: err.to_string(),
        }
    };
    std::fs::create_dir_all(dir).map_err(export_error(dir))?;
    // The kiosk that signed the packets, for `lapak-central import` (absent for an outbox not bound to one).
    let kiosk_id: Option<String> = reader
        .connection()
        .query_row("SELECT kiosk_id FROM owner WHERE id = 1", [], |r| r.get(0))
        .optional()
        .map_err(OutboxError::database("read the outbox's kiosk"))?;
    let db = OutboxError::database("read claims to export");
    let mut stmt = reader
        .connection()
        .prepare(
            "SELECT id, reference, claim_id, created_at, state, attempts, last_error, test, packet, signature
             FROM claims WHERE state IN ('pending', 'sending', 'held') ORDER BY id",
        )
        .map_err(db)?;
    let mut rows = stmt
        .query([])
        .map_err(OutboxError::database("read claims to export"))?;
    let mut index = Vec::new();
    while let Some(row) = rows
        .next()
        .map_err(OutboxError::database("read claims to export"))?
    {
        let read = |err| OutboxError::database("read claims to export")(err);
        let id: i64 = row.get(0).map_err(read)?;
        let reference: String = row.get(1).map_err(read)?;
        let claim_id: String = row.get(2).map_err(read)?;
        let state: String = row.get(4).map_err(read)?;
        let packet: Vec<u8> = row.get(8).map_err(read)?;
        let signature: Vec<u8> = row.get(9).map_err(read)?;
        let damaged = |reason: String| OutboxError::Damaged { id, reason };
        if reference.is_empty() || !reference.bytes().all(|b| b.is_ascii_digit()) {
            return Err(damaged(format!("reference {reference:?} is not digits")));
        }
        let claim_id = Uuid::parse_str(&claim_id).map_err(|err| damaged(err.to_string()))?;
        let state =
            ClaimState::parse(&state).ok_or_else(|| damaged(format!("unknown state {state:?}")))?;

        let packet_file = format!("{reference}.tar.age");
        let signature_file = format!("{reference}.sig");
        write_synced(&dir.join(&packet_file), &packet)?;
        write_synced(&dir.join(&signature_file), &signature)?;
        index.push(ExportEntry {
            reference,
            kiosk_id: kiosk_id.clone(),
            claim_id,
            created_at: from_millis(row.get(3).map_err(read)?),
            state,
            attempts: row.get(5).map_err(read)?,
            last_error: row.get(6).map_err(read)?,
            test: row.get(7).map_err(read)?,
            packet_file,
            signature_file,
            packet_bytes: packet.len() as u64,
            packet_sha256: hex::encode(Sha256::digest(&packet)),
        });
    }
    let json = serde_json::to_vec_pretty(&index).map_err(|err| OutboxError::Export {
        path: dir.join(EXPORT_INDEX_FILE),
        reason: err.to_string(),
    })?;
    write_synced(&dir.join(EXPORT_INDEX_FILE), &json)?;
    File::open(dir)
        .and_then(|folder| folder.sync_all())
        .map_err(export_error(dir))?;
    Ok(index.len())
}

/// Writes a file through a temporary name, fsyncs it and renames it into place (readable by the owner only).
fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), OutboxError> {
    let export_error = |path: PathBuf| {
        move |err: std::io::Error| OutboxError::Export {
            path,
            reason: err.to_string(),
        }
    };
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".partial");
    let temporary = PathBuf::from(temporary);
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temporary)
        .map_err(export_error(temporary.clone()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(export_error(temporary.clone()))?;
    std::fs::rename(&temporary, path).map_err(export_error(path.to_owned()))
}
