//! The guide box drawn over the live preview: where the participant puts the document or their face.

use serde::{Deserialize, Serialize};

use crate::claim::DocumentKind;

use super::frame::PixelRect;
use super::sample_card::ID1_ASPECT;

/// Width over height of an A4 page in portrait (210 x 297 mm).
pub const A4_PORTRAIT_ASPECT: f64 = 210.0 / 297.0;
/// Width over height of the face oval.
pub const FACE_OVAL_ASPECT: f64 = 0.75;

/// The outline of a guide box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuideShape {
    /// A rectangle (cards and papers).
    Rectangle,
    /// An ellipse inscribed in the box (the face photo).
    Oval,
}

/// A guide box in coordinates normalised to the frame (0..1 across and down), so the screen can draw it
/// over a preview of any size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GuideBox {
    /// Left edge, as a share of the frame width.
    pub x: f64,
    /// Top edge, as a share of the frame height.
    pub y: f64,
    /// Width, as a share of the frame width.
    pub width: f64,
    /// Height, as a share of the frame height.
    pub height: f64,
    /// Rectangle or oval.
    pub shape: GuideShape,
}

impl GuideBox {
    /// The guide for a document on a frame of the given size: an ID-1 card (aspect 1.586, 70 % of the
    /// width), an A4 portrait page (92 % of the height), or the face oval (80 % of the height), centred.
    pub fn for_kind(kind: DocumentKind, frame_width: u32, frame_height: u32) -> GuideBox {
        let (fw, fh) = (frame_width.max(1) as f64, frame_height.max(1) as f64);
        let (w_px, h_px, shape) = if kind == DocumentKind::Selfie {
            let h = 0.8 * fh;
            let w = (h * FACE_OVAL_ASPECT).min(0.8 * fw);
            (w, w / FACE_OVAL_ASPECT, GuideShape::Oval)
        } else if kind.is_card() {
            let w = (0.7 * fw).min(0.8 * fh * ID1_ASPECT);
            (w, w / ID1_ASPECT, GuideShape::Rectangle)
        } else {
            let h = 0.92 * fh;
            let w = (h * A4_PORTRAIT_ASPECT).min(0.9 * fw);
            (w, w / A4_PORTRAIT_ASPECT, GuideShape::Rectangle)
        };
        GuideBox {
            x: (fw - w_px) / 2.0 / fw,
            y: (fh - h_px) / 2.0 / fh,
            width: w_px / fw,
            height: h_px / fh,
            shape,
        }
    }

    /// The box in pixels of a frame of the given size.
    pub fn to_pixels(&self, frame_width: u32, frame_height: u32) -> PixelRect {
        let (fw, fh) = (frame_width as f64, frame_height as f64);
        let x = (self.x * fw).round().clamp(0.0, fw) as u32;
        let y = (self.y * fh).round().clamp(0.0, fh) as u32;
        PixelRect {
            x,
            y,
            width: ((self.width * fw).round() as u32).min(frame_width - x),
            height: ((self.height * fh).round() as u32).min(frame_height - y),
        }
    }

    /// The centre, normalised.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_box_has_id1_aspect_in_pixels() {
        for (w, h) in [(1280, 720), (640, 480), (1920, 1080)] {
            let rect = GuideBox::for_kind(DocumentKind::Ektp, w, h).to_pixels(w, h);
            let aspect = rect.width as f64 / rect.height as f64;
            assert!((aspect - ID1_ASPECT).abs() < 0.02, "{w}x{h}: {aspect}");
            assert!(rect.x + rect.width <= w && rect.y + rect.height <= h);
        }
    }

    #[test]
    fn papers_are_portrait_and_faces_oval() {
        let page = GuideBox::for_kind(DocumentKind::KartuKeluarga, 1280, 720).to_pixels(1280, 720);
        assert!(page.height > page.width);
        let face = GuideBox::for_kind(DocumentKind::Selfie, 1280, 720);
        assert_eq!(face.shape, GuideShape::Oval);
        let (cx, cy) = face.centre();
        assert!((cx - 0.5).abs() < 1e-9 && (cy - 0.5).abs() < 1e-9);
    }
}
