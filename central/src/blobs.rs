//! Where sealed claim packets can be kept outside the database: a [`BlobStore`] with two implementations, a
//! local folder ([`FolderBlobs`]) and an S3-compatible object store ([`S3Blobs`], through the service's own
//! small SigV4 client in [`crate::s3`]). Both write create-only: a key once written is never overwritten, so a retry that writes the same
//! key again finds it present and compares, and a packet read back is checked against the SHA-256 the
//! database keeps for it ([`read_checked`]).
//!
//! Every method blocks: call it off the async threads.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256};

use crate::s3::{Answer, Bucket, Fault, S3Client};

/// A blob store failure.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The store could not be reached or failed; the request is answered 503 and retried later.
    #[error("packet store: {doing}: {message}")]
    Unavailable {
        /// What was being done.
        doing: &'static str,
        /// The store's message.
        message: String,
    },
    /// Different bytes are already stored under this key.
    #[error("packet store: {0} already holds different bytes")]
    Conflict(String),
    /// The bytes read back do not have the SHA-256 the database keeps.
    #[error("packet store: {0} does not match its SHA-256")]
    HashMismatch(String),
    /// Nothing is stored under this key.
    #[error("packet store: {0} is missing")]
    Missing(String),
}

/// A create-only key-value store of sealed packets.
pub trait BlobStore: Send + Sync {
    /// Stores `bytes` under `key` durably, create-only: when the key is already there with the same bytes it
    /// succeeds (a retry), with other bytes it fails with [`BlobError::Conflict`].
    fn put_new(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError>;
    /// The bytes under `key`, or `None`.
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError>;
    /// Stores under `key`, like [`BlobStore::put_new`], the bytes `bytes` that the file `file` holds exactly. A
    /// store that can keep the file itself syncs it and keeps it, without writing the bytes again; the others
    /// store `bytes`. The caller must not change `file` afterwards (it may remove it).
    fn adopt_file(&self, key: &str, file: &Path, bytes: &[u8]) -> Result<(), BlobError> {
        let _ = file;
        self.put_new(key, bytes)
    }
}

/// The key of a packet: its claim id and its SHA-256, so one key always names the same bytes.
pub fn packet_key(claim_id: &str, sha256_hex: &str) -> String {
    format!("packets/{claim_id}/{sha256_hex}")
}

/// The packet under `key`, checked against `sha256_hex`.
pub fn read_checked(
    blobs: &dyn BlobStore,
    key: &str,
    sha256_hex: &str,
) -> Result<Vec<u8>, BlobError> {
    let bytes = blobs
        .get(key)?
        .ok_or_else(|| BlobError::Missing(key.to_owned()))?;
    if hex::encode(Sha256::digest(&bytes)) != sha256_hex {
        return Err(BlobError::HashMismatch(key.to_owned()));
    }
    Ok(bytes)
}

/// The packet store `[blobs]` in `central.toml` names: the folder, or a client for the S3 bucket (nothing is
/// sent yet).
pub fn open(config: &crate::config::CentralConfig) -> Result<Box<dyn BlobStore>, BlobError> {
    let blobs = &config.blobs;
    if blobs.store != "s3" {
        return Ok(Box::new(FolderBlobs::new(config.packets_dir())));
    }
    let or_env = |value: &str, name: &str| {
        if value.is_empty() {
            std::env::var(name).unwrap_or_default()
        } else {
            value.to_owned()
        }
    };
    Ok(Box::new(S3Blobs::new(&S3Settings {
        bucket: blobs.bucket.clone(),
        endpoint: blobs.endpoint.clone(),
        region: blobs.region.clone(),
        access_key_id: or_env(&blobs.access_key_id, "AWS_ACCESS_KEY_ID"),
        secret_access_key: or_env(&blobs.secret_access_key, "AWS_SECRET_ACCESS_KEY"),
    })?))
}

/// Where a stored claim's packet is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PacketPlace {
    /// In the blob store under this key (every claim stored since packets left the database).
    Blob(String),
    /// In the database's `packet` column (a claim stored before packets left the database).
    Inline(Vec<u8>),
}

/// A stored claim's packet: where it is and the SHA-256 (hex) it must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPacket {
    /// SHA-256 (hex) of the packet as received.
    pub sha256: String,
    /// Where it is.
    pub place: PacketPlace,
}

/// The bytes of a stored packet, wherever it is, checked against its SHA-256.
pub fn packet_bytes(blobs: &dyn BlobStore, stored: StoredPacket) -> Result<Vec<u8>, BlobError> {
    match stored.place {
        PacketPlace::Blob(key) => read_checked(blobs, &key, &stored.sha256),
        PacketPlace::Inline(bytes) => {
            if hex::encode(Sha256::digest(&bytes)) != stored.sha256 {
                return Err(BlobError::HashMismatch("the packet in the database".into()));
            }
            Ok(bytes)
        }
    }
}

fn same_or_conflict(key: &str, found: Option<Vec<u8>>, bytes: &[u8]) -> Result<(), BlobError> {
    match found {
        Some(found) if found == bytes => Ok(()),
        _ => Err(BlobError::Conflict(key.to_owned())),
    }
}

/// Packets as files under a local folder: written to a temporary file, fsync'd, linked to their name only if
/// that name is free (create-only), and the folder fsync'd, so a packet is either wholly there or not at all.
pub struct FolderBlobs {
    dir: PathBuf,
}

impl FolderBlobs {
    /// Keeps packets under `dir` (created when needed).
    pub fn new(dir: PathBuf) -> FolderBlobs {
        FolderBlobs { dir }
    }

    fn path_of(&self, key: &str) -> Result<PathBuf, BlobError> {
        let safe = !key.is_empty()
            && key.split('/').all(|part| {
                !part.is_empty()
                    && part != "."
                    && part != ".."
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
            });
        if !safe {
            return Err(BlobError::Unavailable {
                doing: "naming a packet file",
                message: format!("{key:?} is not a usable key"),
            });
        }
        Ok(self.dir.join(key))
    }
}

fn io(doing: &'static str) -> impl Fn(std::io::Error) -> BlobError {
    move |e| BlobError::Unavailable {
        doing,
        message: e.to_string(),
    }
}

fn sync_dir(dir: &Path) -> Result<(), BlobError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io("syncing the packet folder"))
}

impl BlobStore for FolderBlobs {
    fn put_new(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError> {
        let path = self.path_of(key)?;
        let parent = path.parent().unwrap_or(&self.dir).to_owned();
        std::fs::create_dir_all(&parent).map_err(io("making the packet folder"))?;
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| BlobError::Unavailable {
            doing: "naming a temporary packet file",
            message: e.to_string(),
        })?;
        let temp = parent.join(format!(".tmp-{}", hex::encode(random)));
        let written = (|| {
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(io("writing a packet file")(e));
        }
        // A hard link fails when the name exists: create-only, unlike rename.
        let linked = std::fs::hard_link(&temp, &path);
        let _ = std::fs::remove_file(&temp);
        match linked {
            Ok(()) => sync_dir(&parent),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                same_or_conflict(key, self.get(key)?, bytes)
            }
            Err(e) => Err(io("naming a packet file")(e)),
        }
    }

    /// `file` synced (a resumable upload's chunks are synced already, except perhaps the last), given a second
    /// name (a hard link, create-only) and the folder synced: the bytes are on disk once. Where a link cannot be
    /// made (another file system), the bytes are written as by `put_new`.
    fn adopt_file(&self, key: &str, file: &Path, bytes: &[u8]) -> Result<(), BlobError> {
        let path = self.path_of(key)?;
        let parent = path.parent().unwrap_or(&self.dir).to_owned();
        std::fs::create_dir_all(&parent).map_err(io("making the packet folder"))?;
        File::open(file)
            .and_then(|f| f.sync_data())
            .map_err(io("syncing the uploaded packet"))?;
        match std::fs::hard_link(file, &path) {
            Ok(()) => sync_dir(&parent),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                same_or_conflict(key, self.get(key)?, bytes)
            }
            Err(_) => self.put_new(key, bytes),
        }
    }

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        match std::fs::read(self.path_of(key)?) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io("reading a packet file")(e)),
        }
    }
}

/// Where an S3-compatible store is and how to sign for it (from `[blobs]` in `central.toml`, the keys from the
/// environment when the file leaves them empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Settings {
    /// The bucket.
    pub bucket: String,
    /// The endpoint URL (`http://host:port` for a server on the premises; empty for AWS itself).
    pub endpoint: String,
    /// The region.
    pub region: String,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
}

/// The longest one store call may take, retries included: past it the intake answers 503.
const S3_WAIT: Duration = Duration::from_secs(10);
/// The longest one attempt may take.
const S3_ATTEMPT: Duration = Duration::from_secs(4);
/// The pauses between attempts: three attempts in all.
const S3_BACKOFF: [Duration; 2] = [Duration::from_millis(250), Duration::from_millis(750)];

/// Packets as objects in an S3-compatible bucket, written create-only (`If-None-Match: *`).
pub struct S3Blobs {
    client: S3Client,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for S3Blobs {
    fn drop(&mut self) {
        // Dropped on the service's async threads at shutdown: a runtime may not block there.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl S3Blobs {
    /// A client for the bucket in `settings` (nothing is sent yet).
    pub fn new(settings: &S3Settings) -> Result<S3Blobs, BlobError> {
        let unavailable = |doing| {
            move |e: &dyn std::fmt::Display| BlobError::Unavailable {
                doing,
                message: e.to_string(),
            }
        };
        let bucket = Bucket::new(
            &settings.endpoint,
            &settings.bucket,
            &settings.region,
            &settings.access_key_id,
            &settings.secret_access_key,
        )
        .map_err(|e| unavailable("configuring the S3 client")(&e))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("lapak-blobs")
            .enable_all()
            .build()
            .map_err(|e| unavailable("starting the S3 client")(&e))?;
        let client = {
            let _inside = runtime.enter();
            S3Client::new(bucket, S3_ATTEMPT)
                .map_err(|e| unavailable("configuring the S3 client")(&e))?
        };
        Ok(S3Blobs {
            client,
            runtime: Some(runtime),
        })
    }

    /// Runs `call` until it answers, at most three times and within [`S3_WAIT`]; a store that keeps failing
    /// is [`BlobError::Unavailable`] with the last failure.
    fn within<'a, F, Fut>(&'a self, doing: &'static str, call: F) -> Result<Answer, BlobError>
    where
        F: Fn(&'a S3Client) -> Fut,
        Fut: std::future::Future<Output = Result<Answer, Fault>>,
    {
        let Some(runtime) = self.runtime.as_ref() else {
            return Err(BlobError::Unavailable {
                doing,
                message: "the client has stopped".into(),
            });
        };
        let deadline = Instant::now() + S3_WAIT;
        runtime.block_on(async {
            let mut pauses = S3_BACKOFF.iter();
            loop {
                let fault = match call(&self.client).await {
                    Ok(answer) => return Ok(answer),
                    Err(fault) => fault,
                };
                match pauses.next() {
                    Some(pause) if Instant::now() + *pause + S3_ATTEMPT <= deadline => {
                        tokio::time::sleep(*pause).await;
                    }
                    _ => {
                        return Err(BlobError::Unavailable {
                            doing,
                            message: fault.0,
                        });
                    }
                }
            }
        })
    }
}

impl BlobStore for S3Blobs {
    fn put_new(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError> {
        // One copy of the bytes for every attempt: a `Bytes` clone shares it.
        let body = bytes::Bytes::copy_from_slice(bytes);
        match self.within("storing a packet", |c| c.put_new(key, body.clone()))? {
            Answer::Done(_) => Ok(()),
            Answer::Taken => same_or_conflict(key, self.get(key)?, bytes),
            Answer::NotFound => Err(BlobError::Unavailable {
                doing: "storing a packet",
                message: "the bucket was not found".into(),
            }),
        }
    }

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        match self.within("reading a packet", |c| c.get(key))? {
            Answer::Done(bytes) => Ok(Some(bytes)),
            Answer::NotFound => Ok(None),
            Answer::Taken => Err(BlobError::Unavailable {
                doing: "reading a packet",
                message: "the store answered 412 to a read".into(),
            }),
        }
    }
}

#[cfg(test)]
#[path = "blobs_suite.rs"]
mod suite;
