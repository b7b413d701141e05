//! A synthetic card put in front of the camera: held at a pose before a backdrop, then lit unevenly,
//! with a glare spot, defocus blur and sensor noise, in a 1280 x 720 frame.

use image::{Rgb, RgbImage};

use crate::camera::GuideBox;
use crate::camera::card::synthetic::{Backdrop, Pose, backdrop, paint_quad, pose_corners};
use crate::claim::DocumentKind;

/// Frame width of the synthetic camera.
pub const FRAME_W: u32 = 1280;
/// Frame height of the synthetic camera.
pub const FRAME_H: u32 = 720;

/// How the card is held and lit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition {
    /// Where the card is held.
    pub pose: Pose,
    /// What lies behind it.
    pub backdrop: Backdrop,
    /// Defocus blur, Gaussian sigma in frame pixels (0: sharp).
    pub blur_sigma: f64,
    /// Overall light: 1.0 as rendered, lower darker.
    pub light: f64,
    /// Light falling off from left to right: the right edge this share darker.
    pub falloff: f64,
    /// A glare spot: centre (shares of the card's guide box) and radius (share of the guide's width)
    /// and strength (0-1 towards white).
    pub glare: Option<((f64, f64), f64, f64)>,
    /// Sensor noise amplitude in grey levels.
    pub noise: f64,
}

impl Condition {
    /// A clean, square, well-lit card filling most of the guide.
    pub fn clean() -> Condition {
        Condition {
            pose: Pose::square(0.9),
            backdrop: Backdrop::Desk,
            blur_sigma: 0.0,
            light: 1.0,
            falloff: 0.0,
            glare: None,
            noise: 0.0,
        }
    }

    /// A varied condition for `seed`: size, tilt, turn, shift, backdrop, blur, light and glare drawn
    /// from ranges a kiosk camera sees.
    pub fn varied(seed: u64) -> Condition {
        let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(7);
        let mut unit = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        let span = |u: f64, lo: f64, hi: f64| lo + (hi - lo) * u;
        let pose = Pose {
            share: span(unit(), 0.78, 1.0),
            tilt_degrees: span(unit(), -8.0, 8.0),
            turn: span(unit(), -0.06, 0.06),
            shift: (span(unit(), -0.05, 0.05), span(unit(), -0.05, 0.05)),
        };
        let backdrop = match (unit() * 3.0) as u32 {
            0 => Backdrop::Desk,
            1 => Backdrop::Busy,
            _ => Backdrop::Plain(span(unit(), 40.0, 110.0) as u8),
        };
        let glare = (unit() < 0.35).then(|| {
            (
                (span(unit(), 0.2, 0.8), span(unit(), 0.2, 0.8)),
                span(unit(), 0.06, 0.14),
                span(unit(), 0.3, 0.6),
            )
        });
        Condition {
            pose,
            backdrop,
            blur_sigma: span(unit(), 0.0, 1.6),
            light: span(unit(), 0.6, 1.1),
            falloff: span(unit(), 0.0, 0.3),
            glare,
            noise: span(unit(), 0.0, 6.0),
        }
    }
}

/// The card's guide box in the synthetic frame.
pub fn guide() -> crate::camera::PixelRect {
    GuideBox::for_kind(DocumentKind::Ektp, FRAME_W, FRAME_H).to_pixels(FRAME_W, FRAME_H)
}

/// The frame the camera sees of `card` (rendered at any size) under `condition`.
pub fn camera_frame(card: &RgbImage, condition: &Condition) -> RgbImage {
    let mut scene = backdrop(condition.backdrop, FRAME_W, FRAME_H);
    let guide = guide();
    let quad = pose_corners(guide, &condition.pose);
    paint_quad(&mut scene, card, &quad);
    let (gx, gy, gw, gh) = (
        guide.x as f64,
        guide.y as f64,
        guide.width as f64,
        guide.height as f64,
    );
    let mut noise_state = 0x2545_F491_4F6C_DD1Du64;
    for (x, y, p) in scene.enumerate_pixels_mut() {
        let mut gain = condition.light * (1.0 - condition.falloff * x as f64 / FRAME_W as f64);
        let mut lift = 0.0;
        if let Some(((cx, cy), radius, strength)) = condition.glare {
            let (dx, dy) = (x as f64 - (gx + cx * gw), y as f64 - (gy + cy * gh));
            let r = radius * gw;
            let t = (-(dx * dx + dy * dy) / (2.0 * r * r)).exp() * strength;
            lift = t * 255.0;
            gain *= 1.0 - t;
        }
        noise_state ^= noise_state << 13;
        noise_state ^= noise_state >> 7;
        noise_state ^= noise_state << 17;
        let n = ((noise_state >> 40) as f64 / (1u64 << 24) as f64 - 0.5) * 2.0 * condition.noise;
        *p = Rgb(p
            .0
            .map(|v| (v as f64 * gain + lift + n).round().clamp(0.0, 255.0) as u8));
    }
    if condition.blur_sigma > 0.05 {
        blur(&mut scene, condition.blur_sigma);
    }
    scene
}

/// Gaussian blur of sigma `sigma`, separable.
fn blur(img: &mut RgbImage, sigma: f64) {
    let radius = (sigma * 3.0).ceil() as i64;
    let kernel: Vec<f64> = (-radius..=radius)
        .map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f64 = kernel.iter().sum();
    let (w, h) = (img.width() as i64, img.height() as i64);
    for horizontal in [true, false] {
        let source = img.clone();
        for y in 0..h {
            for x in 0..w {
                let mut acc = [0.0f64; 3];
                for (k, weight) in kernel.iter().enumerate() {
                    let o = k as i64 - radius;
                    let (sx, sy) = if horizontal {
                        ((x + o).clamp(0, w - 1), y)
                    } else {
                        (x, (y + o).clamp(0, h - 1))
                    };
                    let p = source.get_pixel(sx as u32, sy as u32).0;
                    for c in 0..3 {
                        acc[c] += p[c] as f64 * weight;
                    }
                }
                img.put_pixel(
                    x as u32,
                    y as u32,
                    Rgb(acc.map(|a| (a / total).round() as u8)),
                );
            }
        }
    }
}
