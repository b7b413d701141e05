//! The photo guide over the live picture, as drawn: a bright line inside a dark edge, the size of the guide
//! box for the document asked for, with the camera's picture showing through inside it.
#![cfg(feature = "ui")]
// Helpers here are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
mod journey;

use journey::*;
use lapak_kiosk::camera::GuideBox;
use lapak_kiosk::ui::screen::{Screen, Target};
use lapak_kiosk::ui::theme;

/// The box the documents screen fits the live picture into.
const PREVIEW_BOX: (f32, f32) = (640.0, 480.0);
/// How far inside the guide box the bright line lies: under the dark edge (3 px), it is 6 px wide.
const LINE_INSET: f32 = 3.0;

fn is_guide_yellow(pixel: &image::Rgb<u8>) -> bool {
    let [r, g, b] = pixel.0;
    let want = theme::GUIDE;
    let near = |c: u8, w: f32| (f32::from(c) - w * 255.0).abs() <= 6.0;
    near(r, want.r) && near(g, want.g) && near(b, want.b)
}

#[test]
fn the_guide_is_a_bright_line_in_a_dark_edge_of_the_guide_box_size_with_the_picture_inside() {
    let Kiosk {
        mut app,
        camera,
        _dir,
        ..
    } = kiosk();
    to_documents_for_resign(&mut app);
    assert_eq!(app.screen().target(), Target::Documents);
    let mut feeds = lapak_kiosk::ui::headless::Feeds::new();
    see_the_live_picture(&mut app, &mut feeds);
    let Screen::Documents(documents) = app.screen() else {
        panic!("left the documents screen");
    };
    let kind = documents.current().unwrap();

    // The picture is drawn as large as fits the preview box with the camera's aspect ratio.
    let frame = frame_of(&camera);
    let scale = (PREVIEW_BOX.0 / frame.width as f32).min(PREVIEW_BOX.1 / frame.height as f32);
    let (w, h) = (
        (frame.width as f32 * scale).floor(),
        (frame.height as f32 * scale).floor(),
    );
    let guide = GuideBox::for_kind(kind, w as u32, h as u32);
    let (gw, gh) = (guide.width as f32 * w, guide.height as f32 * h);

    let dir = tempfile::tempdir().unwrap();
    let _ = simulator(&app)
        .snapshot(&theme::kiosk())
        .unwrap()
        .matches_image(dir.path().join("documents"))
        .unwrap();
    let picture = image::open(dir.path().join("documents-tiny-skia.png"))
        .unwrap()
        .to_rgb8();

    // The snapshot may be drawn at more pixels than the window's logical size.
    let px = picture.width() as f32 / 1280.0;
    let yellow: Vec<(u32, u32)> = picture
        .enumerate_pixels()
        .filter(|(_, _, pixel)| is_guide_yellow(pixel))
        .map(|(x, y, _)| (x, y))
        .collect();
    assert!(!yellow.is_empty(), "no guide line on the documents screen");
    let left = yellow.iter().map(|p| p.0).min().unwrap();
    let right = yellow.iter().map(|p| p.0).max().unwrap();
    let top = yellow.iter().map(|p| p.1).min().unwrap();
    let bottom = yellow.iter().map(|p| p.1).max().unwrap();
    let (line_w, line_h) = ((right - left + 1) as f32, (bottom - top + 1) as f32);
    let (want_w, want_h) = ((gw - 2.0 * LINE_INSET) * px, (gh - 2.0 * LINE_INSET) * px);
    assert!(
        (line_w - want_w).abs() <= 2.0 * px && (line_h - want_h).abs() <= 2.0 * px,
        "the bright line spans {line_w}x{line_h} px, the guide box's line {want_w}x{want_h}"
    );

    // The dark edge just outside the bright line, in the middle of each side.
    let (mid_x, mid_y) = ((left + right) / 2, (top + bottom) / 2);
    let out = (2.0 * px).round() as u32;
    for (x, y) in [
        (mid_x, top - out),
        (mid_x, bottom + out),
        (left - out, mid_y),
        (right + out, mid_y),
    ] {
        let pixel = picture.get_pixel(x, y).0;
        assert!(
            pixel.iter().all(|&c| c < 60),
            "no dark edge at ({x}, {y}): {pixel:?}"
        );
    }

    // Inside the line the picture shows through: no guide colour, and the many colours of a camera picture,
    // not one flat fill.
    let margin = (12.0 * px) as u32;
    let inside = |x: u32, y: u32| {
        x > left + margin && x + margin < right && y > top + margin && y + margin < bottom
    };
    assert!(
        !yellow.iter().any(|&(x, y)| inside(x, y)),
        "guide colour inside the guide"
    );
    let mut colours: Vec<[u8; 3]> = (left + margin + 1..right - margin)
        .map(|x| picture.get_pixel(x, mid_y).0)
        .collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() > 20,
        "the picture does not show inside the guide: {} colours along its middle row",
        colours.len()
    );
}
