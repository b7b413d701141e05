//! The real speaker: an ALSA device through cpal, owned by the `sound` worker thread.
//!
//! The device's callback drains the shared [`Playback`] queue; the thread turns cues into samples at the
//! device's rate and queues them, and decodes voice clips (Ogg Vorbis) and queues them after what plays.
//! `play` and `speak` only send a command; `stop` empties the queue from the caller's thread, so the next
//! buffer the device pulls is already silence.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, SampleFormat, SizedSample};

use super::voice::{self, Clip};
use super::{Cue, OutputInfo, Playback, Sound, SoundConfig, SoundError, Start};
use crate::worker::{Inbox, Next, Worker};

/// How long opening the device may take before the kiosk gives up and stays silent.
const OPEN_TIMEOUT: Duration = Duration::from_secs(5);

enum Command {
    Play { cue: Cue, generation: u64 },
    Speak { clips: Vec<Clip>, generation: u64 },
}

/// The speaker, playing on its own thread.
pub struct DeviceSound {
    worker: Worker<Command>,
    playback: Arc<Playback>,
    info: OutputInfo,
}

impl std::fmt::Debug for DeviceSound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceSound")
            .field("output", &self.info.to_string())
            .field("worker", &self.worker)
            .finish()
    }
}

impl DeviceSound {
    /// Opens `config.device` and starts its stream (silence until a cue is played).
    pub fn open(config: &SoundConfig) -> Result<DeviceSound, SoundError> {
        let playback = Playback::new(config.volume);
        let (opened, outcome) = mpsc::sync_channel(1);
        let device = config.device.clone();
        let voice = config.voice.clone();
        let for_thread = Arc::clone(&playback);
        let worker = Worker::spawn("sound", move |inbox| {
            let playback = for_thread;
            let stream = match open_stream(&device, &playback) {
                Ok((stream, info)) => {
                    let _ = opened.send(Ok(info.clone()));
                    (stream, info)
                }
                Err(e) => {
                    let _ = opened.send(Err(e));
                    return;
                }
            };
            run(inbox, &playback, stream.1.sample_rate, &voice);
            drop(stream);
        })
        .map_err(|e| {
            error(
                &config.device,
                format!("cannot start the sound thread: {e}"),
            )
        })?;
        let info = match outcome.recv_timeout(OPEN_TIMEOUT) {
            Ok(result) => result?,
            Err(_) => {
                return Err(error(
                    &config.device,
                    "the device did not open within 5 s".to_owned(),
                ));
            }
        };
        Ok(DeviceSound {
            worker,
            playback,
            info,
        })
    }

    /// The device and the format it plays.
    pub fn info(&self) -> &OutputInfo {
        &self.info
    }

    /// Frames of cue sound the device has pulled so far (silence not counted): proof that sound went out.
    pub fn sound_frames(&self) -> u64 {
        self.playback.sound_frames()
    }

    /// Frames the device has pulled so far, sound and silence: proof that the stream runs.
    pub fn pulled_frames(&self) -> u64 {
        self.playback.pulled_frames()
    }

    /// Whether nothing is playing or waiting.
    pub fn is_idle(&self) -> bool {
        self.playback.is_idle()
    }
}

impl Sound for DeviceSound {
    fn play(&self, cue: Cue) {
        let generation = self.playback.generation();
        let _ = self.worker.send(Command::Play { cue, generation });
    }

    fn speak(&self, clips: Vec<Clip>) {
        let generation = self.playback.generation();
        let _ = self.worker.send(Command::Speak { clips, generation });
    }

    fn set_volume(&self, percent: u8) {
        self.playback.set_volume(percent);
    }

    fn volume(&self) -> u8 {
        self.playback.volume()
    }

    fn stop(&self) {
        // Cues still on their way to the thread belong to the old page: the new generation drops them.
        self.playback.stop();
    }
}

/// Opens the device without playing anything and tells what it plays.
pub fn probe(config: &SoundConfig) -> Result<OutputInfo, SoundError> {
    DeviceSound::open(config).map(|sound| sound.info.clone())
}

fn run(mut inbox: Inbox<Command>, playback: &Playback, rate: u32, voice: &Path) {
    let tick = Cue::CountdownTick.samples(rate);
    let shutter = Cue::Shutter.samples(rate);
    let mut reported: HashSet<PathBuf> = HashSet::new();
    loop {
        match inbox.wait(Duration::from_secs(1)) {
            Next::Command(Command::Play {
                cue,
                generation: asked_in,
            }) => {
                let samples = match cue {
                    Cue::CountdownTick => tick.clone(),
                    Cue::Shutter => shutter.clone(),
                };
                playback.push_if_current(asked_in, samples, Start::Now);
            }
            Next::Command(Command::Speak {
                clips,
                generation: asked_in,
            }) => {
                for clip in clips {
                    // A stop came while decoding: the rest of the sentence belongs to the old page.
                    if playback.generation() != asked_in {
                        break;
                    }
                    let Some(samples) = clip_samples(&clip, voice, rate, &mut reported) else {
                        continue;
                    };
                    playback.push_if_current(asked_in, samples, Start::AfterQueue);
                }
            }
            Next::Idle => {}
            Next::Stop => break,
        }
    }
}

/// The clip's samples at the device's `rate`; `None` (logged once per clip, naming only the message id's file)
/// when it is missing or broken: the kiosk then carries on without that sentence.
fn clip_samples(
    clip: &Clip,
    voice: &Path,
    rate: u32,
    reported: &mut HashSet<PathBuf>,
) -> Option<Vec<f32>> {
    let path = clip.path(voice);
    match voice::decode(&path) {
        Ok(decoded) => Some(voice::resample(&decoded.samples, decoded.sample_rate, rate)),
        Err(e) => {
            if reported.insert(path) {
                tracing::warn!(error = %e, "a voice clip cannot be played: that sentence stays silent");
            }
            None
        }
    }
}

fn error(device: &str, reason: String) -> SoundError {
    SoundError {
        device: device.to_owned(),
        reason,
    }
}

fn open_stream(
    name: &str,
    playback: &Arc<Playback>,
) -> Result<(cpal::Stream, OutputInfo), SoundError> {
    let host = cpal::default_host();
    let device = if name == "default" {
        host.default_output_device()
    } else {
        host.device_by_id(&cpal::DeviceId::new(host.id(), name))
    }
    .ok_or_else(|| {
        error(
            name,
            "no such output device (see `aplay -L` for the names)".to_owned(),
        )
    })?;
    let supported = device
        .default_output_config()
        .map_err(|e| error(name, format!("no output format: {e}")))?;
    let format = supported.sample_format();
    let config = supported.config();
    let info = OutputInfo {
        device: name.to_owned(),
        sample_rate: config.sample_rate,
        channels: config.channels,
        sample_format: format.to_string(),
    };
    let stream = match format {
        SampleFormat::F32 => build::<f32>(&device, &config, playback, name),
        SampleFormat::I16 => build::<i16>(&device, &config, playback, name),
        SampleFormat::I32 => build::<i32>(&device, &config, playback, name),
        SampleFormat::U8 => build::<u8>(&device, &config, playback, name),
        SampleFormat::U16 => build::<u16>(&device, &config, playback, name),
        other => Err(error(name, format!("unsupported sample format {other}"))),
    }?;
    stream
        .play()
        .map_err(|e| error(name, format!("cannot start playing: {e}")))?;
    Ok((stream, info))
}

fn build<T>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    playback: &Arc<Playback>,
    name: &str,
) -> Result<cpal::Stream, SoundError>
where
    T: SizedSample + FromSample<f32>,
{
    let channels = usize::from(config.channels);
    let playback = Arc::clone(playback);
    let mut scratch: Vec<f32> = Vec::new();
    let warned = AtomicBool::new(false);
    device
        .build_output_stream(
            *config,
            move |out: &mut [T], _| {
                scratch.clear();
                scratch.resize(out.len(), 0.0);
                playback.fill(&mut scratch, channels);
                for (slot, &sample) in out.iter_mut().zip(&scratch) {
                    *slot = T::from_sample(sample);
                }
            },
            move |e| {
                if !warned.swap(true, Ordering::Relaxed) {
                    tracing::warn!(error = %e, "sound output failed: cues may be silent");
                }
            },
            None,
        )
        .map_err(|e| error(name, format!("cannot open a stream: {e}")))
}
