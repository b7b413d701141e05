//! Where frames come from: the trait every camera driver implements and what an opened camera reports.
//! Choosing a driver from the config is [`super::select`]'s job, so the drivers depend on this module only.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::CameraError;
use super::frame::SourceFrame;

/// What an opened camera delivers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The device's name, e.g. "HD USB Camera (/dev/video0)" or "simulated card".
    pub name: String,
    /// Frame width in pixels.
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
    /// Frames per second the device was set to.
    pub fps: u32,
    /// The pixel format on the wire, e.g. "MJPEG".
    pub format: String,
}

/// A camera driver. The camera worker's capture thread owns it; nothing else calls it.
pub trait FrameSource: Send {
    /// Opens the device (or reopens it after [`FrameSource::close`]) and starts streaming.
    fn open(&mut self) -> Result<SourceInfo, CameraError>;
    /// Waits at most about `wait` for the next frame, as the device delivered it (JPEG or pixels). No frame in time is [`CameraError::Timeout`];
    /// other errors count towards "camera lost".
    fn next_frame(&mut self, wait: Duration) -> Result<SourceFrame, CameraError>;
    /// Stops streaming and releases the device. Safe to call when not open.
    fn close(&mut self);
}
