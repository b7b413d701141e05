//! The real webcam driver (V4L2 through nokhwa), kept thin.
//!
//! nokhwa's `Camera` is not `Send` and its stream has no read timeout, so the camera lives on a reader
//! thread of its own that this source starts at `open`: it hands frames over a channel of size 1, MJPEG
//! frames as the JPEG the camera sent (the worker decodes what it needs, at the size it needs) and other
//! formats decoded to RGB. `next_frame` then waits with a timeout, and a stalled device shows up as
//! [`CameraError::Timeout`] instead of blocking the capture thread for ever.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::thread;
use std::time::Duration;

use nokhwa::Camera;
use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
};

use super::config::{CameraConfig, FormatPreference, SourceSelector};
use super::error::CameraError;
use super::frame::{Frame, SourceFrame};
use super::mjpeg::JpegFrame;
use super::source::{FrameSource, SourceInfo};

/// How long `open` waits for the reader thread to open the device.
const OPEN_TIMEOUT: Duration = Duration::from_secs(10);

/// The webcam, opened by index, by `/dev/v4l/by-id/...` path, or the first device that can capture.
pub struct NokhwaSource {
    selector: SourceSelector,
    wanted: Wanted,
    reader: Option<Reader>,
}

#[derive(Debug, Clone, Copy)]
struct Wanted {
    width: u32,
    height: u32,
    fps: u32,
    format: FrameFormat,
}

struct Reader {
    frames: Receiver<Result<SourceFrame, CameraError>>,
    stop: Arc<AtomicBool>,
}

impl NokhwaSource {
    /// A source for the selected device with the configured size, rate and format; nothing is opened yet.
    pub fn new(selector: SourceSelector, config: &CameraConfig) -> Self {
        let format = match config.format {
            FormatPreference::Mjpeg => FrameFormat::MJPEG,
            FormatPreference::Yuyv => FrameFormat::YUYV,
        };
        NokhwaSource {
            selector,
            wanted: Wanted {
                width: config.width,
                height: config.height,
                fps: config.fps,
                format,
            },
            reader: None,
        }
    }
}

impl FrameSource for NokhwaSource {
    fn open(&mut self) -> Result<SourceInfo, CameraError> {
        self.close();
        let index = resolve_index(&self.selector)?;
        let (frame_tx, frame_rx) = mpsc::sync_channel(1);
        let (open_tx, open_rx) = mpsc::sync_channel(1);
        let stop = Arc::new(AtomicBool::new(false));
        let stop_reader = Arc::clone(&stop);
        let wanted = self.wanted;
        thread::Builder::new()
            .name(format!("camera-reader-{index}"))
            .spawn(move || read_frames(index, wanted, &open_tx, &frame_tx, &stop_reader))
            .map_err(|e| CameraError::Thread(e.to_string()))?;
        match open_rx.recv_timeout(OPEN_TIMEOUT) {
            Ok(Ok(info)) => {
                self.reader = Some(Reader {
                    frames: frame_rx,
                    stop,
                });
                Ok(info)
            }
            Ok(Err(e)) => Err(e),
            Err(_) => {
                stop.store(true, Ordering::Relaxed);
                Err(CameraError::Open {
                    device: format!("/dev/video{index}"),
                    reason: format!("no answer within {} s", OPEN_TIMEOUT.as_secs()),
                    formats_tried: "unknown".to_string(),
                })
            }
        }
    }

    fn next_frame(&mut self, wait: Duration) -> Result<SourceFrame, CameraError> {
        let reader = self
            .reader
            .as_ref()
            .ok_or_else(|| CameraError::NotRunning("not open".into()))?;
        match reader.frames.recv_timeout(wait) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => Err(CameraError::Timeout {
                waited_ms: wait.as_millis() as u64,
            }),
            Err(RecvTimeoutError::Disconnected) => {
                Err(CameraError::Frame("the camera reader stopped".into()))
            }
        }
    }

    fn close(&mut self) {
        if let Some(reader) = self.reader.take() {
            // The reader notices at its next frame (or when its send fails because the receiver is gone).
            reader.stop.store(true, Ordering::Relaxed);
        }
    }
}

impl Drop for NokhwaSource {
    fn drop(&mut self) {
        self.close();
    }
}

/// The reader thread: owns the `Camera` from creation to drop.
fn read_frames(
    index: u32,
    wanted: Wanted,
    opened: &SyncSender<Result<SourceInfo, CameraError>>,
    frames: &SyncSender<Result<SourceFrame, CameraError>>,
    stop: &AtomicBool,
) {
    let mut camera = match open_camera(index, wanted) {
        Ok((camera, info)) => {
            if opened.send(Ok(info)).is_err() {
                return;
            }
            camera
        }
        Err(e) => {
            let _ = opened.send(Err(e));
            return;
        }
    };
    let mut seq = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let result = camera
            .frame()
            .map_err(|e| CameraError::Frame(e.to_string()))
            .and_then(|buffer| {
                if buffer.source_frame_format() == FrameFormat::MJPEG {
                    return JpegFrame::new(buffer.buffer_bytes(), seq).map(SourceFrame::Jpeg);
                }
                let image = buffer
                    .decode_image::<RgbFormat>()
                    .map_err(|e| CameraError::Decode(e.to_string()))?;
                let (w, h) = image.dimensions();
                Frame::new(w, h, image.into_raw(), seq).map(SourceFrame::Rgb)
            });
        let failed = result.is_err();
        seq += 1;
        match frames.try_send(result) {
            Ok(()) | Err(TrySendError::Full(_)) => {}
            Err(TrySendError::Disconnected(_)) => break,
        }
        if failed {
            // An unplugged camera fails at once, every time: do not spin.
            thread::sleep(Duration::from_millis(100));
        }
    }
    let _ = camera.stop_stream();
}

/// Opens the device with the wanted format, else the best of what it offers.
fn open_camera(index: u32, wanted: Wanted) -> Result<(Camera, SourceInfo), CameraError> {
    let device = format!("/dev/video{index}");
    let open_error = |reason: String, tried: &[CameraFormat]| CameraError::Open {
        device: device.clone(),
        reason,
        formats_tried: describe_formats(tried),
    };
    let first = CameraFormat::new_from(wanted.width, wanted.height, wanted.format, wanted.fps);
    let mut tried = vec![first];
    let mut camera = match Camera::new(
        CameraIndex::Index(index),
        RequestedFormat::new::<RgbFormat>(RequestedFormatType::Exact(first)),
    ) {
        Ok(camera) => camera,
        Err(_) => {
            // Open with whatever the device offers first, then pick from its list.
            Camera::new(
                CameraIndex::Index(index),
                RequestedFormat::new::<RgbFormat>(RequestedFormatType::None),
            )
            .map_err(|e| open_error(e.to_string(), &tried))?
        }
    };
    if camera.camera_format() != first {
        let offered = camera
            .compatible_camera_formats()
            .map_err(|e| open_error(e.to_string(), &tried))?;
        let mut chosen = None;
        for candidate in rank_formats(&offered, wanted) {
            tried.push(candidate);
            if camera
                .set_camera_requset(RequestedFormat::new::<RgbFormat>(
                    RequestedFormatType::Exact(candidate),
                ))
                .is_ok()
            {
                chosen = Some(candidate);
                break;
            }
        }
        if chosen.is_none() {
            return Err(open_error("no offered format could be set".into(), &tried));
        }
    }
    camera
        .open_stream()
        .map_err(|e| open_error(e.to_string(), &tried))?;
    let format = camera.camera_format();
    let info = SourceInfo {
        name: format!("{} ({device})", camera.info().human_name()),
        width: format.width(),
        height: format.height(),
        fps: format.frame_rate(),
        format: format.format().to_string(),
    };
    Ok((camera, info))
}

/// The formats worth trying, best first: formats we decode, the preferred pixel format first, then the
/// resolution nearest the wanted one (larger before smaller), then the frame rate nearest the wanted one.
fn rank_formats(offered: &[CameraFormat], wanted: Wanted) -> Vec<CameraFormat> {
    let decodable = [
        FrameFormat::MJPEG,
        FrameFormat::YUYV,
        FrameFormat::NV12,
        FrameFormat::RAWRGB,
    ];
    let mut formats: Vec<CameraFormat> = offered
        .iter()
        .copied()
        .filter(|f| decodable.contains(&f.format()) && f.frame_rate() >= 5)
        .collect();
    let wanted_area = wanted.width as i64 * wanted.height as i64;
    formats.sort_by_key(|f| {
        let area = f.width() as i64 * f.height() as i64;
        (
            f.format() != wanted.format,
            area < wanted_area,
            (area - wanted_area).abs(),
            (f.frame_rate() as i64 - wanted.fps as i64).abs(),
        )
    });
    formats.dedup();
    formats.truncate(8);
    formats
}

fn describe_formats(formats: &[CameraFormat]) -> String {
    if formats.is_empty() {
        return "none".to_string();
    }
    formats
        .iter()
        .map(|f| {
            format!(
                "{} {}x{}@{}",
                f.format(),
                f.width(),
                f.height(),
                f.frame_rate()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `/dev/videoN` number to open, checking that the node can capture video (UVC cameras also
/// expose metadata nodes that cannot).
fn resolve_index(selector: &SourceSelector) -> Result<u32, CameraError> {
    match selector {
        SourceSelector::Index(index) => {
            check_can_capture(*index)?;
            Ok(*index)
        }
        SourceSelector::Path(path) => {
            let index = index_of_path(Path::new(path))?;
            check_can_capture(index)?;
            Ok(index)
        }
        SourceSelector::Auto | SourceSelector::Simulated(_) => {
            let cameras = nokhwa::query(ApiBackend::Auto).map_err(|e| CameraError::NoCamera {
                detail: format!("listing video devices failed: {e}"),
            })?;
            let mut skipped = Vec::new();
            for camera in cameras {
                let Ok(index) = camera.index().as_index() else {
                    continue;
                };
                match check_can_capture(index) {
                    Ok(()) => return Ok(index),
                    Err(e) => skipped.push(e.to_string()),
                }
            }
            Err(CameraError::NoCamera {
                detail: if skipped.is_empty() {
                    "no video devices".to_string()
                } else {
                    format!("none can capture: {}", skipped.join("; "))
                },
            })
        }
    }
}

/// `/dev/v4l/by-id/...-video-index0` is a link to `/dev/videoN`: follow it and read N.
fn index_of_path(path: &Path) -> Result<u32, CameraError> {
    let target = std::fs::canonicalize(path).map_err(|e| CameraError::Open {
        device: path.display().to_string(),
        reason: e.to_string(),
        formats_tried: "none".to_string(),
    })?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name.strip_prefix("video")
        .and_then(|n| n.parse::<u32>().ok())
        .ok_or_else(|| CameraError::InvalidSource {
            value: path.display().to_string(),
            reason: format!("it leads to {}, not a /dev/videoN device", target.display()),
        })
}

#[cfg(target_os = "linux")]
fn check_can_capture(index: u32) -> Result<(), CameraError> {
    use v4l::capability::Flags;
    let device = format!("/dev/video{index}");
    let caps = v4l::Device::new(index as usize)
        .and_then(|d| d.query_caps())
        .map_err(|e| CameraError::Open {
            device: device.clone(),
            reason: e.to_string(),
            formats_tried: "none".into(),
        })?;
    if caps.capabilities.contains(Flags::VIDEO_CAPTURE) {
        Ok(())
    } else {
        Err(CameraError::NoCamera {
            detail: format!("{device} ({}) cannot capture video", caps.card),
        })
    }
}

#[cfg(not(target_os = "linux"))]
fn check_can_capture(_index: u32) -> Result<(), CameraError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(w: u32, h: u32, f: FrameFormat, fps: u32) -> CameraFormat {
        CameraFormat::new_from(w, h, f, fps)
    }

    #[test]
    fn ranking_prefers_wanted_format_and_nearest_size() {
        let offered = vec![
            fmt(640, 480, FrameFormat::YUYV, 30),
            fmt(1920, 1080, FrameFormat::MJPEG, 30),
            fmt(1280, 720, FrameFormat::MJPEG, 15),
            fmt(1280, 720, FrameFormat::MJPEG, 30),
            fmt(640, 480, FrameFormat::MJPEG, 30),
            fmt(1280, 720, FrameFormat::GRAY, 30),
        ];
        let wanted = Wanted {
            width: 1280,
            height: 720,
            fps: 30,
            format: FrameFormat::MJPEG,
        };
        let ranked = rank_formats(&offered, wanted);
        assert_eq!(ranked[0], fmt(1280, 720, FrameFormat::MJPEG, 30));
        assert_eq!(ranked[1], fmt(1280, 720, FrameFormat::MJPEG, 15));
        assert_eq!(ranked[2], fmt(1920, 1080, FrameFormat::MJPEG, 30));
        assert_eq!(ranked.last(), Some(&fmt(640, 480, FrameFormat::YUYV, 30)));
        assert!(!ranked.iter().any(|f| f.format() == FrameFormat::GRAY));
    }

    #[test]
    fn missing_device_is_an_open_error_naming_it() {
        let err =
            index_of_path(Path::new("/dev/v4l/by-id/no-such-camera")).expect_err("no such path");
        assert!(err.to_string().contains("no-such-camera"));
    }
}
