//! MJPEG: webcams (and the simulated camera) send each frame as a JPEG. The live preview decodes it
//! already shrunk (the JPEG's DCT scaling: 1280x720 decodes straight to 640x360 RGBA, at a quarter of
//! the work), and the full-size picture is decoded only when a photo is taken or checked.

use std::panic::{self, AssertUnwindSafe};
use std::time::Instant;

use bytes::Bytes;

use super::error::CameraError;
use super::frame::{Frame, PREVIEW_MAX, Preview, box_downscale, fit_within};

/// One frame as the camera sent it: a JPEG of `width` x `height`.
#[derive(Clone)]
pub struct JpegFrame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The JPEG file.
    pub jpeg: Bytes,
    /// Sequence number from the source, counting from 0 at each open.
    pub seq: u64,
    /// When the frame arrived from the driver.
    pub captured_at: Instant,
}

impl std::fmt::Debug for JpegFrame {
    // The picture is personal data: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JpegFrame")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bytes", &self.jpeg.len())
            .field("seq", &self.seq)
            .finish_non_exhaustive()
    }
}

impl JpegFrame {
    /// A frame from a JPEG the device sent; its size is read from the JPEG's header.
    pub fn new(jpeg: Bytes, seq: u64) -> Result<Self, CameraError> {
        let (width, height) = guarded(|| {
            let decoder = mozjpeg::Decompress::new_mem(&jpeg)?;
            Ok((decoder.width() as u32, decoder.height() as u32))
        })?;
        if width == 0 || height == 0 {
            return Err(CameraError::Decode("the JPEG has no pixels".to_string()));
        }
        Ok(JpegFrame {
            width,
            height,
            jpeg,
            seq,
            captured_at: Instant::now(),
        })
    }

    /// The whole picture at full size, RGB.
    pub fn decode(&self) -> Result<Frame, CameraError> {
        let (width, height, rgb) = decode(&self.jpeg, 8, false)?;
        let mut frame = Frame::new(width, height, rgb, self.seq)?;
        frame.captured_at = self.captured_at;
        Ok(frame)
    }

    /// The preview: decoded at the smallest DCT scale that still covers [`PREVIEW_MAX`], straight to
    /// RGBA, then box-filtered to the exact preview size when the scale did not land on it.
    pub fn preview(&self) -> Result<Preview, CameraError> {
        let (w, h) = fit_within(self.width, self.height, PREVIEW_MAX.0, PREVIEW_MAX.1);
        let numerator = scale_numerator(self.width, w);
        let (dw, dh, rgba) = decode(&self.jpeg, numerator, true)?;
        let rgba = if (dw, dh) == (w, h) {
            rgba
        } else {
            box_downscale(&rgba, dw, dh, 4, w, h)
        };
        Ok(Preview {
            width: w,
            height: h,
            rgba: Bytes::from(rgba),
            seq: self.seq,
        })
    }
}

/// The smallest `n` (of the JPEG's n/8 scales) at which `width` decodes to at least `wanted` pixels.
pub fn scale_numerator(width: u32, wanted: u32) -> u8 {
    if width == 0 {
        return 8;
    }
    let n = (u64::from(wanted) * 8).div_ceil(u64::from(width));
    n.clamp(1, 8) as u8
}

/// Decodes at `numerator`/8 of the size, to RGB or RGBA.
fn decode(jpeg: &[u8], numerator: u8, rgba: bool) -> Result<(u32, u32, Vec<u8>), CameraError> {
    guarded(|| {
        let mut decoder = mozjpeg::Decompress::new_mem(jpeg)?;
        decoder.scale(numerator.clamp(1, 8));
        let mut started = if rgba {
            decoder.rgba()?
        } else {
            decoder.rgb()?
        };
        let (width, height) = (started.width() as u32, started.height() as u32);
        let pixels = started.read_scanlines::<u8>()?;
        started.finish()?;
        Ok((width, height, pixels))
    })
}

/// Runs a decoder call; the JPEG library reports broken data by unwinding, which becomes an error here.
fn guarded<T>(work: impl FnOnce() -> std::io::Result<T>) -> Result<T, CameraError> {
    match panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(CameraError::Decode(format!("JPEG frame: {e}"))),
        Err(_) => Err(CameraError::Decode(
            "JPEG frame: the data is not a readable JPEG".to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::pipeline::encode_jpeg;

    fn gradient(width: u32, height: u32) -> Vec<u8> {
        (0..height)
            .flat_map(|y| {
                (0..width)
                    .flat_map(move |x| [(x * 255 / width) as u8, (y * 255 / height) as u8, 128u8])
            })
            .collect()
    }

    #[test]
    fn the_scale_is_the_smallest_that_covers_the_preview() {
        assert_eq!(scale_numerator(1280, 640), 4);
        assert_eq!(scale_numerator(640, 640), 8);
        assert_eq!(scale_numerator(1920, 640), 3);
        assert_eq!(scale_numerator(2560, 640), 2);
        assert_eq!(scale_numerator(5120, 640), 1);
    }

    #[test]
    fn a_720p_jpeg_previews_at_640x360_close_to_the_full_decode_shrunk() {
        let rgb = gradient(1280, 720);
        let jpeg = encode_jpeg(&rgb, 1280, 720, 90).expect("encodes");
        let frame = JpegFrame::new(Bytes::from(jpeg), 5).expect("a JPEG");
        assert_eq!((frame.width, frame.height), (1280, 720));
        let preview = frame.preview().expect("preview");
        assert_eq!((preview.width, preview.height, preview.seq), (640, 360, 5));
        assert_eq!(preview.rgba.len(), 640 * 360 * 4);
        assert!(
            preview.rgba.chunks_exact(4).all(|px| px[3] == 255),
            "opaque"
        );
        let full = frame.decode().expect("full decode");
        assert_eq!((full.width, full.height, full.seq), (1280, 720, 5));
        let shrunk = crate::camera::preview_of(&full);
        let mean_diff = preview
            .rgba
            .iter()
            .zip(shrunk.rgba.iter())
            .map(|(a, b)| u64::from(a.abs_diff(*b)))
            .sum::<u64>()
            / preview.rgba.len() as u64;
        assert!(
            mean_diff <= 2,
            "scaled decode differs by {mean_diff} on average"
        );
    }

    #[test]
    fn a_1080p_jpeg_previews_within_the_preview_limit() {
        let jpeg = encode_jpeg(&gradient(1920, 1080), 1920, 1080, 80).expect("encodes");
        let preview = JpegFrame::new(Bytes::from(jpeg), 0)
            .expect("a JPEG")
            .preview()
            .expect("preview");
        assert_eq!((preview.width, preview.height), (640, 360));
    }

    #[test]
    fn data_that_is_not_a_jpeg_is_a_decode_error_not_a_crash() {
        let err = JpegFrame::new(Bytes::from_static(b"not a jpeg at all"), 0).expect_err("refused");
        assert!(matches!(err, CameraError::Decode(_)), "{err}");
    }
}
