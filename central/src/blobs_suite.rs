//! One suite run against both blob stores: the local folder, and a real S3-compatible server (moto's
//! `moto_server`, installed from PyPI by `.ci/install-deps`, started here on a free loopback port).

use std::net::TcpListener;
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256};

use super::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[path = "../tests/common/moto.rs"]
mod moto;

use moto::Moto;

fn settings(moto: &Moto) -> S3Settings {
    S3Settings {
        bucket: moto::BUCKET.into(),
        endpoint: moto.endpoint(),
        region: "us-east-1".into(),
        access_key_id: "testing".into(),
        secret_access_key: "testing".into(),
    }
}

fn free_port() -> Result<u16, std::io::Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The checks every blob store passes.
fn suite(blobs: &dyn BlobStore) -> TestResult {
    let packet = b"sealed packet bytes".to_vec();
    let sha = hex::encode(Sha256::digest(&packet));
    let key = packet_key("9f1c0f6e-5b7e-4d5e-9a43-3d2f0a1b2c3d", &sha);
    assert!(blobs.get(&key)?.is_none(), "nothing there before");
    blobs.put_new(&key, &packet)?;
    assert_eq!(read_checked(blobs, &key, &sha)?, packet);
    // A retry of the same bytes succeeds; other bytes under the key are refused and leave it as it was.
    blobs.put_new(&key, &packet)?;
    assert!(matches!(
        blobs.put_new(&key, b"other bytes"),
        Err(BlobError::Conflict(_))
    ));
    assert_eq!(read_checked(blobs, &key, &sha)?, packet);
    // Read back under the wrong hash, the bytes are refused.
    assert!(matches!(
        read_checked(blobs, &key, &"0".repeat(64)),
        Err(BlobError::HashMismatch(_))
    ));
    assert!(matches!(
        read_checked(blobs, "packets/none/none", &sha),
        Err(BlobError::Missing(_))
    ));
    Ok(())
}

#[test]
fn the_folder_store_passes_the_blob_suite_and_leaves_no_temporary_files() -> TestResult {
    let dir = tempfile::tempdir()?;
    suite(&FolderBlobs::new(dir.path().to_owned()))?;
    let mut names = Vec::new();
    for entry in walk(dir.path())? {
        names.push(entry);
    }
    assert_eq!(names.len(), 1, "{names:?}");
    Ok(())
}

fn walk(dir: &Path) -> Result<Vec<PathBuf>, std::io::Error> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(walk(&path)?);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}

#[test]
fn the_folder_store_keeps_an_uploaded_file_under_a_second_name_instead_of_writing_it_again()
-> TestResult {
    use std::os::unix::fs::MetadataExt as _;
    let dir = tempfile::tempdir()?;
    let blobs = FolderBlobs::new(dir.path().join("packets"));
    let upload = dir.path().join("upload-1");
    std::fs::write(&upload, b"sealed packet bytes")?;
    let key = packet_key("9f1c0f6e-5b7e-4d5e-9a43-3d2f0a1b2c3d", "aa");
    blobs.adopt_file(&key, &upload, b"sealed packet bytes")?;
    let kept = dir.path().join("packets").join(&key);
    assert_eq!(
        std::fs::metadata(&kept)?.ino(),
        std::fs::metadata(&upload)?.ino(),
        "the same file, not a copy"
    );
    // The upload's name goes away once the claim is stored; the packet stays.
    std::fs::remove_file(&upload)?;
    assert_eq!(blobs.get(&key)?, Some(b"sealed packet bytes".to_vec()));
    // A retry finds the same bytes there; other bytes under the key are refused.
    let again = dir.path().join("upload-2");
    std::fs::write(&again, b"sealed packet bytes")?;
    blobs.adopt_file(&key, &again, b"sealed packet bytes")?;
    std::fs::write(&again, b"other bytes")?;
    assert!(matches!(
        blobs.adopt_file(&key, &again, b"other bytes"),
        Err(BlobError::Conflict(_))
    ));
    Ok(())
}

#[test]
fn an_uploaded_file_on_another_file_system_is_written_as_a_copy() -> TestResult {
    use std::os::unix::fs::MetadataExt as _;
    let shm = Path::new("/dev/shm");
    let dir = tempfile::tempdir()?;
    let other = tempfile::tempdir_in(shm)?;
    if std::fs::metadata(other.path())?.dev() == std::fs::metadata(dir.path())?.dev() {
        return Err("/dev/shm is on the same file system as the temporary folder here".into());
    }
    let blobs = FolderBlobs::new(dir.path().join("packets"));
    let upload = other.path().join("upload-1");
    std::fs::write(&upload, b"sealed packet bytes")?;
    let key = packet_key("9f1c0f6e-5b7e-4d5e-9a43-3d2f0a1b2c3d", "bb");
    blobs.adopt_file(&key, &upload, b"sealed packet bytes")?;
    std::fs::remove_file(&upload)?;
    assert_eq!(blobs.get(&key)?, Some(b"sealed packet bytes".to_vec()));
    Ok(())
}

#[test]
fn the_folder_store_refuses_a_key_leaving_its_folder() {
    let blobs = FolderBlobs::new(PathBuf::from("/nonexistent"));
    assert!(blobs.put_new("../escape", b"x").is_err());
    assert!(blobs.get("packets/../../etc/passwd").is_err());
}

#[test]
fn the_s3_store_on_moto_passes_the_blob_suite() -> TestResult {
    let moto = Moto::start(free_port()?)?;
    suite(&S3Blobs::new(&settings(&moto))?)
}

#[test]
fn the_s3_store_signs_what_a_verifying_server_accepts_and_a_wrong_secret_is_refused() -> TestResult
{
    let (moto, keys) = Moto::start_verifying(free_port()?)?;
    let signed = S3Settings {
        access_key_id: keys.access_key_id.clone(),
        secret_access_key: keys.secret_access_key.clone(),
        ..settings(&moto)
    };
    suite(&S3Blobs::new(&signed)?)?;
    let forged = S3Blobs::new(&S3Settings {
        secret_access_key: format!("{}x", keys.secret_access_key),
        ..signed
    })?;
    match forged.put_new("packets/forged/1", b"forged") {
        Err(BlobError::Unavailable { message, .. }) => {
            assert!(message.contains("SignatureDoesNotMatch"), "{message}");
        }
        other => panic!("a wrong secret must be refused, got {other:?}"),
    }
    Ok(())
}

#[test]
fn the_s3_store_answers_unavailable_while_moto_is_stopped_and_stores_again_once_restarted()
-> TestResult {
    let port = free_port()?;
    let mut moto = Moto::start(port)?;
    let blobs = S3Blobs::new(&settings(&moto))?;
    blobs.put_new("packets/a/1", b"first")?;
    moto.stop();
    let started = Instant::now();
    assert!(matches!(
        blobs.put_new("packets/a/2", b"second"),
        Err(BlobError::Unavailable { .. })
    ));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "an outage answers within the wait, not never"
    );
    // moto keeps nothing across a restart: the bucket is made again, then the retry stores.
    let _moto = Moto::start(port)?;
    blobs.put_new("packets/a/2", b"second")?;
    assert_eq!(blobs.get("packets/a/2")?, Some(b"second".to_vec()));
    Ok(())
}
