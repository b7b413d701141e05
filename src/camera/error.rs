//! What can go wrong with the camera, in words a field engineer can act on.

use thiserror::Error;

/// An error from the camera, its driver or the capture pipeline. `Clone` so it can travel in messages.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CameraError {
    /// The configuration names a camera source that cannot be understood.
    #[error("camera.source {value:?} is not valid: {reason}")]
    InvalidSource {
        /// The configured value.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A camera setting is out of range.
    #[error("{key}: {reason}")]
    InvalidConfig {
        /// The key, e.g. `camera.fps`.
        key: String,
        /// Why the value was refused.
        reason: String,
    },
    /// No video device that can capture was found.
    #[error("no camera found: {detail}")]
    NoCamera {
        /// Which devices were looked at and why each was skipped.
        detail: String,
    },
    /// The device exists but could not be opened in any format.
    #[error("camera {device} could not be opened: {reason} (formats tried: {formats_tried})")]
    Open {
        /// The device (index or path).
        device: String,
        /// The driver's reason.
        reason: String,
        /// The formats that were tried, in order, or "none".
        formats_tried: String,
    },
    /// Reading a frame failed.
    #[error("camera frame could not be read: {0}")]
    Frame(String),
    /// A frame arrived but could not be decoded to RGB.
    #[error("camera frame could not be decoded: {0}")]
    Decode(String),
    /// No frame arrived in the time allowed.
    #[error("no camera frame within {waited_ms} ms")]
    Timeout {
        /// How long the caller waited.
        waited_ms: u64,
    },
    /// The camera is not delivering frames at the moment (not started yet, or lost).
    #[error("the camera is not delivering frames: {0}")]
    NotRunning(String),
    /// The camera worker has stopped.
    #[error("the camera worker has stopped")]
    Stopped,
    /// The capture thread could not be started.
    #[error("the camera thread could not be started: {0}")]
    Thread(String),
    /// Pixel data did not match the stated size.
    #[error("image of {width}x{height} needs {expected} bytes, got {actual}")]
    BadImage {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Bytes expected.
        expected: usize,
        /// Bytes given.
        actual: usize,
    },
    /// The JPEG encoder failed.
    #[error("the photo could not be compressed to JPEG: {0}")]
    Encode(String),
    /// The face detection model could not be loaded.
    #[error("the face detection model could not be loaded: {0}")]
    FaceModel(String),
    /// A file could not be written (camera test).
    #[error("could not write {path}: {reason}")]
    Write {
        /// The file.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
}
