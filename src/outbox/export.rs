//! Exporting undelivered claims to a folder (a USB stick carried to the branch when the network is gone for
//! good): only sealed packets, signatures and an index without personal data.

use std::fs::File;
use std::io::Write;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rustix::fs::{Mode, OFlags};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::reference::from_column;
use super::time::from_millis;
use super::{ClaimState, OutboxError, OutboxReader};
use crate::claim::reference::ClaimReference;

/// The index file written beside the exported packets.
pub const EXPORT_INDEX_FILE: &str = "index.json";

/// One exported claim, as listed in `index.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct ExportEntry {
    reference: ClaimReference,
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

/// What [`export`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// How many claims.
    pub count: usize,
    /// The new folder holding them: `<chosen folder>/<kiosk id>/<date-time>[-n]`.
    pub folder: PathBuf,
}

/// The most numbered folders tried when the export's date-time is taken.
const MAX_NUMBERED_FOLDERS: u32 = 100;

/// Writes `<reference>.tar.age` (the age ciphertext) and `<reference>.sig` (the raw 64-byte Ed25519
/// signature) for every pending, sending or held claim, then `index.json`, into a new folder
/// `<dir>/<kiosk_id>/<date-time>/` (a taken name gives `<date-time>-2`, `-3`, ...). Nothing under `dir` is
/// followed if it is a symbolic link, and no existing file is ever opened for writing: every folder and file
/// is created new (`O_EXCL`, `O_NOFOLLOW`), so a stick prepared with links cannot make the export write
/// anywhere else. Every file and folder is fsync'd.
pub(crate) fn export(
    reader: &OutboxReader,
    dir: &Path,
    kiosk_id: &str,
    at: DateTime<Utc>,
) -> Result<Exported, OutboxError> {
    let refused = |path: PathBuf, reason: String| OutboxError::Export { path, reason };
    if kiosk_id.is_empty()
        || kiosk_id == "."
        || kiosk_id == ".."
        || !kiosk_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        return Err(refused(
            dir.to_owned(),
            format!("kiosk id {kiosk_id:?} cannot name a folder"),
        ));
    }
    // The chosen folder itself is the staff's choice (made if missing); below it nothing is followed.
    std::fs::create_dir_all(dir).map_err(|err| refused(dir.to_owned(), err.to_string()))?;
    let chosen = rustix::fs::open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|err| refused(dir.to_owned(), format!("not an open folder: {err}")))?;
    let kiosk_path = dir.join(kiosk_id);
    let kiosk_dir = ensure_folder(&chosen, kiosk_id, &kiosk_path)?;
    let stamp = at.format("%Y%m%d-%H%M%SZ").to_string();
    let (folder, name) = (1..=MAX_NUMBERED_FOLDERS)
        .find_map(|n| {
            let name = if n == 1 {
                stamp.clone()
            } else {
                format!("{stamp}-{n}")
            };
            match rustix::fs::mkdirat(&kiosk_dir, name.as_str(), Mode::from_raw_mode(0o700)) {
                Ok(()) => Some(Ok(name)),
                Err(rustix::io::Errno::EXIST) => None,
                Err(err) => Some(Err(refused(kiosk_path.join(&name), err.to_string()))),
            }
        })
        .unwrap_or_else(|| {
            Err(refused(
                kiosk_path.join(&stamp),
                format!("{MAX_NUMBERED_FOLDERS} export folders of this second exist already"),
            ))
        })
        .and_then(|name| {
            let path = kiosk_path.join(&name);
            open_folder_nofollow(&kiosk_dir, &name, &path).map(|fd| (fd, name))
        })?;
    let folder_path = kiosk_path.join(name);
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
        let reference = from_column(&reference).map_err(damaged)?;
        let claim_id = Uuid::parse_str(&claim_id).map_err(|err| damaged(err.to_string()))?;
        let state =
            ClaimState::parse(&state).ok_or_else(|| damaged(format!("unknown state {state:?}")))?;

        let packet_file = format!("{}.tar.age", reference.digits());
        let signature_file = format!("{}.sig", reference.digits());
        write_new(&folder, &packet_file, &folder_path, &packet)?;
        write_new(&folder, &signature_file, &folder_path, &signature)?;
        index.push(ExportEntry {
            reference,
            kiosk_id: Some(kiosk_id.to_owned()),
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
        path: folder_path.join(EXPORT_INDEX_FILE),
        reason: err.to_string(),
    })?;
    write_new(&folder, EXPORT_INDEX_FILE, &folder_path, &json)?;
    for (fd, path) in [(&folder, &folder_path), (&kiosk_dir, &kiosk_path)] {
        rustix::fs::fsync(fd).map_err(|err| refused(path.clone(), err.to_string()))?;
    }
    Ok(Exported {
        count: index.len(),
        folder: folder_path,
    })
}

/// The folder `name` inside `parent`, made if missing; refused if it is a symbolic link or not a folder.
fn ensure_folder(parent: &OwnedFd, name: &str, path: &Path) -> Result<OwnedFd, OutboxError> {
    match rustix::fs::mkdirat(parent, name, Mode::from_raw_mode(0o700)) {
        Ok(()) | Err(rustix::io::Errno::EXIST) => {}
        Err(err) => {
            return Err(OutboxError::Export {
                path: path.to_owned(),
                reason: err.to_string(),
            });
        }
    }
    open_folder_nofollow(parent, name, path)
}

/// Opens the folder `name` inside `parent` without following a symbolic link.
fn open_folder_nofollow(parent: &OwnedFd, name: &str, path: &Path) -> Result<OwnedFd, OutboxError> {
    rustix::fs::openat(
        parent,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|err| OutboxError::Export {
        path: path.to_owned(),
        reason: match err {
            rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR => {
                "is a symbolic link or not a folder: refused".to_owned()
            }
            other => other.to_string(),
        },
    })
}

/// Creates the file `name` in `folder` (never an existing file, never through a link), writes and fsyncs it.
fn write_new(
    folder: &OwnedFd,
    name: &str,
    folder_path: &Path,
    bytes: &[u8],
) -> Result<(), OutboxError> {
    let path = folder_path.join(name);
    let export_error = |err: std::io::Error| OutboxError::Export {
        path: path.clone(),
        reason: err.to_string(),
    };
    let fd = rustix::fs::openat(
        folder,
        name,
        OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o600),
    )
    .map_err(|err| export_error(err.into()))?;
    let mut file = File::from(fd);
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(export_error)
}
