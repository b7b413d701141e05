//! Where frames come from: the trait every camera driver implements, and choosing one from the config.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::config::{CameraConfig, SourceSelector};
use super::error::CameraError;
use super::frame::Frame;
use super::nokhwa_source::NokhwaSource;
use super::simulated::SimulatedSource;

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
    /// Waits at most about `wait` for the next frame. No frame in time is [`CameraError::Timeout`];
    /// other errors count towards "camera lost".
    fn next_frame(&mut self, wait: Duration) -> Result<Frame, CameraError>;
    /// Stops streaming and releases the device. Safe to call when not open.
    fn close(&mut self);
}

/// The source named by `camera.source`: the simulated camera or the system's webcam driver.
pub fn from_config(config: &CameraConfig) -> Result<Box<dyn FrameSource>, CameraError> {
    match SourceSelector::parse(&config.source)? {
        SourceSelector::Simulated(scene) => Ok(Box::new(SimulatedSource::new(
            scene,
            config.width,
            config.height,
            config.fps,
        ))),
        selector => Ok(Box::new(NokhwaSource::new(selector, config))),
    }
}
