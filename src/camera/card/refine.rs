//! Corner refinement on the full-resolution luma: edge points found across each side of a coarse quad
//! with sub-pixel precision, a straight line fitted through them, and the corners where the lines cross.

use crate::camera::frame::Luma;

use super::{Quad, Side};

/// Smallest luma difference over two pixels that counts as the document's edge.
const STEP_MIN: f64 = 10.0;
/// Edge points further than this (pixels) from the first fit are dropped before the second.
const OUTLIER_PX: f64 = 1.5;

/// A line through `point` along the unit vector `direction`.
#[derive(Debug, Clone, Copy)]
struct FittedLine {
    point: (f64, f64),
    direction: (f64, f64),
}

fn luma_at(luma: &Luma, x: f64, y: f64) -> f64 {
    let mut out = [0u8];
    super::warp::sample_bilinear(&luma.data, luma.width, luma.height, 1, x, y, &mut out);
    out[0] as f64
}

/// Total least squares fit of a line through the points.
fn fit(points: &[(f64, f64)]) -> Option<FittedLine> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let (mx, my) = points
        .iter()
        .fold((0.0, 0.0), |(sx, sy), p| (sx + p.0 / n, sy + p.1 / n));
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in points {
        let (dx, dy) = (x - mx, y - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    Some(FittedLine {
        point: (mx, my),
        direction: (angle.cos(), angle.sin()),
    })
}

fn distance_to(line: &FittedLine, p: (f64, f64)) -> f64 {
    let (dx, dy) = (p.0 - line.point.0, p.1 - line.point.1);
    (dx * line.direction.1 - dy * line.direction.0).abs()
}

fn intersect(a: &FittedLine, b: &FittedLine) -> Option<(f64, f64)> {
    let den = a.direction.0 * b.direction.1 - a.direction.1 * b.direction.0;
    if den.abs() < 1e-9 {
        return None;
    }
    let (dx, dy) = (b.point.0 - a.point.0, b.point.1 - a.point.1);
    let t = (dx * b.direction.1 - dy * b.direction.0) / den;
    Some((a.point.0 + a.direction.0 * t, a.point.1 + a.direction.1 * t))
}

/// The side a→b refitted: edge points searched within `reach` pixels across it.
fn refit_side(
    luma: &Luma,
    a: (f64, f64),
    b: (f64, f64),
    outward: (f64, f64),
    reach: f64,
) -> Option<FittedLine> {
    let length = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
    let samples = (length / 6.0).clamp(12.0, 120.0) as usize;
    let steps = (reach * 2.0) as i32;
    let mut points = Vec::with_capacity(samples);
    for s in 0..samples {
        let t = 0.1 + 0.8 * (s as f64 + 0.5) / samples as f64;
        let (px, py) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        // Change of brightness across the side at half-pixel steps (either way: a patterned backdrop may
        // be lighter than the document in places and darker in others).
        let fall = |k: i32| {
            let d = k as f64 * 0.5;
            let at = |e: f64| luma_at(luma, px + outward.0 * e, py + outward.1 * e);
            (at(d - 1.0) - at(d + 1.0)).abs()
        };
        let values: Vec<f64> = (-steps - 1..=steps + 1).map(fall).collect();
        let (mut best, mut best_k) = (STEP_MIN, None);
        for (k, &value) in values.iter().enumerate().take(values.len() - 1).skip(1) {
            if value > best {
                best = value;
                best_k = Some(k);
            }
        }
        let Some(k) = best_k else { continue };
        let (l, c, r) = (values[k - 1], values[k], values[k + 1]);
        let den = l - 2.0 * c + r;
        let shift = if den.abs() > 1e-9 {
            (0.5 * (l - r) / den).clamp(-0.5, 0.5)
        } else {
            0.0
        };
        let d = ((k as i32 - steps - 1) as f64 + shift) * 0.5;
        points.push((px + outward.0 * d, py + outward.1 * d));
    }
    let first = fit(&points)?;
    let kept: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|p| distance_to(&first, *p) <= OUTLIER_PX)
        .collect();
    if kept.len() < samples / 3 {
        return None;
    }
    fit(&kept)
}

/// The quad (full-resolution pixels) with its corners refined; a side whose edge cannot be followed keeps
/// its coarse position.
pub fn refine_quad(luma: &Luma, coarse: &Quad, reach: f64) -> Quad {
    let lines: Vec<FittedLine> = (0..4)
        .map(|i| {
            let side = Side::of(coarse, i);
            refit_side(luma, side.a, side.b, side.outward, reach).unwrap_or(FittedLine {
                point: side.a,
                direction: side.direction,
            })
        })
        .collect();
    let mut refined = *coarse;
    // Corner i lies on side i-1 (ending there) and side i (starting there).
    for (i, corner) in refined.iter_mut().enumerate() {
        if let Some(p) = intersect(&lines[(i + 3) % 4], &lines[i]) {
            *corner = p;
        }
    }
    refined
}
