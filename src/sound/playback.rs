//! What the device callback plays: a queue of sounds, one after the other, at the configured volume.
//!
//! Cues cut whatever is playing (a countdown beat must land on its second); later sounds such as spoken
//! screens can wait their turn with [`Start::AfterQueue`]. `stop` empties everything at once.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// When a new sound starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// At once: whatever plays or waits is dropped.
    Now,
    /// After everything already queued.
    AfterQueue,
}

#[derive(Debug, Default)]
struct Queue {
    sounds: VecDeque<Vec<f32>>,
    position: usize,
}

/// The queue shared by the player thread (which fills it) and the device callback (which drains it).
#[derive(Debug)]
pub struct Playback {
    queue: Mutex<Queue>,
    volume: AtomicU8,
    generation: AtomicU64,
    sound_frames: AtomicU64,
    pulled_frames: AtomicU64,
}

impl Playback {
    /// An empty queue played at `volume` percent (0-100).
    pub fn new(volume: u8) -> Arc<Playback> {
        Arc::new(Playback {
            queue: Mutex::new(Queue::default()),
            volume: AtomicU8::new(volume.min(100)),
            generation: AtomicU64::new(0),
            sound_frames: AtomicU64::new(0),
            pulled_frames: AtomicU64::new(0),
        })
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        // A panic while holding the lock cannot leave the queue inconsistent: keep playing.
        self.queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sets the loudness in percent (0-100): the next buffer the device pulls is played at it.
    pub fn set_volume(&self, volume: u8) {
        self.volume.store(volume.min(100), Ordering::Relaxed);
    }

    /// The loudness in percent.
    pub fn volume(&self) -> u8 {
        self.volume.load(Ordering::Relaxed)
    }

    /// Adds one sound (mono samples at the device's rate).
    pub fn push(&self, samples: Vec<f32>, start: Start) {
        let mut queue = self.queue();
        if start == Start::Now {
            queue.sounds.clear();
            queue.position = 0;
        }
        queue.sounds.push_back(samples);
    }

    /// Drops everything playing or waiting: the next frame the device pulls is silence. Sounds asked for
    /// before the stop and pushed with [`Playback::push_if_current`] after it are dropped too.
    pub fn stop(&self) {
        let mut queue = self.queue();
        self.generation.fetch_add(1, Ordering::SeqCst);
        queue.sounds.clear();
        queue.position = 0;
    }

    /// How many times `stop` has been called: a sound asked for now belongs to this generation.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Adds one sound asked for in `generation`, unless a `stop` came since (checked under the same lock as
    /// `stop`, so a stop can never slip in between the check and the push). Whether it was added.
    pub fn push_if_current(&self, generation: u64, samples: Vec<f32>, start: Start) -> bool {
        let mut queue = self.queue();
        if self.generation.load(Ordering::SeqCst) != generation {
            return false;
        }
        if start == Start::Now {
            queue.sounds.clear();
            queue.position = 0;
        }
        queue.sounds.push_back(samples);
        true
    }

    /// Whether nothing is playing or waiting.
    pub fn is_idle(&self) -> bool {
        self.queue().sounds.is_empty()
    }

    /// Fills one interleaved buffer of `channels` channels, the same sample on every channel; silence when
    /// the queue is empty.
    pub fn fill(&self, out: &mut [f32], channels: usize) {
        let channels = channels.max(1);
        let gain = f32::from(self.volume()) / 100.0;
        let mut queue = self.queue();
        let mut sounding = 0u64;
        for frame in out.chunks_mut(channels) {
            let sample = next_sample(&mut queue);
            if sample.is_some() {
                sounding += 1;
            }
            frame.fill(sample.unwrap_or(0.0) * gain);
        }
        // Counted under the lock: once `stop` returns, the counters already include every frame handed over
        // before it.
        self.sound_frames.fetch_add(sounding, Ordering::Relaxed);
        self.pulled_frames
            .fetch_add((out.len() / channels) as u64, Ordering::Relaxed);
        drop(queue);
    }

    /// Frames of queued sound the device has taken so far (silence not counted).
    pub fn sound_frames(&self) -> u64 {
        self.sound_frames.load(Ordering::Relaxed)
    }

    /// Frames the device has taken so far, sound and silence.
    pub fn pulled_frames(&self) -> u64 {
        self.pulled_frames.load(Ordering::Relaxed)
    }
}

fn next_sample(queue: &mut Queue) -> Option<f32> {
    loop {
        let position = queue.position;
        let front = queue.sounds.front()?;
        if let Some(&sample) = front.get(position) {
            queue.position += 1;
            return Some(sample);
        }
        queue.sounds.pop_front();
        queue.position = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sounds_queued_after_play_in_order_then_silence() {
        let playback = Playback::new(100);
        playback.push(vec![0.5; 3], Start::AfterQueue);
        playback.push(vec![-0.25; 2], Start::AfterQueue);
        let mut out = vec![9.0; 14];
        playback.fill(&mut out, 2);
        assert_eq!(
            out,
            [
                0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -0.25, -0.25, -0.25, -0.25, 0.0, 0.0, 0.0, 0.0
            ]
        );
        assert_eq!((playback.sound_frames(), playback.pulled_frames()), (5, 7));
        assert!(playback.is_idle());
    }

    #[test]
    fn a_sound_started_now_cuts_the_one_playing() {
        let playback = Playback::new(100);
        playback.push(vec![0.5; 10], Start::Now);
        let mut out = [0.0; 2];
        playback.fill(&mut out, 1);
        playback.push(vec![0.1; 2], Start::Now);
        let mut out = [9.0; 4];
        playback.fill(&mut out, 1);
        assert_eq!(out, [0.1, 0.1, 0.0, 0.0]);
    }

    #[test]
    fn stop_silences_the_very_next_frame_and_counts_no_more_sound() {
        let playback = Playback::new(100);
        playback.push(vec![0.5; 1000], Start::Now);
        playback.fill(&mut [0.0; 10], 1);
        playback.stop();
        let mut out = [9.0; 100];
        playback.fill(&mut out, 1);
        assert!(out.iter().all(|&s| s == 0.0));
        assert_eq!(playback.sound_frames(), 10);
        assert!(playback.is_idle());
    }

    #[test]
    fn a_sound_asked_for_before_a_stop_is_not_added_after_it() {
        let playback = Playback::new(100);
        let asked_in = playback.generation();
        playback.stop();
        assert!(!playback.push_if_current(asked_in, vec![0.5; 10], Start::Now));
        assert!(playback.is_idle());
        assert!(playback.push_if_current(playback.generation(), vec![0.5; 10], Start::Now));
        assert!(!playback.is_idle());
    }

    #[test]
    fn volume_scales_every_sample() {
        let playback = Playback::new(40);
        playback.push(vec![0.5, -0.5], Start::Now);
        let mut out = [0.0; 2];
        playback.fill(&mut out, 1);
        assert!(
            (out[0] - 0.2).abs() < 1e-6 && (out[1] + 0.2).abs() < 1e-6,
            "{out:?}"
        );
    }

    #[test]
    fn a_volume_change_applies_to_the_next_buffer_of_the_sound_playing() {
        let playback = Playback::new(100);
        playback.push(vec![0.5; 4], Start::Now);
        let mut out = [0.0; 2];
        playback.fill(&mut out, 1);
        playback.set_volume(20);
        assert_eq!(playback.volume(), 20);
        playback.fill(&mut out, 1);
        assert!((out[0] - 0.1).abs() < 1e-6, "{out:?}");
    }
}
