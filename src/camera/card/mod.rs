//! Finding a card (or a page) anywhere in the picture and straightening it.
//!
//! The outline is found on the analysis-size luma (gradients, line voting restricted to near-horizontal
//! and near-vertical sides, the quad with the best edge support that has the document's shape), its
//! corners refined on the full-resolution luma, and the quad straightened through a homography with
//! bilinear sampling. [`hints`] turns the outline's place, size and tilt into advice.

pub mod find;
pub mod hints;
pub mod refine;
pub mod synthetic;
pub mod warp;

use serde::{Deserialize, Serialize};

use super::frame::{Luma, PixelRect, fit_within};

/// Four corners in pixels, in the order top-left, top-right, bottom-right, bottom-left.
pub type Quad = [(f64, f64); 4];

/// How far (analysis pixels) across a coarse side its edge is looked for when refining.
const REFINE_REACH_ANALYSIS_PX: f64 = 2.5;
/// A document is looked for from this share of the smallest accepted width (so "come closer" can be said)…
const SEARCH_BELOW_MIN: f64 = 0.6;
/// …to this share of the largest accepted width (so "move back" can be said).
const SEARCH_ABOVE_MAX: f64 = 1.35;

/// The outline of the document found in a frame, for the screen to draw and `doctor` to print.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CardOutline {
    /// Corners top-left, top-right, bottom-right, bottom-left, each (x, y) as shares (0-1) of the
    /// frame's width and height.
    pub corners: [(f64, f64); 4],
    /// Tilt in the picture in degrees, clockwise positive as seen on screen.
    pub tilt_degrees: f64,
}

/// Side `i` of a quad (from corner `i` to corner `i + 1`): its ends, its unit direction, and its unit
/// normal pointing away from the quad's centre.
pub(crate) struct Side {
    /// Where the side starts.
    pub a: (f64, f64),
    /// Where the side ends.
    pub b: (f64, f64),
    /// Unit vector from `a` to `b`.
    pub direction: (f64, f64),
    /// Unit normal pointing out of the quad.
    pub outward: (f64, f64),
}

impl Side {
    /// Side `i` (0-3) of `quad`.
    pub(crate) fn of(quad: &Quad, i: usize) -> Side {
        let (mx, my) = quad
            .iter()
            .fold((0.0, 0.0), |(sx, sy), p| (sx + p.0 / 4.0, sy + p.1 / 4.0));
        let (a, b) = (quad[i % 4], quad[(i + 1) % 4]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let mut outward = (dy / len, -dx / len);
        let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        if outward.0 * (mid.0 - mx) + outward.1 * (mid.1 - my) < 0.0 {
            outward = (-outward.0, -outward.1);
        }
        Side {
            a,
            b,
            direction: (dx / len, dy / len),
            outward,
        }
    }
}

/// A document found in a frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Located {
    /// Corners in full-resolution pixels.
    pub quad: Quad,
    /// Edge support of the weakest side: the share of its length with an edge along it (0-1).
    pub support: f64,
}

impl Located {
    /// The outline normalised to a frame of `width` x `height`.
    pub fn outline(&self, width: u32, height: u32) -> CardOutline {
        let (w, h) = (width.max(1) as f64, height.max(1) as f64);
        CardOutline {
            corners: self.quad.map(|(x, y)| (x / w, y / h)),
            tilt_degrees: tilt_degrees(&self.quad),
        }
    }

    /// Mean width and height of the quad in pixels (top and bottom sides, left and right sides).
    pub fn size(&self) -> (f64, f64) {
        quad_size(&self.quad)
    }

    /// The size the straightened document is stored at: its own width (never enlarged) with the
    /// document's `aspect`, fitted within `max`.
    pub fn output_size(&self, aspect: f64, max: (u32, u32)) -> (u32, u32) {
        straightened_size(&self.quad, aspect, max)
    }
}

/// The size a document found at `quad` is straightened to: its own mean width (never enlarged) with
/// the document's `aspect`, fitted within `max`.
pub fn straightened_size(quad: &Quad, aspect: f64, max: (u32, u32)) -> (u32, u32) {
    let width = quad_size(quad).0.round().max(2.0);
    let height = (width / aspect).round().max(2.0);
    fit_within(width as u32, height as u32, max.0, max.1)
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// Mean width (top and bottom sides) and mean height (left and right sides) of a quad.
pub fn quad_size(quad: &Quad) -> (f64, f64) {
    let [tl, tr, br, bl] = *quad;
    (
        (distance(tl, tr) + distance(bl, br)) / 2.0,
        (distance(tl, bl) + distance(tr, br)) / 2.0,
    )
}

/// Mean tilt of a quad's four sides against the picture's axes, degrees, clockwise positive.
pub fn tilt_degrees(quad: &Quad) -> f64 {
    let [tl, tr, br, bl] = *quad;
    let across = |a: (f64, f64), b: (f64, f64)| (b.1 - a.1).atan2(b.0 - a.0);
    let down = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).atan2(b.1 - a.1);
    ((across(tl, tr) + across(bl, br) + down(tl, bl) + down(tr, br)) / 4.0).to_degrees()
}

/// Looks for a document of `aspect` (width over height) whose width is from `min_share` to `max_share`
/// of the guide box's (`guide`, full-resolution pixels) give or take the search margins, on `analysis`
/// (the frame shrunk) and refines its corners on `full`.
pub fn locate(
    analysis: &Luma,
    full: &Luma,
    guide: PixelRect,
    aspect: f64,
    min_share: f64,
    max_share: f64,
) -> Option<Located> {
    let scale = analysis.width as f64 / full.width.max(1) as f64;
    let guide_width = guide.width as f64 * scale;
    let wanted = find::Wanted {
        aspect,
        min_width: guide_width * min_share * SEARCH_BELOW_MIN,
        max_width: guide_width * max_share * SEARCH_ABOVE_MAX,
    };
    let found = find::find_quad(analysis, &wanted)?;
    let coarse = found.quad.map(|(x, y)| (x / scale, y / scale));
    let reach = REFINE_REACH_ANALYSIS_PX / scale;
    let refined = refine::refine_quad(full, &coarse, reach);
    // A refinement that wanders off (a stronger edge nearby) keeps the coarse corners.
    let wandered = refined
        .iter()
        .zip(coarse.iter())
        .any(|(r, c)| distance(*r, *c) > 3.0 * reach);
    Some(Located {
        quad: if wandered { coarse } else { refined },
        support: found.support,
    })
}
