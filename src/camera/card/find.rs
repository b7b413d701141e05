//! Finding a document's outline on the analysis-size luma: Sobel gradients, line voting restricted to
//! near-horizontal and near-vertical orientations, then the quad of four voted lines, inside the frame,
//! whose sides have the best edge support along their whole length and whose shape fits the document.

use crate::camera::frame::Luma;

use super::{Quad, Side};

/// Smallest Sobel response (about a 15-level luma step) that counts as an edge.
pub const EDGE_MIN: i32 = 60;
/// A side's edge is a step: the luma this far (pixels) on either side of it still differs by
/// [`STEP_MIN`]. A thin line (a printed text stroke) is back to its background there.
const STEP_REACH: f64 = 3.0;
/// See [`STEP_REACH`].
const STEP_MIN: i32 = 15;
/// Largest angle from the horizontal (or vertical) of a side that is looked for, in degrees; beyond the
/// tilt limit so that a card tilted too far is still found and asked to be straightened.
pub const ANGLE_MAX_DEGREES: i32 = 30;
/// Each edge pixel votes for the angles this close (degrees) to its gradient's.
const ANGLE_SPREAD: i32 = 2;
/// Strongest lines kept per orientation.
const LINES_KEPT: usize = 16;
/// Largest departure of the found shape's aspect (mean width over mean height) from the document's, as a
/// ratio (a side turned 10 % shorter in depth changes the aspect by about 5 %).
const ASPECT_TOLERANCE: f64 = 1.18;
/// Largest angle between opposite sides of a candidate, degrees (a side turned 10 % shorter in depth
/// leans its neighbours by about 3 degrees).
const OPPOSITE_ANGLE_MAX_DEGREES: f64 = 8.0;
/// Shortest opposite side, as a share of the longer one, of a quad that is still a candidate.
const OPPOSITE_RATIO_MIN: f64 = 0.75;

/// Sobel gradients of a luma image (zero on the border).
pub struct Gradients {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Horizontal derivative (positive: brighter to the right).
    pub gx: Vec<i16>,
    /// Vertical derivative (positive: brighter downwards).
    pub gy: Vec<i16>,
    /// The luma itself.
    luma: Vec<u8>,
}

impl Gradients {
    /// The Sobel gradients of `luma`.
    pub fn of(luma: &Luma) -> Gradients {
        let (w, h) = (luma.width as usize, luma.height as usize);
        let mut gx = vec![0i16; w * h];
        let mut gy = vec![0i16; w * h];
        let d = &luma.data;
        for y in 1..h.saturating_sub(1) {
            for x in 1..w.saturating_sub(1) {
                let p = |dx: usize, dy: usize| d[(y + dy - 1) * w + x + dx - 1] as i32;
                let sx = p(2, 0) + 2 * p(2, 1) + p(2, 2) - p(0, 0) - 2 * p(0, 1) - p(0, 2);
                let sy = p(0, 2) + 2 * p(1, 2) + p(2, 2) - p(0, 0) - 2 * p(1, 0) - p(2, 0);
                gx[y * w + x] = sx as i16;
                gy[y * w + x] = sy as i16;
            }
        }
        Gradients {
            width: luma.width,
            height: luma.height,
            gx,
            gy,
            luma: luma.data.clone(),
        }
    }

    /// The luma at the nearest pixel to (x, y), clamped to the image.
    fn luma_at(&self, x: f64, y: f64) -> i32 {
        let xi = (x.max(0.0) as usize).min(self.width as usize - 1);
        let yi = (y.max(0.0) as usize).min(self.height as usize - 1);
        self.luma[yi * self.width as usize + xi] as i32
    }

    /// The gradient at the nearest pixel to (x, y), zero outside.
    fn at(&self, x: f64, y: f64) -> (i32, i32) {
        if x < 0.0 || y < 0.0 || x >= self.width as f64 || y >= self.height as f64 {
            return (0, 0);
        }
        let i = y as usize * self.width as usize + x as usize;
        (self.gx[i] as i32, self.gy[i] as i32)
    }
}

/// A voted line. A "horizontal" line is `y = offset + (x - cx) * slope`, a "vertical" one
/// `x = offset + (y - cy) * slope`, with (cx, cy) the image centre.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Line {
    offset: f64,
    slope: f64,
}

/// What is looked for: the document's aspect (width over height) and its width range in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wanted {
    /// Width over height of the document.
    pub aspect: f64,
    /// Narrowest width, in pixels of the analysis image.
    pub min_width: f64,
    /// Widest width, in pixels of the analysis image.
    pub max_width: f64,
}

/// Corners must lie this far (a share of the frame's smaller side) inside the frame: a document cut by
/// the frame's edge, or the frame's own border, is not an outline.
const FRAME_MARGIN: f64 = 0.005;

/// The best quad found and the weakest side's edge support (0-1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// Corners TL, TR, BR, BL in analysis pixels.
    pub quad: Quad,
    /// The weakest side's support: the share of its length with an edge along it.
    pub support: f64,
}

/// Accumulators: [orientation (0 horizontal, 1 vertical)], angle-major.
struct Votes {
    offsets: usize,
    margin: i64,
    acc: [Vec<u32>; 2],
}

const ANGLES: usize = (2 * ANGLE_MAX_DEGREES + 1) as usize;

fn tangents() -> [f64; ANGLES] {
    let mut t = [0.0; ANGLES];
    for (i, v) in t.iter_mut().enumerate() {
        *v = ((i as f64) - ANGLE_MAX_DEGREES as f64).to_radians().tan();
    }
    t
}

/// atan in degrees for |x| <= 1 (within 0.1 degree), the way the votes need it.
fn fast_atan_degrees(x: f64) -> f64 {
    let a = x.abs().min(1.0);
    let radians = std::f64::consts::FRAC_PI_4 * a - a * (a - 1.0) * (0.2447 + 0.0663 * a);
    radians.to_degrees().copysign(x)
}

fn vote(g: &Gradients, tan: &[f64; ANGLES]) -> Votes {
    let (w, h) = (g.width as usize, g.height as usize);
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
    let longest = w.max(h) as f64;
    let margin = (longest * tan[ANGLES - 1]).ceil() as i64 + 1;
    let offsets = longest as usize + 2 * margin as usize;
    let empty = || vec![0u32; ANGLES * offsets];
    let mut votes = Votes {
        offsets,
        margin,
        acc: [empty(), empty()],
    };
    let limit = (ANGLE_MAX_DEGREES + ANGLE_SPREAD) as f64;
    let min_sq = EDGE_MIN * EDGE_MIN;
    for y in 1..h.saturating_sub(1) {
        for x in 1..w.saturating_sub(1) {
            let i = y * w + x;
            let (gx, gy) = (g.gx[i] as i32, g.gy[i] as i32);
            let strength = gx * gx + gy * gy;
            if strength < min_sq {
                continue;
            }
            // Only the crest of an edge votes (the Sobel response is a few pixels thick).
            let across = if gy.abs() >= gx.abs() { w } else { 1 };
            let at = |j: usize| {
                let (ax, ay) = (g.gx[j] as i32, g.gy[j] as i32);
                ax * ax + ay * ay
            };
            if at(i - across) > strength || at(i + across) >= strength {
                continue;
            }
            // Horizontal line: normal (gx, gy) mostly vertical; the line's slope is -gx/gy.
            // Pixel centres, in the continuous coordinates of the outline.
            let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
            let (orientation, along, across, normal, tangent, centre) = if gy.abs() >= gx.abs() {
                (0, px, py, gy, gx, cx)
            } else {
                (1, py, px, gx, gy, cy)
            };
            let angle = fast_atan_degrees(-(tangent as f64) / normal as f64);
            if angle.abs() > limit {
                continue;
            }
            let acc = &mut votes.acc[orientation];
            let a0 = (angle.round() as i32 - ANGLE_SPREAD).max(-ANGLE_MAX_DEGREES);
            let a1 = (angle.round() as i32 + ANGLE_SPREAD).min(ANGLE_MAX_DEGREES);
            for a in a0..=a1 {
                let k = (a + ANGLE_MAX_DEGREES) as usize;
                let offset = across - (along - centre) * tan[k];
                let bin = offset.round() as i64 + margin;
                if bin >= 0 && (bin as usize) < offsets {
                    acc[k * offsets + bin as usize] += 1;
                }
            }
        }
    }
    votes
}

/// The strongest lines of one accumulator, strongest first; each suppresses the cells within 3 degrees
/// and 4 pixels of it.
fn peaks(
    acc: &[u32],
    offsets: usize,
    margin: i64,
    tan: &[f64; ANGLES],
    min_votes: u32,
) -> Vec<Line> {
    let mut cells: Vec<(u32, usize, usize)> = Vec::new();
    for (i, &v) in acc.iter().enumerate() {
        if v >= min_votes {
            cells.push((v, i / offsets, i % offsets));
        }
    }
    // Strongest first; ties in scan order, so the result does not depend on the sort.
    cells.sort_unstable_by_key(|&(v, k, o)| (std::cmp::Reverse(v), k, o));
    let mut kept: Vec<(usize, usize)> = Vec::with_capacity(LINES_KEPT);
    for (_, k, o) in cells {
        if kept.len() == LINES_KEPT {
            break;
        }
        if kept
            .iter()
            .all(|&(kk, oo)| kk.abs_diff(k) > 3 || oo.abs_diff(o) > 4)
        {
            kept.push((k, o));
        }
    }
    kept.into_iter()
        .map(|(k, o)| Line {
            offset: o as f64 - margin as f64,
            slope: tan[k],
        })
        .collect()
}

/// Where a horizontal line and a vertical line cross.
fn cross(horizontal: &Line, vertical: &Line, cx: f64, cy: f64) -> (f64, f64) {
    let (th, tv) = (horizontal.slope, vertical.slope);
    let den = 1.0 - tv * th;
    let den = if den.abs() < 1e-9 { 1e-9 } else { den };
    let y = (horizontal.offset + (vertical.offset - cx - cy * tv) * th) / den;
    let x = vertical.offset + (y - cy) * tv;
    (x, y)
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// Whether the quad lies inside a `width` x `height` frame, has the document's shape and a width in range.
fn plausible(quad: &Quad, wanted: &Wanted, width: f64, height: f64) -> bool {
    let margin = FRAME_MARGIN * width.min(height);
    if quad
        .iter()
        .any(|&(x, y)| x < margin || y < margin || x > width - margin || y > height - margin)
    {
        return false;
    }
    let [tl, tr, br, bl] = *quad;
    let (top, bottom) = (distance(tl, tr), distance(bl, br));
    let (left, right) = (distance(tl, bl), distance(tr, br));
    if top.min(bottom) < OPPOSITE_RATIO_MIN * top.max(bottom)
        || left.min(right) < OPPOSITE_RATIO_MIN * left.max(right)
    {
        return false;
    }
    let (width, height) = ((top + bottom) / 2.0, (left + right) / 2.0);
    if height < 4.0 || width < wanted.min_width || width > wanted.max_width {
        return false;
    }
    let ratio = width / height / wanted.aspect;
    (1.0 / ASPECT_TOLERANCE..=ASPECT_TOLERANCE).contains(&ratio)
}

/// A side's support: the share of sample points along a→b (inset 4 % at each end) with a step edge
/// across the side within a pixel; points outside the image count as misses. Gives up (returning 0)
/// as soon as the misses show the share cannot exceed `floor`.
fn side_support(
    g: &Gradients,
    a: (f64, f64),
    b: (f64, f64),
    normal: (f64, f64),
    floor: f64,
) -> f64 {
    let (t0, t1) = (0.04, 0.96);
    let length = distance(a, b) * (t1 - t0);
    let samples = (length / 2.0).clamp(6.0, 400.0) as usize;
    let misses_allowed = ((1.0 - floor.max(0.0)) * samples as f64).ceil() as usize;
    let need = EDGE_MIN as f64 * 0.7;
    let (w, h) = (g.width as f64 - 1.0, g.height as f64 - 1.0);
    let (r0, r1) = (normal.0 * STEP_REACH, normal.1 * STEP_REACH);
    let mut misses = 0usize;
    for s in 0..samples {
        let t = t0 + (t1 - t0) * (s as f64 + 0.5) / samples as f64;
        let (px, py) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        let inside = px >= 1.0 && py >= 1.0 && px < w && py < h;
        let hit = inside
            && (g.luma_at(px + r0, py + r1) - g.luma_at(px - r0, py - r1)).abs() >= STEP_MIN
            && [-1.0, 0.0, 1.0].iter().any(|&d| {
                let (gx, gy) = g.at(px + normal.0 * d, py + normal.1 * d);
                (gx as f64 * normal.0 + gy as f64 * normal.1).abs() >= need
            });
        if !hit {
            misses += 1;
            if misses > misses_allowed {
                return 0.0;
            }
        }
    }
    (samples - misses) as f64 / samples as f64
}

/// The weakest side's support of a quad (0-1).
pub fn quad_support(g: &Gradients, quad: &Quad) -> f64 {
    quad_support_above(g, quad, -1.0)
}

/// Like [`quad_support`], but stops at the first side whose support is not above `floor` (and returns it).
fn quad_support_above(g: &Gradients, quad: &Quad, floor: f64) -> f64 {
    let mut weakest = f64::INFINITY;
    for i in 0..4 {
        let side = Side::of(quad, i);
        weakest = weakest.min(side_support(g, side.a, side.b, side.outward, floor));
        if weakest <= floor {
            break;
        }
    }
    weakest
}

/// Finds the document's outline on `luma` (analysis size): the plausible quad with the best weakest-side
/// support, or `None` when no four voted lines make one.
pub fn find_quad(luma: &Luma, wanted: &Wanted) -> Option<Found> {
    let g = Gradients::of(luma);
    let tan = tangents();
    let votes = vote(&g, &tan);
    let (cx, cy) = (luma.width as f64 / 2.0, luma.height as f64 / 2.0);
    let min_votes = ((wanted.min_width / wanted.aspect) * 0.3).max(8.0) as u32;
    let lines = |orientation: usize| {
        peaks(
            &votes.acc[orientation],
            votes.offsets,
            votes.margin,
            &tan,
            min_votes,
        )
    };
    let (horizontal, vertical) = (lines(0), lines(1));
    // Pairs of opposite sides a document's size apart (measured across the picture's middle, leaving
    // room for tilt and perspective) and nearly parallel.
    let pairs = |lines: &[Line], min: f64, max: f64| {
        let mut out = Vec::new();
        for first in lines {
            for second in lines {
                let gap = second.offset - first.offset;
                let angle = (first.slope.atan() - second.slope.atan())
                    .abs()
                    .to_degrees();
                if gap >= min && gap <= max && angle <= OPPOSITE_ANGLE_MAX_DEGREES {
                    out.push((*first, *second));
                }
            }
        }
        out
    };
    let slack = ASPECT_TOLERANCE * 1.2;
    let min_height = wanted.min_width / wanted.aspect / slack;
    let max_height = wanted.max_width / wanted.aspect * slack;
    let rows = pairs(&horizontal, min_height, max_height);
    let columns = pairs(
        &vertical,
        wanted.min_width / slack,
        wanted.max_width * slack,
    );
    let mut best: Option<Found> = None;
    for (top, bottom) in &rows {
        for (left, right) in &columns {
            let quad = [
                cross(top, left, cx, cy),
                cross(top, right, cx, cy),
                cross(bottom, right, cx, cy),
                cross(bottom, left, cx, cy),
            ];
            if !plausible(&quad, wanted, luma.width as f64, luma.height as f64) {
                continue;
            }
            let floor = best.map_or(-1.0, |b| b.support);
            let support = quad_support_above(&g, &quad, floor);
            if support > floor {
                best = Some(Found { quad, support });
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luma(width: u32, height: u32, f: impl Fn(u32, u32) -> u8) -> Luma {
        Luma {
            width,
            height,
            data: (0..height)
                .flat_map(|y| (0..width).map(move |x| (x, y)))
                .map(|(x, y)| f(x, y))
                .collect(),
        }
    }

    #[test]
    fn a_light_rectangle_is_found_where_it_is() {
        let image = luma(320, 240, |x, y| {
            if (60..220).contains(&x) && (70..171).contains(&y) {
                200
            } else {
                90
            }
        });
        let wanted = Wanted {
            aspect: 160.0 / 101.0,
            min_width: 80.0,
            max_width: 300.0,
        };
        let found = find_quad(&image, &wanted).expect("found");
        let truth = [(60.0, 70.0), (220.0, 70.0), (220.0, 171.0), (60.0, 171.0)];
        for (f, t) in found.quad.iter().zip(truth) {
            assert!(
                (f.0 - t.0).abs() <= 1.5 && (f.1 - t.1).abs() <= 1.5,
                "{f:?} vs {t:?}"
            );
        }
        assert!(found.support > 0.95, "{}", found.support);
    }

    #[test]
    fn a_thin_printed_line_does_not_count_as_a_side() {
        // A light box whose bottom is open, with a thin dark line where its bottom would be.
        let image = luma(320, 240, |x, y| {
            let inside = (60..220).contains(&x) && (70..240).contains(&y);
            match (inside, y) {
                (true, 170) => 30,
                (true, _) => 200,
                _ => 90,
            }
        });
        let quad = [(60.0, 70.0), (220.0, 70.0), (220.0, 170.5), (60.0, 170.5)];
        let g = Gradients::of(&image);
        assert!(quad_support(&g, &quad) < 0.1, "{}", quad_support(&g, &quad));
        let closed = luma(320, 240, |x, y| {
            if (60..220).contains(&x) && (70..171).contains(&y) {
                200
            } else {
                90
            }
        });
        let g = Gradients::of(&closed);
        let quad = [(60.0, 70.0), (220.0, 70.0), (220.0, 171.0), (60.0, 171.0)];
        assert!(quad_support(&g, &quad) > 0.95);
    }
}

#[cfg(test)]
mod atan_tests {
    #[test]
    fn fast_atan_is_within_a_tenth_of_a_degree() {
        for i in -100..=100 {
            let x = i as f64 / 100.0;
            let exact = x.atan().to_degrees();
            assert!((super::fast_atan_degrees(x) - exact).abs() < 0.1, "{x}");
        }
    }
}
