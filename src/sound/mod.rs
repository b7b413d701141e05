//! The kiosk's sounds: short cues (the countdown before a photo takes itself, the shutter).

/// A sound the kiosk can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// One second of the countdown before a photo takes itself.
    CountdownTick,
    /// The photo is being taken.
    Shutter,
}

/// Where cues are played. `play` never blocks the caller; `stop` silences at once.
pub trait Sound: Send + Sync + std::fmt::Debug {
    /// Plays a cue (a new cue may cut the one playing).
    fn play(&self, cue: Cue);
    /// Silences whatever is playing.
    fn stop(&self);
}
