//! Resumable uploads kept durably: a row per upload in the database (who, which claim, length, the durable
//! offset, expiry, the receipt once stored) and its bytes so far in `uploads/<id>.part` beside the database.
//!
//! A chunk is written at the durable offset and fsync'd before the row's offset moves, so the offset never
//! gets ahead of bytes on disk; bytes past the offset (a chunk cut short by a crash) are overwritten by the
//! next chunk. Everything here blocks (file and SQLite I/O): call it off the async threads.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use crate::store::{Store, StoreError, sql};

/// One upload as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRow {
    /// The upload id (32 hex digits, 128 random bits).
    pub id: String,
    /// The kiosk that created it; only it may continue it.
    pub kiosk_id: String,
    /// The claim id from the creation's metadata (and its signed `Idempotency-Key`).
    pub claim_id: uuid::Uuid,
    /// The kiosk's packet signature from the creation's metadata.
    pub packet_signature: [u8; 64],
    /// The packet's size in bytes.
    pub length: u64,
    /// Bytes received and on disk.
    pub offset: u64,
    /// Unix seconds after which the upload is gone.
    pub expires_at: i64,
    /// The receipt JSON and the status `POST /v1/claims` would answer, once the claim is stored.
    pub receipt: Option<(String, u16)>,
}

impl UploadRow {
    /// All bytes have arrived.
    pub fn is_complete(&self) -> bool {
        self.offset == self.length
    }

    /// Past its expiry at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at < now.timestamp()
    }
}

/// An upload file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file under the uploads folder failed.
    #[error("upload file {path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Another chunk moved the offset first.
    #[error("the upload is at offset {0}")]
    OffsetMoved(u64),
}

/// The uploads folder and the per-upload locks that keep two chunks of one upload from interleaving.
pub struct Uploads {
    dir: PathBuf,
    locks: Mutex<HashMap<String, Arc<Mutex<()>>>>,
}

impl Uploads {
    /// Uses `dir` (created if missing) for the upload files.
    pub fn new(dir: PathBuf) -> Uploads {
        Uploads {
            dir,
            locks: Mutex::new(HashMap::new()),
        }
    }

    /// The uploads folder beside the database at `database`.
    pub fn beside(database: &Path) -> Uploads {
        let parent = database.parent().unwrap_or(Path::new("."));
        Uploads::new(parent.join("uploads"))
    }

    fn file_error(path: &Path) -> impl Fn(std::io::Error) -> UploadError + '_ {
        move |source| UploadError::File {
            path: path.to_owned(),
            source,
        }
    }

    /// The file holding the bytes of upload `id`.
    pub fn path_of(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.part"))
    }

    /// The lock for upload `id`: held while a chunk is appended or the finished upload is stored.
    pub fn lock(&self, id: &str) -> Arc<Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(locks.entry(id.to_owned()).or_default())
    }

    fn forget_lock(&self, id: &str) {
        self.locks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(id);
    }

    /// Creates an empty upload (its row; the file comes with the first chunk) and returns its new random id.
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        &self,
        store: &Store,
        kiosk_id: &str,
        claim_id: uuid::Uuid,
        packet_signature: &[u8; 64],
        length: u64,
        now: DateTime<Utc>,
        expires_at: i64,
    ) -> Result<String, UploadError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| UploadError::File {
            path: self.dir.clone(),
            source: std::io::Error::other(format!("no randomness for an upload id: {e}")),
        })?;
        let id = hex::encode(bytes);
        execute_lazily(
            store,
            "creating the upload",
            "INSERT INTO uploads (id, kiosk_id, claim_id, packet_signature, upload_length, upload_offset,
                 created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7)",
            params![
                id,
                kiosk_id,
                claim_id.to_string(),
                &packet_signature[..],
                length as i64,
                now.to_rfc3339(),
                expires_at
            ],
        )?;
        Ok(id)
    }

    /// The upload `id`, if it exists.
    pub fn get(&self, store: &Store, id: &str) -> Result<Option<UploadRow>, UploadError> {
        let row = store
            .conn()
            .query_row(
                "SELECT id, kiosk_id, claim_id, packet_signature, upload_length, upload_offset, expires_at,
                        receipt, intake_status
                 FROM uploads WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Vec<u8>>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, Option<String>>(7)?,
                        r.get::<_, Option<i64>>(8)?,
                    ))
                },
            )
            .optional()
            .map_err(sql("reading the upload"))?;
        let Some((id, kiosk_id, claim_id, signature, length, offset, expires_at, receipt, status)) =
            row
        else {
            return Ok(None);
        };
        let damaged = |what: &str| StoreError::Sqlite {
            doing: "reading the upload",
            message: format!("upload {id}: {what}"),
        };
        let claim_id = uuid::Uuid::parse_str(&claim_id).map_err(|_| damaged("claim id"))?;
        let packet_signature =
            <[u8; 64]>::try_from(signature.as_slice()).map_err(|_| damaged("signature"))?;
        Ok(Some(UploadRow {
            id,
            kiosk_id,
            claim_id,
            packet_signature,
            length: length.max(0) as u64,
            offset: offset.max(0) as u64,
            expires_at,
            receipt: receipt.zip(status.map(|s| s as u16)),
        }))
    }

    /// Writes `bytes` at `offset` (which must be the durable offset), fsyncs them (unless `fsync` is false:
    /// the caller then makes them durable another way, or calls [`Uploads::sync`], before answering), then
    /// moves the offset and the expiry. Call with the upload's [`Uploads::lock`] held. Returns the new offset.
    pub fn append(
        &self,
        store: &Store,
        id: &str,
        offset: u64,
        bytes: &[u8],
        expires_at: i64,
        fsync: bool,
    ) -> Result<u64, UploadError> {
        let path = self.path_of(id);
        // The file is made with the first chunk.
        let first = offset == 0;
        if first {
            std::fs::create_dir_all(&self.dir).map_err(Self::file_error(&self.dir))?;
        }
        let opened = OpenOptions::new()
            .write(true)
            .create(first)
            .truncate(false)
            .open(&path);
        let mut file = match opened {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return self.bytes_lost(store, id);
            }
            Err(e) => return Err(Self::file_error(&path)(e)),
        };
        let on_disk = file.metadata().map_err(Self::file_error(&path))?.len();
        if on_disk < offset {
            return self.bytes_lost(store, id);
        }
        file.set_len(offset).map_err(Self::file_error(&path))?;
        file.seek(SeekFrom::Start(offset))
            .map_err(Self::file_error(&path))?;
        file.write_all(bytes).map_err(Self::file_error(&path))?;
        if fsync {
            file.sync_data().map_err(Self::file_error(&path))?;
        }
        let new_offset = offset + bytes.len() as u64;
        let moved = execute_lazily(
            store,
            "moving the upload offset",
            "UPDATE uploads SET upload_offset = ?3, expires_at = ?4 WHERE id = ?1 AND upload_offset = ?2",
            params![id, offset as i64, new_offset as i64, expires_at],
        )?;
        if moved == 0 {
            let now = self.get(store, id)?.map(|row| row.offset).unwrap_or(0);
            return Err(UploadError::OffsetMoved(now));
        }
        Ok(new_offset)
    }

    /// Makes the bytes of upload `id` durable (after an [`Uploads::append`] without fsync).
    pub fn sync(&self, id: &str) -> Result<(), UploadError> {
        let path = self.path_of(id);
        OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|file| file.sync_data())
            .map_err(Self::file_error(&path))
    }

    /// The upload's bytes are not all on disk (its file lost in a crash before the folder entry reached the
    /// disk): it starts again from offset 0, and the caller answers 409 so the client asks `HEAD` and resends.
    fn bytes_lost<T>(&self, store: &Store, id: &str) -> Result<T, UploadError> {
        tracing::warn!(upload = %id, "upload bytes missing on disk; the upload restarts at offset 0");
        execute_lazily(
            store,
            "restarting the upload",
            "UPDATE uploads SET upload_offset = 0 WHERE id = ?1",
            [id],
        )?;
        Err(UploadError::OffsetMoved(0))
    }

    /// The bytes of a finished upload.
    pub fn read_all(&self, store: &Store, row: &UploadRow) -> Result<Vec<u8>, UploadError> {
        if row.length == 0 {
            return Ok(Vec::new());
        }
        let path = self.path_of(&row.id);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return self.bytes_lost(store, &row.id);
            }
            Err(e) => return Err(Self::file_error(&path)(e)),
        };
        let mut bytes = Vec::with_capacity(row.length as usize);
        file.take(row.length)
            .read_to_end(&mut bytes)
            .map_err(Self::file_error(&path))?;
        if (bytes.len() as u64) < row.length {
            return self.bytes_lost(store, &row.id);
        }
        Ok(bytes)
    }

    /// Records that the finished upload's claim is stored (its receipt and intake status) and deletes its
    /// bytes, which now live in the claim's row.
    pub fn finish(
        &self,
        store: &Store,
        id: &str,
        receipt: &str,
        status: u16,
    ) -> Result<(), UploadError> {
        store
            .conn()
            .execute(
                "UPDATE uploads SET receipt = ?2, intake_status = ?3 WHERE id = ?1",
                params![id, receipt, i64::from(status)],
            )
            .map_err(sql("recording the upload's receipt"))?;
        remove_if_present(&self.path_of(id))?;
        Ok(())
    }

    /// Deletes every upload expired at `now` (rows and files) and any upload file without a row; returns
    /// how many uploads were removed.
    pub fn sweep(&self, store: &Store, now: DateTime<Utc>) -> Result<usize, UploadError> {
        let expired: Vec<String> = {
            let conn = store.conn();
            let mut stmt = conn
                .prepare("SELECT id FROM uploads WHERE expires_at < ?1")
                .map_err(sql("finding expired uploads"))?;
            stmt.query_map([now.timestamp()], |r| r.get(0))
                .map_err(sql("finding expired uploads"))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(sql("finding expired uploads"))?
        };
        for id in &expired {
            let lock = self.lock(id);
            let _held = lock.lock().unwrap_or_else(PoisonError::into_inner);
            store
                .conn()
                .execute(
                    "DELETE FROM uploads WHERE id = ?1 AND expires_at < ?2",
                    params![id, now.timestamp()],
                )
                .map_err(sql("deleting an expired upload"))?;
            remove_if_present(&self.path_of(id))?;
            self.forget_lock(id);
        }
        self.remove_orphans(store)?;
        Ok(expired.len())
    }

    fn remove_orphans(&self, store: &Store) -> Result<(), UploadError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Self::file_error(&self.dir)(e)),
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(id) = name.to_str().and_then(|n| n.strip_suffix(".part")) else {
                continue;
            };
            let known: bool = store
                .conn()
                .query_row(
                    "SELECT EXISTS(SELECT 1 FROM uploads WHERE id = ?1)",
                    [id],
                    |r| r.get(0),
                )
                .map_err(sql("looking up an upload file"))?;
            if !known {
                remove_if_present(&entry.path())?;
            }
        }
        Ok(())
    }
}

/// Runs one statement on the upload table without waiting for the database's fsync (`synchronous=NORMAL`
/// for this statement only): an upload row or offset lost to a power cut only sends the kiosk back to an
/// older offset (it always asks `HEAD` after a broken connection), and the offset never gets ahead of the
/// bytes, which are fsync'd first. Claims themselves are still committed with `synchronous=FULL`.
fn execute_lazily(
    store: &Store,
    doing: &'static str,
    statement: &str,
    params: impl rusqlite::Params,
) -> Result<usize, UploadError> {
    let conn = store.conn();
    conn.execute_batch("PRAGMA synchronous=NORMAL")
        .map_err(sql(doing))?;
    let result = conn.execute(statement, params).map_err(sql(doing));
    conn.execute_batch("PRAGMA synchronous=FULL")
        .map_err(sql(doing))?;
    Ok(result?)
}

fn remove_if_present(path: &Path) -> Result<(), UploadError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(UploadError::File {
            path: path.to_owned(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> Result<(tempfile::TempDir, Store, Uploads), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open(&dir.path().join("c.sqlite"))?;
        store.add_kiosk("K1", 1, "key", Utc::now())?;
        let uploads = Uploads::beside(&dir.path().join("c.sqlite"));
        Ok((dir, store, uploads))
    }

    #[test]
    fn bytes_past_the_durable_offset_are_overwritten_by_the_next_chunk()
    -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, store, uploads) = setup()?;
        let far = Utc::now().timestamp() + 3600;
        let id = uploads.create(
            &store,
            "K1",
            uuid::Uuid::new_v4(),
            &[3; 64],
            6,
            Utc::now(),
            far,
        )?;
        assert_eq!(uploads.append(&store, &id, 0, b"abc", far, true)?, 3);
        // A chunk written to the file whose offset never reached the database (a crash in between).
        std::fs::OpenOptions::new()
            .append(true)
            .open(uploads.path_of(&id))?
            .write_all(b"XXXXX")?;
        assert_eq!(uploads.append(&store, &id, 3, b"def", far, true)?, 6);
        let row = uploads.get(&store, &id)?.ok_or("upload gone")?;
        assert!(row.is_complete());
        assert_eq!(uploads.read_all(&store, &row)?, b"abcdef");
        Ok(())
    }

    #[test]
    fn an_upload_whose_file_was_lost_restarts_at_offset_0_instead_of_padding_with_zeros()
    -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, store, uploads) = setup()?;
        let far = Utc::now().timestamp() + 3600;
        let id = uploads.create(
            &store,
            "K1",
            uuid::Uuid::new_v4(),
            &[3; 64],
            6,
            Utc::now(),
            far,
        )?;
        uploads.append(&store, &id, 0, b"abc", far, true)?;
        std::fs::remove_file(uploads.path_of(&id))?;
        assert!(matches!(
            uploads.append(&store, &id, 3, b"def", far, true),
            Err(UploadError::OffsetMoved(0))
        ));
        assert_eq!(uploads.get(&store, &id)?.map(|r| r.offset), Some(0));
        assert_eq!(uploads.append(&store, &id, 0, b"abcdef", far, true)?, 6);
        let row = uploads.get(&store, &id)?.ok_or("upload gone")?;
        assert_eq!(uploads.read_all(&store, &row)?, b"abcdef");
        Ok(())
    }

    #[test]
    fn a_chunk_at_a_stale_offset_does_not_move_the_offset() -> Result<(), Box<dyn std::error::Error>>
    {
        let (_dir, store, uploads) = setup()?;
        let far = Utc::now().timestamp() + 3600;
        let id = uploads.create(
            &store,
            "K1",
            uuid::Uuid::new_v4(),
            &[3; 64],
            6,
            Utc::now(),
            far,
        )?;
        uploads.append(&store, &id, 0, b"abc", far, true)?;
        assert!(matches!(
            uploads.append(&store, &id, 0, b"zzz", far, true),
            Err(UploadError::OffsetMoved(3))
        ));
        assert_eq!(uploads.get(&store, &id)?.map(|r| r.offset), Some(3));
        Ok(())
    }

    #[test]
    fn sweep_removes_expired_uploads_and_orphan_files_and_keeps_live_ones()
    -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, store, uploads) = setup()?;
        let now = Utc::now();
        let old = uploads.create(
            &store,
            "K1",
            uuid::Uuid::new_v4(),
            &[3; 64],
            6,
            now,
            now.timestamp() - 1,
        )?;
        uploads.append(&store, &old, 0, b"ab", now.timestamp() - 1, true)?;
        let live = uploads.create(
            &store,
            "K1",
            uuid::Uuid::new_v4(),
            &[3; 64],
            6,
            now,
            now.timestamp() + 60,
        )?;
        uploads.append(&store, &live, 0, b"ab", now.timestamp() + 60, true)?;
        let orphan = uploads.path_of("00ff");
        std::fs::write(&orphan, b"left over")?;
        assert_eq!(uploads.sweep(&store, now)?, 1);
        assert!(uploads.get(&store, &old)?.is_none());
        assert!(!uploads.path_of(&old).exists());
        assert!(!orphan.exists());
        assert!(uploads.get(&store, &live)?.is_some());
        assert!(uploads.path_of(&live).exists());
        Ok(())
    }
}
