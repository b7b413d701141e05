//! Cheap photo quality checks, and the plain-language hints the screen shows when a photo is refused.

use serde::{Deserialize, Serialize};

use super::card::CardOutline;
use super::config::QualityThresholds;
use super::face::FaceBox;
use super::frame::Luma;
use super::guide::GuideBox;
use super::head_pose::HeadPose;

/// Luma at or above which a pixel counts as clipped white.
const WHITE_CLIP: u8 = 250;
/// Luma at or below which a pixel counts as clipped black.
const BLACK_CLIP: u8 = 5;
/// Luma at or above which a pixel counts as glare.
const GLARE_LUMA: u8 = 245;
/// Glare is measured in this many blocks across and down the card.
const GLARE_BLOCKS: (u32, u32) = (12, 8);

/// Why a photo was refused, as advice to the participant. The screen shows the translation of
/// [`QualityHint::message_id`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualityHint {
    /// `hint-too-blurry` — en: "The photo is blurry. Hold the document still and wait a moment."
    /// id: "Foto buram. Tahan dokumen agar tidak bergerak dan tunggu sebentar."
    TooBlurry,
    /// `hint-too-dark` — en: "The photo is too dark. Move to a brighter spot or turn on the light."
    /// id: "Foto terlalu gelap. Pindah ke tempat yang lebih terang atau nyalakan lampu."
    TooDark,
    /// `hint-too-bright` — en: "The photo is too bright. Move away from direct light."
    /// id: "Foto terlalu terang. Jauhkan dari cahaya langsung."
    TooBright,
    /// `hint-glare` — en: "Light is reflecting on the card. Tilt it slightly."
    /// id: "Ada pantulan cahaya pada kartu. Miringkan kartu sedikit."
    Glare,
    /// `hint-card-not-in-box` — en: "The card is not visible yet. Show the card to the camera inside the
    /// yellow frame." id: "Kartu belum terlihat. Tunjukkan kartu ke kamera di dalam bingkai kuning."
    CardNotInBox,
    /// `hint-no-face` — en: "No face found. Look straight at the camera."
    /// id: "Wajah tidak terlihat. Lihat lurus ke kamera."
    NoFace,
    /// `hint-more-than-one-face` — en: "More than one face is visible. Only you should be in the photo."
    /// id: "Terlihat lebih dari satu wajah. Hanya Anda yang boleh ada di foto."
    MoreThanOneFace,
    /// `hint-face-not-centred` — en: "Move so that your face is in the middle of the oval."
    /// id: "Geser posisi agar wajah Anda berada di tengah oval."
    FaceNotCentred,
    /// `hint-face-too-small` — en: "Come closer to the camera."
    /// id: "Mendekatlah ke kamera."
    FaceTooSmall,
    /// `hint-face-too-close` — en: "Step back a little from the camera."
    /// id: "Mundur sedikit dari kamera."
    FaceTooClose,
    /// `hint-head-upright` — en: "Hold your head upright and look straight at the camera."
    /// id: "Tegakkan kepala dan lihat lurus ke kamera."
    HeadUpright,
    /// `hint-move-closer` — en: "Bring the document closer to the camera."
    /// id: "Dekatkan dokumen ke kamera."
    MoveCloser,
    /// `hint-move-back` — en: "Move the document a little further from the camera."
    /// id: "Jauhkan dokumen sedikit dari kamera."
    MoveBack,
    /// `hint-move-left` — en: "Move the document to the left."
    /// id: "Geser dokumen ke kiri."
    MoveLeft,
    /// `hint-move-right` — en: "Move the document to the right."
    /// id: "Geser dokumen ke kanan."
    MoveRight,
    /// `hint-move-up` — en: "Move the document up."
    /// id: "Geser dokumen ke atas."
    MoveUp,
    /// `hint-move-down` — en: "Move the document down."
    /// id: "Geser dokumen ke bawah."
    MoveDown,
    /// `hint-straighten` — en: "Hold the document straight."
    /// id: "Luruskan dokumen."
    Straighten,
    /// `hint-hold-still` — en: "Hold still for a moment."
    /// id: "Tahan diam sebentar."
    HoldStill,
}

impl QualityHint {
    /// Every hint.
    pub const ALL: [QualityHint; 19] = [
        QualityHint::TooBlurry,
        QualityHint::TooDark,
        QualityHint::TooBright,
        QualityHint::Glare,
        QualityHint::CardNotInBox,
        QualityHint::NoFace,
        QualityHint::MoreThanOneFace,
        QualityHint::FaceNotCentred,
        QualityHint::FaceTooSmall,
        QualityHint::FaceTooClose,
        QualityHint::HeadUpright,
        QualityHint::MoveCloser,
        QualityHint::MoveBack,
        QualityHint::MoveLeft,
        QualityHint::MoveRight,
        QualityHint::MoveUp,
        QualityHint::MoveDown,
        QualityHint::Straighten,
        QualityHint::HoldStill,
    ];

    /// The Fluent message id of the hint's sentence.
    pub fn message_id(self) -> &'static str {
        match self {
            QualityHint::TooBlurry => "hint-too-blurry",
            QualityHint::TooDark => "hint-too-dark",
            QualityHint::TooBright => "hint-too-bright",
            QualityHint::Glare => "hint-glare",
            QualityHint::CardNotInBox => "hint-card-not-in-box",
            QualityHint::NoFace => "hint-no-face",
            QualityHint::MoreThanOneFace => "hint-more-than-one-face",
            QualityHint::FaceNotCentred => "hint-face-not-centred",
            QualityHint::FaceTooSmall => "hint-face-too-small",
            QualityHint::FaceTooClose => "hint-face-too-close",
            QualityHint::HeadUpright => "hint-head-upright",
            QualityHint::MoveCloser => "hint-move-closer",
            QualityHint::MoveBack => "hint-move-back",
            QualityHint::MoveLeft => "hint-move-left",
            QualityHint::MoveRight => "hint-move-right",
            QualityHint::MoveUp => "hint-move-up",
            QualityHint::MoveDown => "hint-move-down",
            QualityHint::Straighten => "hint-straighten",
            QualityHint::HoldStill => "hint-hold-still",
        }
    }
}

/// The readings of the checks on one photo, and the hints they led to (empty when the photo is good).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    /// Variance of the Laplacian of the luma (higher is sharper) of the straightened card or page (the
    /// guide box when none was found; the face for a face photo).
    pub sharpness: f64,
    /// Mean luma (0-255) of the same.
    pub luma_mean: f64,
    /// Share of pixels clipped to black.
    pub dark_share: f64,
    /// Share of pixels clipped to white.
    pub bright_share: f64,
    /// Cards: the largest share of near-white pixels in one block of the card.
    pub glare_share: Option<f64>,
    /// Cards (and pages whose edges were found): the edge support of the found outline's weakest side,
    /// 0 for a card not found (see `card_border_edge_density_min`).
    pub card_edge_score: Option<f64>,
    /// Cards and pages: the outline found in the frame (corners and tilt), which the photo is
    /// straightened from.
    #[serde(default)]
    pub card: Option<Box<CardOutline>>,
    /// Face photos: the faces found, normalised to the frame.
    pub faces: Option<Vec<FaceBox>>,
    /// Face photos with one face: the head's tilt and turn, when the eyes could be found.
    #[serde(default)]
    pub head: Option<HeadPose>,
    /// What the participant should change; empty when the photo passes.
    pub hints: Vec<QualityHint>,
}

impl QualityReport {
    /// Whether the photo passed every check.
    pub fn passed(&self) -> bool {
        self.hints.is_empty()
    }
}

/// Exposure readings from the luma histogram.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exposure {
    /// Mean luma.
    pub mean: f64,
    /// Share of pixels at or below the black clip level.
    pub dark_share: f64,
    /// Share of pixels at or above the white clip level.
    pub bright_share: f64,
}

/// Variance of the 4-neighbour Laplacian: high for sharp detail, low for blur.
pub fn laplacian_variance(luma: &Luma) -> f64 {
    let (w, h) = (luma.width as usize, luma.height as usize);
    if w < 3 || h < 3 {
        return 0.0;
    }
    let d = &luma.data;
    let mut sum = 0i64;
    let mut sum_sq = 0i64;
    for y in 1..h - 1 {
        let row = y * w;
        for x in 1..w - 1 {
            let i = row + x;
            let v = d[i - 1] as i32 + d[i + 1] as i32 + d[i - w] as i32 + d[i + w] as i32
                - 4 * d[i] as i32;
            sum += v as i64;
            sum_sq += (v * v) as i64;
        }
    }
    let n = ((w - 2) * (h - 2)) as f64;
    let mean = sum as f64 / n;
    sum_sq as f64 / n - mean * mean
}

/// Mean and clipped shares from the luma histogram.
pub fn exposure(luma: &Luma) -> Exposure {
    let mut histogram = [0u64; 256];
    for &v in &luma.data {
        histogram[v as usize] += 1;
    }
    let n = luma.data.len().max(1) as f64;
    let total: u64 = histogram
        .iter()
        .enumerate()
        .map(|(v, c)| v as u64 * c)
        .sum();
    let dark: u64 = histogram[..=BLACK_CLIP as usize].iter().sum();
    let bright: u64 = histogram[WHITE_CLIP as usize..].iter().sum();
    Exposure {
        mean: total as f64 / n,
        dark_share: dark as f64 / n,
        bright_share: bright as f64 / n,
    }
}

/// The largest share of near-white pixels in any block of a 12 x 8 grid.
pub fn worst_glare_block(luma: &Luma) -> f64 {
    let (bw, bh) = GLARE_BLOCKS;
    if luma.width < bw || luma.height < bh {
        return 0.0;
    }
    let mut worst = 0.0f64;
    for by in 0..bh {
        let (y0, y1) = (by * luma.height / bh, (by + 1) * luma.height / bh);
        for bx in 0..bw {
            let (x0, x1) = (bx * luma.width / bw, (bx + 1) * luma.width / bw);
            let mut white = 0u32;
            for y in y0..y1 {
                let row = &luma.data[(y * luma.width) as usize..((y + 1) * luma.width) as usize];
                white += row[x0 as usize..x1 as usize]
                    .iter()
                    .filter(|&&v| v >= GLARE_LUMA)
                    .count() as u32;
            }
            let n = ((x1 - x0) * (y1 - y0)).max(1);
            worst = worst.max(white as f64 / n as f64);
        }
    }
    worst
}

/// Blur and exposure hints for the luma of a guide box's content.
pub fn exposure_and_blur_hints(
    sharpness: f64,
    exposure: Exposure,
    limits: &QualityThresholds,
) -> Vec<QualityHint> {
    let mut hints = Vec::new();
    if exposure.mean < limits.exposure_mean_min || exposure.dark_share > limits.clipped_share_max {
        hints.push(QualityHint::TooDark);
    } else if exposure.mean > limits.exposure_mean_max
        || exposure.bright_share > limits.clipped_share_max
    {
        hints.push(QualityHint::TooBright);
    }
    // A dark photo is also flat; ask for light first, then sharpness.
    if sharpness < limits.blur_min_laplacian_variance && hints.is_empty() {
        hints.push(QualityHint::TooBlurry);
    }
    hints
}

/// Hints about the face(s) found in a frame of `frame_aspect` (width over height), against the guide oval
/// (normalised), and about the head's pose when it could be read. A face passes the centring check when
/// its box lies inside the oval's box and its centre is within `face_centre_tolerance` of the oval's centre
/// both across and down, both distances counted in shares of the frame width (so the allowance is the same
/// number of pixels either way and a face anywhere natural in the tall oval passes); a face too close to
/// fit the oval is only asked to step back. An unknown pose
/// (`None`) is not a reason to refuse the photo.
pub fn face_hints(
    faces: &[FaceBox],
    head: Option<HeadPose>,
    oval: &GuideBox,
    frame_aspect: f64,
    limits: &QualityThresholds,
) -> Vec<QualityHint> {
    match faces {
        [] => vec![QualityHint::NoFace],
        [face] => {
            let mut hints = Vec::new();
            let (fx, fy) = face.centre();
            let (ox, oy) = oval.centre();
            let across = (fx - ox).abs();
            let down = (fy - oy).abs() / frame_aspect.max(f64::EPSILON);
            // Half a per cent of slack: the detector's box edges move by a pixel or two between frames.
            let slack = 0.005;
            // A face too close cannot fit the oval; asking it to step back is the one hint it needs.
            let too_close = face.width > limits.face_max_size_share;
            let inside = too_close
                || face.x >= oval.x - slack
                    && face.y >= oval.y - slack
                    && face.x + face.width <= oval.x + oval.width + slack
                    && face.y + face.height <= oval.y + oval.height + slack;
            if !inside
                || across > limits.face_centre_tolerance
                || down > limits.face_centre_tolerance
            {
                hints.push(QualityHint::FaceNotCentred);
            }
            if face.width < limits.face_min_size_share {
                hints.push(QualityHint::FaceTooSmall);
            } else if too_close {
                hints.push(QualityHint::FaceTooClose);
            }
            if let Some(pose) = head
                && (pose.roll_degrees.abs() > limits.head_roll_max_degrees
                    || pose.turn.abs() > limits.head_turn_max)
            {
                hints.push(QualityHint::HeadUpright);
            }
            hints
        }
        _ => vec![QualityHint::MoreThanOneFace],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luma(width: u32, height: u32, f: impl Fn(u32, u32) -> u8) -> Luma {
        let data = (0..height)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .map(|(x, y)| f(x, y))
            .collect();
        Luma {
            width,
            height,
            data,
        }
    }

    #[test]
    fn laplacian_separates_sharp_from_flat() {
        let checker = luma(
            64,
            64,
            |x, y| if (x / 2 + y / 2) % 2 == 0 { 40 } else { 200 },
        );
        let flat = luma(64, 64, |x, _| (60 + x) as u8);
        assert!(laplacian_variance(&checker) > 1000.0);
        assert!(laplacian_variance(&flat) < 1.0);
    }

    #[test]
    fn exposure_counts_clipping() {
        let half_white = luma(10, 10, |x, _| if x < 5 { 255 } else { 100 });
        let e = exposure(&half_white);
        assert!((e.mean - 177.5).abs() < 1e-9);
        assert!((e.bright_share - 0.5).abs() < 1e-9);
        assert_eq!(e.dark_share, 0.0);
    }

    #[test]
    fn glare_block_found() {
        let spot = luma(120, 80, |x, y| if x < 10 && y < 10 { 255 } else { 150 });
        assert!((worst_glare_block(&spot) - 1.0).abs() < 1e-9);
        let plain = luma(120, 80, |_, _| 150);
        assert_eq!(worst_glare_block(&plain), 0.0);
    }

    #[test]
    fn face_rules() {
        let limits = QualityThresholds::default();
        // The oval of a 1280x720 frame: x 0.33..0.67, y 0.1..0.9.
        let oval = GuideBox::for_kind(crate::claim::DocumentKind::Selfie, 1280, 720);
        let aspect = 1280.0 / 720.0;
        let face = |cx: f64, cy: f64, w: f64| FaceBox {
            x: cx - w / 2.0,
            y: cy - w * aspect / 2.0,
            width: w,
            height: w * aspect,
            score: 5.0,
        };
        let hints = |faces: &[FaceBox], head| face_hints(faces, head, &oval, aspect, &limits);
        let upright = Some(HeadPose {
            roll_degrees: 2.0,
            turn: 0.03,
        });
        assert_eq!(hints(&[], None), vec![QualityHint::NoFace]);
        assert!(hints(&[face(0.5, 0.5, 0.14)], upright).is_empty());
        // Anywhere natural in the tall oval: a little aside, high or low.
        for (cx, cy) in [
            (0.42, 0.5),
            (0.58, 0.5),
            (0.5, 0.32),
            (0.5, 0.68),
            (0.45, 0.4),
        ] {
            assert!(
                hints(&[face(cx, cy, 0.14)], upright).is_empty(),
                "{cx},{cy}"
            );
        }
        // Out of the oval's box, or too far from its centre.
        for (cx, cy) in [(0.1, 0.5), (0.62, 0.5), (0.5, 0.15), (0.5, 0.8)] {
            assert_eq!(
                hints(&[face(cx, cy, 0.14)], upright),
                vec![QualityHint::FaceNotCentred],
                "{cx},{cy}"
            );
        }
        assert_eq!(
            hints(&[face(0.5, 0.5, 0.05)], upright),
            vec![QualityHint::FaceTooSmall]
        );
        let close = FaceBox {
            x: 0.33,
            y: 0.12,
            width: limits.face_max_size_share + 0.01,
            height: 0.5,
            score: 5.0,
        };
        assert_eq!(hints(&[close], upright), vec![QualityHint::FaceTooClose]);
        let tilted = HeadPose {
            roll_degrees: -(limits.head_roll_max_degrees + 1.0),
            turn: 0.0,
        };
        let turned = HeadPose {
            roll_degrees: 0.0,
            turn: limits.head_turn_max + 0.01,
        };
        for pose in [tilted, turned] {
            assert_eq!(
                hints(&[face(0.5, 0.5, 0.14)], Some(pose)),
                vec![QualityHint::HeadUpright],
                "{pose:?}"
            );
        }
        // A pose that could not be read does not refuse the photo.
        assert!(hints(&[face(0.5, 0.5, 0.14)], None).is_empty());
        assert_eq!(
            hints(&[face(0.4, 0.5, 0.1), face(0.6, 0.5, 0.1)], None),
            vec![QualityHint::MoreThanOneFace]
        );
        let ids: std::collections::HashSet<_> =
            QualityHint::ALL.iter().map(|h| h.message_id()).collect();
        assert_eq!(ids.len(), QualityHint::ALL.len());
    }
}
