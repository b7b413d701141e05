//! Camera frames, the preview shown on screen, and the small pixel operations the pipeline needs.

use std::fmt;
use std::time::Instant;

use bytes::Bytes;
use image::RgbImage;

use super::error::CameraError;
use super::mjpeg::JpegFrame;

/// Largest preview the screen gets: 640x480 RGBA stays under the 2 MiB at which the GUI uploads
/// images asynchronously (and live frames flicker).
pub const PREVIEW_MAX: (u32, u32) = (640, 480);

/// One full-resolution camera frame, 8-bit RGB, row-major without padding.
#[derive(Clone)]
pub struct Frame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 3` bytes, R, G, B per pixel.
    pub rgb: Vec<u8>,
    /// Sequence number from the source, counting from 0 at each open.
    pub seq: u64,
    /// When the frame arrived from the driver.
    pub captured_at: Instant,
}

impl fmt::Debug for Frame {
    // Pixels are personal data: never print them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frame")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("seq", &self.seq)
            .finish_non_exhaustive()
    }
}

impl Frame {
    /// A frame from RGB bytes; fails when the length does not match the size.
    pub fn new(width: u32, height: u32, rgb: Vec<u8>, seq: u64) -> Result<Self, CameraError> {
        let expected = width as usize * height as usize * 3;
        if rgb.len() != expected || width == 0 || height == 0 {
            return Err(CameraError::BadImage {
                width,
                height,
                expected,
                actual: rgb.len(),
            });
        }
        Ok(Frame {
            width,
            height,
            rgb,
            seq,
            captured_at: Instant::now(),
        })
    }

    /// A frame holding a copy of an RGB image.
    pub fn from_image(image: &RgbImage, seq: u64) -> Self {
        Frame {
            width: image.width(),
            height: image.height(),
            rgb: image.as_raw().clone(),
            seq,
            captured_at: Instant::now(),
        }
    }

    /// The frame as an `image` buffer (a copy).
    pub fn to_image(&self) -> Result<RgbImage, CameraError> {
        let expected = self.width as usize * self.height as usize * 3;
        RgbImage::from_raw(self.width, self.height, self.rgb.clone()).ok_or(CameraError::BadImage {
            width: self.width,
            height: self.height,
            expected,
            actual: self.rgb.len(),
        })
    }
}

/// A frame as a camera driver delivers it: still compressed (MJPEG, what webcams send) or as pixels.
#[derive(Debug, Clone)]
pub enum SourceFrame {
    /// A JPEG, decoded only as far as each use needs.
    Jpeg(JpegFrame),
    /// Decoded RGB pixels (raw formats such as YUYV, converted by the driver).
    Rgb(Frame),
}

impl SourceFrame {
    /// The source's sequence number.
    pub fn seq(&self) -> u64 {
        match self {
            SourceFrame::Jpeg(frame) => frame.seq,
            SourceFrame::Rgb(frame) => frame.seq,
        }
    }

    /// The preview for the screen (a JPEG is decoded at the smallest scale that fits it).
    pub fn preview(&self) -> Result<Preview, CameraError> {
        match self {
            SourceFrame::Jpeg(frame) => frame.preview(),
            SourceFrame::Rgb(frame) => Ok(preview_of(frame)),
        }
    }

    /// The full-size picture.
    pub fn decode(self) -> Result<Frame, CameraError> {
        match self {
            SourceFrame::Jpeg(frame) => frame.decode(),
            SourceFrame::Rgb(frame) => Ok(frame),
        }
    }
}

/// A downscaled RGBA copy of a frame for the live preview on screen (at most [`PREVIEW_MAX`]). The pixels
/// are shared, not copied, when the preview is handed on (to the screen's image, for instance).
#[derive(Clone, PartialEq, Eq)]
pub struct Preview {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes, R, G, B, A (opaque) per pixel.
    pub rgba: Bytes,
    /// Sequence number of the frame it was made from.
    pub seq: u64,
}

impl fmt::Debug for Preview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Preview")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("seq", &self.seq)
            .finish_non_exhaustive()
    }
}

/// A grey-level (luma) image, one byte per pixel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Luma {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` bytes.
    pub data: Vec<u8>,
}

impl Luma {
    /// The luma value at (x, y); the caller keeps coordinates in range.
    pub fn at(&self, x: u32, y: u32) -> u8 {
        self.data[y as usize * self.width as usize + x as usize]
    }
}

/// A rectangle in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelRect {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// The size that fits `(width, height)` inside `(max_w, max_h)` keeping the aspect, never enlarging.
pub fn fit_within(width: u32, height: u32, max_w: u32, max_h: u32) -> (u32, u32) {
    if width <= max_w && height <= max_h {
        return (width.max(1), height.max(1));
    }
    let scale = (max_w as f64 / width as f64).min(max_h as f64 / height as f64);
    (
        ((width as f64 * scale).round() as u32).max(1),
        ((height as f64 * scale).round() as u32).max(1),
    )
}

/// The preview of a frame: box-filtered down to fit [`PREVIEW_MAX`], RGBA.
pub fn preview_of(frame: &Frame) -> Preview {
    let (w, h) = fit_within(frame.width, frame.height, PREVIEW_MAX.0, PREVIEW_MAX.1);
    let scaled;
    let rgb = if (w, h) == (frame.width, frame.height) {
        &frame.rgb
    } else {
        scaled = box_downscale(&frame.rgb, frame.width, frame.height, 3, w, h);
        &scaled
    };
    let mut rgba = vec![255u8; w as usize * h as usize * 4];
    for (out, px) in rgba.chunks_exact_mut(4).zip(rgb.chunks_exact(3)) {
        out[..3].copy_from_slice(px);
    }
    Preview {
        width: w,
        height: h,
        rgba: Bytes::from(rgba),
        seq: frame.seq,
    }
}

/// Area-average (box filter) downscale of interleaved 8-bit pixels with `channels` per pixel.
/// When the target is not smaller the pixels are sampled (nearest), so it never fails.
pub fn box_downscale(src: &[u8], sw: u32, sh: u32, channels: usize, dw: u32, dh: u32) -> Vec<u8> {
    let (sw_us, dw_us, dh_us) = (sw as usize, dw as usize, dh as usize);
    if sw == 0 || sh == 0 || dw == 0 || dh == 0 {
        return vec![0u8; dw_us * dh_us * channels];
    }
    if (sw, sh) == (dw, dh) {
        return src[..sw_us * sh as usize * channels].to_vec();
    }
    if (sw, sh) == (dw * 2, dh * 2) {
        return halve(src, sw_us, channels, dw_us, dh_us);
    }
    let mut out = vec![0u8; dw_us * dh_us * channels];
    // Column spans are the same for every row: compute them once.
    let spans = |s: u32, d: u32| -> Vec<(usize, usize)> {
        (0..d)
            .map(|i| {
                let a = (i as u64 * s as u64 / d as u64) as usize;
                let b = (((i as u64 + 1) * s as u64).div_ceil(d as u64) as usize).max(a + 1);
                (a, b.min(s as usize))
            })
            .collect()
    };
    let xs = spans(sw, dw);
    let ys = spans(sh, dh);
    let mut acc = vec![0u32; dw_us * channels];
    for (dy, &(y0, y1)) in ys.iter().enumerate() {
        acc.iter_mut().for_each(|a| *a = 0);
        for y in y0..y1 {
            let row = &src[y * sw_us * channels..(y + 1) * sw_us * channels];
            for (dx, &(x0, x1)) in xs.iter().enumerate() {
                let cell = &mut acc[dx * channels..(dx + 1) * channels];
                for px in row[x0 * channels..x1 * channels].chunks_exact(channels) {
                    for (a, &v) in cell.iter_mut().zip(px) {
                        *a += v as u32;
                    }
                }
            }
        }
        let out_row = &mut out[dy * dw_us * channels..(dy + 1) * dw_us * channels];
        for (dx, &(x0, x1)) in xs.iter().enumerate() {
            let n = ((x1 - x0) * (y1 - y0)) as u32;
            for c in 0..channels {
                let i = dx * channels + c;
                out_row[i] = ((acc[i] + n / 2) / n) as u8;
            }
        }
    }
    out
}

/// Exact 2:1 box filter (the common 1280x720 to 640x360 case), without the general span bookkeeping.
fn halve(src: &[u8], sw: usize, channels: usize, dw: usize, dh: usize) -> Vec<u8> {
    let mut out = vec![0u8; dw * dh * channels];
    let stride = sw * channels;
    for (dy, out_row) in out.chunks_exact_mut(dw * channels).enumerate() {
        let top = &src[2 * dy * stride..(2 * dy + 1) * stride];
        let bottom = &src[(2 * dy + 1) * stride..(2 * dy + 2) * stride];
        for (dx, out_px) in out_row.chunks_exact_mut(channels).enumerate() {
            let i = 2 * dx * channels;
            for c in 0..channels {
                let sum = top[i + c] as u32
                    + top[i + channels + c] as u32
                    + bottom[i + c] as u32
                    + bottom[i + channels + c] as u32;
                out_px[c] = ((sum + 2) / 4) as u8;
            }
        }
    }
    out
}

/// Luma (BT.601, integer) of interleaved RGB.
pub fn luma_of_rgb(rgb: &[u8], width: u32, height: u32) -> Luma {
    let data = rgb
        .chunks_exact(3)
        .map(|p| ((77 * p[0] as u32 + 150 * p[1] as u32 + 29 * p[2] as u32 + 128) >> 8) as u8)
        .collect();
    Luma {
        width,
        height,
        data,
    }
}

/// Copies a rectangle out of interleaved RGB; the rectangle is clipped to the image.
pub fn crop_rgb(rgb: &[u8], width: u32, height: u32, rect: PixelRect) -> (Vec<u8>, u32, u32) {
    let x0 = rect.x.min(width);
    let y0 = rect.y.min(height);
    let x1 = rect.x.saturating_add(rect.width).min(width);
    let y1 = rect.y.saturating_add(rect.height).min(height);
    let (cw, ch) = (x1 - x0, y1 - y0);
    let mut out = Vec::with_capacity(cw as usize * ch as usize * 3);
    for y in y0..y1 {
        let start = (y as usize * width as usize + x0 as usize) * 3;
        out.extend_from_slice(&rgb[start..start + cw as usize * 3]);
    }
    (out, cw, ch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_fits_and_averages() {
        // 4x2 frame: left half black, right half white; halve it.
        let mut rgb = Vec::new();
        for _y in 0..2 {
            for x in 0..4 {
                let v = if x < 2 { 0 } else { 200 };
                rgb.extend_from_slice(&[v, v, v]);
            }
        }
        let out = box_downscale(&rgb, 4, 2, 3, 2, 1);
        assert_eq!(out, vec![0, 0, 0, 200, 200, 200]);
        // Exact halving averages each 2x2 block.
        let noisy: Vec<u8> = (0..8 * 6 * 3).map(|i| (i * 37 % 251) as u8).collect();
        let halved = box_downscale(&noisy, 8, 6, 3, 4, 3);
        let mut expected = Vec::new();
        for dy in 0..3 {
            for dx in 0..4 {
                for c in 0..3 {
                    let at = |x: usize, y: usize| noisy[(y * 8 + x) * 3 + c] as u32;
                    let sum = at(2 * dx, 2 * dy)
                        + at(2 * dx + 1, 2 * dy)
                        + at(2 * dx, 2 * dy + 1)
                        + at(2 * dx + 1, 2 * dy + 1);
                    expected.push(((sum + 2) / 4) as u8);
                }
            }
        }
        assert_eq!(halved, expected);
        let frame = Frame::new(1280, 720, vec![10; 1280 * 720 * 3], 7).expect("valid frame");
        let preview = preview_of(&frame);
        assert_eq!((preview.width, preview.height), (640, 360));
        assert_eq!(preview.rgba.len(), 640 * 360 * 4);
        assert_eq!(&preview.rgba[..4], &[10, 10, 10, 255]);
        assert_eq!(preview.seq, 7);
    }

    #[test]
    fn frame_size_is_checked() {
        assert!(Frame::new(2, 2, vec![0; 11], 0).is_err());
        assert_eq!(fit_within(800, 600, 640, 480), (640, 480));
        assert_eq!(fit_within(320, 240, 640, 480), (320, 240));
    }

    #[test]
    fn crop_takes_the_rectangle() {
        let rgb: Vec<u8> = (0..4 * 3 * 3).map(|i| i as u8).collect();
        let (out, w, h) = crop_rgb(
            &rgb,
            4,
            3,
            PixelRect {
                x: 1,
                y: 1,
                width: 2,
                height: 5,
            },
        );
        assert_eq!((w, h), (2, 2));
        assert_eq!(&out[..3], &[15, 16, 17]);
    }
}
