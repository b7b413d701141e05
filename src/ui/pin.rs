//! The staff PIN for maintenance mode: an argon2 hash from the configuration, and a lock-out of 15 minutes
//! after 5 wrong tries. Time arrives as one-second ticks, so the gate is deterministic in tests.

use argon2::password_hash::{PasswordHash, PasswordVerifier};

/// Wrong tries allowed before the lock-out.
pub const MAX_TRIES: u32 = 5;
/// Seconds the gate stays locked after too many wrong tries.
pub const LOCK_SECS: u32 = 15 * 60;

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

/// Checks staff PINs against the configured argon2 hash, with a lock-out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinGate {
    hash: Option<String>,
    failures: u32,
    locked_for: u32,
}

impl PinGate {
    /// A gate for the PHC-format argon2 hash (`$argon2id$v=19$...`) from the configuration.
    pub fn new(hash: Option<String>) -> PinGate {
        PinGate {
            hash,
            failures: 0,
            locked_for: 0,
        }
    }

    /// Takes a new PIN hash (the configuration was read again); a running lock-out stays.
    pub fn replace_hash(&mut self, hash: Option<String>) {
        self.hash = hash;
    }

    /// One second passed.
    pub fn tick(&mut self) {
        if self.locked_for > 0 {
            self.locked_for -= 1;
            if self.locked_for == 0 {
                self.failures = 0;
            }
        }
    }

    /// Seconds left in the lock-out, if locked.
    pub fn locked_for(&self) -> Option<u32> {
        (self.locked_for > 0).then_some(self.locked_for)
    }

    /// Checks a PIN. Every entry is logged (without the PIN).
    pub fn try_pin(&mut self, pin: &str) -> PinOutcome {
        if let Some(seconds_left) = self.locked_for() {
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
            self.failures = 0;
            tracing::info!("maintenance mode opened with the staff PIN");
            return PinOutcome::Accepted;
        }
        self.failures += 1;
        if self.failures >= MAX_TRIES {
            self.locked_for = LOCK_SECS;
            tracing::warn!(
                failures = self.failures,
                "wrong maintenance PIN: locked for 15 minutes"
            );
            return PinOutcome::Locked {
                seconds_left: LOCK_SECS,
            };
        }
        tracing::warn!(failures = self.failures, "wrong maintenance PIN");
        PinOutcome::Wrong {
            tries_left: MAX_TRIES - self.failures,
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
        assert_eq!(gate().try_pin("2468"), PinOutcome::Accepted);
    }

    #[test]
    fn five_wrong_tries_lock_for_fifteen_minutes() {
        let mut gate = gate();
        for tries_left in (1..MAX_TRIES).rev() {
            assert_eq!(gate.try_pin("1111"), PinOutcome::Wrong { tries_left });
        }
        assert_eq!(
            gate.try_pin("1111"),
            PinOutcome::Locked {
                seconds_left: LOCK_SECS
            }
        );
        // Even the right PIN is refused while locked.
        assert!(matches!(gate.try_pin("2468"), PinOutcome::Locked { .. }));
        for _ in 0..LOCK_SECS - 1 {
            gate.tick();
        }
        assert_eq!(gate.locked_for(), Some(1));
        gate.tick();
        assert_eq!(gate.locked_for(), None);
        assert_eq!(gate.try_pin("2468"), PinOutcome::Accepted);
    }

    #[test]
    fn without_a_hash_nothing_opens() {
        assert_eq!(
            PinGate::new(None).try_pin("2468"),
            PinOutcome::NotConfigured
        );
        assert_eq!(
            PinGate::new(Some("not a hash".to_owned())).try_pin("2468"),
            PinOutcome::NotConfigured
        );
    }
}
