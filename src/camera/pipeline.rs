//! From a camera frame to a document photo: find the card (or page) and straighten it (or, for a page
//! without visible edges, crop to the guide box), check quality, compress to JPEG.

use std::fmt;

use crate::claim::DocumentKind;

use super::card::{self, CardOutline, Located, Quad};
use super::config::QualityThresholds;
use super::error::CameraError;
use super::frame::{Frame, Luma, PixelRect, box_downscale, crop_rgb, fit_within, luma_of_rgb};
use super::guide::{A4_PORTRAIT_ASPECT, GuideBox};
use super::quality::{
    Exposure, QualityHint, QualityReport, exposure, exposure_and_blur_hints, laplacian_variance,
    worst_glare_block,
};
use super::sample_card::ID1_ASPECT;
use super::selfie::{SelfieInput, assess_selfie};

/// Checks run on the frame shrunk to fit this size, so thresholds do not depend on the camera resolution.
pub const ANALYSIS_MAX: (u32, u32) = (640, 480);
/// JPEG quality of document photos: text stays legible, a card stays under 150 KB.
pub const JPEG_QUALITY: u8 = 78;
/// Largest stored card photo (about 300 dpi for an ID-1 card).
pub const CARD_MAX: (u32, u32) = (1011, 638);
/// Largest stored page photo (about 200 dpi for A4).
pub const PAGE_MAX: (u32, u32) = (1654, 2339);
/// Largest stored face photo.
pub const FACE_MAX: (u32, u32) = (600, 800);

/// A photo that passed the checks, ready for the claim packet.
#[derive(Clone, PartialEq)]
pub struct CapturedDocument {
    /// Which document it is.
    pub kind: DocumentKind,
    /// The JPEG file.
    pub jpeg: Vec<u8>,
    /// Width of the photo in pixels.
    pub width: u32,
    /// Height of the photo in pixels.
    pub height: u32,
    /// The quality readings.
    pub quality: QualityReport,
}

impl fmt::Debug for CapturedDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CapturedDocument")
            .field("kind", &self.kind)
            .field("jpeg_bytes", &self.jpeg.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .field("quality", &self.quality)
            .finish()
    }
}

/// The result of a capture.
#[derive(Debug, Clone, PartialEq)]
pub enum CaptureOutcome {
    /// The photo is good and compressed.
    Accepted(CapturedDocument),
    /// The photo was refused; the hints tell the participant what to change.
    Rejected(Vec<QualityHint>),
}

/// Runs the quality checks for `kind` on a frame. A card (or page) is looked for anywhere around the guide
/// box on a copy shrunk to fit [`ANALYSIS_MAX`], its corners refined at full resolution; sharpness,
/// exposure and glare are measured on it straightened at the size it will be stored (so blur that makes
/// the stored photo illegible is caught). A page without visible edges, and a face photo, are measured on
/// the guide box's content; faces are found on the shrunk copy.
pub fn assess(
    kind: DocumentKind,
    frame: &Frame,
    limits: &QualityThresholds,
) -> Result<QualityReport, CameraError> {
    let full = luma_of_rgb(&frame.rgb, frame.width, frame.height);
    let analysis = shrink_luma(&full, ANALYSIS_MAX);
    let guide = GuideBox::for_kind(kind, frame.width, frame.height);
    let inside = shrink_luma(
        &crop_luma(&full, guide.to_pixels(frame.width, frame.height)),
        output_max(kind),
    );
    let sharpness = laplacian_variance(&inside);
    let mut report = QualityReport {
        sharpness,
        luma_mean: 0.0,
        dark_share: 0.0,
        bright_share: 0.0,
        glare_share: None,
        card_edge_score: None,
        card: None,
        faces: None,
        head: None,
        hints: Vec::new(),
    };
    let mut hints;
    if kind == DocumentKind::Selfie {
        let input = SelfieInput {
            full: &full,
            analysis: &analysis,
            inside,
            oval: guide,
        };
        hints = assess_selfie(input, limits, &mut report, shrink_luma, crop_luma)?;
    } else if kind.is_card() {
        let guide_px = guide.to_pixels(frame.width, frame.height);
        let candidate = locate(kind, &analysis, &full, guide_px, limits);
        report.card_edge_score = Some(candidate.map_or(0.0, |f| f.support));
        match candidate.filter(|f| f.support >= limits.card_border_edge_density_min) {
            Some(found) => {
                let (w, h) = found.output_size(ID1_ASPECT, CARD_MAX);
                let card_luma = card::warp::straighten_luma(&full, &found.quad, w, h);
                let exposure = exposure(&card_luma);
                let sharpness = laplacian_variance(&card_luma);
                hints = card::hints::placement_hints(&found.quad, guide_px, limits);
                hints.extend(exposure_and_blur_hints(sharpness, exposure, limits));
                let glare = worst_glare_block(&card_luma);
                if glare > limits.glare_share_max {
                    hints.push(QualityHint::Glare);
                }
                report.sharpness = sharpness;
                report.glare_share = Some(glare);
                report.card = Some(Box::new(found.outline(frame.width, frame.height)));
                set_exposure(&mut report, exposure);
            }
            None => {
                // Without a card, light is the only other thing worth saying (a dark room hides it).
                let exposure = exposure(&inside);
                hints = exposure_and_blur_hints(sharpness, exposure, limits);
                hints.retain(|h| *h != QualityHint::TooBlurry);
                hints.push(QualityHint::CardNotInBox);
                set_exposure(&mut report, exposure);
            }
        }
    } else {
        let guide_px = guide.to_pixels(frame.width, frame.height);
        // A page gets no advice on where to hold it: an outline outside the accepted sizes is not the
        // page (the photo box of a card shown instead, say), and the guide box is used.
        let share = |f: &Located| f.size().0 / guide_px.width.max(1) as f64;
        let leeway = card::hints::SIZE_LEEWAY;
        let found = locate(kind, &analysis, &full, guide_px, limits).filter(|f| {
            f.support >= limits.card_border_edge_density_min
                && share(f) >= limits.card_min_guide_share - leeway
                && share(f) <= limits.card_max_guide_share + leeway
        });
        let measured = match found {
            Some(found) => {
                let (w, h) = found.output_size(document_aspect(kind), PAGE_MAX);
                report.card_edge_score = Some(found.support);
                report.card = Some(Box::new(found.outline(frame.width, frame.height)));
                card::warp::straighten_luma(&full, &found.quad, w, h)
            }
            None => inside,
        };
        let exposure = exposure(&measured);
        report.sharpness = laplacian_variance(&measured);
        hints = exposure_and_blur_hints(report.sharpness, exposure, limits);
        set_exposure(&mut report, exposure);
    }
    report.hints = hints;
    Ok(report)
}

/// Width over height of the document `kind` (a card, or a page in portrait).
fn document_aspect(kind: DocumentKind) -> f64 {
    if kind.is_card() {
        ID1_ASPECT
    } else {
        A4_PORTRAIT_ASPECT
    }
}

/// The best outline of a card or page of `kind` in the frame (its edge support still to be judged).
fn locate(
    kind: DocumentKind,
    analysis: &Luma,
    full: &Luma,
    guide: PixelRect,
    limits: &QualityThresholds,
) -> Option<Located> {
    card::locate(
        analysis,
        full,
        guide,
        document_aspect(kind),
        limits.card_min_guide_share,
        limits.card_max_guide_share,
    )
}

/// The corners of an outline in pixels of a `width` x `height` frame.
fn outline_quad(outline: &CardOutline, width: u32, height: u32) -> Quad {
    outline
        .corners
        .map(|(x, y)| (x * width as f64, y * height as f64))
}

fn set_exposure(report: &mut QualityReport, exposure: Exposure) {
    report.luma_mean = exposure.mean;
    report.dark_share = exposure.dark_share;
    report.bright_share = exposure.bright_share;
}

/// The largest size a photo of `kind` is stored at.
fn output_max(kind: DocumentKind) -> (u32, u32) {
    if kind == DocumentKind::Selfie {
        FACE_MAX
    } else if kind.is_card() {
        CARD_MAX
    } else {
        PAGE_MAX
    }
}

/// Checks a frame for `kind` and, when it passes, straightens the card or page found (or crops to the
/// guide box: a face, or a page whose edges were not found) and compresses it.
pub fn capture(
    kind: DocumentKind,
    frame: &Frame,
    limits: &QualityThresholds,
) -> Result<CaptureOutcome, CameraError> {
    let report = assess(kind, frame, limits)?;
    if !report.passed() {
        return Ok(CaptureOutcome::Rejected(report.hints));
    }
    let (rgb, width, height) = match (&report.card, kind == DocumentKind::Selfie) {
        (Some(outline), false) => {
            let quad = outline_quad(outline, frame.width, frame.height);
            let (w, h) = card::straightened_size(&quad, document_aspect(kind), output_max(kind));
            let rgb = card::warp::straighten(&frame.rgb, frame.width, frame.height, 3, &quad, w, h);
            (rgb, w, h)
        }
        _ => {
            let rect = GuideBox::for_kind(kind, frame.width, frame.height)
                .to_pixels(frame.width, frame.height);
            crop_to_output(kind, frame, rect)?
        }
    };
    let jpeg = encode_jpeg(&rgb, width, height, JPEG_QUALITY)?;
    Ok(CaptureOutcome::Accepted(CapturedDocument {
        kind,
        jpeg,
        width,
        height,
        quality: report,
    }))
}

/// The frame's luma shrunk to fit [`ANALYSIS_MAX`] (box filter).
pub fn analysis_luma(frame: &Frame) -> Luma {
    shrink_luma(
        &luma_of_rgb(&frame.rgb, frame.width, frame.height),
        ANALYSIS_MAX,
    )
}

/// Luma shrunk (box filter, never enlarged) to fit `max`.
fn shrink_luma(luma: &Luma, max: (u32, u32)) -> Luma {
    let (w, h) = fit_within(luma.width, luma.height, max.0, max.1);
    if (w, h) == (luma.width, luma.height) {
        return luma.clone();
    }
    Luma {
        width: w,
        height: h,
        data: box_downscale(&luma.data, luma.width, luma.height, 1, w, h),
    }
}

fn crop_luma(luma: &Luma, rect: PixelRect) -> Luma {
    let x1 = (rect.x + rect.width).min(luma.width);
    let y1 = (rect.y + rect.height).min(luma.height);
    let (x0, y0) = (rect.x.min(x1), rect.y.min(y1));
    let mut data = Vec::with_capacity(((x1 - x0) * (y1 - y0)) as usize);
    for y in y0..y1 {
        let row = (y * luma.width) as usize;
        data.extend_from_slice(&luma.data[row + x0 as usize..row + x1 as usize]);
    }
    Luma {
        width: x1 - x0,
        height: y1 - y0,
        data,
    }
}

/// The guide box cut out of the full-resolution frame, shrunk (never enlarged) to the stored size.
fn crop_to_output(
    kind: DocumentKind,
    frame: &Frame,
    rect: PixelRect,
) -> Result<(Vec<u8>, u32, u32), CameraError> {
    let (rgb, w, h) = crop_rgb(&frame.rgb, frame.width, frame.height, rect);
    let max = output_max(kind);
    let (tw, th) = fit_within(w, h, max.0, max.1);
    if (tw, th) == (w, h) {
        return Ok((rgb, w, h));
    }
    let resized = box_downscale(&rgb, w, h, 3, tw, th);
    Ok((resized, tw, th))
}

/// Compresses RGB pixels to a baseline JPEG.
pub fn encode_jpeg(
    rgb: &[u8],
    width: u32,
    height: u32,
    quality: u8,
) -> Result<Vec<u8>, CameraError> {
    let too_big = || CameraError::Encode(format!("{width}x{height} is larger than a JPEG allows"));
    let w = u16::try_from(width).map_err(|_| too_big())?;
    let h = u16::try_from(height).map_err(|_| too_big())?;
    let mut out = Vec::with_capacity(rgb.len() / 8);
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| CameraError::Encode(e.to_string()))?;
    Ok(out)
}
