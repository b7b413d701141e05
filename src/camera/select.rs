//! Choosing the camera driver named by `camera.source`: the one place that knows every driver.

use super::config::{CameraConfig, SourceSelector};
use super::error::CameraError;
use super::nokhwa_source::NokhwaSource;
use super::simulated::SimulatedSource;
use super::source::FrameSource;

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
