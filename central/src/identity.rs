//! The central service's age identity: made once by `lapak-central init`, read at start-up.

use std::io::Write as _;
use std::path::Path;
use std::str::FromStr as _;

use age::secrecy::ExposeSecret as _;
use hmac::{Hmac, Mac as _};
use sha2::{Digest as _, Sha256};

/// The identity file cannot be made or read.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// Refusing to overwrite an existing identity (it would make every stored packet unreadable).
    #[error(
        "{path} already exists (recipient {recipient}); remove it first only if no packet was ever sealed to it"
    )]
    Exists {
        /// The file.
        path: String,
        /// Its recipient, if it could be read.
        recipient: String,
    },
    /// File system error.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The file holds no valid age identity.
    #[error("{path}: no AGE-SECRET-KEY-1 line (make one with `lapak-central init`)")]
    Invalid {
        /// The file.
        path: String,
    },
}

/// Creates a new identity file (mode 0600, in the age-keygen format the `age` CLI reads) and returns the
/// recipient to put in every kiosk's configuration.
pub fn create(path: &Path) -> Result<age::x25519::Recipient, IdentityError> {
    let shown = path.display().to_string();
    if path.exists() {
        let recipient = load(path)
            .map(|i| i.to_public().to_string())
            .unwrap_or_else(|_| "unreadable".into());
        return Err(IdentityError::Exists {
            path: shown,
            recipient,
        });
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| IdentityError::Io {
            path: shown.clone(),
            source,
        })?;
    }
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|source| IdentityError::Io {
        path: shown.clone(),
        source,
    })?;
    let text = format!(
        "# created: {}\n# public key: {recipient}\n{}\n",
        chrono::Utc::now().to_rfc3339(),
        identity.to_string().expose_secret()
    );
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|source| IdentityError::Io {
            path: shown,
            source,
        })?;
    Ok(recipient)
}

/// Reads the identity file.
pub fn load(path: &Path) -> Result<age::x25519::Identity, IdentityError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| IdentityError::Io {
        path: shown.clone(),
        source,
    })?;
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .and_then(|l| age::x25519::Identity::from_str(l).ok())
        .ok_or(IdentityError::Invalid { path: shown })
}

/// Whether this is the public demo identity shipped in `kiosk-config/demo/` (its recipient is the kiosk's
/// `DEMO_RECIPIENT`): anyone can open what is sealed to it.
pub fn is_demo(identity: &age::x25519::Identity) -> bool {
    identity.to_public().to_string() == lapak_core::packet::DEMO_RECIPIENT.trim()
}

/// The key for the keyed hashes of NIKs kept for status look-ups, derived from the identity so no other secret
/// file is needed.
pub fn lookup_key(identity: &age::x25519::Identity) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"lapak-central/lookup-key/v1\0");
    hasher.update(identity.to_string().expose_secret().as_bytes());
    hasher.finalize().into()
}

/// A keyed hash (HMAC-SHA256, hex) of a look-up value; `label` separates kinds of value (`nik`).
pub fn lookup_hash(key: &[u8; 32], label: &str, value: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(label.as_bytes());
    mac.update(b"\0");
    mac.update(value.trim().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_writes_a_private_file_that_loads_and_refuses_to_overwrite()
    -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("id.txt");
        let recipient = create(&path)?;
        assert_eq!(
            std::fs::metadata(&path)?.permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(load(&path)?.to_public().to_string(), recipient.to_string());
        assert!(matches!(create(&path), Err(IdentityError::Exists { .. })));
        Ok(())
    }

    #[test]
    fn lookup_hashes_differ_by_label_and_value() {
        let key = [1u8; 32];
        let a = lookup_hash(&key, "nik", "3171011501900001");
        assert_eq!(a, lookup_hash(&key, "nik", "3171011501900001"));
        assert_ne!(a, lookup_hash(&key, "dob", "3171011501900001"));
        assert_ne!(a, lookup_hash(&key, "nik", "3171011501900002"));
        assert_ne!(a, lookup_hash(&[2u8; 32], "nik", "3171011501900001"));
    }
}
