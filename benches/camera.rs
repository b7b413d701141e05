//! Speed of the camera pipeline on one core-sized budget: per 640x480 frame (quality checks, face
//! detection, preview conversion, the preview from an MJPEG frame with the scaled decode against the full
//! decode) and per document (crop + checks + JPEG encode, target < 60 ms).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lapak_kiosk::camera::{
    Frame, JpegFrame, QualityThresholds, analysis_luma, assess, capture, card_scene, detect_faces,
    encode_jpeg, face_scene, preview_of,
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

fn per_document(c: &mut Criterion) {
    let limits = QualityThresholds::default();
    let card_hd = Frame::from_image(&card_scene(1280, 720), 0);
    let card_fhd = Frame::from_image(&card_scene(1920, 1080), 0);
    c.bench_function("capture card (crop + checks + JPEG), 1280x720", |b| {
        b.iter(|| capture(DocumentKind::Ektp, black_box(&card_hd), &limits))
    });
    c.bench_function("capture card (crop + checks + JPEG), 1920x1080", |b| {
        b.iter(|| capture(DocumentKind::Ektp, black_box(&card_fhd), &limits))
    });
}

/// The face photo's checks (face detection, eyes and head pose) on a 720p frame.
fn selfie_checks(c: &mut Criterion) {
    let limits = QualityThresholds::default();
    let face_hd = Frame::from_image(&face_scene(1280, 720).expect("face scene renders"), 0);
    c.bench_function("quality checks with face and head pose, 1280x720", |b| {
        b.iter(|| assess(DocumentKind::Selfie, black_box(&face_hd), &limits))
    });
}

criterion_group!(benches, per_frame, per_document, selfie_checks);
criterion_main!(benches);
