//! The delivery alert: claims that keep failing to reach the central service, past `sync.alert_after_attempts`
//! or `sync.alert_after_minutes`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::SyncConfig;
use super::api::DeliveryAlert;
use super::uploader::UploadEvent;
use crate::claim::reference::ClaimReference;

/// The claims past the alert limits, kept by the uploader thread; [`AlertTracker::current`] is the alert the
/// status carries.
#[derive(Debug, Clone)]
pub struct AlertTracker {
    after_attempts: u32,
    after_wait: chrono::Duration,
    claims: HashMap<ClaimReference, AlertedClaim>,
}

#[derive(Debug, Clone)]
struct AlertedClaim {
    attempts: u32,
    waiting_since: DateTime<Utc>,
    raised_at: DateTime<Utc>,
    last_error: String,
}

impl AlertTracker {
    /// A tracker with the limits of `config` (`alert_after_attempts`, `alert_after_minutes`).
    pub fn new(config: &SyncConfig) -> AlertTracker {
        AlertTracker {
            after_attempts: config.alert_after_attempts.max(1),
            after_wait: chrono::Duration::minutes(
                i64::try_from(config.alert_after_minutes).unwrap_or(i64::MAX / 60_000),
            ),
            claims: HashMap::new(),
        }
    }

    /// Takes in what the uploader did at `now`: a failed claim past a limit raises (or updates) its alert; a
    /// delivered or held claim clears its own.
    pub fn observe(&mut self, event: &UploadEvent, now: DateTime<Utc>) {
        match event {
            UploadEvent::Retrying {
                reference,
                error,
                attempts,
                waiting_since,
                ..
            } => {
                let past_limit =
                    *attempts >= self.after_attempts || now - *waiting_since >= self.after_wait;
                if past_limit {
                    let entry =
                        self.claims
                            .entry(reference.clone())
                            .or_insert_with(|| AlertedClaim {
                                attempts: *attempts,
                                waiting_since: *waiting_since,
                                raised_at: now,
                                last_error: error.clone(),
                            });
                    entry.attempts = *attempts;
                    entry.last_error = error.clone();
                }
            }
            UploadEvent::Delivered { reference, .. } | UploadEvent::Held { reference, .. } => {
                self.claims.remove(reference);
            }
            UploadEvent::Sending { .. } | UploadEvent::QueueFailed(_) => {}
        }
    }

    /// The alert: the claim that has waited longest among those past the limits, with how many there are.
    pub fn current(&self) -> Option<DeliveryAlert> {
        let (reference, oldest) = self
            .claims
            .iter()
            .min_by(|a, b| (a.1.waiting_since, a.0).cmp(&(b.1.waiting_since, b.0)))?;
        let raised_at = self.claims.values().map(|c| c.raised_at).min()?;
        Some(DeliveryAlert {
            claims: u32::try_from(self.claims.len()).unwrap_or(u32::MAX),
            reference: reference.clone(),
            attempts: oldest.attempts,
            waiting_since: oldest.waiting_since,
            raised_at,
            last_error: oldest.last_error.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limits(attempts: u32, minutes: u64) -> SyncConfig {
        SyncConfig {
            alert_after_attempts: attempts,
            alert_after_minutes: minutes,
            ..SyncConfig::default()
        }
    }

    /// A claim reference for each name the tests use.
    fn r(name: &str) -> ClaimReference {
        let sequence = ["1", "young", "old", "older"]
            .iter()
            .position(|known| *known == name)
            .expect("a known name");
        ClaimReference::new(1, sequence as u64 + 1).expect("a reference")
    }

    fn failed(
        reference: &str,
        attempts: u32,
        saved_minutes_ago: i64,
        now: DateTime<Utc>,
    ) -> UploadEvent {
        UploadEvent::Retrying {
            reference: r(reference),
            error: format!("403: Forbidden ({attempts})"),
            wait: Duration::from_secs(1),
            attempts,
            waiting_since: now - chrono::Duration::minutes(saved_minutes_ago),
        }
    }

    #[test]
    fn the_alert_is_raised_after_the_attempt_limit_and_cleared_on_delivery() {
        let now = Utc::now();
        let mut tracker = AlertTracker::new(&limits(3, 60));
        tracker.observe(&failed("1", 1, 0, now), now);
        tracker.observe(&failed("1", 2, 0, now), now);
        assert_eq!(tracker.current(), None, "below both limits");
        let later = now + chrono::Duration::seconds(5);
        tracker.observe(&failed("1", 3, 0, now), later);
        let alert = tracker.current().expect("raised at the third failure");
        assert_eq!(
            (alert.claims, &alert.reference, alert.attempts),
            (1, &r("1"), 3)
        );
        assert_eq!(alert.raised_at, later);
        assert_eq!(alert.last_error, "403: Forbidden (3)");
        tracker.observe(&failed("1", 4, 0, now), later);
        let alert = tracker.current().expect("still raised");
        assert_eq!((alert.attempts, alert.raised_at), (4, later));
        assert_eq!(alert.last_error, "403: Forbidden (4)");
        tracker.observe(
            &UploadEvent::Delivered {
                reference: r("1"),
                repeat: false,
            },
            later,
        );
        assert_eq!(tracker.current(), None);
    }

    #[test]
    fn the_alert_is_raised_after_the_wait_limit_and_names_the_oldest_claim() {
        let now = Utc::now();
        let mut tracker = AlertTracker::new(&limits(10, 60));
        tracker.observe(&failed("young", 1, 59, now), now);
        assert_eq!(tracker.current(), None);
        tracker.observe(&failed("old", 1, 90, now), now);
        tracker.observe(&failed("older", 2, 120, now), now);
        let alert = tracker.current().expect("raised by the wait");
        assert_eq!((alert.claims, &alert.reference), (2, &r("older")));
        assert_eq!(alert.waiting_since, now - chrono::Duration::minutes(120));
        // A held claim no longer counts; a delivery of another claim does not clear the rest.
        tracker.observe(
            &UploadEvent::Held {
                reference: r("older"),
                reason: "422 hash_mismatch".into(),
            },
            now,
        );
        tracker.observe(
            &UploadEvent::Delivered {
                reference: r("young"),
                repeat: false,
            },
            now,
        );
        let alert = tracker.current().expect("one claim still failing");
        assert_eq!((alert.claims, &alert.reference), (1, &r("old")));
    }
}
