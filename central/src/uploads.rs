//! Resumable uploads kept durably: a row per upload in the database (who, which claim, length, the durable
//! offset, expiry, the receipt once stored) and its bytes so far: on SQLite in `uploads/<id>.part` beside the
//! database, on PostgreSQL in the database itself (so any replica continues an upload another one started;
//! chunk and offset in one transaction).
//!
//! A chunk is written at the durable offset and fsync'd before the row's offset moves, so the offset never
//! gets ahead of bytes on disk; bytes past the offset (a chunk cut short by a crash) are overwritten by the
//! next chunk. Everything here blocks (file and database I/O): call it off the async threads.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::store::{NewUpload, Store, StoreError};
use chrono::{DateTime, Utc};

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

/// An upload row as either database engine reads it, before its columns are checked.
pub struct StoredUpload {
    /// The upload id.
    pub id: String,
    /// The kiosk that created it.
    pub kiosk_id: String,
    /// The claim id (text).
    pub claim_id: String,
    /// The packet signature.
    pub packet_signature: Vec<u8>,
    /// The packet's size in bytes.
    pub length: i64,
    /// The durable offset.
    pub offset: i64,
    /// Unix seconds after which it is swept.
    pub expires_at: i64,
    /// The receipt, once the claim is stored.
    pub receipt: Option<String>,
    /// The intake status, once the claim is stored.
    pub intake_status: Option<i64>,
}

impl StoredUpload {
    /// Checks the columns; the error names the damaged one.
    pub fn parse(self) -> Result<UploadRow, String> {
        let id = self.id;
        let claim_id =
            uuid::Uuid::parse_str(&self.claim_id).map_err(|_| format!("upload {id}: claim id"))?;
        let packet_signature = <[u8; 64]>::try_from(self.packet_signature.as_slice())
            .map_err(|_| format!("upload {id}: signature"))?;
        Ok(UploadRow {
            id,
            kiosk_id: self.kiosk_id,
            claim_id,
            packet_signature,
            length: self.length.max(0) as u64,
            offset: self.offset.max(0) as u64,
            expires_at: self.expires_at,
            receipt: self.receipt.zip(self.intake_status.map(|s| s as u16)),
        })
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
    /// The bytes are kept in the database ([`crate::store::Engine::keeps_upload_bytes`]), not in `dir`.
    in_database: bool,
}

impl Uploads {
    /// Uses `dir` (created if missing) for the upload files.
    pub fn new(dir: PathBuf) -> Uploads {
        Uploads {
            dir,
            locks: Mutex::new(HashMap::new()),
            in_database: false,
        }
    }

    /// Keeps the upload bytes where `store` wants them: in the database when it keeps them, else in files.
    pub fn for_store(dir: PathBuf, store: &Store) -> Uploads {
        Uploads {
            in_database: store.keeps_upload_bytes(),
            ..Uploads::new(dir)
        }
    }

    /// The uploads folder beside the database at `database`.
    #[cfg(test)]
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
        store.create_upload(&NewUpload {
            id: &id,
            kiosk_id,
            claim_id,
            packet_signature,
            length,
            created_at: now,
            expires_at,
        })?;
        Ok(id)
    }

    /// The upload `id`, if it exists.
    pub fn get(&self, store: &Store, id: &str) -> Result<Option<UploadRow>, UploadError> {
        Ok(store.upload(id)?)
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
        if self.in_database {
            if !store.append_upload_bytes(id, offset, bytes, expires_at)? {
                let now = self.get(store, id)?.map(|row| row.offset).unwrap_or(0);
                return Err(UploadError::OffsetMoved(now));
            }
            return Ok(offset + bytes.len() as u64);
        }
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
        if !store.move_upload_offset(id, offset, new_offset, expires_at)? {
            let now = self.get(store, id)?.map(|row| row.offset).unwrap_or(0);
            return Err(UploadError::OffsetMoved(now));
        }
        Ok(new_offset)
    }

    /// Makes the bytes of upload `id` durable (after an [`Uploads::append`] without fsync).
    pub fn sync(&self, id: &str) -> Result<(), UploadError> {
        if self.in_database {
            // Committed with the offset already.
            return Ok(());
        }
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
        tracing::warn!(upload = %id, "upload bytes missing; the upload restarts at offset 0");
        store.restart_upload(id)?;
        Err(UploadError::OffsetMoved(0))
    }

    /// The bytes of a finished upload.
    pub fn read_all(&self, store: &Store, row: &UploadRow) -> Result<Vec<u8>, UploadError> {
        if row.length == 0 {
            return Ok(Vec::new());
        }
        if self.in_database {
            return match store.upload_bytes(&row.id, row.length)? {
                Some(bytes) => Ok(bytes),
                None => self.bytes_lost(store, &row.id),
            };
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
        store.finish_upload(id, receipt, status)?;
        remove_if_present(&self.path_of(id))?;
        Ok(())
    }

    /// Deletes every upload expired at `now` (rows and files) and any upload file without a row; returns
    /// how many uploads were removed.
    pub fn sweep(&self, store: &Store, now: DateTime<Utc>) -> Result<usize, UploadError> {
        let expired = store.expired_uploads(now.timestamp())?;
        for id in &expired {
            let lock = self.lock(id);
            let _held = lock.lock().unwrap_or_else(PoisonError::into_inner);
            store.delete_expired_upload(id, now.timestamp())?;
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
            if !store.upload_exists(id)? {
                remove_if_present(&entry.path())?;
            }
        }
        Ok(())
    }
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
