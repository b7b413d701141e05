//! The checks of a face photo: one face, at a natural distance, inside the oval, the head upright, and the
//! face itself sharp and well lit.

use super::config::QualityThresholds;
use super::error::CameraError;
use super::face::{FaceBox, detect_faces};
use super::frame::{Luma, PixelRect};
use super::guide::GuideBox;
use super::head_pose::head_pose;
use super::quality::{
    QualityHint, QualityReport, exposure, exposure_and_blur_hints, face_hints, laplacian_variance,
};

/// A detected face is checked for sharpness and exposure at (at most) this size.
pub const FACE_JUDGED_AT: (u32, u32) = (96, 120);

/// The frame's full-resolution luma and the views of it the checks need.
pub struct SelfieInput<'a> {
    /// The whole frame, full resolution.
    pub full: &'a Luma,
    /// The frame shrunk for analysis (faces are found here).
    pub analysis: &'a Luma,
    /// The guide box's content at the stored size (judged when there is not exactly one face).
    pub inside: Luma,
    /// The guide oval.
    pub oval: GuideBox,
}

/// Fills `report` with the readings of a face photo and returns the hints.
pub fn assess_selfie(
    input: SelfieInput<'_>,
    limits: &QualityThresholds,
    report: &mut QualityReport,
    shrink: impl Fn(&Luma, (u32, u32)) -> Luma,
    crop: impl Fn(&Luma, PixelRect) -> Luma,
) -> Result<Vec<QualityHint>, CameraError> {
    let full = input.full;
    let faces = detect_faces(input.analysis)?;
    // The face is what must be sharp and well lit; hair, clothes and the room may be dark or bright.
    // It is judged at a fixed size, so distance and camera resolution do not change the reading.
    let (measured, head) = match faces.as_slice() {
        [face] => (
            shrink(
                &crop(full, face_rect(face, full.width, full.height)),
                FACE_JUDGED_AT,
            ),
            head_pose(full, face),
        ),
        _ => (input.inside, None),
    };
    let exposure = exposure(&measured);
    let sharpness = laplacian_variance(&measured);
    let mut hints = exposure_and_blur_hints(sharpness, exposure, limits);
    let aspect = full.width as f64 / full.height.max(1) as f64;
    hints.extend(face_hints(&faces, head, &input.oval, aspect, limits));
    report.sharpness = sharpness;
    report.luma_mean = exposure.mean;
    report.dark_share = exposure.dark_share;
    report.bright_share = exposure.bright_share;
    report.faces = Some(faces);
    report.head = head;
    Ok(hints)
}

/// A detected face box (normalised) in pixels of a frame.
fn face_rect(face: &FaceBox, width: u32, height: u32) -> PixelRect {
    let (fw, fh) = (width as f64, height as f64);
    let x = (face.x * fw).clamp(0.0, fw) as u32;
    let y = (face.y * fh).clamp(0.0, fh) as u32;
    PixelRect {
        x,
        y,
        width: (face.width * fw) as u32,
        height: (face.height * fh) as u32,
    }
}

impl QualityThresholds {
    /// Refuses face limits that would turn every face away (the error names the key and the reason).
    pub(super) fn check_face_limits(&self) -> Result<(), CameraError> {
        let invalid = |key: &str, reason: &str| CameraError::InvalidConfig {
            key: format!("camera.quality.{key}"),
            reason: reason.to_string(),
        };
        let (min, max) = (self.face_min_size_share, self.face_max_size_share);
        if !(min > 0.0 && min < max && max <= 1.0) {
            return Err(invalid(
                "face_min_size_share/face_max_size_share",
                &format!(
                    "must satisfy 0 < face_min_size_share < face_max_size_share <= 1 (they are {min} and {max})"
                ),
            ));
        }
        if !positive(self.face_centre_tolerance) {
            return Err(invalid("face_centre_tolerance", "must be greater than 0"));
        }
        if !(self.head_roll_max_degrees > 0.0 && self.head_roll_max_degrees < 90.0) {
            return Err(invalid(
                "head_roll_max_degrees",
                "must be greater than 0 and less than 90",
            ));
        }
        if !positive(self.head_turn_max) {
            return Err(invalid("head_turn_max", "must be greater than 0"));
        }
        Ok(())
    }
}

/// Greater than zero (and so not NaN).
fn positive(value: f64) -> bool {
    value > 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::CameraConfig;

    #[test]
    fn face_limits_that_refuse_every_face_are_a_config_error_naming_the_key() {
        assert_eq!(QualityThresholds::default().check_face_limits(), Ok(()));
        let swapped = QualityThresholds {
            face_min_size_share: 0.4,
            face_max_size_share: 0.3,
            ..QualityThresholds::default()
        };
        let key_of = |limits: &QualityThresholds| match limits.check_face_limits() {
            Err(CameraError::InvalidConfig { key, .. }) => key,
            other => panic!("expected a config error, got {other:?}"),
        };
        assert_eq!(
            key_of(&swapped),
            "camera.quality.face_min_size_share/face_max_size_share"
        );
        let no_tilt = QualityThresholds {
            head_roll_max_degrees: 0.0,
            ..QualityThresholds::default()
        };
        assert_eq!(key_of(&no_tilt), "camera.quality.head_roll_max_degrees");
        let no_turn = QualityThresholds {
            head_turn_max: -0.1,
            ..QualityThresholds::default()
        };
        assert_eq!(key_of(&no_turn), "camera.quality.head_turn_max");
        let no_centre = QualityThresholds {
            face_centre_tolerance: 0.0,
            ..QualityThresholds::default()
        };
        assert_eq!(key_of(&no_centre), "camera.quality.face_centre_tolerance");
        // Through the camera configuration's own check, as the kiosk loads it.
        let config = CameraConfig {
            quality: swapped,
            ..CameraConfig::default()
        };
        assert!(config.validate().is_err());
    }
}
