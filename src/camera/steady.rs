//! Is the picture steady? Each checked frame leaves a small grey thumbnail; the mean change between two
//! thumbnails says whether the document (or the face) moved between the checks. Averaging blocks of pixels
//! hides the sensor's noise and a wobble of a pixel or two, and still sees a hand moving the card.

use super::frame::Frame;

/// The thumbnail is at most this many blocks across and down.
pub const THUMBNAIL_MAX: (u32, u32) = (64, 48);
/// Inside each block every second pixel across and down is read: a quarter of the cost, and a wobble of
/// a pixel still reads as steady (every fourth pixel aliased on fine print and wood grain: 3.9 for 1 px).
const SAMPLE_STEP: u32 = 2;

/// A small grey copy of a frame, for comparing frames taken a moment apart.
#[derive(Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// Blocks across.
    pub width: u32,
    /// Blocks down.
    pub height: u32,
    /// Mean luma of each block, row by row.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Thumbnail {
    // Even a thumbnail of a card or a face is personal data: never print its pixels.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Thumbnail")
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

impl Thumbnail {
    /// The thumbnail of a frame: the frame cut into blocks (about [`THUMBNAIL_MAX`], square-ish), each
    /// block's mean luma from a sparse sample of its pixels.
    pub fn of(frame: &Frame) -> Thumbnail {
        let (fw, fh) = (frame.width.max(1), frame.height.max(1));
        let block = fw
            .div_ceil(THUMBNAIL_MAX.0)
            .max(fh.div_ceil(THUMBNAIL_MAX.1))
            .max(1);
        let (width, height) = ((fw / block).max(1), (fh / block).max(1));
        let mut data = Vec::with_capacity((width * height) as usize);
        for by in 0..height {
            for bx in 0..width {
                let (mut sum, mut count) = (0u32, 0u32);
                let mut y = by * block;
                while y < ((by + 1) * block).min(fh) {
                    let mut x = bx * block;
                    while x < ((bx + 1) * block).min(fw) {
                        let i = ((y * fw + x) * 3) as usize;
                        if let Some(px) = frame.rgb.get(i..i + 3) {
                            // BT.601 luma in integers, as the quality checks compute it.
                            sum +=
                                (77 * px[0] as u32 + 150 * px[1] as u32 + 29 * px[2] as u32) >> 8;
                            count += 1;
                        }
                        x += SAMPLE_STEP;
                    }
                    y += SAMPLE_STEP;
                }
                data.push((sum / count.max(1)) as u8);
            }
        }
        Thumbnail {
            width,
            height,
            data,
        }
    }

    /// How much the picture changed since `earlier`: the mean absolute difference of the blocks (0-255).
    /// `None` when the two do not come from frames of the same size (the camera changed in between).
    pub fn motion_since(&self, earlier: &Thumbnail) -> Option<f64> {
        if (self.width, self.height) != (earlier.width, earlier.height) || self.data.is_empty() {
            return None;
        }
        let total: u64 = self
            .data
            .iter()
            .zip(&earlier.data)
            .map(|(a, b)| a.abs_diff(*b) as u64)
            .sum();
        Some(total as f64 / self.data.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::card_scene;

    fn frame(image: &image::RgbImage) -> Frame {
        Frame::from_image(image, 0)
    }

    /// The card scene shifted by (dx, dy) pixels, as a hand would move it (the edge pixels repeat where
    /// the picture moved away).
    fn shifted(scene: &image::RgbImage, dx: i64, dy: i64) -> image::RgbImage {
        let (w, h) = (scene.width() as i64, scene.height() as i64);
        image::RgbImage::from_fn(scene.width(), scene.height(), |x, y| {
            let sx = (x as i64 - dx).clamp(0, w - 1) as u32;
            let sy = (y as i64 - dy).clamp(0, h - 1) as u32;
            *scene.get_pixel(sx, sy)
        })
    }

    #[test]
    fn a_wobble_of_a_pixel_is_steady_and_a_hand_moving_the_card_is_not() {
        let limits = crate::camera::QualityThresholds::default();
        let scene = card_scene(1280, 720);
        let still = Thumbnail::of(&frame(&scene));
        assert_eq!((still.width, still.height), (64, 36));
        assert_eq!(still.motion_since(&still), Some(0.0));
        let wobble = Thumbnail::of(&frame(&shifted(&scene, 1, 1)))
            .motion_since(&still)
            .expect("same size");
        // A card moved by 2 % of the picture's width between two checks (a slow hand).
        let moved = Thumbnail::of(&frame(&shifted(&scene, 26, 0)))
            .motion_since(&still)
            .expect("same size");
        assert!(
            wobble < limits.steady_motion_max / 2.0,
            "wobble {wobble:.2}"
        );
        assert!(moved > limits.steady_motion_max, "moved {moved:.2}");
    }

    #[test]
    fn noise_is_averaged_away() {
        let scene = card_scene(1280, 720);
        let mut noisy = scene.clone();
        // +-12 levels of pseudo-random noise on every channel, as a cheap sensor in dim light gives.
        let mut state = 0x2545_F491_u32;
        for px in noisy.pixels_mut() {
            for c in px.0.iter_mut() {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let n = (state % 25) as i32 - 12;
                *c = (*c as i32 + n).clamp(0, 255) as u8;
            }
        }
        let motion = Thumbnail::of(&frame(&noisy))
            .motion_since(&Thumbnail::of(&frame(&scene)))
            .expect("same size");
        assert!(motion < 1.0, "noise read as motion {motion:.2}");
    }

    #[test]
    fn frames_of_another_size_are_not_compared() {
        let a = Thumbnail::of(&frame(&card_scene(1280, 720)));
        let b = Thumbnail::of(&frame(&card_scene(640, 480)));
        assert_eq!((b.width, b.height), (64, 48));
        assert_eq!(a.motion_since(&b), None);
    }
}
