//! The head's pose from the eyes: tilt (roll) from the line through both eyes, turn (yaw) from how far
//! the eyes' midpoint sits from the middle of the detected face.
//!
//! The eyes are the darkest round blobs in the upper half of the face box (iris and pupil are darker
//! than skin, brows are thin and fade under the blur). When the two blobs are not clearly darker than the
//! skin around them, or do not sit where eyes can sit, the pose is unknown (`None`): the photo is then
//! not refused for the pose, because a reading we cannot trust must not block a participant.

use serde::{Deserialize, Serialize};

use super::face::FaceBox;
use super::frame::{Luma, box_downscale};

/// The face is searched for eyes at (at most) this size, in pixels across and down.
const EYE_SEARCH_SIZE: u32 = 96;
/// Rows of the face box (shares of its height) where the eyes are looked for. The detector's box puts
/// the eyes of an upright face at about 0.33; a head tilted by 25 degrees moves each eye by about 0.1.
const EYE_ROWS: (f64, f64) = (0.2, 0.56);
/// Columns of the face box (shares of its width) where the left and right eye are looked for.
const LEFT_EYE_COLUMNS: (f64, f64) = (0.14, 0.49);
const RIGHT_EYE_COLUMNS: (f64, f64) = (0.51, 0.86);
/// The blur that makes an eye one dark blob, as a share of the face width (about a third of an eye).
const BLUR_SHARE: f64 = 0.03;
/// How much darker (0-255) than its surroundings an eye must be to count as found.
const MIN_EYE_CONTRAST: f64 = 12.0;
/// Distance between the eyes, as a share of the face width, that a real face has.
const EYE_DISTANCE: (f64, f64) = (0.3, 0.65);
/// Steepest line through the eyes that is still read as a tilt rather than a mistake, in degrees.
const MAX_READABLE_ROLL: f64 = 35.0;

/// The pose of the head in a face photo.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HeadPose {
    /// Sideways tilt in degrees: the angle of the line from the eye on the picture's left to the eye on
    /// its right, positive when that line falls to the right (clockwise on the screen).
    pub roll_degrees: f64,
    /// Turn: how far the eyes' midpoint is from the middle of the face box, as a share of the face
    /// width, positive towards the picture's right.
    pub turn: f64,
}

/// Where the two eyes are, in shares (0-1) of the face box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EyePair {
    /// The eye on the picture's left (x, y).
    pub left: (f64, f64),
    /// The eye on the picture's right (x, y).
    pub right: (f64, f64),
}

impl EyePair {
    /// The pose the eyes show. The face box is square, so shares of its width and height are the same
    /// length and the angle needs no correction.
    pub fn pose(&self) -> HeadPose {
        let (dx, dy) = (self.right.0 - self.left.0, self.right.1 - self.left.1);
        HeadPose {
            roll_degrees: dy.atan2(dx).to_degrees(),
            turn: (self.left.0 + self.right.0) / 2.0 - 0.5,
        }
    }
}

/// The head's pose for a face found in `luma` (the face box is normalised to `luma`), or `None` when the
/// eyes cannot be found reliably.
pub fn head_pose(luma: &Luma, face: &FaceBox) -> Option<HeadPose> {
    let patch = face_patch(luma, face)?;
    find_eyes(&patch).map(|eyes| eyes.pose())
}

/// The face box cut out of `luma`, shrunk to at most [`EYE_SEARCH_SIZE`] (smaller faces stay as they are).
fn face_patch(luma: &Luma, face: &FaceBox) -> Option<Luma> {
    let (fw, fh) = (luma.width as f64, luma.height as f64);
    let x0 = (face.x * fw).round().clamp(0.0, fw) as u32;
    let y0 = (face.y * fh).round().clamp(0.0, fh) as u32;
    let x1 = ((face.x + face.width) * fw).round().clamp(0.0, fw) as u32;
    let y1 = ((face.y + face.height) * fh).round().clamp(0.0, fh) as u32;
    let (w, h) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
    // A face cut by the frame's edge has its eyes in the wrong place of the box.
    let expected_w = (face.width * fw).round() as u32;
    let expected_h = (face.height * fh).round() as u32;
    if w < 24 || h < 24 || w + 2 < expected_w || h + 2 < expected_h {
        return None;
    }
    let mut data = Vec::with_capacity((w * h) as usize);
    for y in y0..y1 {
        let row = (y * luma.width) as usize;
        data.extend_from_slice(&luma.data[row + x0 as usize..row + x1 as usize]);
    }
    let (tw, th) = (w.min(EYE_SEARCH_SIZE), h.min(EYE_SEARCH_SIZE));
    if (tw, th) == (w, h) {
        return Some(Luma {
            width: w,
            height: h,
            data,
        });
    }
    Some(Luma {
        width: tw,
        height: th,
        data: box_downscale(&data, w, h, 1, tw, th),
    })
}

/// Both eyes in a face patch (the detector's face box), or `None` when they are not clearly there.
pub fn find_eyes(face: &Luma) -> Option<EyePair> {
    let radius = ((face.width as f64 * BLUR_SHARE).round() as u32).max(1);
    let darkness = centre_surround(face, radius);
    let left = darkest_blob(&darkness, LEFT_EYE_COLUMNS, EYE_ROWS)?;
    let right = darkest_blob(&darkness, RIGHT_EYE_COLUMNS, EYE_ROWS)?;
    let eyes = EyePair { left, right };
    let (dx, dy) = (right.0 - left.0, right.1 - left.1);
    let distance = dx.hypot(dy);
    let readable = distance >= EYE_DISTANCE.0
        && distance <= EYE_DISTANCE.1
        && eyes.pose().roll_degrees.abs() <= MAX_READABLE_ROLL;
    readable.then_some(eyes)
}

/// How much darker each pixel's close neighbourhood (radius `r`) is than its wider surroundings (radius
/// `3r`): high on a small dark blob such as an eye, low inside a large dark area such as hair.
fn centre_surround(face: &Luma, radius: u32) -> Darkness {
    let near = box_blur(face, radius);
    let wide = box_blur(face, 3 * radius);
    Darkness {
        width: face.width,
        height: face.height,
        values: near
            .data
            .iter()
            .zip(&wide.data)
            .map(|(&n, &w)| w as f64 - n as f64)
            .collect(),
    }
}

/// How much darker than its surroundings each pixel of a patch is (0-255 scale).
struct Darkness {
    width: u32,
    height: u32,
    values: Vec<f64>,
}

/// The centre (shares of the patch) of the darkest blob in the given columns and rows, refined to a
/// fraction of a pixel; `None` when no blob there is clearly darker than its surroundings.
fn darkest_blob(map: &Darkness, columns: (f64, f64), rows: (f64, f64)) -> Option<(f64, f64)> {
    let (w, h) = (map.width as f64, map.height as f64);
    let x0 = (columns.0 * w) as u32;
    let x1 = ((columns.1 * w) as u32).min(map.width);
    let y0 = (rows.0 * h) as u32;
    let y1 = ((rows.1 * h) as u32).min(map.height);
    let at = |x: u32, y: u32| map.values[(y * map.width + x) as usize];
    let mut best = (f64::MIN, x0, y0);
    for y in y0..y1 {
        for x in x0..x1 {
            if at(x, y) > best.0 {
                best = (at(x, y), x, y);
            }
        }
    }
    let (peak, px, py) = best;
    if peak < MIN_EYE_CONTRAST {
        return None;
    }
    // Centre of the dark mass around the peak: each pixel above half the peak counts by how much.
    let reach = (0.06 * w).round().max(2.0) as u32;
    let (mut sum, mut sx, mut sy) = (0.0, 0.0, 0.0);
    for y in py.saturating_sub(reach).max(y0)..(py + reach + 1).min(y1) {
        for x in px.saturating_sub(reach).max(x0)..(px + reach + 1).min(x1) {
            let weight = at(x, y) - peak / 2.0;
            if weight > 0.0 {
                sum += weight;
                sx += weight * (x as f64 + 0.5);
                sy += weight * (y as f64 + 0.5);
            }
        }
    }
    (sum > 0.0).then(|| (sx / sum / w, sy / sum / h))
}

/// Mean over a (2r+1) square around each pixel (clamped at the borders), via a summed-area table.
fn box_blur(luma: &Luma, radius: u32) -> Luma {
    let (w, h) = (luma.width as usize, luma.height as usize);
    let mut table = vec![0u32; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row_sum = 0u32;
        for x in 0..w {
            row_sum += luma.data[y * w + x] as u32;
            table[(y + 1) * (w + 1) + x + 1] = table[y * (w + 1) + x + 1] + row_sum;
        }
    }
    let r = radius as usize;
    let mut data = Vec::with_capacity(w * h);
    for y in 0..h {
        let (ya, yb) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (xa, xb) = (x.saturating_sub(r), (x + r + 1).min(w));
            let total = table[yb * (w + 1) + xb] + table[ya * (w + 1) + xa]
                - table[ya * (w + 1) + xb]
                - table[yb * (w + 1) + xa];
            data.push((total / ((xb - xa) * (yb - ya)) as u32) as u8);
        }
    }
    Luma {
        width: luma.width,
        height: luma.height,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grey face patch with two dark round eyes at the given centres (shares of the patch).
    fn patch_with_eyes(size: u32, left: (f64, f64), right: (f64, f64)) -> Luma {
        let s = size as f64;
        let eye_radius = 0.06 * s;
        let data = (0..size)
            .flat_map(|y| (0..size).map(move |x| (x as f64 + 0.5, y as f64 + 0.5)))
            .map(|(x, y)| {
                let near = |(ex, ey): (f64, f64)| (x - ex * s).hypot(y - ey * s) <= eye_radius;
                if near(left) || near(right) { 40 } else { 170 }
            })
            .collect();
        Luma {
            width: size,
            height: size,
            data,
        }
    }

    #[test]
    fn eyes_level_and_centred_read_as_upright_and_straight() {
        let eyes = find_eyes(&patch_with_eyes(96, (0.3, 0.35), (0.7, 0.35))).expect("eyes found");
        let pose = eyes.pose();
        assert!(pose.roll_degrees.abs() < 1.0, "{pose:?}");
        assert!(pose.turn.abs() < 0.02, "{pose:?}");
    }

    #[test]
    fn eyes_shifted_sideways_read_as_a_turn_of_that_share() {
        // A head turned to the picture's right shows both eyes nearer the right side of the face box.
        for shift in [-0.15, -0.08, 0.08, 0.15] {
            let patch = patch_with_eyes(96, (0.3 + shift, 0.35), (0.7 + shift, 0.35));
            let pose = find_eyes(&patch).expect("eyes found").pose();
            assert!((pose.turn - shift).abs() < 0.02, "shift {shift}: {pose:?}");
            assert!(pose.roll_degrees.abs() < 1.0, "shift {shift}: {pose:?}");
        }
    }

    #[test]
    fn one_eye_lower_reads_as_the_roll_of_the_eye_line() {
        for degrees in [-20.0f64, -10.0, 5.0, 15.0] {
            let half = 0.2 * degrees.to_radians().tan();
            let patch = patch_with_eyes(96, (0.3, 0.37 - half), (0.7, 0.37 + half));
            let pose = find_eyes(&patch).expect("eyes found").pose();
            assert!(
                (pose.roll_degrees - degrees).abs() < 1.5,
                "{degrees}: {pose:?}"
            );
        }
    }

    #[test]
    fn a_face_without_dark_eyes_has_no_pose() {
        let flat = Luma {
            width: 96,
            height: 96,
            data: vec![150; 96 * 96],
        };
        assert_eq!(find_eyes(&flat), None);
        let face = FaceBox {
            x: 0.25,
            y: 0.25,
            width: 0.5,
            height: 0.5,
            score: 10.0,
        };
        assert_eq!(head_pose(&flat, &face), None);
    }

    #[test]
    fn a_face_cut_by_the_frame_edge_has_no_pose() {
        let luma = patch_with_eyes(96, (0.3, 0.35), (0.7, 0.35));
        let inside = FaceBox {
            x: 0.0,
            y: 0.0,
            width: 1.0,
            height: 1.0,
            score: 10.0,
        };
        assert!(head_pose(&luma, &inside).is_some());
        let cut = FaceBox { x: 0.3, ..inside };
        assert_eq!(head_pose(&luma, &cut), None);
    }
}
