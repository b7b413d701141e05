//! Speed of the camera pipeline on one core-sized budget: per 640x480 frame (quality checks, face
//! detection, preview conversion, the preview from an MJPEG frame with the scaled decode against the full
//! decode), finding and straightening the card per 1280x720 frame (target < 15 ms), and per document
//! (find + straighten + checks + JPEG encode, target < 60 ms).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lapak_kiosk::camera::card::synthetic::{Backdrop, Pose, card_frame};
use lapak_kiosk::camera::card::{locate, warp};
use lapak_kiosk::camera::sample_card::ID1_ASPECT;
use lapak_kiosk::camera::{
    CARD_MAX, Frame, GuideBox, JpegFrame, QualityThresholds, analysis_luma, assess, capture,
    card_scene, detect_faces, encode_jpeg, face_scene, luma_of_rgb, preview_of,
};
use lapak_kiosk::claim::DocumentKind;

fn per_frame(c: &mut Criterion) {
    let limits = QualityThresholds::default();
    let card_vga = Frame::from_image(&card_scene(640, 480), 0);
    let face_vga = Frame::from_image(&face_scene(640, 480).expect("face scene renders"), 0);
    let card_hd = Frame::from_image(&card_scene(1280, 720), 0);

    c.bench_function("quality checks, card, 640x480", |b| {
        b.iter(|| assess(DocumentKind::Ektp, black_box(&card_vga), &limits))
    });
    let luma = analysis_luma(&face_vga);
    c.bench_function("face detection, 640x480 (run at 480x360)", |b| {
        b.iter(|| detect_faces(black_box(&luma)))
    });
    c.bench_function("quality checks with face, 640x480", |b| {
        b.iter(|| assess(DocumentKind::Selfie, black_box(&face_vga), &limits))
    });
    c.bench_function("preview, 640x480 frame", |b| {
        b.iter(|| preview_of(black_box(&card_vga)))
    });
    c.bench_function("preview, 1280x720 frame", |b| {
        b.iter(|| preview_of(black_box(&card_hd)))
    });
    for frame in [&card_vga, &card_hd] {
        let jpeg = encode_jpeg(&frame.rgb, frame.width, frame.height, 90).expect("encodes");
        let mjpeg = JpegFrame::new(jpeg.into(), 0).expect("a JPEG");
        let size = format!("{}x{}", frame.width, frame.height);
        c.bench_function(
            &format!("preview from MJPEG (scaled decode), {size}"),
            |b| b.iter(|| black_box(&mjpeg).preview()),
        );
        c.bench_function(&format!("full decode + preview from MJPEG, {size}"), |b| {
            b.iter(|| black_box(&mjpeg).decode().map(|full| preview_of(&full)))
        });
    }
}

fn card_finding(c: &mut Criterion) {
    let (w, h) = (1280, 720);
    let guide = GuideBox::for_kind(DocumentKind::Ektp, w, h).to_pixels(w, h);
    let pose = Pose {
        tilt_degrees: 8.0,
        turn: 0.06,
        ..Pose::square(0.8)
    };
    let card_width = (guide.width as f64 * pose.share) as u32;
    let (image, _) = card_frame(Backdrop::Busy, w, h, guide, &pose, card_width);
    let frame = Frame::from_image(&image, 0);
    c.bench_function(
        "card corners found + straightened (luma, stored size), 1280x720",
        |b| {
            b.iter(|| {
                let frame = black_box(&frame);
                let full = luma_of_rgb(&frame.rgb, frame.width, frame.height);
                let analysis = analysis_luma(frame);
                locate(&analysis, &full, guide, ID1_ASPECT, 0.5, 1.1).map(|found| {
                    let (sw, sh) = found.output_size(ID1_ASPECT, CARD_MAX);
                    warp::straighten_luma(&full, &found.quad, sw, sh)
                })
            })
        },
    );
    let limits = QualityThresholds::default();
    c.bench_function(
        "capture tilted card on a busy desk (find + straighten + checks + JPEG), 1280x720",
        |b| b.iter(|| capture(DocumentKind::Ektp, black_box(&frame), &limits)),
    );
}

fn per_document(c: &mut Criterion) {
    let limits = QualityThresholds::default();
    let card_hd = Frame::from_image(&card_scene(1280, 720), 0);
    let card_fhd = Frame::from_image(&card_scene(1920, 1080), 0);
    c.bench_function(
        "capture card (find + straighten + checks + JPEG), 1280x720",
        |b| b.iter(|| capture(DocumentKind::Ektp, black_box(&card_hd), &limits)),
    );
    c.bench_function(
        "capture card (find + straighten + checks + JPEG), 1920x1080",
        |b| b.iter(|| capture(DocumentKind::Ektp, black_box(&card_fhd), &limits)),
    );
}

/// The face photo's checks (face detection, eyes and head pose) on a 720p frame.
fn selfie_checks(c: &mut Criterion) {
    let limits = QualityThresholds::default();
    let face_hd = Frame::from_image(&face_scene(1280, 720).expect("face scene renders"), 0);
    c.bench_function("quality checks with face and head pose, 1280x720", |b| {
        b.iter(|| assess(DocumentKind::Selfie, black_box(&face_hd), &limits))
    });
}

criterion_group!(
    benches,
    per_frame,
    card_finding,
    per_document,
    selfie_checks
);
criterion_main!(benches);
