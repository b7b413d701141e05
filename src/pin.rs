//! The staff PIN for maintenance mode: an argon2 hash from the configuration, and a lock-out after 5 wrong
//! tries that grows with each lock-out (15 minutes, 1 hour, 4 hours, then a day) and survives a restart: the
//! counts live in [`crate::pin_lockout`]'s file in the data folder. Time comes from the screens' clock.

use std::path::PathBuf;

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use chrono::{DateTime, Utc};

use crate::pin_lockout::{AfterWrongPin, PinLockout};

pub use crate::pin_lockout::MAX_TRIES;

/// The answer to a PIN entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinOutcome {
    /// The PIN is right: maintenance mode opens.
    Accepted,
    /// The PIN is wrong; this many tries are left before the lock-out.
    Wrong {
        /// Tries left.
        tries_left: u32,
    },
    /// Too many wrong tries: no PIN is checked for this many seconds.
    Locked {
        /// Seconds left.
        seconds_left: u32,
    },
    /// No PIN hash is configured (or it cannot be read): maintenance mode cannot open.
    NotConfigured,
}

/// Checks staff PINs against the configured argon2 hash, with a lock-out kept in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinGate {
    hash: Option<String>,
    record: PinLockout,
    file: Option<PathBuf>,
}

impl PinGate {
    /// A gate for the PHC-format argon2 hash (`$argon2id$v=19$...`) from the configuration, with its lock-out
    /// in memory only.
    pub fn new(hash: Option<String>) -> PinGate {
        PinGate {
            hash,
            record: PinLockout::default(),
            file: None,
        }
    }

    /// A gate whose lock-out is read from and written to `file` (see [`crate::pin_lockout`]).
    pub fn with_file(hash: Option<String>, file: Option<PathBuf>, now: DateTime<Utc>) -> PinGate {
        let record = file
            .as_deref()
            .map(|path| PinLockout::load(path, now))
            .unwrap_or_default();
        PinGate { hash, record, file }
    }

    /// Takes a new PIN hash (the configuration was read again); a running lock-out stays.
    pub fn replace_hash(&mut self, hash: Option<String>) {
        self.hash = hash;
    }

    /// Seconds left in the lock-out at `now`, if locked.
    pub fn locked_for(&self, now: DateTime<Utc>) -> Option<u32> {
        self.record
            .locked_for(now)
            .map(|left| u32::try_from(left.num_seconds().max(1)).unwrap_or(u32::MAX))
    }

    /// Checks a PIN at `now`. Every entry is logged (without the PIN); every change of the lock-out is saved.
    pub fn try_pin(&mut self, pin: &str, now: DateTime<Utc>) -> PinOutcome {
        if let Some(seconds_left) = self.locked_for(now) {
            tracing::warn!(seconds_left, "maintenance PIN entered while locked");
            return PinOutcome::Locked { seconds_left };
        }
        let Some(parsed) = self
            .hash
            .as_deref()
            .and_then(|hash| PasswordHash::new(hash).ok())
        else {
            tracing::warn!("maintenance PIN entered but no valid PIN hash is configured");
            return PinOutcome::NotConfigured;
        };
        if argon2::Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok()
        {
            self.record.right_pin();
            self.save();
            tracing::info!("maintenance mode opened with the staff PIN");
            return PinOutcome::Accepted;
        }
        let outcome = match self.record.wrong_pin(now) {
            AfterWrongPin::TriesLeft(tries_left) => {
                tracing::warn!(tries_left, "wrong maintenance PIN");
                PinOutcome::Wrong { tries_left }
            }
            AfterWrongPin::Locked(duration) => {
                tracing::warn!(
                    minutes = duration.num_minutes(),
                    lockouts = self.record.lockouts,
                    "wrong maintenance PIN: locked"
                );
                PinOutcome::Locked {
                    seconds_left: u32::try_from(duration.num_seconds()).unwrap_or(u32::MAX),
                }
            }
        };
        self.save();
        outcome
    }

    fn save(&self) {
        if let Some(path) = &self.file
            && let Err(error) = self.record.save(path)
        {
            tracing::error!(file = %path.display(), %error, "cannot save the PIN lock-out");
        }
    }
}

/// The argon2id hash of a PIN with a fixed salt, for tests and for making the configuration value.
pub fn hash_pin(pin: &str, salt: &str) -> Option<String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::encode_b64(salt.as_bytes()).ok()?;
    argon2::Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .ok()
        .map(|hash| hash.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate() -> PinGate {
        PinGate::new(hash_pin("2468", "lapak-test-salt"))
    }

    #[test]
    fn the_right_pin_opens() {
        assert_eq!(gate().try_pin("2468", at(0)), PinOutcome::Accepted);
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn five_wrong_tries_lock_for_fifteen_minutes() {
        let mut gate = gate();
        for tries_left in (1..MAX_TRIES).rev() {
            assert_eq!(
                gate.try_pin("1111", at(0)),
                PinOutcome::Wrong { tries_left }
            );
        }
        assert_eq!(
            gate.try_pin("1111", at(0)),
            PinOutcome::Locked {
                seconds_left: 15 * 60
            }
        );
        // Even the right PIN is refused while locked.
        assert!(matches!(
            gate.try_pin("2468", at(60)),
            PinOutcome::Locked { .. }
        ));
        assert_eq!(gate.locked_for(at(15 * 60 - 1)), Some(1));
        assert_eq!(gate.locked_for(at(15 * 60)), None);
        assert_eq!(gate.try_pin("2468", at(15 * 60)), PinOutcome::Accepted);
    }

    #[test]
    fn a_gate_over_the_same_file_is_still_locked_and_locks_longer_next_time() {
        let dir = tempfile::tempdir().unwrap();
        let file = Some(dir.path().join(crate::pin_lockout::PIN_LOCKOUT_FILE));
        let hash = hash_pin("2468", "lapak-test-salt");
        let mut gate = PinGate::with_file(hash.clone(), file.clone(), at(0));
        for _ in 0..MAX_TRIES {
            gate.try_pin("1111", at(0));
        }
        drop(gate);
        let mut again = PinGate::with_file(hash.clone(), file.clone(), at(60));
        assert_eq!(again.locked_for(at(60)), Some(14 * 60));
        assert!(matches!(
            again.try_pin("2468", at(60)),
            PinOutcome::Locked { .. }
        ));
        for _ in 1..MAX_TRIES {
            again.try_pin("1111", at(15 * 60));
        }
        assert_eq!(
            again.try_pin("1111", at(15 * 60)),
            PinOutcome::Locked {
                seconds_left: 60 * 60
            }
        );
        // The right PIN after the lock-out clears the record for good.
        let mut later = PinGate::with_file(hash.clone(), file.clone(), at(75 * 60));
        assert_eq!(later.try_pin("2468", at(75 * 60)), PinOutcome::Accepted);
        let fresh = PinGate::with_file(hash, file, at(75 * 60));
        assert_eq!(fresh.record, PinLockout::default());
    }

    #[test]
    fn without_a_hash_nothing_opens() {
        assert_eq!(
            PinGate::new(None).try_pin("2468", at(0)),
            PinOutcome::NotConfigured
        );
        assert_eq!(
            PinGate::new(Some("not a hash".to_owned())).try_pin("2468", at(0)),
            PinOutcome::NotConfigured
        );
    }
}
