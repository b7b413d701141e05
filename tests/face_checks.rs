//! Face photos at the distances, places and head tilts a participant shows the kiosk's camera: synthetic
//! 1280x720 frames made from the astronaut photo (public domain, see fixtures/README.md), scaled, moved
//! and rotated.

use image::{Rgb, RgbImage};
use lapak_kiosk::camera::{CaptureOutcome, Frame, QualityHint, QualityThresholds, assess, capture};
use lapak_kiosk::claim::DocumentKind;

const FRAME: (u32, u32) = (1280, 720);
/// The astronaut's face as the detector boxes it in the photo (512x512): left, top, width in pixels.
const FACE_IN_PHOTO: (f64, f64, f64) = (176.0, 68.8, 97.6);
const BACKGROUND: Rgb<u8> = Rgb([180, 180, 175]);

fn astronaut() -> RgbImage {
    let path = format!(
        "{}/tests/fixtures/astronaut.png",
        env!("CARGO_MANIFEST_DIR")
    );
    image::open(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .to_rgb8()
}

/// A 1280x720 frame with the astronaut's face `share` of the frame wide, its centre at `centre`
/// (normalised to the frame), and the whole photo rotated by `roll_degrees` about the face's centre
/// (clockwise on the screen for positive angles). Pixels are sampled bilinearly.
fn face_frame(photo: &RgbImage, share: f64, centre: (f64, f64), roll_degrees: f64) -> Frame {
    face_frame_of(photo, FACE_IN_PHOTO, share, centre, roll_degrees)
}

/// Like [`face_frame`] for a photo whose face the detector boxes at `face` (left, top, width).
fn face_frame_of(
    photo: &RgbImage,
    face: (f64, f64, f64),
    share: f64,
    centre: (f64, f64),
    roll_degrees: f64,
) -> Frame {
    let (fw, fh) = FRAME;
    let scale = share * fw as f64 / face.2;
    let source_centre = (face.0 + face.2 / 2.0, face.1 + face.2 / 2.0);
    let target_centre = (centre.0 * fw as f64, centre.1 * fh as f64);
    let (sin, cos) = roll_degrees.to_radians().sin_cos();
    let frame = RgbImage::from_fn(fw, fh, |x, y| {
        // Back from the frame to the photo: undo the move, the rotation and the scale.
        let (dx, dy) = (
            x as f64 + 0.5 - target_centre.0,
            y as f64 + 0.5 - target_centre.1,
        );
        let (rx, ry) = (cos * dx + sin * dy, -sin * dx + cos * dy);
        sample(
            photo,
            source_centre.0 + rx / scale - 0.5,
            source_centre.1 + ry / scale - 0.5,
        )
    });
    Frame::from_image(&frame, 0)
}

fn sample(photo: &RgbImage, x: f64, y: f64) -> Rgb<u8> {
    let (w, h) = (photo.width() as f64, photo.height() as f64);
    if x < 0.0 || y < 0.0 || x > w - 1.0 || y > h - 1.0 {
        return BACKGROUND;
    }
    let (x0, y0) = (x.floor(), y.floor());
    let (tx, ty) = (x - x0, y - y0);
    let (x0, y0) = (x0 as u32, y0 as u32);
    let (x1, y1) = (
        (x0 + 1).min(photo.width() - 1),
        (y0 + 1).min(photo.height() - 1),
    );
    let mut out = [0u8; 3];
    for (c, value) in out.iter_mut().enumerate() {
        let p = |px: u32, py: u32| photo.get_pixel(px, py)[c] as f64;
        let top = p(x0, y0) * (1.0 - tx) + p(x1, y0) * tx;
        let bottom = p(x0, y1) * (1.0 - tx) + p(x1, y1) * tx;
        *value = (top * (1.0 - ty) + bottom * ty).round() as u8;
    }
    Rgb(out)
}

fn limits() -> QualityThresholds {
    QualityThresholds::default()
}

fn hints_of(frame: &Frame) -> Vec<QualityHint> {
    match capture(DocumentKind::Selfie, frame, &limits()).expect("pipeline runs") {
        CaptureOutcome::Accepted(_) => Vec::new(),
        CaptureOutcome::Rejected(hints) => hints,
    }
}

/// Where a face naturally sits in the oval: a little above the middle.
const NATURAL: (f64, f64) = (0.5, 0.45);

#[test]
fn faces_at_a_natural_distance_are_found_at_their_size_and_accepted() {
    let photo = astronaut();
    for share in [0.09, 0.10, 0.12, 0.14, 0.18, 0.25] {
        let frame = face_frame(&photo, share, NATURAL, 0.0);
        let report = assess(DocumentKind::Selfie, &frame, &limits()).expect("assessed");
        let faces = report.faces.clone().expect("a face photo reports faces");
        assert_eq!(faces.len(), 1, "{share}: {report:?}");
        // The detector's scales are 0.8 apart, so it reads the width within about a tenth.
        assert!(
            (faces[0].width - share).abs() < 0.12 * share,
            "{share}: read {}",
            faces[0].width
        );
        assert!(report.passed(), "{share}: {report:?}");
        assert!(
            matches!(hints_of(&frame)[..], []),
            "{share}: refused by capture"
        );
    }
}

#[test]
fn a_face_too_far_away_asks_to_come_closer() {
    let photo = astronaut();
    let frame = face_frame(&photo, 0.07, NATURAL, 0.0);
    assert_eq!(hints_of(&frame), vec![QualityHint::FaceTooSmall]);
}

#[test]
fn a_face_too_near_asks_to_step_back() {
    let photo = astronaut();
    for share in [0.35, 0.45, 0.6] {
        let found = hints_of(&face_frame(&photo, share, (0.5, 0.5), 0.0));
        assert_eq!(found, vec![QualityHint::FaceTooClose], "{share}");
    }
}

#[test]
fn a_face_anywhere_natural_in_the_oval_is_accepted() {
    let photo = astronaut();
    // The oval of a 1280x720 frame spans x 0.33..0.67 and y 0.1..0.9.
    for centre in [
        (0.44, 0.45),
        (0.56, 0.45),
        (0.5, 0.33),
        (0.5, 0.6),
        (0.45, 0.55),
    ] {
        let found = hints_of(&face_frame(&photo, 0.13, centre, 0.0));
        assert!(found.is_empty(), "{centre:?}: {found:?}");
    }
}

#[test]
fn a_face_beside_or_above_the_oval_is_asked_to_move_into_it() {
    let photo = astronaut();
    for centre in [(0.25, 0.45), (0.75, 0.45), (0.63, 0.45), (0.5, 0.15)] {
        let found = hints_of(&face_frame(&photo, 0.13, centre, 0.0));
        assert_eq!(found, vec![QualityHint::FaceNotCentred], "{centre:?}");
    }
}

#[test]
fn the_measured_roll_follows_the_head_tilt_within_one_and_a_half_degrees() {
    let photo = astronaut();
    let pose = |share: f64, roll: f64| {
        let frame = face_frame(&photo, share, NATURAL, roll);
        let report = assess(DocumentKind::Selfie, &frame, &limits()).expect("assessed");
        report
            .head
            .unwrap_or_else(|| panic!("{share} {roll}: no pose in {report:?}"))
    };
    for share in [0.09, 0.14, 0.25] {
        // The astronaut holds her head a little tilted in the photo (her right eye, on the picture's
        // left, is higher: the reading is about 3 degrees); rotations are measured from that reading.
        let upright = pose(share, 0.0);
        assert!(upright.roll_degrees.abs() < 4.0, "{share}: {upright:?}");
        assert!(upright.turn.abs() < 0.05, "{share}: {upright:?}");
        for roll in [-20.0, -10.0, -5.0, 5.0, 10.0, 20.0] {
            let head = pose(share, roll);
            let turned_by = head.roll_degrees - upright.roll_degrees;
            assert!(
                (turned_by - roll).abs() < 1.5,
                "{share} {roll}: read {head:?}, upright {upright:?}"
            );
            // The detector's box stays upright, so a strongly tilted face sits off its middle.
            if roll.abs() <= 10.0 {
                assert!(head.turn.abs() < 0.06, "{share} {roll}: read {head:?}");
            }
        }
    }
}

#[test]
fn a_slight_tilt_is_accepted_and_a_strong_one_asks_for_an_upright_head() {
    let photo = astronaut();
    // Her head already tilts by about 3 degrees clockwise: -10 reads -7, +5 reads 8 (limit 12).
    for roll in [-10.0, -5.0, 5.0] {
        let found = hints_of(&face_frame(&photo, 0.14, NATURAL, roll));
        assert!(found.is_empty(), "{roll}: {found:?}");
    }
    for roll in [-20.0, 20.0] {
        let found = hints_of(&face_frame(&photo, 0.14, NATURAL, roll));
        assert_eq!(found, vec![QualityHint::HeadUpright], "{roll}");
    }
}

#[test]
fn the_mirrored_face_reads_the_opposite_roll_and_turn() {
    let photo = astronaut();
    let mirrored = image::imageops::flip_horizontal(&photo);
    // Mirroring moves the face box: (512 - left - width) is its new left edge.
    let (left, top, width) = FACE_IN_PHOTO;
    let mirrored_face = (512.0 - left - width, top, width);
    let head = |image: &RgbImage, face| {
        let frame = face_frame_of(image, face, 0.14, NATURAL, 0.0);
        assess(DocumentKind::Selfie, &frame, &limits())
            .expect("assessed")
            .head
            .expect("a pose")
    };
    let (straight, flipped) = (head(&photo, FACE_IN_PHOTO), head(&mirrored, mirrored_face));
    assert!(straight.roll_degrees > 1.0, "{straight:?}");
    assert!(
        (straight.roll_degrees + flipped.roll_degrees).abs() < 1.5,
        "{straight:?} {flipped:?}"
    );
    assert!(
        (straight.turn + flipped.turn).abs() < 0.03,
        "{straight:?} {flipped:?}"
    );
}
