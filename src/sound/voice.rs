//! The kiosk's voice: one Ogg Vorbis clip per spoken message and language, `<voice>/<lang>/<message-id>.ogg`,
//! made by `tools/make-voice` (or recorded by a person), decoded here in pure Rust on the sound thread.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use lewton::inside_ogg::OggStreamReader;

use crate::i18n::Language;

/// The voice folder of the source tree the kiosk was built from (`assets/voice`): the default of
/// `[sound] voice` for a kiosk run from its source tree.
pub const BUILT_IN_VOICE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/voice");

/// Where an installed kiosk's voice folder lies, relative to the installation prefix of its program:
/// `<prefix>/bin/lapak-kiosk` finds `<prefix>/share/lapak-kiosk/voice` (the Debian package installs
/// `/usr/bin/lapak-kiosk` and `/usr/share/lapak-kiosk/voice`).
pub const INSTALLED_VOICE: &str = "share/lapak-kiosk/voice";

/// The installed voice folder beside the program `executable` (`<prefix>/bin/…` →
/// `<prefix>/share/lapak-kiosk/voice`), if that folder exists.
pub fn installed_voice(executable: &Path) -> Option<PathBuf> {
    let prefix = executable.parent()?.parent()?;
    let voice = prefix.join(INSTALLED_VOICE);
    voice.is_dir().then_some(voice)
}

/// The default of `[sound] voice`: the installed folder beside the running program when there is one
/// ([`installed_voice`]), else the source tree's [`BUILT_IN_VOICE`].
pub fn default_voice() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|executable| installed_voice(&executable))
        .unwrap_or_else(|| PathBuf::from(BUILT_IN_VOICE))
}

/// One clip to speak: a message id in a language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Clip {
    /// The language the clip speaks.
    pub language: Language,
    /// The Fluent message id the clip says (or a digit's `voice-digit-N`).
    pub id: String,
}

impl Clip {
    /// The clip saying message `id` in `language`.
    pub fn new(language: Language, id: impl Into<String>) -> Clip {
        Clip {
            language,
            id: id.into(),
        }
    }

    /// The clips reading `text`'s digits one by one (other characters are skipped).
    pub fn digits(language: Language, text: &str) -> Vec<Clip> {
        text.chars()
            .filter_map(|c| c.to_digit(10))
            .map(|digit| Clip::new(language, format!("voice-digit-{digit}")))
            .collect()
    }

    /// The clip's file under the voice folder `voice`.
    pub fn path(&self, voice: &Path) -> PathBuf {
        voice
            .join(self.language.code())
            .join(format!("{}.ogg", self.id))
    }
}

/// A clip that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("voice clip {path}: {reason}")]
pub struct VoiceError {
    /// The clip's file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub reason: String,
}

/// A decoded clip: mono samples and their rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// Mono samples in -1..1.
    pub samples: Vec<f32>,
    /// Samples per second.
    pub sample_rate: u32,
}

/// Decodes the Ogg Vorbis clip at `path` to mono samples (channels are averaged).
pub fn decode(path: &Path) -> Result<Decoded, VoiceError> {
    let fail = |reason: String| VoiceError {
        path: path.to_owned(),
        reason,
    };
    let file = File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut reader = OggStreamReader::new(BufReader::new(file))
        .map_err(|e| fail(format!("not Ogg Vorbis: {e}")))?;
    let channels = usize::from(reader.ident_hdr.audio_channels.max(1));
    let sample_rate = reader.ident_hdr.audio_sample_rate;
    let mut samples = Vec::new();
    while let Some(packet) = reader
        .read_dec_packet_itl()
        .map_err(|e| fail(format!("cannot decode: {e}")))?
    {
        samples.extend(packet.chunks(channels).map(|frame| {
            frame.iter().map(|&s| f32::from(s)).sum::<f32>() / (32768.0 * frame.len() as f32)
        }));
    }
    Ok(Decoded {
        samples,
        sample_rate,
    })
}

/// `samples` at `from` Hz played at `to` Hz (linear interpolation; the same samples when the rates match).
pub fn resample(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || samples.is_empty() || from == 0 || to == 0 {
        return samples.to_vec();
    }
    let len = (samples.len() as u64 * u64::from(to) / u64::from(from)) as usize;
    let step = f64::from(from) / f64::from(to);
    (0..len)
        .map(|i| {
            let at = i as f64 * step;
            let index = at as usize;
            let next = samples.get(index + 1).copied().unwrap_or(samples[index]);
            let fraction = (at - index as f64) as f32;
            samples[index] * (1.0 - fraction) + next * fraction
        })
        .collect()
}

/// The clips in the voice folder `voice`, per language, and the first that does not decode (for `doctor`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceSurvey {
    /// Clips found per language, in [`Language::ALL`]'s order.
    pub clips: Vec<(Language, usize)>,
    /// A clip that did not decode, with why (every clip is decoded).
    pub broken: Option<String>,
}

/// Counts and decodes every clip under `voice`.
pub fn survey(voice: &Path) -> VoiceSurvey {
    let mut broken = None;
    let clips = Language::ALL
        .iter()
        .map(|&language| {
            let mut count = 0;
            if let Ok(entries) = std::fs::read_dir(voice.join(language.code())) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.extension().is_some_and(|e| e == "ogg") {
                        count += 1;
                        if broken.is_none()
                            && let Err(e) = decode(&path)
                        {
                            broken = Some(e.to_string());
                        }
                    }
                }
            }
            (language, count)
        })
        .collect();
    VoiceSurvey { clips, broken }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_finds_the_voice_folder_under_its_prefix_share_and_none_when_it_is_missing_there() {
        let prefix = tempfile::tempdir().expect("temporary prefix");
        let program = prefix.path().join("bin").join("lapak-kiosk");
        std::fs::create_dir_all(prefix.path().join("bin")).expect("bin folder");
        std::fs::write(&program, b"").expect("program file");
        assert_eq!(installed_voice(&program), None);
        let voice = prefix.path().join("share/lapak-kiosk/voice");
        std::fs::create_dir_all(&voice).expect("voice folder");
        assert_eq!(installed_voice(&program), Some(voice));
        let built = prefix
            .path()
            .join("target")
            .join("debug")
            .join("lapak-kiosk");
        assert_eq!(installed_voice(&built), None);
    }

    #[test]
    fn a_reference_is_read_as_one_digit_clip_per_digit() {
        let clips = Clip::digits(Language::Id, "0001 200-9");
        let ids: Vec<&str> = clips.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "voice-digit-0",
                "voice-digit-0",
                "voice-digit-0",
                "voice-digit-1",
                "voice-digit-2",
                "voice-digit-0",
                "voice-digit-0",
                "voice-digit-9"
            ]
        );
    }

    #[test]
    fn a_clip_lives_under_its_language_folder() {
        let clip = Clip::new(Language::En, "ui-home-welcome");
        assert_eq!(
            clip.path(Path::new("/v")),
            Path::new("/v/en/ui-home-welcome.ogg")
        );
    }

    #[test]
    fn resampling_keeps_the_length_in_time_and_interpolates() {
        let up = resample(&[0.0, 1.0], 1, 2);
        assert_eq!(up, [0.0, 0.5, 1.0, 1.0]);
        assert_eq!(resample(&[0.5; 160], 16_000, 48_000).len(), 480);
    }

    #[test]
    fn the_shipped_welcome_clip_decodes_to_about_a_second_of_16_khz_speech() {
        let clip = Clip::new(Language::Id, "ui-home-welcome").path(Path::new(BUILT_IN_VOICE));
        let decoded = decode(&clip).expect("the shipped clip decodes");
        assert_eq!(decoded.sample_rate, 16_000);
        assert!(decoded.samples.len() > 8_000, "{}", decoded.samples.len());
        assert!(
            decoded.samples.iter().any(|s| s.abs() > 0.05),
            "it is not silence"
        );
    }

    #[test]
    fn a_file_that_is_not_ogg_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("bad.ogg");
        std::fs::write(&path, b"not audio").expect("write");
        let e = decode(&path).expect_err("refused");
        assert!(e.to_string().contains("bad.ogg"), "{e}");
    }
}
