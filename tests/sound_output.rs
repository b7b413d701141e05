//! The real speaker path on ALSA: cpal opens the `null` device (present in every libasound2 configuration),
//! and the device callback pulls the cue's frames; ALSA's `file` plugin records what reached ALSA, which is
//! read back and checked for the tone; a device that does not exist leaves the kiosk silent with one warning.
#![cfg(feature = "sound")]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use std::path::Path;

use lapak_kiosk::i18n::Language;
use lapak_kiosk::sound::{self, Clip, Cue, DeviceSound, Sound, SoundConfig, voice};

fn config(device: &str) -> SoundConfig {
    SoundConfig {
        enabled: true,
        device: device.to_owned(),
        volume: 100,
        ..SoundConfig::default()
    }
}

/// Waits (at most 5 s) until `done` holds.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_tick_on_the_null_device_is_pulled_whole_by_the_device_callback() {
    let sound = DeviceSound::open(&config("null")).expect("ALSA's null device opens");
    let info = sound.info().clone();
    assert_eq!(info.device, "null");
    assert!(info.sample_rate >= 8000 && info.channels >= 1, "{info}");
    wait_until("the stream runs", || sound.pulled_frames() > 0);
    assert_eq!(sound.sound_frames(), 0, "nothing played yet");

    sound.play(Cue::CountdownTick);
    let tick_frames = Cue::CountdownTick.samples(info.sample_rate).len() as u64;
    wait_until("the whole tick was pulled", || {
        sound.sound_frames() >= tick_frames
    });
    wait_until("the queue is empty", || sound.is_idle());
    assert_eq!(
        sound.sound_frames(),
        tick_frames,
        "exactly one tick's frames went to the device"
    );
}

/// Stopping mid-cue is checked frame by frame in `sound::playback`'s unit tests: the null device pulls far
/// faster than real time (a whole cue usually goes in one callback), so here the device proves the other half
/// of `stop`: nothing asked for before it sounds after it.
#[test]
fn stop_drops_every_cue_sent_before_it_even_those_still_on_their_way() {
    let sound = DeviceSound::open(&config("null")).expect("ALSA's null device opens");
    let rate = sound.info().sample_rate;
    for round in 0..20 {
        // Fifty cues at once: the sound thread is still turning some into samples when stop comes.
        for _ in 0..50 {
            sound.play(Cue::Shutter);
        }
        sound.stop();
        let after_stop = sound.sound_frames();
        std::thread::sleep(Duration::from_millis(20));
        let pulled = sound.pulled_frames();
        wait_until("the device pulls more frames", || {
            sound.pulled_frames() > pulled + u64::from(rate) / 20
        });
        assert!(sound.is_idle(), "round {round}: stop left sound queued");
        assert_eq!(
            sound.sound_frames(),
            after_stop,
            "round {round}: a cue sent before stop sounded after it"
        );
    }
    // The device still plays what comes after the stop.
    let before = sound.sound_frames();
    sound.play(Cue::CountdownTick);
    wait_until("a tick after the stop sounds", || {
        sound.sound_frames() > before
    });
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_device_that_does_not_exist_leaves_the_kiosk_silent_with_one_warning() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let sound = tracing::subscriber::with_default(subscriber, || {
        sound::start(&config("lapak-no-such-device"))
    });
    // The silent sound takes cues without a device and without blocking.
    sound.play(Cue::CountdownTick);
    sound.stop();
    assert_eq!(format!("{:?}", sound.0), "SilentSound");
    let log = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    let warnings: Vec<&str> = log.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{log}");
    assert!(
        warnings[0].contains("lapak-no-such-device") && warnings[0].contains("silent"),
        "{log}"
    );
}

/// The environment variable that tells the test it is the child that plays into the file plugin.
const TAP_CHILD: &str = "LAPAK_SOUND_TAP_CHILD";

/// Decodes signed 16-bit little-endian samples.
fn s16(bytes: &[u8]) -> Vec<i16> {
    bytes
        .chunks_exact(2)
        .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
        .collect()
}

#[test]
fn a_tick_reaches_alsa_as_an_880_hz_tone_of_120_ms() {
    if std::env::var_os(TAP_CHILD).is_some() {
        // The child: ALSA reads the configuration below; play one tick into it and let it drain.
        let sound = DeviceSound::open(&config("lapak_tap")).expect("the tap device opens");
        let frames = Cue::CountdownTick.samples(sound.info().sample_rate).len() as u64;
        sound.play(Cue::CountdownTick);
        wait_until("the tick was pulled", || {
            sound.sound_frames() >= frames && sound.is_idle()
        });
        std::thread::sleep(Duration::from_millis(200));
        return;
    }
    let dir = tempfile::tempdir().expect("temp folder");
    let raw = dir.path().join("tap.raw");
    let alsa_conf = dir.path().join("alsa.conf");
    // The system configuration, then a device that converts to 48 kHz mono S16_LE and writes every sample it
    // is given to a file before handing it to `null`.
    std::fs::write(
        &alsa_conf,
        format!(
            "</usr/share/alsa/alsa.conf>\n\
             pcm.lapak_tap_file {{ type file slave.pcm \"null\" file \"{}\" format \"raw\" }}\n\
             pcm.lapak_tap {{ type plug slave {{ pcm \"lapak_tap_file\" format S16_LE rate 48000 channels 1 }}\n\
               hint {{ show on description \"test tap\" }} }}\n",
            raw.display()
        ),
    )
    .expect("write alsa.conf");
    let child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "a_tick_reaches_alsa_as_an_880_hz_tone_of_120_ms",
            "--nocapture",
        ])
        .env(TAP_CHILD, "1")
        .env("ALSA_CONFIG_PATH", &alsa_conf)
        .output()
        .expect("run the child");
    assert!(
        child.status.success(),
        "child failed: {}{}",
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );
    let samples = s16(&std::fs::read(&raw).expect("the file plugin wrote the samples"));
    let loud: Vec<usize> = samples
        .iter()
        .enumerate()
        .filter(|(_, s)| s.unsigned_abs() > 1000)
        .map(|(i, _)| i)
        .collect();
    let (first, last) = (
        *loud.first().expect("a tone reached ALSA, not silence"),
        *loud.last().expect("a tone"),
    );
    let span_ms = (last - first) as f64 * 1000.0 / 48_000.0;
    // The fades make the loud part a little shorter than the 120 ms tick.
    assert!(
        (100.0..=125.0).contains(&span_ms),
        "tone lasted {span_ms} ms"
    );
    let tone = &samples[first..=last];
    let crossings = tone
        .windows(2)
        .filter(|pair| (pair[0] < 0) != (pair[1] < 0))
        .count();
    let hz = crossings as f64 / 2.0 / (tone.len() as f64 / 48_000.0);
    assert!((860.0..=900.0).contains(&hz), "tone at {hz} Hz");
    let peak = tone.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
    // Volume 100 %: the cue's peak of 0.8 of full scale.
    assert!((24_000..=27_000).contains(&peak), "peak {peak}");
}

/// The shipped clip that says "Selamat datang", at the device's `rate`.
fn welcome_at(rate: u32) -> Vec<f32> {
    let clip = Clip::new(Language::Id, "ui-home-welcome").path(Path::new(voice::BUILT_IN_VOICE));
    let decoded = voice::decode(&clip).expect("the shipped clip decodes");
    voice::resample(&decoded.samples, decoded.sample_rate, rate)
}

#[test]
fn a_spoken_clip_on_the_null_device_is_pulled_whole_and_a_missing_clip_is_skipped() {
    let sound = DeviceSound::open(&config("null")).expect("ALSA's null device opens");
    wait_until("the stream runs", || sound.pulled_frames() > 0);
    let frames = welcome_at(sound.info().sample_rate).len() as u64;
    assert!(frames > 0);
    sound.speak(vec![
        Clip::new(Language::Id, "no-such-message"),
        Clip::new(Language::Id, "ui-home-welcome"),
    ]);
    wait_until("the whole clip was pulled", || {
        sound.sound_frames() >= frames && sound.is_idle()
    });
    assert_eq!(
        sound.sound_frames(),
        frames,
        "exactly the one clip that exists"
    );
    // Speech is silenced by stop like any cue.
    sound.speak(vec![Clip::new(Language::Id, "ui-home-welcome"); 20]);
    sound.stop();
    let after_stop = sound.sound_frames();
    std::thread::sleep(Duration::from_millis(300));
    assert!(sound.is_idle());
    assert_eq!(
        sound.sound_frames(),
        after_stop,
        "speech sounded after stop"
    );
}

#[test]
fn a_spoken_clip_reaches_alsa_as_speech_as_long_as_the_clip_at_the_set_volume() {
    const CHILD: &str = "LAPAK_SOUND_SPEECH_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let sound = DeviceSound::open(&config("lapak_tap")).expect("the tap device opens");
        sound.set_volume(50);
        let frames = welcome_at(sound.info().sample_rate).len() as u64;
        sound.speak(vec![Clip::new(Language::Id, "ui-home-welcome")]);
        wait_until("the clip was pulled", || {
            sound.sound_frames() >= frames && sound.is_idle()
        });
        std::thread::sleep(Duration::from_millis(200));
        return;
    }
    let dir = tempfile::tempdir().expect("temp folder");
    let raw = dir.path().join("tap.raw");
    let alsa_conf = dir.path().join("alsa.conf");
    std::fs::write(
        &alsa_conf,
        format!(
            "</usr/share/alsa/alsa.conf>\n\
             pcm.lapak_tap_file {{ type file slave.pcm \"null\" file \"{}\" format \"raw\" }}\n\
             pcm.lapak_tap {{ type plug slave {{ pcm \"lapak_tap_file\" format S16_LE rate 48000 channels 1 }}\n\
               hint {{ show on description \"test tap\" }} }}\n",
            raw.display()
        ),
    )
    .expect("write alsa.conf");
    let child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "a_spoken_clip_reaches_alsa_as_speech_as_long_as_the_clip_at_the_set_volume",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .env("ALSA_CONFIG_PATH", &alsa_conf)
        .output()
        .expect("run the child");
    assert!(
        child.status.success(),
        "child failed: {}{}",
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );
    let samples = s16(&std::fs::read(&raw).expect("the file plugin wrote the samples"));
    let clip = welcome_at(48_000);
    let clip_peak = clip.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    let loud: Vec<usize> = samples
        .iter()
        .enumerate()
        .filter(|(_, s)| s.unsigned_abs() > 300)
        .map(|(i, _)| i)
        .collect();
    let (first, last) = (
        *loud.first().expect("speech reached ALSA, not silence"),
        *loud.last().expect("speech"),
    );
    let span = (last - first) as f64 / 48_000.0;
    let length = clip.len() as f64 / 48_000.0;
    assert!(
        span > length * 0.5 && span <= length,
        "{span} s of sound for a {length} s clip"
    );
    // Volume 50 %: the loudest sample is half the clip's own.
    let peak = f32::from(samples.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0)) / 32768.0;
    assert!(
        (peak - clip_peak * 0.5).abs() < 0.03,
        "peak {peak}, clip peak {clip_peak}"
    );
}
