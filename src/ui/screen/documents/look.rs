//! The short look at a photo that took itself: the stored photo is shown with a visible countdown, then the
//! kiosk goes on by itself ("Ulangi" retakes it, "Pakai foto ini" goes on at once). A photo taken by hand
//! waits for "Pakai foto ini" as before.

use std::time::{Duration, Instant};

/// The longest gap between two ticks of the screen's clock that counts towards the look: while a panel
/// covers the screen its clock stops, and that pause does not use up the look.
const LONGEST_TICK: Duration = Duration::from_millis(250);

/// The time left to look at a photo that took itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    left: Duration,
    last: Option<Instant>,
}

impl Look {
    /// A look of `length`, starting at the next tick.
    pub fn new(length: Duration) -> Look {
        Look {
            left: length,
            last: None,
        }
    }

    /// Moves the look on to `now` (a tick of the screen's clock); true once it is over.
    pub fn tick(&mut self, now: Instant) -> bool {
        if let Some(last) = self.last {
            let gap = now.saturating_duration_since(last).min(LONGEST_TICK);
            self.left = self.left.saturating_sub(gap);
        }
        self.last = Some(now);
        self.left.is_zero()
    }

    /// The whole seconds left, rounded up: the number on screen.
    pub fn seconds_left(&self) -> u32 {
        let millis = self.left.as_millis().div_ceil(1000);
        u32::try_from(millis).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_look_counts_its_seconds_down_and_a_pause_in_the_ticks_does_not_use_it_up() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let mut look = Look::new(Duration::from_secs(3));
        assert_eq!(look.seconds_left(), 3);
        assert!(!look.tick(at(0)));
        assert!(!look.tick(at(100)));
        assert_eq!(look.seconds_left(), 3);
        for ms in (200..=1000).step_by(100) {
            assert!(!look.tick(at(ms)));
        }
        assert_eq!(look.seconds_left(), 2);
        // Ten seconds with no tick (a panel over the screen) count as one short tick.
        assert!(!look.tick(at(11_000)));
        assert_eq!(look.seconds_left(), 2);
        let mut now = 11_000;
        while !look.tick(at(now)) {
            now += 100;
            assert!(now < 20_000, "the look never ended");
        }
        assert_eq!(look.seconds_left(), 0);
        // 1 s before the pause and 250 ms for it: the 1.75 s left end at the 18th step of 100 ms.
        assert_eq!(now, 11_000 + 1_800);
    }
}
