//! `doctor`'s sound line: the speaker and the voice clips.

use super::{Check, Verdict};

/// The speaker and the voice clips: a warning, never a fault (without them the screens are only seen, not
/// heard).
pub(super) fn check_sound(config: &crate::sound::SoundConfig) -> Check {
    if !config.enabled {
        return Check::new(
            "sound",
            Verdict::Warning,
            "disabled in the configuration: the photo countdown is silent",
            "",
        );
    }
    let voice = crate::sound::voice::survey(&config.voice);
    let clips = voice
        .clips
        .iter()
        .map(|(language, count)| format!("{count} {}", language.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let voice_fix = "run tools/make-voice, or set [sound] voice to the folder of the voice clips";
    match crate::sound::probe(config) {
        Ok(info) if voice.clips.iter().any(|(_, count)| *count == 0) => Check::new(
            "sound",
            Verdict::Warning,
            format!(
                "{info}; voice clips missing in {} ({clips}): the screens are not spoken",
                config.voice.display()
            ),
            voice_fix,
        ),
        Ok(info) => match voice.broken {
            Some(broken) => Check::new(
                "sound",
                Verdict::Warning,
                format!("{info}; voice clips {clips}, but {broken}"),
                voice_fix,
            ),
            None => Check::new(
                "sound",
                Verdict::Ok,
                format!(
                    "{info}; voice clips {clips}, all playable ({})",
                    config.voice.display()
                ),
                "",
            ),
        },
        Err(e) => Check::new(
            "sound",
            Verdict::Warning,
            format!("no output device ({e}): the kiosk runs silent"),
            "check the speaker is plugged in and powered, and that `aplay -L` lists the [sound] device name",
        ),
    }
}
