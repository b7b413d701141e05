//! The webcam: capture worker, drivers (real and simulated), and the photo pipeline with quality
//! guidance.
//!
//! ```text
//! FrameSource (nokhwa | simulated) ──► worker (capture thread) ──► CameraEvent::{Started, Frame, Lost, Restored}
//!   MJPEG frames: the preview is        │ capture(): full-size decode, once per frame
//!   decoded at 1/2 or 1/4 scale         ▼
//!                         pipeline::capture(kind, frame) ──► CapturedDocument (JPEG) | Rejected(hints)
//! ```
//! The camera streams only while a screen shows it (`CameraHandle::watch`); otherwise it rests, closed.
//! Nothing here depends on the GUI. Frames stay in memory; only staff's `camera_test` writes a file.

mod auto_shutter;
pub mod card;
mod config;
pub mod demo_cards;
mod error;
mod face;
mod frame;
mod glyphs;
mod guide;
mod head_pose;
mod mjpeg;
mod nokhwa_source;
mod pipeline;
mod probe;
mod quality;
pub mod sample_card;
mod select;
mod selfie;
mod simulated;
mod source;
mod steady;
mod worker;

pub use auto_shutter::{AutoShutter, LIVE_CHECK_EVERY, ShutterStep};
pub use card::CardOutline;
pub use config::{
    CameraConfig, FormatPreference, QualityThresholds, SimulatedScene, SourceSelector,
};
pub use error::CameraError;
pub use face::{DETECTION_MAX_WIDTH, FaceBox, detect_faces};
pub use frame::{
    Frame, Luma, PREVIEW_MAX, PixelRect, Preview, SourceFrame, luma_of_rgb, preview_of,
};
pub use guide::{GuideBox, GuideShape};
pub use head_pose::{EyePair, HeadPose, find_eyes, head_pose};
pub use mjpeg::{JpegFrame, scale_numerator};
pub use nokhwa_source::NokhwaSource;
pub use pipeline::{
    ANALYSIS_MAX, CARD_MAX, CaptureOutcome, CapturedDocument, JPEG_QUALITY, analysis_luma, assess,
    capture, encode_jpeg,
};
pub use probe::{CameraProbe, QualityReading, camera_test, probe};
pub use quality::{Exposure, QualityHint, QualityReport, exposure, laplacian_variance};
pub use select::from_config;
pub use simulated::{
    SimulatedBehaviour, SimulatedControl, SimulatedSource, card_scene, face_scene,
};
pub use source::{FrameSource, SourceInfo};
pub use steady::{THUMBNAIL_MAX, Thumbnail};
pub use worker::{
    CameraCommand, CameraEvent, CameraHandle, CameraState, CameraStats, CameraWatch, EventReceiver,
    spawn_with_source,
};

/// Starts the camera named in the configuration on its own capture thread.
pub fn spawn(config: &CameraConfig) -> Result<CameraHandle, CameraError> {
    config.validate()?;
    spawn_with_source(from_config(config)?, config)
}

/// Like [`spawn`], and for the simulated camera also its remote control (the demo kiosk switches its scene
/// to what the screen asks for; tests make it stall or vanish).
pub fn spawn_with_control(
    config: &CameraConfig,
) -> Result<(CameraHandle, Option<SimulatedControl>), CameraError> {
    config.validate()?;
    match config::SourceSelector::parse(&config.source)? {
        config::SourceSelector::Simulated(scene) => {
            let source = SimulatedSource::new(scene, config.width, config.height, config.fps);
            let control = source.control();
            Ok((spawn_with_source(Box::new(source), config)?, Some(control)))
        }
        _ => Ok((spawn(config)?, None)),
    }
}
