//! Camera checks for staff: `lapak-kiosk doctor` and `lapak-kiosk camera-test --save FILE.jpg`.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::claim::DocumentKind;

use super::card::CardOutline;
use super::config::CameraConfig;
use super::error::CameraError;
use super::pipeline::{JPEG_QUALITY, assess, encode_jpeg};
use super::source::SourceInfo;
use super::steady::Thumbnail;
use super::worker::CameraEvent;

/// What a short run of the camera showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CameraProbe {
    /// Whether the camera opened.
    pub opened: bool,
    /// The device and format, when it opened.
    pub source: Option<SourceInfo>,
    /// Preview frames received during the probe.
    pub frames: u64,
    /// Frames per second received (after the dropped first frames).
    pub fps: f64,
    /// Quality readings of the last frame, measured as for a card photo.
    pub quality: Option<QualityReading>,
    /// Why the camera failed, if it did.
    pub error: Option<String>,
}

/// The quality readings staff use to tune the thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityReading {
    /// Variance of the Laplacian in the card guide box.
    pub sharpness: f64,
    /// Mean luma in the card guide box.
    pub luma_mean: f64,
    /// Share of pixels clipped to white.
    pub bright_share: f64,
    /// Share of pixels clipped to black.
    pub dark_share: f64,
    /// How much the picture changed between two frames taken [`MOTION_GAP`] apart (the reading that
    /// `steady_motion_max` is compared with; a camera on a stand looking at a still scene reads its noise).
    #[serde(default)]
    pub motion: Option<f64>,
    /// The card found in the picture (staff hold a card in front of the camera to read it), if any.
    #[serde(default)]
    pub card: Option<CardOutline>,
}

/// The time between the two frames whose change is reported as [`QualityReading::motion`]: the gap
/// between two checks of the live picture on the documents screen.
pub const MOTION_GAP: Duration = crate::camera::LIVE_CHECK_EVERY;

/// Runs the camera for `duration` and reports what it delivered.
pub fn probe(config: &CameraConfig, duration: Duration) -> CameraProbe {
    let mut result = CameraProbe {
        opened: false,
        source: None,
        frames: 0,
        fps: 0.0,
        quality: None,
        error: None,
    };
    let handle = match super::spawn(config) {
        Ok(handle) => handle,
        Err(e) => {
            result.error = Some(e.to_string());
            return result;
        }
    };
    let deadline = Instant::now() + duration;
    let mut first_frame_at = None;
    let mut last_frame_at = None;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match handle.next_event(left.min(Duration::from_millis(200))) {
            Some(CameraEvent::Started(info)) => {
                result.opened = true;
                result.source = Some(info);
            }
            Some(CameraEvent::Frame(_)) => {
                result.frames += 1;
                let now = Instant::now();
                first_frame_at.get_or_insert(now);
                last_frame_at = Some(now);
            }
            Some(CameraEvent::Lost(reason)) => result.error = Some(reason),
            Some(CameraEvent::Restored) | None => {}
        }
    }
    if let (Some(first), Some(last)) = (first_frame_at, last_frame_at)
        && result.frames > 1
    {
        let span = last.duration_since(first).as_secs_f64();
        if span > 0.0 {
            result.fps = (result.frames - 1) as f64 / span;
        }
    }
    if let Ok(frame) = handle.capture()
        && let Ok(report) = assess(DocumentKind::Ektp, &frame, &config.quality)
    {
        std::thread::sleep(MOTION_GAP);
        let motion = handle
            .capture()
            .ok()
            .filter(|later| later.seq != frame.seq)
            .and_then(|later| Thumbnail::of(&later).motion_since(&Thumbnail::of(&frame)));
        result.quality = Some(QualityReading {
            sharpness: report.sharpness,
            luma_mean: report.luma_mean,
            bright_share: report.bright_share,
            dark_share: report.dark_share,
            motion,
            card: report.card.map(|card| *card),
        });
    }
    handle.stop();
    result
}

/// Opens the camera, waits for a frame and saves it as a JPEG at `save_path` (a staff test: the file is
/// written because staff asked for it; do not point it at a participant). Returns the source and size.
pub fn camera_test(
    config: &CameraConfig,
    save_path: &Path,
) -> Result<(SourceInfo, u32, u32), CameraError> {
    let handle = super::spawn(config)?;
    let wait = Duration::from_millis(config.lost_after_ms.saturating_mul(2).max(2000));
    let deadline = Instant::now() + wait;
    let mut info = None;
    let mut last_error = None;
    let frame = loop {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            return Err(last_error.unwrap_or(CameraError::Timeout {
                waited_ms: wait.as_millis() as u64,
            }));
        };
        match handle.next_event(left) {
            Some(CameraEvent::Started(i)) => info = Some(i),
            Some(CameraEvent::Frame(_)) => {
                if let Ok(frame) = handle.capture() {
                    break frame;
                }
            }
            Some(CameraEvent::Lost(reason)) => last_error = Some(CameraError::NotRunning(reason)),
            Some(CameraEvent::Restored) | None => {}
        }
    };
    let jpeg = encode_jpeg(&frame.rgb, frame.width, frame.height, JPEG_QUALITY)?;
    std::fs::write(save_path, jpeg).map_err(|e| CameraError::Write {
        path: save_path.display().to_string(),
        reason: e.to_string(),
    })?;
    let (width, height) = (frame.width, frame.height);
    drop(frame);
    let info = info.or_else(|| match handle.state() {
        super::worker::CameraState::Running(i) | super::worker::CameraState::Paused(i) => Some(i),
        _ => None,
    });
    handle.stop();
    info.map(|i| (i, width, height)).ok_or(CameraError::Stopped)
}
