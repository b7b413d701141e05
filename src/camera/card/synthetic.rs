//! Synthetic frames with a known truth: the sample card (or any picture) put through a known homography
//! onto a backdrop, so tests and benchmarks know exactly where its corners are.

use image::{Rgb, RgbImage};

use crate::camera::frame::PixelRect;
use crate::camera::guide::A4_PORTRAIT_ASPECT;
use crate::camera::sample_card::{ID1_ASPECT, draw_text, fill_rect, render_card, render_desk};

use super::Quad;
use super::warp::{Homography, sample_bilinear};

/// What lies behind the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backdrop {
    /// The wooden desk of the simulated camera.
    Desk,
    /// One flat grey level (dark, mid or light: the card is lighter or darker than it).
    Plain(u8),
    /// A cluttered desk: printed papers, a striped cloth, a dark phone, notes, a pen.
    Busy,
}

/// The backdrop at `width` x `height`.
pub fn backdrop(kind: Backdrop, width: u32, height: u32) -> RgbImage {
    match kind {
        Backdrop::Desk => render_desk(width, height),
        Backdrop::Plain(v) => RgbImage::from_pixel(width, height, Rgb([v, v, v.saturating_sub(6)])),
        Backdrop::Busy => busy_desk(width, height),
    }
}

/// A cluttered desk at `width` x `height`: everything placed at fixed shares of the frame.
fn busy_desk(width: u32, height: u32) -> RgbImage {
    let mut scene = render_desk(width, height);
    let (w, h) = (width as f64, height as f64);
    let px = |fx: f64, fy: f64| ((fx * w) as u32, (fy * h) as u32);
    // A striped cloth along the bottom.
    let (cx, cy) = px(0.0, 0.82);
    for y in cy..height {
        for x in cx..width {
            let v = if (x + y / 2) % 24 < 10 { 210 } else { 60 };
            scene.put_pixel(x, y, Rgb([v, v / 2, v / 3]));
        }
    }
    // Printed papers, overlapping the card's zone, and a sticky note.
    let ink = Rgb([30, 30, 36]);
    for (fx, fy, fw, fh, shade) in [
        (0.02, 0.05, 0.22, 0.55, 236u8),
        (0.70, 0.02, 0.27, 0.40, 225),
        (0.35, 0.74, 0.30, 0.20, 218),
    ] {
        let (x, y) = px(fx, fy);
        let (pw, ph) = px(fw, fh);
        fill_rect(&mut scene, x, y, pw, ph, Rgb([shade, shade, shade - 6]));
        let scale = (width / 640).max(1);
        let mut line_y = y + 6 * scale;
        while line_y + 8 * scale < y + ph {
            draw_text(
                &mut scene,
                x + 4 * scale,
                line_y,
                "PT CONTOH 1234 JAKARTA",
                scale,
                ink,
            );
            line_y += 10 * scale;
        }
    }
    let (nx, ny) = px(0.26, 0.03);
    let (nw, nh) = px(0.08, 0.13);
    fill_rect(&mut scene, nx, ny, nw, nh, Rgb([240, 220, 90]));
    // A dark phone and a pen.
    let (phx, phy) = px(0.86, 0.50);
    let (phw, phh) = px(0.09, 0.30);
    fill_rect(&mut scene, phx, phy, phw, phh, Rgb([25, 25, 30]));
    let (pnx, pny) = px(0.05, 0.70);
    let (pnw, pnh) = px(0.25, 0.015);
    fill_rect(&mut scene, pnx, pny, pnw, pnh, Rgb([20, 40, 150]));
    scene
}

/// Where and how the card is held, relative to the card guide box of the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    /// Card width as a share of the guide box's width.
    pub share: f64,
    /// Tilt in the picture, degrees, clockwise as seen.
    pub tilt_degrees: f64,
    /// Turn in depth: the right side this much shorter (0-1) than the left (negative: the left).
    pub turn: f64,
    /// Offset of the card's centre from the guide's centre, as shares of the guide's width and height.
    pub shift: (f64, f64),
}

impl Pose {
    /// A card square to the camera, centred, at `share` of the guide's width.
    pub fn square(share: f64) -> Pose {
        Pose {
            share,
            tilt_degrees: 0.0,
            turn: 0.0,
            shift: (0.0, 0.0),
        }
    }
}

/// The card's corners (TL, TR, BR, BL, frame pixels) for `pose` against the card guide box `guide`.
pub fn pose_corners(guide: PixelRect, pose: &Pose) -> Quad {
    pose_corners_of(guide, pose, ID1_ASPECT)
}

/// The corners of a document of `aspect` (width over height) for `pose` against its guide box `guide`.
pub fn pose_corners_of(guide: PixelRect, pose: &Pose, aspect: f64) -> Quad {
    let w = guide.width as f64 * pose.share;
    let h = w / aspect;
    let cx = guide.x as f64 + guide.width as f64 * (0.5 + pose.shift.0);
    let cy = guide.y as f64 + guide.height as f64 * (0.5 + pose.shift.1);
    let (left_half, right_half) = (
        h / 2.0 * (1.0 - (-pose.turn).max(0.0)),
        h / 2.0 * (1.0 - pose.turn.max(0.0)),
    );
    let (s, c) = pose.tilt_degrees.to_radians().sin_cos();
    let place = |x: f64, y: f64| (cx + x * c - y * s, cy + x * s + y * c);
    [
        place(-w / 2.0, -left_half),
        place(w / 2.0, -right_half),
        place(w / 2.0, right_half),
        place(-w / 2.0, left_half),
    ]
}

/// A printed letter on paper (as a camera sees white paper in room light), `width` pixels wide, A4 portrait: a heading and lines of text.
pub fn render_page(width: u32) -> RgbImage {
    let width = width.max(100);
    let height = (width as f64 / A4_PORTRAIT_ASPECT).round() as u32;
    let mut page = RgbImage::from_pixel(width, height, Rgb([214, 211, 200]));
    let ink = Rgb([30, 30, 40]);
    let scale = (width / 250).max(1);
    let margin = width / 10;
    draw_text(
        &mut page,
        margin,
        margin,
        "SURAT KETERANGAN",
        scale * 2,
        ink,
    );
    let mut y = margin + 14 * scale * 2;
    let mut row = 0u32;
    while y + 10 * scale < height - margin {
        let text = if row % 3 == 2 {
            "NO. 001/CONTOH/2026"
        } else {
            "YANG BERTANDA TANGAN DI BAWAH INI"
        };
        draw_text(&mut page, margin, y, text, scale, ink);
        y += 11 * scale;
        row += 1;
    }
    page
}

/// Paints `picture` onto `scene` so that its corners land on `quad` (2 x 2 samples per pixel, so the
/// edges are smooth as a camera sees them).
pub fn paint_quad(scene: &mut RgbImage, picture: &RgbImage, quad: &Quad) {
    let (pw, ph) = (picture.width() as f64, picture.height() as f64);
    let to_picture = Homography::rectangle_to(pw, ph, quad).inverse();
    let (sw, sh) = (scene.width(), scene.height());
    let x0 = quad
        .iter()
        .map(|p| p.0)
        .fold(f64::INFINITY, f64::min)
        .floor()
        .max(0.0) as u32;
    let x1 = (quad.iter().map(|p| p.0).fold(0.0, f64::max).ceil() as u32 + 1).min(sw);
    let y0 = quad
        .iter()
        .map(|p| p.1)
        .fold(f64::INFINITY, f64::min)
        .floor()
        .max(0.0) as u32;
    let y1 = (quad.iter().map(|p| p.1).fold(0.0, f64::max).ceil() as u32 + 1).min(sh);
    for y in y0..y1 {
        for x in x0..x1 {
            let mut sum = [0u32; 3];
            let mut inside = 0u32;
            let under = scene.get_pixel(x, y).0;
            for (dx, dy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                let (u, v) = to_picture.map(x as f64 + dx, y as f64 + dy);
                let mut px = [0u8; 3];
                if u >= 0.0 && v >= 0.0 && u < pw && v < ph {
                    sample_bilinear(
                        picture.as_raw(),
                        picture.width(),
                        picture.height(),
                        3,
                        u,
                        v,
                        &mut px,
                    );
                    inside += 1;
                } else {
                    px = under;
                }
                for (s, p) in sum.iter_mut().zip(px) {
                    *s += p as u32;
                }
            }
            if inside > 0 {
                scene.put_pixel(x, y, Rgb(sum.map(|s| ((s + 2) / 4) as u8)));
            }
        }
    }
}

/// The sample card (rendered `card_width` pixels wide) held at `pose` before `backdrop`, in a frame of
/// `width` x `height` whose card guide box is `guide`; returns the frame and the card's true corners.
pub fn card_frame(
    backdrop_kind: Backdrop,
    width: u32,
    height: u32,
    guide: PixelRect,
    pose: &Pose,
    card_width: u32,
) -> (RgbImage, Quad) {
    let mut scene = backdrop(backdrop_kind, width, height);
    let quad = pose_corners(guide, pose);
    paint_quad(&mut scene, &render_card(card_width), &quad);
    (scene, quad)
}
