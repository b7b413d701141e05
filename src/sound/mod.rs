//! The kiosk's speaker: short cues (the photo countdown's beat and the shutter) and the voice that speaks
//! the screens, in one queue of sounds.
//!
//! Screens hold an `Arc<dyn Sound>` ([`SharedSound`]): the real output ([`start`], a named thread with the
//! ALSA device), a [`SilentSound`] when the kiosk has no speaker, or a [`RecordingSound`] in tests. A missing
//! or failing speaker never stops the kiosk: it stays silent and says so once in the log and in `doctor`.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

mod cue;
#[cfg(feature = "sound")]
mod output;
mod playback;
mod recording;
pub mod voice;

pub use cue::{Cue, FADE_MS, PEAK, SHUTTER_HZ, SHUTTER_NOTE_MS, TICK_HZ, TICK_MS};
#[cfg(feature = "sound")]
pub use output::DeviceSound;
pub use playback::{Playback, Start};
pub use recording::{RecordingSound, SilentSound, SoundEvent};
pub use voice::Clip;

/// Something that makes the kiosk's sounds.
pub trait Sound: Send + Sync + std::fmt::Debug {
    /// Plays `cue` without waiting for it: it cuts whatever cue is playing.
    fn play(&self, cue: Cue);
    /// Silences at once everything playing or waiting (the page changed), speech included.
    fn stop(&self);
    /// Speaks `clips` one after the other, after whatever plays or waits now, without waiting for them
    /// (decoded on the sound thread). A clip whose file is missing is skipped (logged once).
    fn speak(&self, clips: Vec<Clip>);
    /// Sets the loudness in percent (0-100) from the next sample on.
    fn set_volume(&self, percent: u8);
    /// The loudness in percent.
    fn volume(&self) -> u8;
    /// Whether a speaker plays these sounds (false for the silent stand-in of a kiosk without one).
    fn has_speaker(&self) -> bool {
        true
    }
}

/// The sound the screens share; silent unless the kiosk was given a speaker.
#[derive(Debug, Clone)]
pub struct SharedSound(pub Arc<dyn Sound>);

impl Default for SharedSound {
    fn default() -> Self {
        SharedSound(Arc::new(SilentSound))
    }
}

impl std::ops::Deref for SharedSound {
    type Target = dyn Sound;

    fn deref(&self) -> &Self::Target {
        self.0.as_ref()
    }
}

/// `[sound]` in `kiosk.toml`: the speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SoundConfig {
    /// Whether the kiosk makes sounds at all (the countdown beats). Default `true`.
    pub enabled: bool,
    /// The ALSA output device: "default", or a name from `aplay -L` such as "plughw:CARD=PCH,DEV=0"
    /// ("null" plays into nothing). Default "default".
    pub device: String,
    /// Loudness in percent, 0-100, at start and at the start of every participant session. Default 80.
    pub volume: u8,
    /// The folder of voice clips (`<lang>/<message-id>.ogg`, made by `tools/make-voice`). Default: the
    /// installed `<prefix>/share/lapak-kiosk/voice` beside `<prefix>/bin/lapak-kiosk` when it exists (the
    /// package's `/usr/share/lapak-kiosk/voice`), else the `assets/voice` folder of the source the kiosk was
    /// built from.
    pub voice: PathBuf,
}

impl Default for SoundConfig {
    fn default() -> Self {
        SoundConfig {
            enabled: true,
            device: "default".to_owned(),
            volume: 80,
            voice: voice::default_voice(),
        }
    }
}

/// A `[sound]` setting that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {reason}")]
pub struct SoundConfigError {
    /// The key, dotted (`sound.volume`).
    pub key: &'static str,
    /// Why, and what would be right.
    pub reason: String,
}

impl SoundConfig {
    /// Checks the settings; the error names the key.
    pub fn validate(&self) -> Result<(), SoundConfigError> {
        if self.volume > 100 {
            return Err(SoundConfigError {
                key: "sound.volume",
                reason: format!("{} is not a percentage: use 0 to 100", self.volume),
            });
        }
        if self.device.trim().is_empty() {
            return Err(SoundConfigError {
                key: "sound.device",
                reason: "must not be empty: use \"default\" or a name from `aplay -L`".to_owned(),
            });
        }
        Ok(())
    }
}

/// The speaker could not be opened or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sound device `{device}`: {reason}")]
pub struct SoundError {
    /// The configured device name.
    pub device: String,
    /// What went wrong.
    pub reason: String,
}

/// The device and the format it plays, for `doctor` and the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputInfo {
    /// The configured device name.
    pub device: String,
    /// Samples per second.
    pub sample_rate: u32,
    /// Channels.
    pub channels: u16,
    /// The sample format, e.g. `f32` or `i16`.
    pub sample_format: String,
}

impl std::fmt::Display for OutputInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} Hz, {} ch, {}",
            self.device, self.sample_rate, self.channels, self.sample_format
        )
    }
}

/// The kiosk's sound for `config`: the real speaker, or silence when sound is disabled or the device does
/// not open (then ONE warning is logged and the kiosk carries on).
pub fn start(config: &SoundConfig) -> SharedSound {
    if !config.enabled {
        tracing::info!("sound disabled in the configuration: the kiosk is silent");
        return SharedSound::default();
    }
    match open(config) {
        Ok(sound) => sound,
        Err(e) => {
            tracing::warn!(error = %e, "no sound output: the kiosk stays silent");
            SharedSound::default()
        }
    }
}

#[cfg(feature = "sound")]
fn open(config: &SoundConfig) -> Result<SharedSound, SoundError> {
    let sound = DeviceSound::open(config)?;
    tracing::info!(output = %sound.info(), "sound output open");
    Ok(SharedSound(Arc::new(sound)))
}

#[cfg(not(feature = "sound"))]
fn open(config: &SoundConfig) -> Result<SharedSound, SoundError> {
    Err(probe(config).err().unwrap_or_else(|| SoundError {
        device: config.device.clone(),
        reason: "this build has no sound support".to_owned(),
    }))
}

/// Opens the configured device without playing anything and tells what it plays (for `doctor`).
#[cfg(feature = "sound")]
pub fn probe(config: &SoundConfig) -> Result<OutputInfo, SoundError> {
    output::probe(config)
}

/// Opens the configured device without playing anything and tells what it plays (for `doctor`).
#[cfg(not(feature = "sound"))]
pub fn probe(config: &SoundConfig) -> Result<OutputInfo, SoundError> {
    Err(SoundError {
        device: config.device.clone(),
        reason: "this build has no sound support (built without the `sound` feature)".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_section_gives_the_defaults() {
        let config: SoundConfig = toml::from_str("").expect("parse");
        assert_eq!(config, SoundConfig::default());
        assert_eq!(
            (config.enabled, config.device.as_str(), config.volume),
            (true, "default", 80)
        );
        assert!(config.voice.join("id/ui-home-welcome.ogg").is_file());
        assert!(config.validate().is_ok());
    }

    #[test]
    fn a_volume_above_100_is_refused_naming_the_key() {
        let config: SoundConfig = toml::from_str("volume = 101").expect("parse");
        let e = config.validate().expect_err("101 % refused");
        assert_eq!(e.key, "sound.volume");
        assert!(e.to_string().contains("0 to 100"), "{e}");
    }

    #[test]
    fn an_empty_device_name_is_refused_naming_the_key() {
        let config: SoundConfig = toml::from_str("device = \" \"").expect("parse");
        assert_eq!(config.validate().expect_err("refused").key, "sound.device");
    }

    #[test]
    fn a_disabled_speaker_gives_the_silent_sound_without_opening_a_device() {
        let sound = start(&SoundConfig {
            enabled: false,
            // A device that does not exist: opening it would fail, so a silent result proves it was not tried.
            device: "no-such-device".to_owned(),
            volume: 80,
            voice: PathBuf::from("/nonexistent"),
        });
        assert_eq!(format!("{:?}", sound.0), "SilentSound");
    }
}
