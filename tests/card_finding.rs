//! Finding, straightening and advising on the card, on synthetic frames whose true corners are known:
//! the sample card put through a known homography onto a desk and other backdrops.

use image::{Rgb, RgbImage};
use lapak_kiosk::camera::card::synthetic::{
    Backdrop, Pose, backdrop, card_frame, paint_quad, pose_corners_of, render_page,
};
use lapak_kiosk::camera::{
    CaptureOutcome, Frame, GuideBox, PixelRect, QualityHint, QualityReport, QualityThresholds,
    assess, capture, sample_card,
};
use lapak_kiosk::claim::DocumentKind;

const W: u32 = 1280;
const H: u32 = 720;
/// Largest corner error allowed, as a share of the card's width (x) and height (y).
const CORNER_TOLERANCE: f64 = 0.02;
/// Largest mean absolute luma difference between the stored card and the sample card rendered at the
/// stored size (measured 2.7-5.6 on the accepted frames below; a crop 5 % off measures 20.9).
const STRAIGHTENED_DIFF_MAX: f64 = 9.0;

/// The same for a page, both blurred slightly (sigma 1.5) first (measured 1.2; the page moved by 5 % of
/// its height 13.5).
const PAGE_DIFF_MAX: f64 = 4.0;

fn guide() -> PixelRect {
    GuideBox::for_kind(DocumentKind::Ektp, W, H).to_pixels(W, H)
}

fn limits() -> QualityThresholds {
    QualityThresholds::default()
}

/// The frame of the card at `pose` before `backdrop`, and the card's true corners.
fn posed(kind: Backdrop, pose: Pose) -> (RgbImage, [(f64, f64); 4]) {
    let card_width = (guide().width as f64 * pose.share).round() as u32;
    card_frame(kind, W, H, guide(), &pose, card_width)
}

fn report(image: &RgbImage) -> QualityReport {
    assess(DocumentKind::Ektp, &Frame::from_image(image, 0), &limits()).expect("assessed")
}

fn hints(image: &RgbImage) -> Vec<QualityHint> {
    let found = report(image);
    eprintln!("edge support {:?}", found.card_edge_score);
    found.hints
}

fn luma(rgb: &RgbImage) -> Vec<f64> {
    rgb.pixels()
        .map(|p| 0.299 * p[0] as f64 + 0.587 * p[1] as f64 + 0.114 * p[2] as f64)
        .collect()
}

/// Mean absolute luma difference between two pictures of the same size.
fn mean_abs_diff(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let (la, lb) = (luma(a), luma(b));
    la.iter().zip(&lb).map(|(x, y)| (x - y).abs()).sum::<f64>() / la.len() as f64
}

fn width_height(quad: &[(f64, f64); 4]) -> (f64, f64) {
    let d = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    (
        (d(quad[0], quad[1]) + d(quad[3], quad[2])) / 2.0,
        (d(quad[0], quad[3]) + d(quad[1], quad[2])) / 2.0,
    )
}

/// Asserts that each found corner lies within 2 % of the card's width and height of the truth.
fn assert_corners(what: &str, report: &QualityReport, truth: &[(f64, f64); 4]) {
    let outline = report
        .card
        .as_deref()
        .unwrap_or_else(|| panic!("{what}: no outline in {report:?}"));
    let (cw, ch) = width_height(truth);
    for (i, (found, true_corner)) in outline.corners.iter().zip(truth).enumerate() {
        let (fx, fy) = (found.0 * W as f64, found.1 * H as f64);
        let (ex, ey) = (
            (fx - true_corner.0).abs() / cw,
            (fy - true_corner.1).abs() / ch,
        );
        assert!(
            ex <= CORNER_TOLERANCE && ey <= CORNER_TOLERANCE,
            "{what}: corner {i} at ({fx:.1}, {fy:.1}), truth ({:.1}, {:.1}): error {:.3} x {:.3}",
            true_corner.0,
            true_corner.1,
            ex,
            ey
        );
    }
}

/// Captures the frame, asserts it is accepted with its corners near the truth and the stored card
/// matching the sample card; returns the mean difference.
fn assert_accepted(what: &str, image: &RgbImage, truth: &[(f64, f64); 4]) -> f64 {
    let outcome = capture(DocumentKind::Ektp, &Frame::from_image(image, 0), &limits())
        .expect("pipeline runs");
    let doc = match outcome {
        CaptureOutcome::Accepted(doc) => doc,
        CaptureOutcome::Rejected(hints) => panic!("{what}: rejected with {hints:?}"),
    };
    assert_corners(what, &doc.quality, truth);
    eprintln!("{what}: edge support {:?}", doc.quality.card_edge_score);
    let stored = image::load_from_memory(&doc.jpeg)
        .expect("valid JPEG")
        .to_rgb8();
    let reference = sample_card::render_card(doc.width);
    assert_eq!(reference.dimensions(), stored.dimensions(), "{what}");
    let diff = mean_abs_diff(&stored, &reference);
    assert!(
        diff < STRAIGHTENED_DIFF_MAX,
        "{what}: stored card differs from the sample card by {diff:.1}"
    );
    diff
}

#[test]
fn sharp_square_card_at_89_percent_of_the_guide_is_accepted() {
    let (image, truth) = posed(Backdrop::Desk, Pose::square(0.89));
    assert_accepted("89 %", &image, &truth);
}

#[test]
fn cards_from_50_to_110_percent_of_the_guide_are_found_and_straightened() {
    for share in [0.5, 0.6, 0.75, 0.89, 1.0, 1.1] {
        let (image, truth) = posed(Backdrop::Desk, Pose::square(share));
        let diff = assert_accepted(&format!("share {share}"), &image, &truth);
        eprintln!("share {share}: diff {diff:.2}");
    }
}

#[test]
fn cards_tilted_up_to_15_degrees_are_found_and_straightened() {
    for tilt in [-15.0, -10.0, -5.0, 5.0, 10.0, 15.0] {
        let pose = Pose {
            tilt_degrees: tilt,
            ..Pose::square(0.75)
        };
        let (image, truth) = posed(Backdrop::Desk, pose);
        let diff = assert_accepted(&format!("tilt {tilt}"), &image, &truth);
        eprintln!("tilt {tilt}: diff {diff:.2}");
    }
}

#[test]
fn cards_turned_in_depth_by_a_tenth_are_found_and_straightened() {
    for turn in [-0.1, 0.1] {
        let pose = Pose {
            turn,
            tilt_degrees: 4.0,
            ..Pose::square(0.8)
        };
        let (image, truth) = posed(Backdrop::Desk, pose);
        let diff = assert_accepted(&format!("turn {turn}"), &image, &truth);
        eprintln!("turn {turn}: diff {diff:.2}");
    }
}

#[test]
fn cards_on_plain_dark_light_and_busy_backdrops_are_found() {
    // Grey 40 and 110: the card is lighter; 235: the card is darker than the backdrop.
    for kind in [
        Backdrop::Plain(40),
        Backdrop::Plain(110),
        Backdrop::Plain(235),
        Backdrop::Busy,
    ] {
        let pose = Pose {
            tilt_degrees: -7.0,
            shift: (0.05, -0.04),
            ..Pose::square(0.8)
        };
        let (image, truth) = posed(kind, pose);
        let diff = assert_accepted(&format!("{kind:?}"), &image, &truth);
        eprintln!("{kind:?}: diff {diff:.2}");
    }
}

#[test]
fn a_crop_five_percent_off_the_card_fails_the_straightened_comparison() {
    // The comparison used above tells a straightened card from a slightly wrong crop.
    let (image, truth) = posed(Backdrop::Desk, Pose::square(1.0));
    let (x, y) = truth[0];
    let reference = sample_card::render_card(guide().width);
    let shift = (reference.width() as f64 * 0.05) as i64;
    let crop = image::imageops::crop_imm(
        &image,
        (x.round() as i64 + shift) as u32,
        y.round() as u32,
        reference.width(),
        reference.height(),
    )
    .to_image();
    let diff = mean_abs_diff(&crop, &reference);
    eprintln!("crop 5 % off: diff {diff:.2}");
    assert!(diff > STRAIGHTENED_DIFF_MAX * 1.5, "{diff:.1}");
}

#[test]
fn cards_below_half_the_guide_ask_to_come_closer_and_beyond_it_to_move_back() {
    let (small, _) = posed(Backdrop::Desk, Pose::square(0.4));
    assert_eq!(hints(&small), vec![QualityHint::MoveCloser]);
    let (large, _) = posed(Backdrop::Desk, Pose::square(1.2));
    assert_eq!(hints(&large), vec![QualityHint::MoveBack]);
}

#[test]
fn cards_out_of_the_zone_are_asked_to_move_back_towards_the_guide() {
    // The shift is where the card is in the picture; the hint is the way it must move on screen.
    for (shift, hint) in [
        ((0.34, 0.0), QualityHint::MoveLeft),
        ((-0.34, 0.0), QualityHint::MoveRight),
        ((0.0, 0.32), QualityHint::MoveUp),
        ((0.0, -0.32), QualityHint::MoveDown),
    ] {
        let pose = Pose {
            shift,
            ..Pose::square(0.6)
        };
        let (image, truth) = posed(Backdrop::Desk, pose);
        let found = report(&image);
        assert_eq!(found.hints, vec![hint], "shift {shift:?}");
        assert_corners(&format!("shift {shift:?}"), &found, &truth);
    }
}

#[test]
fn cards_tilted_or_turned_too_far_are_asked_to_straighten() {
    for pose in [
        Pose {
            tilt_degrees: 22.0,
            ..Pose::square(0.7)
        },
        Pose {
            tilt_degrees: -22.0,
            ..Pose::square(0.7)
        },
        Pose {
            turn: 0.2,
            ..Pose::square(0.8)
        },
    ] {
        let (image, truth) = posed(Backdrop::Desk, pose);
        let found = report(&image);
        assert_eq!(found.hints, vec![QualityHint::Straighten], "{pose:?}");
        assert_corners(&format!("{pose:?}"), &found, &truth);
    }
}

#[test]
fn blurred_dark_and_glared_tilted_cards_are_named_on_the_straightened_card() {
    let pose = Pose {
        tilt_degrees: 8.0,
        ..Pose::square(0.8)
    };
    let (sharp, _) = posed(Backdrop::Desk, pose);
    for sigma in [2.0f32, 3.0] {
        let blurred = image::imageops::blur(&sharp, sigma);
        assert_eq!(
            hints(&blurred),
            vec![QualityHint::TooBlurry],
            "sigma {sigma}"
        );
    }
    let mut dark = sharp.clone();
    dark.pixels_mut()
        .for_each(|p| p.0.iter_mut().for_each(|c| *c = (*c as f32 * 0.35) as u8));
    assert_eq!(hints(&dark), vec![QualityHint::TooDark]);
    let mut glare = sharp.clone();
    sample_card::fill_ellipse(&mut glare, 600, 340, 50, 35, Rgb([255, 255, 255]));
    assert_eq!(hints(&glare), vec![QualityHint::Glare]);
}

#[test]
fn frames_without_a_card_say_the_card_is_not_seen() {
    for kind in [Backdrop::Desk, Backdrop::Plain(110), Backdrop::Busy] {
        let found = report(&backdrop(kind, W, H));
        eprintln!(
            "{kind:?} without a card: edge support {:?}",
            found.card_edge_score
        );
        assert_eq!(found.hints, vec![QualityHint::CardNotInBox], "{kind:?}");
        assert_eq!(found.card, None, "{kind:?}");
    }
    // A white wall is also too bright: both are said.
    let found = report(&backdrop(Backdrop::Plain(235), W, H));
    assert_eq!(
        found.hints,
        vec![QualityHint::TooBright, QualityHint::CardNotInBox]
    );
    assert_eq!(found.card, None);
}

#[test]
fn stored_card_from_a_full_hd_frame_is_at_most_150_kb() {
    let (w, h) = (1920, 1080);
    let guide = GuideBox::for_kind(DocumentKind::Ektp, w, h).to_pixels(w, h);
    let pose = Pose {
        tilt_degrees: 6.0,
        ..Pose::square(1.0)
    };
    let (image, _) = card_frame(Backdrop::Desk, w, h, guide, &pose, guide.width);
    match capture(DocumentKind::Ektp, &Frame::from_image(&image, 0), &limits()).expect("runs") {
        CaptureOutcome::Accepted(doc) => {
            assert_eq!((doc.width, doc.height), (1011, 638));
            assert!(doc.jpeg.len() <= 150 * 1024, "{} bytes", doc.jpeg.len());
        }
        CaptureOutcome::Rejected(hints) => panic!("rejected: {hints:?}"),
    }
}

#[test]
fn tilted_page_is_found_and_straightened_to_a4_portrait() {
    let kind = DocumentKind::KartuKeluarga;
    let guide = GuideBox::for_kind(kind, W, H).to_pixels(W, H);
    let aspect = 210.0 / 297.0;
    let pose = Pose {
        tilt_degrees: 6.0,
        ..Pose::square(0.85)
    };
    let truth = pose_corners_of(guide, &pose, aspect);
    let mut image = backdrop(Backdrop::Desk, W, H);
    let page_width = (guide.width as f64 * pose.share).round() as u32;
    paint_quad(&mut image, &render_page(page_width), &truth);
    let doc = match capture(kind, &Frame::from_image(&image, 0), &limits()).expect("runs") {
        CaptureOutcome::Accepted(doc) => doc,
        CaptureOutcome::Rejected(hints) => panic!("rejected: {hints:?}"),
    };
    assert_corners("page", &doc.quality, &truth);
    let stored = image::load_from_memory(&doc.jpeg)
        .expect("valid JPEG")
        .to_rgb8();
    let reference = render_page(doc.width);
    assert_eq!(reference.dimensions(), stored.dimensions());
    // A page is thin print: compared slightly blurred, so that resampling its one-pixel strokes does not
    // count, while lines of text out of place (the same page moved by 5 % of its height) still do.
    let soft = |image: &RgbImage| image::imageops::blur(image, 1.5);
    let diff = mean_abs_diff(&soft(&stored), &soft(&reference));
    let mut moved =
        RgbImage::from_pixel(reference.width(), reference.height(), Rgb([214, 211, 200]));
    image::imageops::replace(&mut moved, &reference, 0, (reference.height() / 20) as i64);
    let moved_diff = mean_abs_diff(&soft(&stored), &soft(&moved));
    eprintln!("page: diff {diff:.2}, moved by 5 %: {moved_diff:.2}");
    assert!(diff < PAGE_DIFF_MAX, "{diff:.1}");
    assert!(moved_diff > PAGE_DIFF_MAX * 1.5, "{moved_diff:.1}");
}

#[test]
fn a_card_shown_for_a_page_is_measured_in_the_guide_box_not_as_a_small_page() {
    // The demo camera shows the sample card on every document screen: its portrait photo box has a
    // page's shape but a third of the page guide's width, so the page guide's content is what is judged.
    let frame = Frame::from_image(&lapak_kiosk::camera::card_scene(W, H), 0);
    let found = assess(DocumentKind::KartuKeluarga, &frame, &limits()).expect("assessed");
    assert_eq!(found.card, None, "{found:?}");
    assert!(found.hints.is_empty(), "{found:?}");
}
