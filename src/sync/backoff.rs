//! Exponential backoff with jitter and a cap, and the `Retry-After` header.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Exponential backoff state: each failure doubles the delay from `base` up to `cap`; a success resets it.
///
/// The delay after the n-th failure in a row is drawn uniformly from `[d/2, d]` where
/// `d = min(cap, base * 2^(n-1))` ("equal jitter"): kiosks that lost the server together do not return together,
/// and the wait never drops below half the nominal delay, so the request rate stays bounded.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    failures: u32,
}

impl Backoff {
    /// A backoff starting at `base` and never waiting more than `cap`.
    pub fn new(base: Duration, cap: Duration) -> Backoff {
        Backoff {
            base,
            cap: cap.max(base),
            failures: 0,
        }
    }

    /// Records a failure and returns how long to wait before the next request, jittered with `unit`, a number
    /// in `[0, 1]` (use [`jitter_unit`]).
    pub fn fail(&mut self, unit: f64) -> Duration {
        self.failures = self.failures.saturating_add(1);
        delay_for(self.base, self.cap, self.failures, unit)
    }

    /// Records a success: the next failure starts again from `base`.
    pub fn succeed(&mut self) {
        self.failures = 0;
    }

    /// Failures in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The largest delay this backoff will ever choose.
    pub fn cap(&self) -> Duration {
        self.cap
    }
}

/// The jittered delay after `failures` failures in a row (see [`Backoff`]); `unit` in `[0, 1]`.
pub fn delay_for(base: Duration, cap: Duration, failures: u32, unit: f64) -> Duration {
    let exponent = failures.saturating_sub(1).min(32);
    let nominal = base
        .saturating_mul(1u32 << exponent.min(31))
        .min(cap.max(base));
    let unit = if unit.is_finite() {
        unit.clamp(0.0, 1.0)
    } else {
        0.5
    };
    nominal.div_f64(2.0) + nominal.div_f64(2.0).mul_f64(unit)
}

/// A random number in `[0, 1]` from the operating system, or 0.5 if it has none to give.
pub fn jitter_unit() -> f64 {
    match getrandom::u64() {
        Ok(n) => (n >> 11) as f64 / (1u64 << 53) as f64,
        Err(_) => 0.5,
    }
}

/// Parses a `Retry-After` value: whole seconds, or an HTTP date (compared with `now`). Longer than `limit` is cut
/// to `limit`; a date in the past is zero.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>, limit: Duration) -> Option<Duration> {
    let value = value.trim();
    let delay = if let Ok(secs) = value.parse::<u64>() {
        Duration::from_secs(secs)
    } else {
        let when = DateTime::parse_from_rfc2822(value)
            .ok()?
            .with_timezone(&Utc);
        (when - now).to_std().unwrap_or(Duration::ZERO)
    };
    Some(delay.min(limit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn delays_double_then_stop_at_the_cap() {
        let base = Duration::from_millis(100);
        let cap = Duration::from_secs(1);
        let mut b = Backoff::new(base, cap);
        let top: Vec<Duration> = (0..6).map(|_| b.fail(1.0)).collect();
        let ms: Vec<u128> = top.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, vec![100, 200, 400, 800, 1000, 1000]);
        b.succeed();
        assert_eq!(b.fail(0.0), Duration::from_millis(50));
    }

    proptest! {
        #[test]
        fn delay_stays_between_half_nominal_and_the_cap(failures in 1u32..200, unit in 0.0f64..=1.0) {
            let base = Duration::from_millis(250);
            let cap = Duration::from_secs(30);
            let d = delay_for(base, cap, failures, unit);
            prop_assert!(d <= cap);
            prop_assert!(d >= base / 2);
        }
    }

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        let now =
            DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").map(|d| d.with_timezone(&Utc));
        let now = now.unwrap_or_default();
        let limit = Duration::from_secs(3600);
        assert_eq!(
            parse_retry_after("7", now, limit),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now, limit),
            Some(Duration::from_secs(30))
        );
        assert_eq!(parse_retry_after("99999", now, limit), Some(limit));
        assert_eq!(parse_retry_after("soon", now, limit), None);
    }

    #[test]
    fn jitter_is_a_unit_number() {
        for _ in 0..100 {
            let u = jitter_unit();
            assert!((0.0..=1.0).contains(&u));
        }
    }
}
