//! The cues, synthesised in code: no sound files to ship or lose.
//!
//! Every cue starts and ends on silence (a raised-cosine fade in and out), so a speaker never clicks when a
//! cue begins, ends or is cut.

use std::f32::consts::PI;

/// A short sound the kiosk plays to tell the participant something is happening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// One beat of the photo countdown: a short 880 Hz beep.
    CountdownTick,
    /// The photo is taken: a falling two-note chime, longer than a tick so it cannot be mistaken for one.
    Shutter,
}

/// The countdown tick's pitch.
pub const TICK_HZ: f32 = 880.0;
/// The countdown tick's length in milliseconds.
pub const TICK_MS: u32 = 120;
/// The shutter chime's first and second pitch.
pub const SHUTTER_HZ: [f32; 2] = [1320.0, 660.0];
/// The length of each of the shutter chime's two notes in milliseconds.
pub const SHUTTER_NOTE_MS: u32 = 110;
/// The fade at both ends of every note, in milliseconds.
pub const FADE_MS: u32 = 10;
/// The loudest sample of a cue at full volume (headroom below 1.0 against clipping).
pub const PEAK: f32 = 0.8;

impl Cue {
    /// The cue's samples, one channel, at `sample_rate`, at full volume.
    pub fn samples(self, sample_rate: u32) -> Vec<f32> {
        match self {
            Cue::CountdownTick => tone(TICK_HZ, TICK_MS, sample_rate),
            Cue::Shutter => SHUTTER_HZ
                .iter()
                .flat_map(|&hz| tone(hz, SHUTTER_NOTE_MS, sample_rate))
                .collect(),
        }
    }
}

/// A sine at `hz` lasting `ms`, faded in and out over [`FADE_MS`].
fn tone(hz: f32, ms: u32, sample_rate: u32) -> Vec<f32> {
    let len = (u64::from(sample_rate) * u64::from(ms) / 1000) as usize;
    let fade =
        ((u64::from(sample_rate) * u64::from(FADE_MS) / 1000) as usize).clamp(1, len / 2 + 1);
    let rate = sample_rate as f32;
    (0..len)
        .map(|i| {
            let from_edge = i.min(len - 1 - i);
            let envelope = if from_edge < fade {
                0.5 - 0.5 * (PI * from_edge as f32 / fade as f32).cos()
            } else {
                1.0
            };
            PEAK * envelope * (2.0 * PI * hz * i as f32 / rate).sin()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zero_crossings(samples: &[f32]) -> usize {
        samples
            .windows(2)
            .filter(|pair| (pair[0] < 0.0) != (pair[1] < 0.0))
            .count()
    }

    #[test]
    fn the_tick_is_880_hz_for_120_ms_at_any_rate() {
        for rate in [44_100, 48_000] {
            let tick = Cue::CountdownTick.samples(rate);
            assert_eq!(
                tick.len(),
                rate as usize * 120 / 1000,
                "length at {rate} Hz"
            );
            // A sine crosses zero twice a period: 880 Hz for 0.12 s is 105.6 periods.
            let crossings = zero_crossings(&tick);
            let expected = 2.0 * 880.0 * 0.12;
            assert!(
                (crossings as f32 - expected).abs() <= 2.0,
                "{crossings} zero crossings at {rate} Hz, expected about {expected}"
            );
        }
    }

    #[test]
    fn every_cue_starts_and_ends_near_silence_and_never_clips() {
        for cue in [Cue::CountdownTick, Cue::Shutter] {
            let samples = cue.samples(48_000);
            let edge = 24; // half a millisecond
            for s in samples[..edge]
                .iter()
                .chain(&samples[samples.len() - edge..])
            {
                assert!(s.abs() < 0.01, "{cue:?} clicks at an edge: {s}");
            }
            let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
            assert!(peak > 0.7 && peak <= PEAK, "{cue:?} peak {peak}");
        }
    }

    #[test]
    fn the_shutter_is_longer_than_a_tick_and_falls_in_pitch() {
        let rate = 48_000;
        let shutter = Cue::Shutter.samples(rate);
        let tick = Cue::CountdownTick.samples(rate);
        assert!(shutter.len() > tick.len());
        let half = shutter.len() / 2;
        let (high, low) = (
            zero_crossings(&shutter[..half]),
            zero_crossings(&shutter[half..]),
        );
        assert!(
            high > low * 3 / 2,
            "first note {high} crossings, second {low}: the chime should fall an octave"
        );
    }
}
