//! The kiosk's identity: its id, its number (the first digits of every claim reference) and its Ed25519 key.
//!
//! Made once by `lapak-kiosk provision` into `<data_dir>/kiosk.key` with permissions 0600. The central service
//! registers the public key (`lapak-central kiosk add --id ID --public-key KEY`) and rejects packets and requests
//! signed by any other key.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The file name of the kiosk key inside the data directory.
pub const KEY_FILE: &str = "kiosk.key";

pub use crate::claim::reference::MAX_KIOSK_NUMBER;

/// Why the kiosk identity could not be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    /// The key file does not exist.
    #[error("{0}: no kiosk key: run `lapak-kiosk provision --number N` first")]
    Missing(PathBuf),
    /// A key file exists already and provisioning would replace it.
    #[error(
        "{0}: a kiosk key exists already; remove it first if this kiosk is really to get a new identity"
    )]
    Exists(PathBuf),
    /// The key file can be read by others.
    #[error("{path}: permissions {mode:o} let others read the kiosk key; run `chmod 600 {path}`")]
    TooOpen {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The kiosk number is out of range.
    #[error("kiosk number {0} is out of range: use 1 to 99999")]
    BadNumber(u32),
    /// The kiosk id is empty or has characters that do not travel in an HTTP header.
    #[error("kiosk id `{0}` is not usable: use 1-40 letters, digits, `-` or `_`")]
    BadId(String),
    /// The key file is not a kiosk key.
    #[error("{path}: not a kiosk key: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Reading or writing failed.
    #[error("{path}: {reason}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's words.
        reason: String,
    },
    /// The system random source failed.
    #[error("no randomness from the operating system: {0}")]
    Random(String),
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    id: String,
    number: u32,
    secret_key: String,
}

/// Who this kiosk is, with the key it signs with.
#[derive(Clone)]
pub struct KioskIdentity {
    id: String,
    number: u32,
    key: SigningKey,
}

impl std::fmt::Debug for KioskIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KioskIdentity")
            .field("id", &self.id)
            .field("number", &self.number)
            .field("public_key", &self.public_key_base64())
            .finish()
    }
}

impl KioskIdentity {
    /// Makes a new identity with a fresh key from the operating system's random source.
    pub fn generate(id: Option<&str>, number: u32) -> Result<Self, IdentityError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|e| IdentityError::Random(e.to_string()))?;
        Self::from_parts(id, number, SigningKey::from_bytes(&seed))
    }

    /// Builds an identity from a known key (tests, benchmarks).
    pub fn from_parts(
        id: Option<&str>,
        number: u32,
        key: SigningKey,
    ) -> Result<Self, IdentityError> {
        if number == 0 || number > MAX_KIOSK_NUMBER {
            return Err(IdentityError::BadNumber(number));
        }
        let id = match id {
            Some(id) => id.to_owned(),
            None => format!("KIOSK-{number:05}"),
        };
        let id_ok = !id.is_empty()
            && id.len() <= 40
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            return Err(IdentityError::BadId(id));
        }
        Ok(KioskIdentity { id, number, key })
    }

    /// The kiosk id, sent with every request.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The kiosk number, the first five digits of every claim reference.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The signing key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// The public key the central service verifies with.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The public key as standard base64, as `lapak-central kiosk add --public-key` takes it.
    pub fn public_key_base64(&self) -> String {
        BASE64.encode(self.key.verifying_key().as_bytes())
    }

    /// Writes the identity to a new file with permissions 0600; never replaces an existing one.
    pub fn save_new(&self, path: &Path) -> Result<(), IdentityError> {
        let io = |e: std::io::Error| IdentityError::Io {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io)?;
        }
        let secret = Zeroizing::new(BASE64.encode(self.key.to_bytes()));
        let body = Zeroizing::new(format!(
            "# Lapak Kiosk identity. Secret: keep this file 0600 and never copy it off the kiosk.\n\
             id = \"{}\"\nnumber = {}\nsecret_key = \"{}\"\n",
            self.id, self.number, *secret
        ));
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => IdentityError::Exists(path.to_path_buf()),
                _ => io(e),
            })?;
        file.write_all(body.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(())
    }

    /// Reads the identity, refusing a key file that others can read.
    pub fn load(path: &Path) -> Result<Self, IdentityError> {
        let meta = fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => IdentityError::Missing(path.to_path_buf()),
            _ => IdentityError::Io {
                path: path.to_path_buf(),
                reason: e.to_string(),
            },
        })?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(IdentityError::TooOpen {
                path: path.to_path_buf(),
                mode,
            });
        }
        let text = Zeroizing::new(fs::read_to_string(path).map_err(|e| IdentityError::Io {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?);
        let malformed = |reason: String| IdentityError::Malformed {
            path: path.to_path_buf(),
            reason,
        };
        let file: KeyFile = toml::from_str(&text).map_err(|e| malformed(e.message().to_owned()))?;
        let secret = Zeroizing::new(file.secret_key);
        let bytes = Zeroizing::new(
            BASE64
                .decode(secret.as_bytes())
                .map_err(|e| malformed(format!("secret_key is not base64: {e}")))?,
        );
        let seed: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| malformed(format!("secret_key has {} bytes, not 32", bytes.len())))?;
        let seed = Zeroizing::new(seed);
        Self::from_parts(Some(&file.id), file.number, SigningKey::from_bytes(&seed))
    }

    /// Loads the identity in `data_dir`, or in demo mode makes one (kiosk number 1) when there is none.
    pub fn load_or_demo(data_dir: &Path, demo: bool) -> Result<Self, IdentityError> {
        let path = data_dir.join(KEY_FILE);
        match Self::load(&path) {
            Err(IdentityError::Missing(_)) if demo => {
                let identity = Self::generate(Some("KIOSK-DEMO"), 1)?;
                identity.save_new(&path)?;
                Ok(identity)
            }
            other => other,
        }
    }
}

/// Parses a public key as printed by `provision` (standard base64 of the 32-byte Ed25519 key).
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    let bytes = BASE64
        .decode(text.trim().as_bytes())
        .map_err(|e| format!("not base64: {e}"))?;
    let bytes: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| format!("{} bytes, an Ed25519 public key has 32", bytes.len()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| format!("not an Ed25519 public key: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provision_writes_0600_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(KEY_FILE);
        let made = KioskIdentity::generate(None, 42).unwrap();
        made.save_new(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let loaded = KioskIdentity::load(&path).unwrap();
        assert_eq!(loaded.id(), "KIOSK-00042");
        assert_eq!(loaded.number(), 42);
        assert_eq!(loaded.public_key_base64(), made.public_key_base64());
        assert_eq!(
            parse_public_key(&made.public_key_base64()).unwrap(),
            made.verifying_key()
        );
    }

    #[test]
    fn provision_never_replaces_a_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        KioskIdentity::generate(None, 1)
            .unwrap()
            .save_new(&path)
            .unwrap();
        let again = KioskIdentity::generate(None, 2).unwrap().save_new(&path);
        assert!(matches!(again, Err(IdentityError::Exists(_))));
        assert_eq!(KioskIdentity::load(&path).unwrap().number(), 1);
    }

    #[test]
    fn a_readable_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        KioskIdentity::generate(None, 1)
            .unwrap()
            .save_new(&path)
            .unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            KioskIdentity::load(&path),
            Err(IdentityError::TooOpen { .. })
        ));
    }

    #[test]
    fn bad_numbers_ids_and_files_are_refused() {
        assert!(matches!(
            KioskIdentity::generate(None, 0),
            Err(IdentityError::BadNumber(0))
        ));
        assert!(KioskIdentity::generate(None, 100_000).is_err());
        assert!(matches!(
            KioskIdentity::generate(Some("a b"), 1),
            Err(IdentityError::BadId(_))
        ));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        fs::write(&path, "id = \"x\"\nnumber = 1\nsecret_key = \"AAAA\"\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        assert!(matches!(
            KioskIdentity::load(&path),
            Err(IdentityError::Malformed { .. })
        ));
        assert!(matches!(
            KioskIdentity::load(&dir.path().join("none")),
            Err(IdentityError::Missing(_))
        ));
    }

    #[test]
    fn demo_mode_makes_a_key_once() {
        let dir = tempfile::tempdir().unwrap();
        let first = KioskIdentity::load_or_demo(dir.path(), true).unwrap();
        let second = KioskIdentity::load_or_demo(dir.path(), true).unwrap();
        assert_eq!(first.public_key_base64(), second.public_key_base64());
        let other = tempfile::tempdir().unwrap();
        assert!(KioskIdentity::load_or_demo(other.path(), false).is_err());
    }
}
