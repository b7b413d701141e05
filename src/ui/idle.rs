//! The idle clock: after a while without a touch, "Masih di sana?" counts down, then the session ends.

/// Counts seconds without a touch. Driven by one tick a second, so it is deterministic in tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idle {
    after_secs: u32,
    countdown_secs: u32,
    quiet_secs: u32,
}

/// What the idle clock wants on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleState {
    /// The participant is using the kiosk.
    Active,
    /// "Masih di sana?" is shown with this many seconds left before the session is wiped.
    Countdown {
        /// Seconds left.
        seconds_left: u32,
    },
}

impl Idle {
    /// A clock that warns after `after_secs` quiet seconds and wipes `countdown_secs` later.
    pub fn new(after_secs: u32, countdown_secs: u32) -> Idle {
        Idle {
            after_secs,
            countdown_secs,
            quiet_secs: 0,
        }
    }

    /// The participant touched the screen.
    pub fn touch(&mut self) {
        self.quiet_secs = 0;
    }

    /// One second passed. `active` is false where there is nothing to wipe (the home screen). Returns true
    /// when the countdown has run out and the session must be wiped now.
    pub fn tick(&mut self, active: bool) -> bool {
        if !active {
            self.quiet_secs = 0;
            return false;
        }
        self.quiet_secs = self.quiet_secs.saturating_add(1);
        if self.quiet_secs >= self.after_secs.saturating_add(self.countdown_secs) {
            self.quiet_secs = 0;
            return true;
        }
        false
    }

    /// What to show now.
    pub fn state(&self) -> IdleState {
        if self.quiet_secs >= self.after_secs {
            IdleState::Countdown {
                seconds_left: self
                    .after_secs
                    .saturating_add(self.countdown_secs)
                    .saturating_sub(self.quiet_secs),
            }
        } else {
            IdleState::Active
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_then_wipes_after_the_countdown() {
        let mut idle = Idle::new(3, 2);
        assert!(!idle.tick(true));
        assert!(!idle.tick(true));
        assert_eq!(idle.state(), IdleState::Active);
        assert!(!idle.tick(true));
        assert_eq!(idle.state(), IdleState::Countdown { seconds_left: 2 });
        assert!(!idle.tick(true));
        assert_eq!(idle.state(), IdleState::Countdown { seconds_left: 1 });
        assert!(idle.tick(true));
        assert_eq!(idle.state(), IdleState::Active);
    }

    #[test]
    fn a_touch_restarts_the_clock() {
        let mut idle = Idle::new(2, 2);
        idle.tick(true);
        idle.tick(true);
        assert!(matches!(idle.state(), IdleState::Countdown { .. }));
        idle.touch();
        assert_eq!(idle.state(), IdleState::Active);
        assert!(!idle.tick(true));
    }

    #[test]
    fn the_home_screen_never_counts_down() {
        let mut idle = Idle::new(1, 1);
        for _ in 0..10 {
            assert!(!idle.tick(false));
        }
        assert_eq!(idle.state(), IdleState::Active);
    }
}
