//! The maintenance PIN's lock-out, kept in a small file in the data folder so that restarting the kiosk (or
//! pulling its plug) does not give a guesser fresh tries. The file holds counts and a time only, never the PIN
//! or its hash; it is readable by the owner only and replaced atomically.
//!
//! After [`MAX_TRIES`] wrong PINs the gate locks; successive lock-outs last longer ([`LOCKOUT_MINUTES`]) until
//! the right PIN is entered. While locked, the heartbeat reports the end of the lock-out to the central
//! service, whose fleet page shows an alert.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The lock-out file's name in the data directory.
pub const PIN_LOCKOUT_FILE: &str = "pin-lockout.json";

/// Wrong tries allowed before a lock-out.
pub const MAX_TRIES: u32 = 5;

/// Minutes of the first, second, third and every later lock-out since the last right PIN.
pub const LOCKOUT_MINUTES: [i64; 4] = [15, 60, 240, 1440];

/// The lock-out state: how many wrong tries and lock-outs, and until when the gate is locked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinLockout {
    /// Wrong PINs since the last lock-out began (or the last right PIN).
    pub failures: u32,
    /// Lock-outs since the last right PIN.
    pub lockouts: u32,
    /// The end of the current (or last) lock-out.
    pub locked_until: Option<DateTime<Utc>>,
}

/// What a wrong PIN did to the lock-out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterWrongPin {
    /// More tries are left.
    TriesLeft(u32),
    /// The gate is now locked for this long.
    Locked(TimeDelta),
}

impl PinLockout {
    /// How long the lock-out after `lockouts` earlier ones lasts.
    pub fn duration_after(lockouts: u32) -> TimeDelta {
        let step = (lockouts as usize).min(LOCKOUT_MINUTES.len() - 1);
        TimeDelta::minutes(LOCKOUT_MINUTES[step])
    }

    /// Time left in the lock-out at `now`, if locked.
    pub fn locked_for(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        self.locked_until
            .map(|until| until - now)
            .filter(|left| *left > TimeDelta::zero())
    }

    /// Counts a wrong PIN at `now`: the [`MAX_TRIES`]th starts a lock-out longer than the one before.
    pub fn wrong_pin(&mut self, now: DateTime<Utc>) -> AfterWrongPin {
        self.failures += 1;
        if self.failures < MAX_TRIES {
            return AfterWrongPin::TriesLeft(MAX_TRIES - self.failures);
        }
        let duration = PinLockout::duration_after(self.lockouts);
        self.failures = 0;
        self.lockouts = self.lockouts.saturating_add(1);
        self.locked_until = Some(now + duration);
        AfterWrongPin::Locked(duration)
    }

    /// The right PIN: everything is forgotten.
    pub fn right_pin(&mut self) {
        *self = PinLockout::default();
    }

    /// Reads the record; a missing file is a clean record. A file that cannot be read or parsed counts as a
    /// first lock-out beginning at `now` (a guesser gains nothing by damaging it).
    pub fn load(path: &Path, now: DateTime<Utc>) -> PinLockout {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
                tracing::warn!(file = %path.display(), %error, "PIN lock-out file unreadable: locked");
                PinLockout {
                    failures: 0,
                    lockouts: 1,
                    locked_until: Some(now + PinLockout::duration_after(0)),
                }
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => PinLockout::default(),
            Err(error) => {
                tracing::warn!(file = %path.display(), %error, "PIN lock-out file unreadable: locked");
                PinLockout {
                    failures: 0,
                    lockouts: 1,
                    locked_until: Some(now + PinLockout::duration_after(0)),
                }
            }
        }
    }

    /// Writes the record through a temporary file (mode 0600), fsync'd, then renamed into place.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(".partial");
        let temporary = PathBuf::from(temporary);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temporary)?;
        file.write_all(&json)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    }

    /// The end of the lock-out in force at `now` in the data folder `data_dir`, for the heartbeat.
    pub fn locked_until_in(data_dir: &Path, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let path = data_dir.join(PIN_LOCKOUT_FILE);
        if !path.exists() {
            return None;
        }
        let record = PinLockout::load(&path, now);
        record.locked_for(now).and(record.locked_until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap() + TimeDelta::minutes(minutes)
    }

    #[test]
    fn each_lockout_since_the_right_pin_lasts_longer_up_to_a_day() {
        let mut record = PinLockout::default();
        let mut now = t(0);
        for expected in [15, 60, 240, 1440, 1440] {
            for left in (1..MAX_TRIES).rev() {
                assert_eq!(record.wrong_pin(now), AfterWrongPin::TriesLeft(left));
            }
            assert_eq!(
                record.wrong_pin(now),
                AfterWrongPin::Locked(TimeDelta::minutes(expected))
            );
            assert_eq!(record.locked_for(now), Some(TimeDelta::minutes(expected)));
            now += TimeDelta::minutes(expected);
            assert_eq!(record.locked_for(now), None);
        }
        record.right_pin();
        assert_eq!(record, PinLockout::default());
    }

    #[test]
    fn the_record_survives_a_save_and_load_with_owner_only_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(PIN_LOCKOUT_FILE);
        assert_eq!(PinLockout::load(&path, t(0)), PinLockout::default());
        let mut record = PinLockout::default();
        for _ in 0..MAX_TRIES {
            record.wrong_pin(t(0));
        }
        record.save(&path).unwrap();
        assert_eq!(PinLockout::load(&path, t(1)), record);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(PinLockout::locked_until_in(dir.path(), t(1)), Some(t(15)));
        assert_eq!(PinLockout::locked_until_in(dir.path(), t(15)), None);
        // A damaged file locks rather than opening the gate.
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(
            PinLockout::load(&path, t(100)).locked_for(t(100)),
            Some(TimeDelta::minutes(15))
        );
    }
}
