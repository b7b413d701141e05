//! The photo that takes itself. The screen checks the live picture a few times a second; once every check
//! has passed and the picture has not moved for `steady_ms`, a countdown of `countdown_seconds` runs, and
//! when it ends the photo is taken. Any failed check, or movement, during the wait or the countdown starts
//! it over. Nothing here knows about the screen: it is given the checks and the time, and says where the
//! shutter stands.

use std::time::{Duration, Instant};

use super::config::QualityThresholds;
use super::quality::QualityHint;
use super::steady::Thumbnail;

/// How often the screen checks the live picture for hints and movement: two checks this far apart must
/// agree that nothing moved.
pub const LIVE_CHECK_EVERY: Duration = Duration::from_millis(400);

/// Where the shutter stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShutterStep {
    /// Waiting for a good, steady picture (or taking photos by itself is switched off).
    Waiting,
    /// The picture is good and has been steady since the given time; the countdown has not started.
    Steadying,
    /// Counting down: this many seconds are left (3, 2, 1).
    Countdown(u32),
    /// The countdown ended: take the photo now.
    Shoot,
}

/// The auto-capture timer of one photo.
#[derive(Debug, Clone)]
pub struct AutoShutter {
    enabled: bool,
    steady_motion_max: f64,
    steady_for: Duration,
    countdown: Duration,
    /// The thumbnail of the last checked frame.
    last: Option<Thumbnail>,
    /// Since when every check passed and the picture stayed still.
    steady_since: Option<Instant>,
    /// When the countdown started.
    counting_since: Option<Instant>,
}

impl AutoShutter {
    /// A shutter with the kiosk's thresholds (`auto_capture`, `steady_motion_max`, `steady_ms`,
    /// `countdown_seconds`).
    pub fn new(limits: &QualityThresholds) -> AutoShutter {
        AutoShutter {
            enabled: limits.auto_capture,
            steady_motion_max: limits.steady_motion_max,
            steady_for: Duration::from_millis(limits.steady_ms),
            countdown: Duration::from_secs(limits.countdown_seconds as u64),
            last: None,
            steady_since: None,
            counting_since: None,
        }
    }

    /// Whether photos are taken by themselves at all.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Takes in a check of the live picture: the hints it gave and the thumbnail of the frame, checked at
    /// `at`. Returns the hints to show: the check's own, or [`QualityHint::HoldStill`] when the picture is
    /// good but moved since the last check.
    pub fn checked(
        &mut self,
        at: Instant,
        hints: &[QualityHint],
        thumbnail: Thumbnail,
    ) -> Vec<QualityHint> {
        let motion = self
            .last
            .as_ref()
            .and_then(|earlier| thumbnail.motion_since(earlier));
        self.last = Some(thumbnail);
        if !hints.is_empty() {
            self.start_over();
            return hints.to_vec();
        }
        match motion {
            Some(motion) if motion <= self.steady_motion_max => {
                let since = *self.steady_since.get_or_insert(at);
                if self.counting_since.is_none()
                    && at.saturating_duration_since(since) >= self.steady_for
                {
                    self.counting_since = Some(at);
                }
                Vec::new()
            }
            Some(_) => {
                self.start_over();
                if self.enabled {
                    vec![QualityHint::HoldStill]
                } else {
                    Vec::new()
                }
            }
            // The first check of this picture: nothing to compare with yet.
            None => {
                self.start_over();
                Vec::new()
            }
        }
    }

    /// Where the shutter stands at `now`.
    pub fn step(&self, now: Instant) -> ShutterStep {
        if !self.enabled {
            return ShutterStep::Waiting;
        }
        match (self.counting_since, self.steady_since) {
            (Some(started), _) => {
                let elapsed = now.saturating_duration_since(started);
                if elapsed >= self.countdown {
                    ShutterStep::Shoot
                } else {
                    let left = self.countdown - elapsed;
                    ShutterStep::Countdown(
                        left.as_secs() as u32 + u32::from(left.subsec_nanos() > 0),
                    )
                }
            }
            (None, Some(_)) => ShutterStep::Steadying,
            (None, None) => ShutterStep::Waiting,
        }
    }

    /// Forgets the wait and the countdown (the picture failed a check, moved, the photo was taken or the
    /// document changed). The last thumbnail is kept: the next check still measures movement against it.
    pub fn start_over(&mut self) {
        self.steady_since = None;
        self.counting_since = None;
    }

    /// Forgets everything, the last thumbnail included (a new document, or the camera came back).
    pub fn reset(&mut self) {
        self.start_over();
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thumbnail(level: u8) -> Thumbnail {
        Thumbnail {
            width: 4,
            height: 3,
            data: vec![level; 12],
        }
    }

    fn limits() -> QualityThresholds {
        QualityThresholds {
            steady_motion_max: 4.0,
            steady_ms: 800,
            countdown_seconds: 3,
            ..QualityThresholds::default()
        }
    }

    fn ms(start: Instant, millis: u64) -> Instant {
        start + Duration::from_millis(millis)
    }

    #[test]
    fn a_good_steady_picture_counts_down_three_two_one_then_shoots() {
        let t0 = Instant::now();
        let mut shutter = AutoShutter::new(&limits());
        assert!(shutter.checked(t0, &[], thumbnail(100)).is_empty());
        assert_eq!(
            shutter.step(t0),
            ShutterStep::Waiting,
            "nothing to compare yet"
        );
        shutter.checked(ms(t0, 400), &[], thumbnail(102));
        assert_eq!(shutter.step(ms(t0, 400)), ShutterStep::Steadying);
        shutter.checked(ms(t0, 800), &[], thumbnail(101));
        assert_eq!(
            shutter.step(ms(t0, 800)),
            ShutterStep::Steadying,
            "steady for 400 ms only"
        );
        shutter.checked(ms(t0, 1200), &[], thumbnail(100));
        assert_eq!(shutter.step(ms(t0, 1200)), ShutterStep::Countdown(3));
        assert_eq!(shutter.step(ms(t0, 2250)), ShutterStep::Countdown(2));
        assert_eq!(shutter.step(ms(t0, 3250)), ShutterStep::Countdown(1));
        assert_eq!(shutter.step(ms(t0, 4199)), ShutterStep::Countdown(1));
        assert_eq!(shutter.step(ms(t0, 4200)), ShutterStep::Shoot);
    }

    #[test]
    fn movement_during_the_countdown_starts_it_over_and_asks_to_hold_still() {
        let t0 = Instant::now();
        let mut shutter = AutoShutter::new(&limits());
        for (i, level) in [100, 100, 100, 100].into_iter().enumerate() {
            shutter.checked(ms(t0, 400 * i as u64), &[], thumbnail(level));
        }
        assert_eq!(shutter.step(ms(t0, 1300)), ShutterStep::Countdown(3));
        assert_eq!(
            shutter.checked(ms(t0, 1600), &[], thumbnail(140)),
            vec![QualityHint::HoldStill]
        );
        assert_eq!(shutter.step(ms(t0, 5000)), ShutterStep::Waiting);
        // Still again: the wait starts from this check, not from the first one.
        shutter.checked(ms(t0, 2000), &[], thumbnail(141));
        assert_eq!(shutter.step(ms(t0, 2000)), ShutterStep::Steadying);
    }

    #[test]
    fn a_failed_check_stops_the_countdown_and_its_hints_are_shown() {
        let t0 = Instant::now();
        let mut shutter = AutoShutter::new(&limits());
        for i in 0..4 {
            shutter.checked(ms(t0, 400 * i), &[], thumbnail(100));
        }
        assert!(matches!(
            shutter.step(ms(t0, 1300)),
            ShutterStep::Countdown(_)
        ));
        let glare = [QualityHint::Glare];
        assert_eq!(shutter.checked(ms(t0, 1600), &glare, thumbnail(100)), glare);
        assert_eq!(shutter.step(ms(t0, 9000)), ShutterStep::Waiting);
    }

    #[test]
    fn switched_off_it_never_shoots_and_never_asks_to_hold_still() {
        let t0 = Instant::now();
        let mut shutter = AutoShutter::new(&QualityThresholds {
            auto_capture: false,
            ..limits()
        });
        for i in 0..10 {
            assert!(
                shutter
                    .checked(ms(t0, 400 * i), &[], thumbnail(100 + 20 * (i % 2) as u8))
                    .is_empty()
            );
        }
        assert!(!shutter.enabled());
        assert_eq!(shutter.step(ms(t0, 60_000)), ShutterStep::Waiting);
    }

    #[test]
    fn after_start_over_the_next_still_check_measures_against_the_last_picture() {
        let t0 = Instant::now();
        let mut shutter = AutoShutter::new(&limits());
        shutter.checked(t0, &[], thumbnail(100));
        shutter.start_over();
        shutter.checked(ms(t0, 400), &[], thumbnail(100));
        assert_eq!(shutter.step(ms(t0, 400)), ShutterStep::Steadying);
        shutter.reset();
        shutter.checked(ms(t0, 800), &[], thumbnail(100));
        assert_eq!(
            shutter.step(ms(t0, 800)),
            ShutterStep::Waiting,
            "reset forgets the picture"
        );
    }
}
