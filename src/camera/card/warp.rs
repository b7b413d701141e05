//! Straightening: the homography from a unit square to a found quad, and bilinear sampling through it.

use super::Quad;
use crate::camera::frame::Luma;

/// A plane projective map (3x3 matrix with the last entry 1), applied to points in pixel coordinates
/// (continuous: pixel (0,0) covers [0,1) x [0,1)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography {
    m: [f64; 9],
}

impl Homography {
    /// The map of the unit square onto `quad`: (0,0) to TL, (1,0) to TR, (1,1) to BR, (0,1) to BL.
    pub fn unit_square_to(quad: &Quad) -> Homography {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = *quad;
        let sx = x0 - x1 + x2 - x3;
        let sy = y0 - y1 + y2 - y3;
        let (dx1, dx2, dy1, dy2) = (x1 - x2, x3 - x2, y1 - y2, y3 - y2);
        let den = dx1 * dy2 - dx2 * dy1;
        let (g, h) = if den.abs() < 1e-12 {
            (0.0, 0.0)
        } else {
            ((sx * dy2 - dx2 * sy) / den, (dx1 * sy - sx * dy1) / den)
        };
        Homography {
            m: [
                x1 - x0 + g * x1,
                x3 - x0 + h * x3,
                x0,
                y1 - y0 + g * y1,
                y3 - y0 + h * y3,
                y0,
                g,
                h,
                1.0,
            ],
        }
    }

    /// The map of the rectangle `[0,width] x [0,height]` onto `quad` (corners in the same order).
    pub fn rectangle_to(width: f64, height: f64, quad: &Quad) -> Homography {
        let unit = Homography::unit_square_to(quad).m;
        let (sw, sh) = (1.0 / width.max(1e-9), 1.0 / height.max(1e-9));
        Homography {
            m: [
                unit[0] * sw,
                unit[1] * sh,
                unit[2],
                unit[3] * sw,
                unit[4] * sh,
                unit[5],
                unit[6] * sw,
                unit[7] * sh,
                unit[8],
            ],
        }
    }

    /// The image of point (x, y).
    pub fn map(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.m;
        let w = m[6] * x + m[7] * y + m[8];
        let w = if w.abs() < 1e-12 { 1e-12 } else { w };
        (
            (m[0] * x + m[1] * y + m[2]) / w,
            (m[3] * x + m[4] * y + m[5]) / w,
        )
    }

    /// The inverse map (the adjugate matrix; a degenerate map gives a degenerate inverse).
    pub fn inverse(&self) -> Homography {
        let [a, b, c, d, e, f, g, h, i] = self.m;
        let adj = [
            e * i - f * h,
            c * h - b * i,
            b * f - c * e,
            f * g - d * i,
            a * i - c * g,
            c * d - a * f,
            d * h - e * g,
            b * g - a * h,
            a * e - b * d,
        ];
        let scale = if adj[8].abs() < 1e-12 { 1.0 } else { adj[8] };
        Homography {
            m: adj.map(|v| v / scale),
        }
    }
}

/// Bilinear sample of an interleaved image with `channels` bytes per pixel at continuous (x, y), edges
/// clamped; writes one value per channel into `out`.
pub fn sample_bilinear(
    data: &[u8],
    width: u32,
    height: u32,
    channels: usize,
    x: f64,
    y: f64,
    out: &mut [u8],
) {
    let (w, h) = (width as i64, height as i64);
    let fx = (x - 0.5).clamp(0.0, (w - 1) as f64);
    let fy = (y - 0.5).clamp(0.0, (h - 1) as f64);
    let (x0, y0) = (fx.floor() as i64, fy.floor() as i64);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (ax, ay) = (fx - x0 as f64, fy - y0 as f64);
    let at = |xx: i64, yy: i64, ch: usize| data[(yy * w + xx) as usize * channels + ch] as f64;
    for (ch, value) in out.iter_mut().enumerate().take(channels) {
        let top = at(x0, y0, ch) * (1.0 - ax) + at(x1, y0, ch) * ax;
        let bottom = at(x0, y1, ch) * (1.0 - ax) + at(x1, y1, ch) * ax;
        *value = (top * (1.0 - ay) + bottom * ay).round().clamp(0.0, 255.0) as u8;
    }
}

/// The quad of an interleaved image (`channels` bytes per pixel: 1 or 3) straightened to `out_w` x
/// `out_h` (bilinear, 8-bit fixed-point weights; the map's numerators and denominator step linearly
/// along a row).
pub fn straighten(
    data: &[u8],
    width: u32,
    height: u32,
    channels: usize,
    quad: &Quad,
    out_w: u32,
    out_h: u32,
) -> Vec<u8> {
    if channels == 1 {
        straighten_n::<1>(data, width, height, quad, out_w, out_h)
    } else {
        straighten_n::<3>(data, width, height, quad, out_w, out_h)
    }
}

fn straighten_n<const C: usize>(
    data: &[u8],
    width: u32,
    height: u32,
    quad: &Quad,
    out_w: u32,
    out_h: u32,
) -> Vec<u8> {
    let m = Homography::rectangle_to(out_w as f64, out_h as f64, quad).m;
    let mut out = vec![0u8; out_w as usize * out_h as usize * C];
    if data.len() < width as usize * height as usize * C || width == 0 || height == 0 {
        return out;
    }
    let (max_x, max_y) = ((width - 1) as f32, (height - 1) as f32);
    let (last_x, last_y) = (width as usize - 1, height as usize - 1);
    let stride = width as usize * C;
    for (j, row) in out.chunks_exact_mut(out_w as usize * C).enumerate() {
        let v = j as f64 + 0.5;
        let (mut nx, mut ny, mut dn) = (
            m[0] * 0.5 + m[1] * v + m[2],
            m[3] * 0.5 + m[4] * v + m[5],
            m[6] * 0.5 + m[7] * v + m[8],
        );
        for px in row.chunks_exact_mut(C) {
            let inv = if dn.abs() < 1e-12 { 1e12 } else { 1.0 / dn };
            let fx = ((nx * inv) as f32 - 0.5).clamp(0.0, max_x);
            let fy = ((ny * inv) as f32 - 0.5).clamp(0.0, max_y);
            nx += m[0];
            ny += m[3];
            dn += m[6];
            let (x0, y0) = (fx as usize, fy as usize);
            let ax = ((fx - x0 as f32) * 256.0) as u32;
            let ay = ((fy - y0 as f32) * 256.0) as u32;
            let x1 = (x0 + 1).min(last_x);
            let y1 = (y0 + 1).min(last_y);
            let (r0, r1) = (y0 * stride, y1 * stride);
            let (c0, c1) = (x0 * C, x1 * C);
            for (ch, value) in px.iter_mut().enumerate() {
                let top = data[r0 + c0 + ch] as u32 * (256 - ax) + data[r0 + c1 + ch] as u32 * ax;
                let bottom =
                    data[r1 + c0 + ch] as u32 * (256 - ax) + data[r1 + c1 + ch] as u32 * ax;
                *value = ((top * (256 - ay) + bottom * ay + (1 << 15)) >> 16) as u8;
            }
        }
    }
    out
}

/// The quad of a luma image straightened to `out_w` x `out_h`.
pub fn straighten_luma(luma: &Luma, quad: &Quad, out_w: u32, out_h: u32) -> Luma {
    Luma {
        width: out_w,
        height: out_h,
        data: straighten(&luma.data, luma.width, luma.height, 1, quad, out_w, out_h),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_corners_map_onto_the_quad_and_back() {
        let quad = [(10.0, 20.0), (200.0, 35.0), (190.0, 150.0), (15.0, 140.0)];
        let map = Homography::unit_square_to(&quad);
        for ((u, v), (x, y)) in [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
            .into_iter()
            .zip(quad)
        {
            let (mx, my) = map.map(u, v);
            assert!((mx - x).abs() < 1e-9 && (my - y).abs() < 1e-9, "{u},{v}");
            let (bu, bv) = map.inverse().map(x, y);
            assert!((bu - u).abs() < 1e-9 && (bv - v).abs() < 1e-9, "{x},{y}");
        }
    }

    #[test]
    fn straightening_an_axis_aligned_quad_is_a_crop() {
        let luma = Luma {
            width: 8,
            height: 6,
            data: (0..48).map(|i| (i * 5) as u8).collect(),
        };
        let quad = [(2.0, 1.0), (6.0, 1.0), (6.0, 4.0), (2.0, 4.0)];
        let out = straighten_luma(&luma, &quad, 4, 3);
        for y in 0..3 {
            for x in 0..4 {
                assert_eq!(out.at(x, y), luma.at(x + 2, y + 1), "{x},{y}");
            }
        }
    }
}
