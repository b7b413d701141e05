//! Face detection with the SeetaFace frontal model (BSD-2, embedded from assets/camera/).

use std::cell::RefCell;
use std::sync::OnceLock;

use rustface::{Detector, ImageData, Model};
use serde::{Deserialize, Serialize};

use super::error::CameraError;
use super::frame::{Luma, box_downscale, fit_within};

/// The SeetaFace frontal face model shipped with the rustface crate.
const MODEL_BYTES: &[u8] = include_bytes!("../../assets/camera/seeta_fd_frontal_v1.0.bin");
/// Detection runs on an image at most this wide. The detector's window is 40 px, so a face narrower than
/// about 40 px of this image scores low or is missed. Measured on the astronaut's face in a 1280x720 frame
/// at 5 positions: at 320 px wide a face of 0.08 of the frame's width was found once in 5 and one of 0.10
/// (a standing adult about 1 m away) only just (score 4-6, threshold 2); at 480 px wide faces from 0.07
/// up were found every time (0.10: score 9-15), at 640 px from 0.06. Optimised, one detection on a
/// 1280x720 frame took 18-22 ms at 320, 40-48 ms at 480 and 67-82 ms at 640 px wide (load average 3
/// on 2 cores): 480 finds the faces a kiosk sees for about twice the cost of 320.
pub const DETECTION_MAX_WIDTH: u32 = 480;
/// The detector cannot look for faces smaller than this (pixels of the detection image).
const MIN_FACE_PX: u32 = 20;

static MODEL: OnceLock<Result<Model, String>> = OnceLock::new();

thread_local! {
    // The detector is not `Send`: each thread that detects faces keeps its own.
    static DETECTOR: RefCell<Option<Box<dyn Detector>>> = const { RefCell::new(None) };
}

/// A detected face, in coordinates normalised to the image it was found in (0..1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FaceBox {
    /// Left edge, as a share of the width.
    pub x: f64,
    /// Top edge, as a share of the height.
    pub y: f64,
    /// Width, as a share of the image width.
    pub width: f64,
    /// Height, as a share of the image height.
    pub height: f64,
    /// The detector's confidence (higher is surer; faces under 2.0 are not reported).
    pub score: f64,
}

impl FaceBox {
    /// The centre, normalised.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }
}

fn model() -> Result<&'static Model, CameraError> {
    MODEL
        .get_or_init(|| rustface::read_model(MODEL_BYTES).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| CameraError::FaceModel(e.clone()))
}

/// Frontal faces in a grey image; it is first shrunk to at most [`DETECTION_MAX_WIDTH`] wide.
pub fn detect_faces(luma: &Luma) -> Result<Vec<FaceBox>, CameraError> {
    let (w, h) = fit_within(
        luma.width,
        luma.height,
        DETECTION_MAX_WIDTH,
        DETECTION_MAX_WIDTH * 3,
    );
    if w < MIN_FACE_PX || h < MIN_FACE_PX {
        return Ok(Vec::new());
    }
    let small = if (w, h) == (luma.width, luma.height) {
        luma.data.clone()
    } else {
        box_downscale(&luma.data, luma.width, luma.height, 1, w, h)
    };
    let model = model()?;
    let faces = DETECTOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let detector = slot.get_or_insert_with(|| {
            let mut detector = rustface::create_detector_with_model(model.clone());
            detector.set_min_face_size(MIN_FACE_PX);
            detector.set_score_thresh(2.0);
            detector.set_pyramid_scale_factor(0.8);
            detector.set_slide_window_step(4, 4);
            detector
        });
        detector.detect(&ImageData::new(&small, w, h))
    });
    let (wf, hf) = (w as f64, h as f64);
    Ok(faces
        .iter()
        .map(|face| {
            let b = face.bbox();
            FaceBox {
                x: b.x() as f64 / wf,
                y: b.y() as f64 / hf,
                width: b.width() as f64 / wf,
                height: b.height() as f64 / hf,
                score: face.score(),
            }
        })
        .collect())
}
