//! The `[camera]` section of `kiosk.toml`.

use serde::{Deserialize, Serialize};

use super::error::CameraError;

/// Camera settings. Every field has a default, so an empty `[camera]` table is valid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CameraConfig {
    /// Which camera to use: `"auto"` (the first video device that can capture), a device index such as
    /// `"0"`, a stable path such as `"/dev/v4l/by-id/usb-...-video-index0"`, or `"simulated"` for the built-in
    /// test camera (`"simulated:pattern"`, `"simulated:card"`, `"simulated:face"`, and the demo participant's
    /// cards `"simulated:ektp"`, `"simulated:kpj"` choose its picture).
    pub source: String,
    /// Requested frame width in pixels (documents are photographed at this size). Default 1280.
    pub width: u32,
    /// Requested frame height in pixels. Default 720.
    pub height: u32,
    /// Requested frames per second. Default 30.
    pub fps: u32,
    /// Preferred pixel format from the camera: `"mjpeg"` (default; compressed, high resolution at full frame
    /// rate) or `"yuyv"` (uncompressed, often limited to low resolutions). Other formats the camera offers
    /// are tried when this one is not available.
    pub format: FormatPreference,
    /// Frames thrown away after the camera opens (often corrupt while exposure settles). Default 3.
    pub drop_first_frames: u32,
    /// The camera counts as lost when no frame arrived for this long, in milliseconds. Default 3000.
    pub lost_after_ms: u64,
    /// The camera counts as lost after this many frame errors in a row. Default 5.
    pub lost_after_errors: u32,
    /// While lost (or never opened), try to open the camera again this often, in milliseconds. Default 1000.
    pub reopen_interval_ms: u64,
    /// Thresholds of the photo quality checks.
    pub quality: QualityThresholds,
}

impl Default for CameraConfig {
    fn default() -> Self {
        CameraConfig {
            source: "auto".to_string(),
            width: 1280,
            height: 720,
            fps: 30,
            format: FormatPreference::Mjpeg,
            drop_first_frames: 3,
            lost_after_ms: 3000,
            lost_after_errors: 5,
            reopen_interval_ms: 1000,
            quality: QualityThresholds::default(),
        }
    }
}

impl CameraConfig {
    /// Checks the values after loading; the error names the key and the reason.
    pub fn validate(&self) -> Result<(), CameraError> {
        SourceSelector::parse(&self.source)?;
        let invalid = |key: &str, reason: &str| CameraError::InvalidConfig {
            key: key.to_string(),
            reason: reason.to_string(),
        };
        if self.width < 64 || self.height < 48 {
            return Err(invalid("camera.width/height", "must be at least 64x48"));
        }
        if self.fps == 0 {
            return Err(invalid("camera.fps", "must be at least 1"));
        }
        if self.lost_after_ms == 0 || self.lost_after_errors == 0 || self.reopen_interval_ms == 0 {
            return Err(invalid(
                "camera.lost_after_ms/lost_after_errors/reopen_interval_ms",
                "must be greater than 0",
            ));
        }
        self.quality.check_face_limits()?;
        Ok(())
    }
}

/// The pixel format asked of the camera first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormatPreference {
    /// Motion JPEG: compressed frames, full resolution at full frame rate on USB 2.
    Mjpeg,
    /// YUYV 4:2:2: uncompressed, usually limited to small sizes at full frame rate.
    Yuyv,
}

/// `camera.source` after parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSelector {
    /// The first video device that can capture.
    Auto,
    /// A device index (`/dev/videoN`).
    Index(u32),
    /// A device path, preferably a stable `/dev/v4l/by-id/...` link.
    Path(String),
    /// The built-in simulated camera showing the given scene.
    Simulated(SimulatedScene),
}

/// What the simulated camera shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimulatedScene {
    /// Colour bars with a moving stripe.
    Pattern,
    /// A sample e-KTP-like card (marked CONTOH / SAMPLE) on a desk, inside the card guide box.
    Card,
    /// A face photo inside the selfie guide oval.
    Face,
    /// One of the demo participant's cards (a synthetic e-KTP or KPJ card), inside the card guide box.
    Demo(super::demo_cards::DemoCard),
}

impl SourceSelector {
    /// Parses `camera.source`.
    pub fn parse(value: &str) -> Result<Self, CameraError> {
        let trimmed = value.trim();
        let invalid = |reason: &str| CameraError::InvalidSource {
            value: value.to_string(),
            reason: reason.to_string(),
        };
        if trimmed.eq_ignore_ascii_case("auto") {
            return Ok(SourceSelector::Auto);
        }
        if let Some(rest) = trimmed.strip_prefix("simulated") {
            let scene = match rest {
                "" | ":pattern" => SimulatedScene::Pattern,
                ":card" => SimulatedScene::Card,
                ":face" => SimulatedScene::Face,
                ":ektp" => SimulatedScene::Demo(super::demo_cards::DemoCard::Ektp),
                ":kpj" => SimulatedScene::Demo(super::demo_cards::DemoCard::Kpj),
                _ => {
                    return Err(invalid(
                        "use simulated, simulated:pattern, simulated:card, simulated:face, simulated:ektp or simulated:kpj",
                    ));
                }
            };
            return Ok(SourceSelector::Simulated(scene));
        }
        if trimmed.starts_with('/') {
            return Ok(SourceSelector::Path(trimmed.to_string()));
        }
        trimmed.parse::<u32>().map(SourceSelector::Index).map_err(|_| {
            invalid("expected \"auto\", \"simulated\", a device index such as \"0\" or a /dev/v4l/by-id/... path")
        })
    }
}

/// Thresholds of the photo quality checks. Sharpness, exposure and glare are measured on the card (or
/// page) found and straightened at the size the photo is stored (a card at most 1011x638), on the guide
/// box's content for a page whose edges were not found, and on the face at 96 px wide; the card is
/// looked for on the frame shrunk to 640x480. The defaults were calibrated on the project's test
/// images (`tests/fixtures`: astronaut, chelsea, coffee, text) and the rendered sample card, sharp and
/// with a gaussian blur (readings below); tune them per camera on site with `lapak-kiosk doctor`, which
/// prints the readings of the live camera.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QualityThresholds {
    /// Minimum variance of the Laplacian of the luma inside the guide box; below it the photo is too blurry.
    /// Measured: sample card 2525 sharp, 148 / 34 / 10 at blur sigma 1 / 1.5 / 2; text.png 472 sharp, 9
    /// blurred (sigma 2); chelsea.png 800 / 7; astronaut face 298; the face scene 243, 97 at sigma 2. Default 100.
    pub blur_min_laplacian_variance: f64,
    /// Minimum mean luma (0-255) inside the guide box (for a face photo: inside the face); below it the
    /// photo is too dark. Measured: sample card 172, at 35 % brightness 60; faces 153-156. Default 70.
    pub exposure_mean_min: f64,
    /// Maximum mean luma (0-255) inside the guide box (for a face photo: inside the face); above it the
    /// photo is too bright. White paper under strong light reads above 200. Default 200.
    pub exposure_mean_max: f64,
    /// Maximum share (0-1) of pixels clipped to black (luma <= 5) or to white (luma >= 250), counted
    /// separately; above it the photo is too dark or too bright. Default 0.05.
    pub clipped_share_max: f64,
    /// Maximum share (0-1) of near-white pixels (luma >= 245) in any one block of a card (12 x 8 blocks);
    /// above it a reflection hides part of the card. Measured: sample card 0.0, with a white reflection
    /// spot 1.0. Default 0.6.
    pub glare_share_max: f64,
    /// Minimum edge support (0-1) of the card (or page) outline found in the picture: the share of its
    /// weakest side's length along which a step edge runs. Below it no card counts as found (for a page:
    /// the guide box is used). Measured: the sample card found at 50-110 % of the guide, tilted, turned,
    /// on plain, dark, light and cluttered backdrops 0.97-1.0, blurred (sigma 3) 0.84; the best false
    /// outline on a cluttered desk without a card 0.54, on a plain desk 0. A finger over a quarter of a
    /// side still passes. Default 0.7.
    pub card_border_edge_density_min: f64,
    /// Minimum face width as a share (0-1) of the frame width. A standing adult 60-100 cm from the kiosk's
    /// camera (about 70 degrees across) shows a face of 0.10-0.18. Measured: the detector finds faces from
    /// 0.06 of a 1280x720 frame's width and reads their width within 0.01; the face scene 0.22, the
    /// astronaut photo pasted into a 640x480 frame 0.15. Default 0.08.
    pub face_min_size_share: f64,
    /// Maximum distance of the face centre from the centre of the guide oval, across and down, both as a
    /// share (0-1) of the frame width; the face's box must also lie inside the oval's box. Default 0.12.
    pub face_centre_tolerance: f64,
    /// Maximum face width as a share (0-1) of the frame width; above it the participant is asked to step
    /// back. The oval is 0.34 of a 1280x720 frame's width (0.45 at 640x480) and holds the whole head,
    /// which is wider than the detector's face box; a face box of 0.3 already fills most of it. Default 0.3.
    pub face_max_size_share: f64,
    /// Smallest card (or page) accepted, as a share of the guide box's width. Default 0.5.
    pub card_min_guide_share: f64,
    /// Largest card (or page) accepted, as a share of the guide box's width. Default 1.1.
    pub card_max_guide_share: f64,
    /// Largest tilt of a card (or page) in the picture, in degrees, that is straightened rather than
    /// refused. Default 15.
    pub card_tilt_max_degrees: f64,
    /// Largest sideways tilt (roll) of the head, in degrees, before "hold your head upright". Default 12.
    pub head_roll_max_degrees: f64,
    /// Largest turn (yaw) of the head, as the eyes' offset from the face's middle in shares of the face
    /// width, before "hold your head upright". Default 0.12.
    pub head_turn_max: f64,
    /// Whether the photo is taken by itself once the picture has been good and steady for `steady_ms`
    /// and a countdown of `countdown_seconds` has run. "Take photo" works either way. Default true.
    pub auto_capture: bool,
    /// Largest change between two checks of the live picture (mean absolute difference of a small grey
    /// thumbnail, 0-255) that still counts as steady. Measured on the card scene: a wobble of 1 px 1.1,
    /// the card moved by 2 % of the picture's width 7.5, sensor noise of +-12 levels 0.2. Default 4.
    pub steady_motion_max: f64,
    /// How long the picture must be good and steady before the countdown starts, in milliseconds.
    /// Default 800.
    pub steady_ms: u64,
    /// Length of the countdown before the photo is taken by itself, in seconds. Default 3.
    pub countdown_seconds: u32,
}

impl Default for QualityThresholds {
    fn default() -> Self {
        QualityThresholds {
            blur_min_laplacian_variance: 100.0,
            exposure_mean_min: 70.0,
            exposure_mean_max: 200.0,
            clipped_share_max: 0.05,
            glare_share_max: 0.6,
            card_border_edge_density_min: 0.7,
            face_min_size_share: 0.08,
            face_centre_tolerance: 0.12,
            face_max_size_share: 0.3,
            card_min_guide_share: 0.5,
            card_max_guide_share: 1.1,
            card_tilt_max_degrees: 15.0,
            head_roll_max_degrees: 12.0,
            head_turn_max: 0.12,
            auto_capture: true,
            steady_motion_max: 4.0,
            steady_ms: 800,
            countdown_seconds: 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_table_gives_defaults() {
        let config: CameraConfig = toml::from_str("").expect("empty config parses");
        assert_eq!(config, CameraConfig::default());
        assert_eq!(config.drop_first_frames, 3);
    }

    #[test]
    fn partial_table_keeps_other_defaults() {
        let config: CameraConfig = toml::from_str(
            "source = \"2\"\nformat = \"yuyv\"\n[quality]\nblur_min_laplacian_variance = 40.0\n",
        )
        .expect("config parses");
        assert_eq!(
            SourceSelector::parse(&config.source),
            Ok(SourceSelector::Index(2))
        );
        assert_eq!(config.format, FormatPreference::Yuyv);
        assert_eq!(config.quality.blur_min_laplacian_variance, 40.0);
        assert_eq!(
            config.quality.exposure_mean_min,
            QualityThresholds::default().exposure_mean_min
        );
        assert_eq!(config.width, 1280);
    }

    #[test]
    fn source_values_parse() {
        assert_eq!(SourceSelector::parse("auto"), Ok(SourceSelector::Auto));
        assert_eq!(
            SourceSelector::parse("simulated:card"),
            Ok(SourceSelector::Simulated(SimulatedScene::Card))
        );
        assert_eq!(
            SourceSelector::parse("/dev/v4l/by-id/usb-cam-video-index0"),
            Ok(SourceSelector::Path(
                "/dev/v4l/by-id/usb-cam-video-index0".to_string()
            ))
        );
        assert!(SourceSelector::parse("webcam").is_err());
        assert!(SourceSelector::parse("simulated:dog").is_err());
        let bad = CameraConfig {
            fps: 0,
            ..CameraConfig::default()
        };
        assert!(bad.validate().is_err());
    }
}
