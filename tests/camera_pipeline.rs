//! The capture pipeline on real test photographs and the rendered sample card.

use image::{Rgb, RgbImage};
use lapak_kiosk::camera::{
    CaptureOutcome, Frame, QualityHint, QualityThresholds, assess, capture, card_scene, face_scene,
    sample_card,
};
use lapak_kiosk::claim::DocumentKind;

fn fixture(name: &str) -> RgbImage {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    image::open(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .to_rgb8()
}

fn limits() -> QualityThresholds {
    QualityThresholds::default()
}

fn hints(kind: DocumentKind, image: &RgbImage) -> Vec<QualityHint> {
    match capture(kind, &Frame::from_image(image, 0), &limits()).expect("pipeline runs") {
        CaptureOutcome::Accepted(_) => Vec::new(),
        CaptureOutcome::Rejected(hints) => hints,
    }
}

/// The astronaut photo pasted into a 640x480 frame so that the face (centre 225,118 in the photo) sits
/// in the middle of the guide oval, as a participant would stand.
fn astronaut_in_oval() -> RgbImage {
    let mut frame = RgbImage::from_pixel(640, 480, Rgb([180, 180, 175]));
    image::imageops::replace(&mut frame, &fixture("astronaut.png"), 320 - 225, 240 - 118);
    frame
}

#[test]
fn face_photo_is_accepted_with_one_face() {
    let frame = Frame::from_image(&astronaut_in_oval(), 0);
    let report = assess(DocumentKind::Selfie, &frame, &limits()).expect("assessed");
    assert_eq!(report.faces.as_ref().map(Vec::len), Some(1), "{report:?}");
    match capture(DocumentKind::Selfie, &frame, &limits()).expect("pipeline runs") {
        CaptureOutcome::Accepted(doc) => {
            assert_eq!(doc.kind, DocumentKind::Selfie);
            let decoded = image::load_from_memory(&doc.jpeg).expect("valid JPEG");
            assert_eq!((decoded.width(), decoded.height()), (doc.width, doc.height));
            assert!(doc.height > doc.width, "the oval's box is portrait");
        }
        CaptureOutcome::Rejected(hints) => panic!("rejected: {hints:?}"),
    }
}

#[test]
fn simulated_face_scene_is_accepted() {
    let scene = face_scene(1280, 720).expect("renders");
    assert_eq!(
        hints(DocumentKind::Selfie, &scene),
        Vec::<QualityHint>::new()
    );
}

#[test]
fn pictures_without_a_face_are_rejected_with_no_face() {
    for name in ["chelsea.png", "coffee.png"] {
        let found = hints(DocumentKind::Selfie, &fixture(name));
        assert!(found.contains(&QualityHint::NoFace), "{name}: {found:?}");
    }
}

#[test]
fn face_off_centre_and_two_faces_are_named() {
    // The photo as it is: the face is high and left of the oval's centre.
    let off = hints(DocumentKind::Selfie, &fixture("astronaut.png"));
    assert_eq!(off, vec![QualityHint::FaceNotCentred]);
    let astronaut = fixture("astronaut.png");
    let mut two = RgbImage::from_pixel(1024, 512, Rgb([180, 180, 175]));
    image::imageops::replace(&mut two, &astronaut, 0, 0);
    image::imageops::replace(&mut two, &astronaut, 512, 0);
    let found = hints(DocumentKind::Selfie, &two);
    assert!(found.contains(&QualityHint::MoreThanOneFace), "{found:?}");
}

#[test]
fn rendered_card_in_the_guide_box_is_accepted_and_small() {
    for (w, h) in [(1280, 720), (1920, 1080)] {
        let frame = Frame::from_image(&card_scene(w, h), 0);
        match capture(DocumentKind::Ektp, &frame, &limits()).expect("pipeline runs") {
            CaptureOutcome::Accepted(doc) => {
                assert!(
                    doc.jpeg.len() <= 150 * 1024,
                    "{w}x{h}: {} bytes",
                    doc.jpeg.len()
                );
                assert!(doc.width <= 1011 && doc.height <= 638);
                assert!((doc.width as f64 / doc.height as f64 - 1.586).abs() < 0.02);
                let decoded = image::load_from_memory(&doc.jpeg).expect("valid JPEG");
                assert_eq!((decoded.width(), decoded.height()), (doc.width, doc.height));
                assert!(doc.quality.card_edge_score.unwrap_or(0.0) > 0.9);
                assert!(doc.quality.card.is_some(), "the card's outline is reported");
            }
            CaptureOutcome::Rejected(hints) => panic!("{w}x{h} rejected: {hints:?}"),
        }
    }
}

#[test]
fn blurred_card_is_too_blurry() {
    let sharp = card_scene(1280, 720);
    for sigma in [2.0f32, 3.0] {
        let blurred = image::imageops::blur(&sharp, sigma);
        assert_eq!(
            hints(DocumentKind::Ektp, &blurred),
            vec![QualityHint::TooBlurry],
            "sigma {sigma}"
        );
    }
}

#[test]
fn darkened_and_overexposed_cards_are_named() {
    let mut dark = card_scene(1280, 720);
    dark.pixels_mut()
        .for_each(|p| p.0.iter_mut().for_each(|c| *c = (*c as f32 * 0.35) as u8));
    assert_eq!(hints(DocumentKind::Ektp, &dark), vec![QualityHint::TooDark]);
    let mut bright = card_scene(1280, 720);
    bright
        .pixels_mut()
        .for_each(|p| p.0.iter_mut().for_each(|c| *c = c.saturating_add(120)));
    assert!(hints(DocumentKind::Ektp, &bright).contains(&QualityHint::TooBright));
}

#[test]
fn card_below_half_the_guide_no_card_and_glare_are_named() {
    // The guide box is 896 px wide at 1280x720: a card 400 px wide is below half of it.
    let mut small = sample_card::render_desk(1280, 720);
    image::imageops::replace(&mut small, &sample_card::render_card(400), 440, 230);
    assert_eq!(
        hints(DocumentKind::Ektp, &small),
        vec![QualityHint::MoveCloser]
    );
    // 500 px (56 % of the guide) off the guide's edges is found and accepted.
    let mut smaller_than_guide = sample_card::render_desk(1280, 720);
    image::imageops::replace(
        &mut smaller_than_guide,
        &sample_card::render_card(500),
        390,
        230,
    );
    assert_eq!(
        hints(DocumentKind::Ektp, &smaller_than_guide),
        Vec::<QualityHint>::new()
    );
    let empty = sample_card::render_desk(1280, 720);
    assert!(hints(DocumentKind::Ektp, &empty).contains(&QualityHint::CardNotInBox));

    let mut glare = card_scene(1280, 720);
    sample_card::fill_ellipse(&mut glare, 560, 330, 60, 40, Rgb([255, 255, 255]));
    assert_eq!(hints(DocumentKind::Ektp, &glare), vec![QualityHint::Glare]);
}

#[test]
fn printed_text_page_sharp_accepted_blurred_refused() {
    let text = fixture("text.png");
    assert_eq!(
        hints(DocumentKind::KartuKeluarga, &text),
        Vec::<QualityHint>::new()
    );
    let blurred = image::imageops::blur(&text, 2.0);
    assert_eq!(
        hints(DocumentKind::KartuKeluarga, &blurred),
        vec![QualityHint::TooBlurry]
    );
}
