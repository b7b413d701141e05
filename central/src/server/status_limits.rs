//! Limits on status checks, against guessing: failed proofs per reference (a wrong NIK or an unknown
//! reference) within a window, and status requests per kiosk per minute. Kept in memory under one lock; a
//! check in progress holds a reservation, so requests sent at the same moment cannot slip past the limit.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::config::CentralConfig;

/// Entries above which expired ones are swept.
const SWEEP_ABOVE: usize = 10_000;

/// The limits and what has happened within them.
pub(super) struct StatusLimits {
    failures_allowed: usize,
    window: Duration,
    per_kiosk_per_minute: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// When each failed proof happened, per reference (oldest first).
    failures: HashMap<String, VecDeque<Instant>>,
    /// Checks in progress per reference.
    pending: HashMap<String, usize>,
    /// When each status request was admitted, per kiosk (oldest first).
    requests: HashMap<String, VecDeque<Instant>>,
}

/// Seconds to wait before asking again (the `Retry-After` of a 429).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RetryAfter(pub u64);

fn forget_before(times: &mut VecDeque<Instant>, cutoff: Option<Instant>) {
    if let Some(cutoff) = cutoff {
        while times.front().is_some_and(|t| *t <= cutoff) {
            times.pop_front();
        }
    }
}

fn wait_secs(until: Instant, now: Instant) -> u64 {
    until.saturating_duration_since(now).as_secs() + 1
}

impl StatusLimits {
    /// The limits from `central.toml`.
    pub fn new(config: &CentralConfig) -> StatusLimits {
        StatusLimits {
            failures_allowed: config.status_failures_per_reference as usize,
            window: Duration::from_secs(config.status_failure_window_secs),
            per_kiosk_per_minute: config.status_requests_per_kiosk_per_minute as usize,
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts one status request from `kiosk`, or refuses it when the kiosk has made its allowance this minute.
    pub fn admit_kiosk(&self, kiosk: &str, now: Instant) -> Result<(), RetryAfter> {
        let minute = Duration::from_secs(60);
        let mut state = self.state();
        if state.requests.len() > SWEEP_ABOVE {
            let cutoff = now.checked_sub(minute);
            state.requests.retain(|_, times| {
                forget_before(times, cutoff);
                !times.is_empty()
            });
        }
        let times = state.requests.entry(kiosk.to_owned()).or_default();
        forget_before(times, now.checked_sub(minute));
        if times.len() >= self.per_kiosk_per_minute {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(RetryAfter(wait_secs(oldest + minute, now)));
        }
        times.push_back(now);
        Ok(())
    }

    /// Starts a proof check for `reference`, or refuses it when the reference has used its failures (counting
    /// the checks still in progress as failures, so simultaneous guesses cannot exceed the limit).
    pub fn begin(&self, reference: &str, now: Instant) -> Result<ProofCheck<'_>, RetryAfter> {
        let mut state = self.state();
        let window = self.window;
        if state.failures.len() > SWEEP_ABOVE {
            let cutoff = now.checked_sub(window);
            state.failures.retain(|_, times| {
                forget_before(times, cutoff);
                !times.is_empty()
            });
        }
        let pending = state.pending.get(reference).copied().unwrap_or(0);
        let failures = state.failures.entry(reference.to_owned()).or_default();
        forget_before(failures, now.checked_sub(window));
        if failures.len() + pending >= self.failures_allowed {
            let wait = if failures.len() >= self.failures_allowed {
                let oldest = failures.front().copied().unwrap_or(now);
                wait_secs(oldest + window, now)
            } else {
                1
            };
            return Err(RetryAfter(wait));
        }
        *state.pending.entry(reference.to_owned()).or_insert(0) += 1;
        Ok(ProofCheck {
            limits: self,
            reference: reference.to_owned(),
            failed_at: None,
        })
    }

    fn finish(&self, reference: &str, failed_at: Option<Instant>) {
        let mut state = self.state();
        if let Some(n) = state.pending.get_mut(reference) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                state.pending.remove(reference);
            }
        }
        if let Some(at) = failed_at {
            state
                .failures
                .entry(reference.to_owned())
                .or_default()
                .push_back(at);
        }
    }
}

/// A proof check in progress; dropped without [`ProofCheck::failed`] it counts as no failure (the proof
/// matched, or nothing could be answered).
pub(super) struct ProofCheck<'a> {
    limits: &'a StatusLimits,
    reference: String,
    failed_at: Option<Instant>,
}

impl ProofCheck<'_> {
    /// The proof did not match (or the reference is unknown): one failure for the reference.
    pub fn failed(mut self, now: Instant) {
        self.failed_at = Some(now);
    }
}

impl Drop for ProofCheck<'_> {
    fn drop(&mut self) {
        self.limits.finish(&self.reference, self.failed_at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(failures: u32, per_minute: u32) -> StatusLimits {
        StatusLimits::new(&CentralConfig {
            status_failures_per_reference: failures,
            status_failure_window_secs: 3_600,
            status_requests_per_kiosk_per_minute: per_minute,
            ..CentralConfig::default()
        })
    }

    #[test]
    fn a_reference_is_closed_after_its_failures_until_the_window_passes() {
        let limits = limits(3, 100);
        let t0 = Instant::now();
        for i in 0..3 {
            let check = limits.begin("123", t0 + Duration::from_secs(i));
            check.expect("allowed").failed(t0 + Duration::from_secs(i));
        }
        assert_eq!(
            limits.begin("123", t0 + Duration::from_secs(10)).err(),
            Some(RetryAfter(3_591))
        );
        assert!(limits.begin("456", t0).is_ok(), "another reference is open");
        assert!(
            limits.begin("123", t0 + Duration::from_secs(3_601)).is_ok(),
            "open again once the first failure is an hour old"
        );
    }

    #[test]
    fn checks_in_progress_count_so_simultaneous_guesses_cannot_slip_past() {
        let limits = limits(2, 100);
        let t0 = Instant::now();
        let a = limits.begin("123", t0).expect("first");
        let b = limits.begin("123", t0).expect("second");
        assert_eq!(limits.begin("123", t0).err(), Some(RetryAfter(1)));
        drop(a);
        drop(b);
        assert!(
            limits.begin("123", t0).is_ok(),
            "matching proofs leave no failure behind"
        );
    }

    #[test]
    fn a_kiosk_gets_its_allowance_per_minute() {
        let limits = limits(5, 2);
        let t0 = Instant::now();
        assert!(limits.admit_kiosk("K1", t0).is_ok());
        assert!(
            limits
                .admit_kiosk("K1", t0 + Duration::from_secs(1))
                .is_ok()
        );
        assert_eq!(
            limits.admit_kiosk("K1", t0 + Duration::from_secs(2)),
            Err(RetryAfter(59))
        );
        assert!(limits.admit_kiosk("K2", t0).is_ok());
        assert!(
            limits
                .admit_kiosk("K1", t0 + Duration::from_secs(61))
                .is_ok()
        );
    }
}
