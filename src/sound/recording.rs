//! Sounds without a speaker: the silent one (no device) and the recording one (tests read what was asked).

use std::sync::{Mutex, MutexGuard};

use super::{Cue, Sound};

/// Plays nothing: the kiosk without a speaker, or with sound disabled.
#[derive(Debug, Clone, Copy, Default)]
pub struct SilentSound;

impl Sound for SilentSound {
    fn play(&self, _cue: Cue) {}
    fn stop(&self) {}
}

/// What a [`RecordingSound`] was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoundEvent {
    /// `play(cue)`.
    Played(Cue),
    /// `stop()`.
    Stopped,
}

/// Remembers every cue asked for and every stop, in order; tests read them with [`RecordingSound::events`]
/// and [`RecordingSound::cues`].
#[derive(Debug, Default)]
pub struct RecordingSound {
    events: Mutex<Vec<SoundEvent>>,
}

impl RecordingSound {
    /// Nothing recorded yet.
    pub fn new() -> RecordingSound {
        RecordingSound::default()
    }

    fn log(&self) -> MutexGuard<'_, Vec<SoundEvent>> {
        self.events
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Every play and stop so far, in order.
    pub fn events(&self) -> Vec<SoundEvent> {
        self.log().clone()
    }

    /// The cues played so far, in order.
    pub fn cues(&self) -> Vec<Cue> {
        self.log()
            .iter()
            .filter_map(|event| match event {
                SoundEvent::Played(cue) => Some(*cue),
                SoundEvent::Stopped => None,
            })
            .collect()
    }

    /// Forgets everything recorded so far.
    pub fn clear(&self) {
        self.log().clear();
    }
}

impl Sound for RecordingSound {
    fn play(&self, cue: Cue) {
        self.log().push(SoundEvent::Played(cue));
    }

    fn stop(&self) {
        self.log().push(SoundEvent::Stopped);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recording_sound_keeps_plays_and_stops_in_order() {
        let sound = RecordingSound::new();
        sound.play(Cue::CountdownTick);
        sound.play(Cue::CountdownTick);
        sound.stop();
        sound.play(Cue::Shutter);
        assert_eq!(
            sound.events(),
            [
                SoundEvent::Played(Cue::CountdownTick),
                SoundEvent::Played(Cue::CountdownTick),
                SoundEvent::Stopped,
                SoundEvent::Played(Cue::Shutter),
            ]
        );
        assert_eq!(
            sound.cues(),
            [Cue::CountdownTick, Cue::CountdownTick, Cue::Shutter]
        );
        sound.clear();
        assert!(sound.events().is_empty());
    }
}
