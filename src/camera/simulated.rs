//! The simulated camera: a moving test pattern, or a still scene (the sample card on a desk, a face in
//! the guide oval, any picture) with small synthetic motion and noise. Like a webcam it sends MJPEG: the
//! few distinct frames of its cycle are encoded once, when the scene is rendered, so the simulator costs
//! almost nothing per frame and the kiosk's own path (decoding included) is what runs. A
//! [`SimulatedControl`] lets tests (and demos) make it stall, fail or vanish, and come back.

use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use bytes::Bytes;
use image::imageops::{self, FilterType};
use image::{Rgb, RgbImage};

use crate::claim::DocumentKind;

use super::config::SimulatedScene;
use super::demo_cards::demo_card_scene;
use super::error::CameraError;
use super::frame::SourceFrame;
use super::guide::GuideBox;
use super::mjpeg::JpegFrame;
use super::pipeline::encode_jpeg;
use super::sample_card::{render_card, render_desk};
use super::source::{FrameSource, SourceInfo};

/// The face photo shown by the face scene (public domain, NASA; see assets/camera/README.md).
const ASTRONAUT_JPEG: &[u8] = include_bytes!("../../assets/camera/astronaut.jpg");
/// Where the face is in `astronaut.jpg` (512x512): centre x, centre y and width, in pixels, as found by
/// the face detector.
const ASTRONAUT_FACE: (f64, f64, f64) = (225.0, 118.0, 98.0);
/// How many differently-noised copies of a still scene are cycled through.
const NOISE_VARIANTS: usize = 2;
/// A hand-held document wobbles by a pixel or two: the offsets a still scene cycles through.
const WOBBLE: [(i32, i32); 8] = [
    (0, 0),
    (1, 0),
    (1, 1),
    (0, 1),
    (-1, 1),
    (-1, 0),
    (-1, -1),
    (0, -1),
];
/// Where the test pattern's bright stripe stands in turn (it sweeps the picture in this many steps).
const PATTERN_STEPS: u32 = 16;
/// JPEG quality of the simulated MJPEG stream (webcams send about this).
const STREAM_QUALITY: u8 = 90;

/// What the next call to `next_frame` (and `open`) does; changed through [`SimulatedControl`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimulatedBehaviour {
    /// Deliver frames at the configured rate.
    Deliver,
    /// Deliver nothing: every wait ends in a timeout (a stalled camera).
    Stall,
    /// Every frame read fails (a camera that errors, e.g. unplugged mid-stream).
    Fail,
    /// Frames fail and so does opening (the camera is unplugged).
    Unplugged,
}

#[derive(Debug)]
struct ControlState {
    behaviour: SimulatedBehaviour,
    opens: u64,
    frames: u64,
    /// Whether the source is open now (a webcam's light would be on).
    open: bool,
    /// The scene asked for by [`SimulatedControl::show`], taken up at the next frame.
    scene: Option<SimulatedScene>,
}

/// Remote control of a [`SimulatedSource`]; cheap to clone, usable from any thread.
#[derive(Debug, Clone)]
pub struct SimulatedControl(Arc<Mutex<ControlState>>);

impl SimulatedControl {
    fn lock(&self) -> MutexGuard<'_, ControlState> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stop delivering frames (reads time out).
    pub fn stall(&self) {
        self.lock().behaviour = SimulatedBehaviour::Stall;
    }

    /// Make every frame read fail.
    pub fn fail(&self) {
        self.lock().behaviour = SimulatedBehaviour::Fail;
    }

    /// Unplug: frame reads and opening fail.
    pub fn unplug(&self) {
        self.lock().behaviour = SimulatedBehaviour::Unplugged;
    }

    /// Deliver frames again (and allow opening).
    pub fn resume(&self) {
        self.lock().behaviour = SimulatedBehaviour::Deliver;
    }

    /// Show another scene from the next frame on (the demo kiosk shows the sample card on document screens
    /// and the face on the selfie screen). Ignored by a source showing a still picture.
    pub fn show(&self, scene: SimulatedScene) {
        self.lock().scene = Some(scene);
    }

    /// The current behaviour.
    pub fn behaviour(&self) -> SimulatedBehaviour {
        self.lock().behaviour
    }

    /// How many times the source was opened successfully.
    pub fn opens(&self) -> u64 {
        self.lock().opens
    }

    /// Whether the source is open now: a real webcam's light would be on.
    pub fn is_open(&self) -> bool {
        self.lock().open
    }

    /// How many frames the source has delivered in all.
    pub fn frames_delivered(&self) -> u64 {
        self.lock().frames
    }
}

fn scene_name(scene: SimulatedScene) -> &'static str {
    match scene {
        SimulatedScene::Pattern => "simulated test pattern",
        SimulatedScene::Card => "simulated sample card",
        SimulatedScene::Face => "simulated face",
        SimulatedScene::Demo(_) => "simulated demo participant's card",
    }
}

/// The frames of the simulated camera's cycle, already encoded; frame `seq` is `frames[seq % len]`.
struct Picture {
    frames: Vec<Bytes>,
}

/// A camera without hardware.
pub struct SimulatedSource {
    name: String,
    scene: Option<SimulatedScene>,
    still: Option<RgbImage>,
    width: u32,
    height: u32,
    fps: u32,
    control: SimulatedControl,
    picture: Option<Picture>,
    is_open: bool,
    seq: u64,
    next_due: Instant,
}

impl SimulatedSource {
    /// A simulated camera showing `scene` at `width` x `height`, `fps` frames per second.
    pub fn new(scene: SimulatedScene, width: u32, height: u32, fps: u32) -> Self {
        Self::build(
            scene_name(scene).to_string(),
            Some(scene),
            None,
            width,
            height,
            fps,
        )
    }

    /// A simulated camera showing a still picture (with slight motion and noise).
    pub fn still(picture: RgbImage, fps: u32) -> Self {
        let (w, h) = picture.dimensions();
        Self::build(
            "simulated still picture".to_string(),
            None,
            Some(picture),
            w,
            h,
            fps,
        )
    }

    fn build(
        name: String,
        scene: Option<SimulatedScene>,
        still: Option<RgbImage>,
        width: u32,
        height: u32,
        fps: u32,
    ) -> Self {
        SimulatedSource {
            name,
            scene,
            still,
            width: width.max(16),
            height: height.max(16),
            fps: fps.max(1),
            control: SimulatedControl(Arc::new(Mutex::new(ControlState {
                behaviour: SimulatedBehaviour::Deliver,
                opens: 0,
                frames: 0,
                open: false,
                scene,
            }))),
            picture: None,
            is_open: false,
            seq: 0,
            next_due: Instant::now(),
        }
    }

    /// The remote control for this source.
    pub fn control(&self) -> SimulatedControl {
        self.control.clone()
    }

    fn interval(&self) -> Duration {
        Duration::from_secs_f64(1.0 / self.fps as f64)
    }

    /// Renders the scene and encodes every frame of its cycle once.
    fn render(&self) -> Result<Picture, CameraError> {
        let (w, h) = (self.width, self.height);
        let still = match (&self.still, self.scene) {
            (Some(picture), _) => picture.clone(),
            (None, Some(SimulatedScene::Card)) => card_scene(w, h),
            (None, Some(SimulatedScene::Face)) => face_scene(w, h)?,
            (None, Some(SimulatedScene::Demo(card))) => demo_card_scene(card, w, h),
            (None, Some(SimulatedScene::Pattern) | None) => {
                let bars = colour_bars(w, h);
                let frames = (0..PATTERN_STEPS)
                    .map(|step| encode(&with_stripe(&bars, w, h, step * w / PATTERN_STEPS), w, h))
                    .collect::<Result<_, _>>()?;
                return Ok(Picture { frames });
            }
        };
        let base = still.into_raw();
        let variants: Vec<Vec<u8>> = (0..NOISE_VARIANTS as u64)
            .map(|v| with_noise(&base, 0x9E37_79B9 ^ v))
            .collect();
        // Frame n shows noise variant n % 2 moved by WOBBLE[n % 8]: eight distinct frames in all.
        let frames = WOBBLE
            .iter()
            .enumerate()
            .map(|(n, &(dx, dy))| {
                encode(&shifted(&variants[n % variants.len()], w, h, dx, dy), w, h)
            })
            .collect::<Result<_, _>>()?;
        Ok(Picture { frames })
    }

    fn make_frame(&self, picture: &Picture) -> Result<SourceFrame, CameraError> {
        let jpeg = picture
            .frames
            .get((self.seq % picture.frames.len().max(1) as u64) as usize)
            .cloned()
            .ok_or_else(|| CameraError::NotRunning("no frames rendered".into()))?;
        Ok(SourceFrame::Jpeg(JpegFrame {
            width: self.width,
            height: self.height,
            jpeg,
            seq: self.seq,
            captured_at: Instant::now(),
        }))
    }
}

/// One frame of the stream as a JPEG.
fn encode(rgb: &[u8], width: u32, height: u32) -> Result<Bytes, CameraError> {
    encode_jpeg(rgb, width, height, STREAM_QUALITY).map(Bytes::from)
}

/// The colour bars with the bright stripe at `x0`.
fn with_stripe(bars: &[u8], width: u32, height: u32, x0: u32) -> Vec<u8> {
    let mut rgb = bars.to_vec();
    let stripe_w = (width / 32).max(2);
    for y in 0..height {
        for x in x0..(x0 + stripe_w).min(width) {
            let i = (y as usize * width as usize + x as usize) * 3;
            rgb[i..i + 3].copy_from_slice(&[250, 250, 250]);
        }
    }
    rgb
}

impl FrameSource for SimulatedSource {
    fn open(&mut self) -> Result<SourceInfo, CameraError> {
        if self.control.behaviour() == SimulatedBehaviour::Unplugged {
            return Err(CameraError::Open {
                device: self.name.clone(),
                reason: "No such file or directory (simulated unplug)".to_string(),
                formats_tried: "none".to_string(),
            });
        }
        if self.picture.is_none() {
            self.picture = Some(self.render()?);
        }
        self.is_open = true;
        self.seq = 0;
        self.next_due = Instant::now();
        let mut control = self.control.lock();
        control.opens += 1;
        control.open = true;
        drop(control);
        Ok(SourceInfo {
            name: self.name.clone(),
            width: self.width,
            height: self.height,
            fps: self.fps,
            format: "MJPEG (simulated)".to_string(),
        })
    }

    fn next_frame(&mut self, wait: Duration) -> Result<SourceFrame, CameraError> {
        if !self.is_open {
            return Err(CameraError::NotRunning(
                "the simulated camera is closed".to_string(),
            ));
        }
        match self.control.behaviour() {
            SimulatedBehaviour::Deliver => {}
            SimulatedBehaviour::Stall => {
                thread::sleep(wait);
                return Err(CameraError::Timeout {
                    waited_ms: wait.as_millis() as u64,
                });
            }
            SimulatedBehaviour::Fail | SimulatedBehaviour::Unplugged => {
                thread::sleep(wait.min(self.interval()));
                return Err(CameraError::Frame(
                    "No such device (simulated failure)".to_string(),
                ));
            }
        }
        let now = Instant::now();
        if self.next_due > now + wait {
            thread::sleep(wait);
            return Err(CameraError::Timeout {
                waited_ms: wait.as_millis() as u64,
            });
        }
        if self.next_due > now {
            thread::sleep(self.next_due - now);
        }
        let interval = self.interval();
        self.next_due = (self.next_due + interval).max(Instant::now());
        let wanted = self.control.lock().scene;
        if self.still.is_none() && wanted.is_some() && wanted != self.scene {
            self.scene = wanted;
            self.name = scene_name(wanted.unwrap_or(SimulatedScene::Pattern)).to_string();
            self.picture = Some(self.render()?);
        }
        let picture = self
            .picture
            .as_ref()
            .ok_or_else(|| CameraError::NotRunning("not rendered".into()))?;
        let frame = self.make_frame(picture)?;
        self.seq += 1;
        self.control.lock().frames += 1;
        Ok(frame)
    }

    fn close(&mut self) {
        self.is_open = false;
        self.control.lock().open = false;
    }
}

/// The sample card on a desk, filling the card guide box of a `width` x `height` frame.
pub fn card_scene(width: u32, height: u32) -> RgbImage {
    let mut scene = render_desk(width, height);
    let rect = GuideBox::for_kind(DocumentKind::Ektp, width, height).to_pixels(width, height);
    let card = render_card(rect.width);
    imageops::replace(&mut scene, &card, rect.x as i64, rect.y as i64);
    scene
}

/// The face photo on a plain wall, scaled and placed so that the face sits in the guide oval.
pub fn face_scene(width: u32, height: u32) -> Result<RgbImage, CameraError> {
    let photo = image::load_from_memory(ASTRONAUT_JPEG)
        .map_err(|e| CameraError::Decode(format!("astronaut.jpg: {e}")))?
        .to_rgb8();
    let mut scene = RgbImage::from_fn(width, height, |x, y| {
        let v = (200 - (y * 30 / height.max(1)) as i32 - (x * 10 / width.max(1)) as i32)
            .clamp(0, 255) as u8;
        Rgb([v, v, v.saturating_sub(8)])
    });
    let oval = GuideBox::for_kind(DocumentKind::Selfie, width, height);
    let (ocx, ocy) = oval.centre();
    // Face about 22 % of the frame width, as a person at arm's length from the kiosk.
    let (face_cx, face_cy, face_w) = ASTRONAUT_FACE;
    let scale = 0.22 * width as f64 / face_w;
    let size = (photo.width() as f64 * scale).round().max(1.0) as u32;
    let scaled = imageops::resize(&photo, size, size, FilterType::Triangle);
    let left = ocx * width as f64 - face_cx * scale;
    let top = ocy * height as f64 - face_cy * scale;
    imageops::replace(&mut scene, &scaled, left.round() as i64, top.round() as i64);
    Ok(scene)
}

fn colour_bars(width: u32, height: u32) -> Vec<u8> {
    const BARS: [[u8; 3]; 8] = [
        [235, 235, 235],
        [235, 235, 16],
        [16, 235, 235],
        [16, 235, 16],
        [235, 16, 235],
        [235, 16, 16],
        [16, 16, 235],
        [16, 16, 16],
    ];
    let mut rgb = Vec::with_capacity(width as usize * height as usize * 3);
    let row: Vec<u8> = (0..width)
        .flat_map(|x| BARS[(x * 8 / width) as usize])
        .collect();
    for _ in 0..height {
        rgb.extend_from_slice(&row);
    }
    rgb
}

/// Adds small sensor-like noise (about ±3 levels) from a xorshift generator.
fn with_noise(base: &[u8], seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    base.iter()
        .map(|&v| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let n = (state % 7) as i16 - 3;
            (v as i16 + n).clamp(0, 255) as u8
        })
        .collect()
}

/// The picture moved by (dx, dy) pixels; the uncovered edge repeats the nearest row or column.
fn shifted(src: &[u8], width: u32, height: u32, dx: i32, dy: i32) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let mut out = vec![0u8; src.len()];
    let shift = dx.unsigned_abs() as usize;
    for y in 0..h {
        let sy = (y as i64 - dy as i64).clamp(0, h as i64 - 1) as usize;
        let src_row = &src[sy * w * 3..(sy + 1) * w * 3];
        let out_row = &mut out[y * w * 3..(y + 1) * w * 3];
        if shift == 0 || shift >= w {
            out_row.copy_from_slice(src_row);
        } else if dx > 0 {
            out_row[shift * 3..].copy_from_slice(&src_row[..(w - shift) * 3]);
            out_row[..shift * 3].copy_from_slice(&src_row[..shift * 3]);
        } else {
            out_row[..(w - shift) * 3].copy_from_slice(&src_row[shift * 3..]);
            out_row[(w - shift) * 3..].copy_from_slice(&src_row[(w - shift) * 3..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::Frame;

    /// The next frame, decoded from its JPEG.
    fn decoded(source: &mut SimulatedSource) -> Frame {
        let frame = source
            .next_frame(Duration::from_millis(100))
            .expect("frame");
        assert!(matches!(frame, SourceFrame::Jpeg(_)), "MJPEG like a webcam");
        frame.decode().expect("a JPEG that decodes")
    }

    #[test]
    fn pattern_moves_and_sequence_counts() {
        let mut source = SimulatedSource::new(SimulatedScene::Pattern, 64, 48, 1000);
        source.open().expect("opens");
        let a = decoded(&mut source);
        let b = decoded(&mut source);
        assert_eq!((a.seq, b.seq), (0, 1));
        assert_ne!(a.rgb, b.rgb, "the stripe moves");
        assert_eq!(source.control().frames_delivered(), 2);
    }

    #[test]
    fn control_stalls_fails_and_unplugs() {
        let mut source = SimulatedSource::new(SimulatedScene::Pattern, 32, 32, 1000);
        let control = source.control();
        source.open().expect("opens");
        control.stall();
        assert!(matches!(
            source.next_frame(Duration::from_millis(5)),
            Err(CameraError::Timeout { .. })
        ));
        control.fail();
        assert!(matches!(
            source.next_frame(Duration::from_millis(5)),
            Err(CameraError::Frame(_))
        ));
        control.unplug();
        source.close();
        assert!(source.open().is_err());
        control.resume();
        assert!(source.open().is_ok());
        assert!(source.next_frame(Duration::from_millis(100)).is_ok());
        assert_eq!(control.opens(), 2);
    }

    #[test]
    fn still_frames_differ_slightly() {
        let picture = RgbImage::from_fn(40, 30, |x, y| Rgb([(x * 6) as u8, (y * 8) as u8, 90]));
        let mut source = SimulatedSource::still(picture.clone(), 1000);
        source.open().expect("opens");
        let a = decoded(&mut source);
        let b = decoded(&mut source);
        assert_ne!(a.rgb, b.rgb);
        let diff: u64 = a
            .rgb
            .iter()
            .zip(picture.as_raw())
            .map(|(x, y)| (*x as i64 - *y as i64).unsigned_abs())
            .sum();
        assert!(diff / (a.rgb.len() as u64) < 4, "noise stays small");
    }
}
