//! Sounds without a speaker: the silent one (no device) and the recording one (tests read what was asked).

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::{Clip, Cue, Sound};

/// Plays nothing: the kiosk without a speaker, or with sound disabled.
#[derive(Debug, Clone, Copy, Default)]
pub struct SilentSound;

impl Sound for SilentSound {
    fn play(&self, _cue: Cue) {}
    fn stop(&self) {}
    fn speak(&self, _clips: Vec<Clip>) {}
    fn set_volume(&self, _percent: u8) {}
    fn volume(&self) -> u8 {
        0
    }
    fn has_speaker(&self) -> bool {
        false
    }
}

/// What a [`RecordingSound`] was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SoundEvent {
    /// `play(cue)`.
    Played(Cue),
    /// `stop()`.
    Stopped,
    /// `speak(clips)`.
    Spoke(Vec<Clip>),
    /// `set_volume(percent)`.
    Volume(u8),
}

/// Remembers every cue asked for, every stop, everything spoken and every volume change, in order; tests
/// read them with [`RecordingSound::events`], [`RecordingSound::cues`] and [`RecordingSound::spoken`].
#[derive(Debug, Default)]
pub struct RecordingSound {
    events: Mutex<Vec<SoundEvent>>,
    volume: AtomicU8,
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

    /// The clip lists spoken so far, in order (one list per `speak`).
    pub fn spoken(&self) -> Vec<Vec<Clip>> {
        self.log()
            .iter()
            .filter_map(|event| match event {
                SoundEvent::Spoke(clips) => Some(clips.clone()),
                _ => None,
            })
            .collect()
    }

    /// The cues played so far, in order.
    pub fn cues(&self) -> Vec<Cue> {
        self.log()
            .iter()
            .filter_map(|event| match event {
                SoundEvent::Played(cue) => Some(*cue),
                _ => None,
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

    fn speak(&self, clips: Vec<Clip>) {
        self.log().push(SoundEvent::Spoke(clips));
    }

    fn set_volume(&self, percent: u8) {
        self.volume.store(percent.min(100), Ordering::Relaxed);
        self.log().push(SoundEvent::Volume(percent.min(100)));
    }

    fn volume(&self) -> u8 {
        self.volume.load(Ordering::Relaxed)
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
        let welcome = vec![Clip::new(crate::i18n::Language::Id, "ui-home-welcome")];
        sound.speak(welcome.clone());
        assert_eq!(
            sound.events(),
            [
                SoundEvent::Played(Cue::CountdownTick),
                SoundEvent::Played(Cue::CountdownTick),
                SoundEvent::Stopped,
                SoundEvent::Played(Cue::Shutter),
                SoundEvent::Spoke(welcome.clone()),
            ]
        );
        assert_eq!(sound.spoken(), [welcome]);
        assert_eq!(
            sound.cues(),
            [Cue::CountdownTick, Cue::CountdownTick, Cue::Shutter]
        );
        sound.clear();
        assert!(sound.events().is_empty());
    }
}
