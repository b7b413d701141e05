//! What the participant should change, from where the document was found against the guide box.

use crate::camera::config::QualityThresholds;
use crate::camera::frame::PixelRect;
use crate::camera::quality::QualityHint;

use super::{Quad, quad_size, tilt_degrees};

/// Shortest side of a pair of opposite sides, as a share of the other, before the document counts as
/// turned too far in depth (a side about 10 % shorter is straightened; 15 % shorter is refused).
pub const TURN_RATIO_MIN: f64 = 0.85;
/// A size measured within this share of the guide's width of a limit counts as within it, and a tilt
/// within [`TILT_LEEWAY_DEGREES`] of the limit too: the outline is measured to about a pixel of the
/// analysis image, so a card held exactly at a limit is not refused by the measurement's own error.
pub const SIZE_LEEWAY: f64 = 0.01;
/// See [`SIZE_LEEWAY`].
pub const TILT_LEEWAY_DEGREES: f64 = 0.5;
/// Leeway around the zone for the document's centre, as a share of the guide box's size.
const CENTRE_LEEWAY: f64 = 0.05;

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// Hints for a document found at `quad` (full-resolution pixels) against the guide box `guide`: size
/// (closer, back), position in the picture as shown on screen (left, right, up, down: the way the
/// document must move), and straightness. Empty when the document lies well.
pub fn placement_hints(
    quad: &Quad,
    guide: PixelRect,
    limits: &QualityThresholds,
) -> Vec<QualityHint> {
    let mut hints = Vec::new();
    let (width, height) = quad_size(quad);
    let (gw, gh) = (guide.width.max(1) as f64, guide.height.max(1) as f64);
    let share = width / gw;
    if share < limits.card_min_guide_share - SIZE_LEEWAY {
        hints.push(QualityHint::MoveCloser);
    } else if share > limits.card_max_guide_share + SIZE_LEEWAY {
        hints.push(QualityHint::MoveBack);
    }
    // The zone is the guide box grown to the largest accepted size; the document's centre may move as
    // far as the document still fits in it.
    let (cx, cy) = quad
        .iter()
        .fold((0.0, 0.0), |(sx, sy), p| (sx + p.0 / 4.0, sy + p.1 / 4.0));
    let (gcx, gcy) = (guide.x as f64 + gw / 2.0, guide.y as f64 + gh / 2.0);
    let zone = limits.card_max_guide_share;
    let allowed_x = ((zone * gw - width) / 2.0).max(0.0) + CENTRE_LEEWAY * gw;
    let allowed_y = ((zone * gh - height) / 2.0).max(0.0) + CENTRE_LEEWAY * gh;
    if cx - gcx > allowed_x {
        hints.push(QualityHint::MoveLeft);
    } else if gcx - cx > allowed_x {
        hints.push(QualityHint::MoveRight);
    }
    if cy - gcy > allowed_y {
        hints.push(QualityHint::MoveUp);
    } else if gcy - cy > allowed_y {
        hints.push(QualityHint::MoveDown);
    }
    let [tl, tr, br, bl] = *quad;
    let ratio = |a: f64, b: f64| a.min(b) / a.max(b).max(1e-9);
    let turned = ratio(distance(tl, tr), distance(bl, br)) < TURN_RATIO_MIN
        || ratio(distance(tl, bl), distance(tr, br)) < TURN_RATIO_MIN;
    if tilt_degrees(quad).abs() > limits.card_tilt_max_degrees + TILT_LEEWAY_DEGREES || turned {
        hints.push(QualityHint::Straighten);
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide() -> PixelRect {
        PixelRect {
            x: 100,
            y: 100,
            width: 400,
            height: 250,
        }
    }

    fn rect(x: f64, y: f64, w: f64, h: f64) -> Quad {
        [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    }

    #[test]
    fn size_position_and_tilt_give_their_hints() {
        let limits = QualityThresholds::default();
        assert!(placement_hints(&rect(120.0, 110.0, 360.0, 227.0), guide(), &limits).is_empty());
        assert_eq!(
            placement_hints(&rect(250.0, 180.0, 150.0, 95.0), guide(), &limits),
            vec![QualityHint::MoveCloser]
        );
        assert_eq!(
            placement_hints(&rect(60.0, 75.0, 480.0, 300.0), guide(), &limits),
            vec![QualityHint::MoveBack]
        );
        // Centred at x = 430 while the guide's centre is at 300: the card must go left on screen.
        assert_eq!(
            placement_hints(&rect(270.0, 110.0, 320.0, 200.0), guide(), &limits),
            vec![QualityHint::MoveLeft]
        );
        assert_eq!(
            placement_hints(&rect(120.0, 190.0, 320.0, 200.0), guide(), &limits),
            vec![QualityHint::MoveUp]
        );
        let (s, c) = 20f64.to_radians().sin_cos();
        let turn = |x: f64, y: f64| (300.0 + (x * c - y * s), 225.0 + (x * s + y * c));
        let tilted = [
            turn(-160.0, -100.0),
            turn(160.0, -100.0),
            turn(160.0, 100.0),
            turn(-160.0, 100.0),
        ];
        assert_eq!(
            placement_hints(&tilted, guide(), &limits),
            vec![QualityHint::Straighten]
        );
    }
}
