//! Finding the e-KTP by its light-blue ground. On a cluttered desk the outline with the best edges in
//! grey levels can join the card's top to a paper's bottom: printed papers are as light as the card.
//! In the blue-over-red difference the e-KTP is the one bright card-shaped area (the desk, papers,
//! cloth and phone are not blue), so its outline is looked for there first; a card whose ground is not
//! blue (the KPJ card, or a camera whose white balance hides the blue) is found in grey levels as for
//! its photo.

use crate::camera::card::{Quad, locate, warp};
use crate::camera::sample_card::ID1_ASPECT;
use crate::camera::{
    Frame, GuideBox, Luma, PixelRect, QualityThresholds, analysis_luma, luma_of_rgb,
};
use crate::claim::DocumentKind;

/// Blue-over-red difference is multiplied by this to make the blueness image (grey levels).
const BLUENESS_GAIN: i32 = 3;
/// Smallest blueness (grey levels of the blueness image) of a pixel of the card's ground.
const GROUND_MIN: u8 = 30;
/// Smallest share of a band just inside each side of the outline that is blue ground, for the outline
/// to be the e-KTP's own (its margins are blank ground; a glare spot or a fold may whiten some).
const GROUND_SHARE_MIN: f64 = 0.6;
/// The bands looked at: from this share of the card's size inside each side…
const BAND_FROM: f64 = 0.008;
/// …to this share.
const BAND_TO: f64 = 0.025;

/// The blueness of each pixel of `frame` as a grey frame: how much bluer than red it is, scaled (0
/// for grey, brown, yellow and red things).
pub fn blueness(frame: &Frame) -> Frame {
    let rgb = frame
        .rgb
        .chunks_exact(3)
        .flat_map(|p| {
            let v = ((p[2] as i32 - p[0] as i32) * BLUENESS_GAIN).clamp(0, 255) as u8;
            [v; 3]
        })
        .collect();
    Frame {
        width: frame.width,
        height: frame.height,
        rgb,
        seq: frame.seq,
        captured_at: frame.captured_at,
    }
}

/// The share of the band just inside each side of `quad` that is blue ground, the smallest of the
/// four sides (0-1).
pub fn ground_share(blue: &Luma, quad: &Quad) -> f64 {
    let to_frame = warp::Homography::unit_square_to(quad);
    let inside = |u: f64, v: f64| {
        let (x, y) = to_frame.map(u, v);
        if x < 0.0 || y < 0.0 || x >= blue.width as f64 || y >= blue.height as f64 {
            return false;
        }
        blue.at(x as u32, y as u32) >= GROUND_MIN
    };
    let samples = 60;
    let depths = 3;
    let mut weakest: f64 = 1.0;
    for side in 0..4 {
        let mut hits = 0;
        for s in 0..samples {
            let along = 0.05 + 0.9 * (s as f64 + 0.5) / samples as f64;
            for d in 0..depths {
                let depth = BAND_FROM + (BAND_TO - BAND_FROM) * d as f64 / (depths - 1) as f64;
                let (u, v) = match side {
                    0 => (along, depth),
                    1 => (1.0 - depth, along),
                    2 => (along, 1.0 - depth),
                    _ => (depth, along),
                };
                if inside(u, v) {
                    hits += 1;
                }
            }
        }
        weakest = weakest.min(hits as f64 / (samples * depths) as f64);
    }
    weakest
}

/// Where the card is in `frame` (corners in frame pixels, TL, TR, BR, BL), looked for around the card
/// guide box: the e-KTP by its blue ground first, else any card in grey levels; `None` when no card
/// is found.
pub fn card_quad(frame: &Frame, full: &Luma, analysis: &Luma) -> Option<Quad> {
    let guide = GuideBox::for_kind(DocumentKind::Ektp, frame.width, frame.height)
        .to_pixels(frame.width, frame.height);
    let locate_in = |full: &Luma, analysis: &Luma, guide: PixelRect| {
        let limits = QualityThresholds::default();
        locate(
            analysis,
            full,
            guide,
            ID1_ASPECT,
            limits.card_min_guide_share,
            limits.card_max_guide_share,
        )
    };
    let blue_frame = blueness(frame);
    let blue = luma_of_rgb(&blue_frame.rgb, blue_frame.width, blue_frame.height);
    if let Some(found) = locate_in(&blue, &analysis_luma(&blue_frame), guide)
        && ground_share(&blue, &found.quad) >= GROUND_SHARE_MIN
    {
        return Some(found.quad);
    }
    locate_in(full, analysis, guide).map(|found| found.quad)
}
