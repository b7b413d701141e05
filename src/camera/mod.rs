//! The webcam: capture worker, drivers (real and simulated), and the photo pipeline with quality
//! guidance.
//!
//! ```text
//! FrameSource (nokhwa | simulated) ──► worker (capture thread) ──► CameraEvent::{Started, Frame, Lost, Restored}
//!                                                     │ capture()
//!                                                     ▼
//!                         pipeline::capture(kind, frame) ──► CapturedDocument (JPEG) | Rejected(hints)
//! ```
//! Nothing here depends on the GUI. Frames stay in memory; only staff's `camera_test` writes a file.

mod config;
mod error;
mod face;
mod frame;
mod glyphs;
mod guide;
mod nokhwa_source;
mod pipeline;
mod probe;
mod quality;
pub mod sample_card;
mod simulated;
mod source;
mod worker;

pub use config::{
    CameraConfig, FormatPreference, QualityThresholds, SimulatedScene, SourceSelector,
};
pub use error::CameraError;
pub use face::{DETECTION_MAX_WIDTH, FaceBox, detect_faces};
pub use frame::{Frame, Luma, PREVIEW_MAX, PixelRect, Preview, luma_of_rgb, preview_of};
pub use guide::{GuideBox, GuideShape};
pub use nokhwa_source::NokhwaSource;
pub use pipeline::{
    ANALYSIS_MAX, CARD_MAX, CaptureOutcome, CapturedDocument, JPEG_QUALITY, analysis_luma, assess,
    capture, encode_jpeg,
};
pub use probe::{CameraProbe, QualityReading, camera_test, probe};
pub use quality::{Exposure, QualityHint, QualityReport, exposure, laplacian_variance};
pub use simulated::{
    SimulatedBehaviour, SimulatedControl, SimulatedSource, card_scene, face_scene,
};
pub use source::{FrameSource, SourceInfo, from_config};
pub use worker::{
    CameraEvent, CameraHandle, CameraState, CameraStats, EventReceiver, spawn_with_source,
};

/// Starts the camera named in the configuration on its own capture thread.
pub fn spawn(config: &CameraConfig) -> Result<CameraHandle, CameraError> {
    config.validate()?;
    spawn_with_source(from_config(config)?, config)
}
