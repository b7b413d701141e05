//! The capture thread: opens the camera, hands on frames and previews, declares the camera lost and reopens
//! it, and lets it rest (closed) while no screen shows it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::worker::{Inbox, Next};

use super::super::config::CameraConfig;
use super::super::error::CameraError;
use super::super::frame::SourceFrame;
use super::super::source::{FrameSource, SourceInfo};
use super::{CameraCommand, CameraEvent, CameraState, HeldFrame, POLL, REST, Shared};

#[derive(Debug, Clone, Copy)]
pub(super) struct Timing {
    drop_first: u32,
    lost_after: Duration,
    lost_after_errors: u32,
    reopen_interval: Duration,
}

impl From<&CameraConfig> for Timing {
    fn from(config: &CameraConfig) -> Self {
        Timing {
            drop_first: config.drop_first_frames,
            lost_after: Duration::from_millis(config.lost_after_ms.max(1)),
            lost_after_errors: config.lost_after_errors.max(1),
            reopen_interval: Duration::from_millis(config.reopen_interval_ms.max(1)),
        }
    }
}

/// The capture thread's state.
pub(super) struct CaptureLoop {
    source: Box<dyn FrameSource>,
    timing: Timing,
    inbox: Inbox<CameraCommand>,
    /// Whether a screen wants frames (false after `Pause`).
    streaming: bool,
    is_open: bool,
    ever_started: bool,
    next_attempt: Instant,
    to_drop: u32,
    errors: u32,
    last_error: String,
    last_frame_at: Instant,
    restoring: Option<SourceInfo>,
    /// When the camera was last asked to resume, until its first preview is handed on.
    resumed_at: Option<Instant>,
}

impl CaptureLoop {
    pub(super) fn new(
        source: Box<dyn FrameSource>,
        timing: Timing,
        inbox: Inbox<CameraCommand>,
    ) -> Self {
        CaptureLoop {
            source,
            timing,
            inbox,
            streaming: true,
            is_open: false,
            ever_started: false,
            next_attempt: Instant::now(),
            to_drop: 0,
            errors: 0,
            last_error: String::new(),
            last_frame_at: Instant::now(),
            restoring: None,
            resumed_at: None,
        }
    }

    pub(super) fn run(mut self, shared: &Shared) {
        while self.take_command(shared, None) {
            if !self.streaming && self.rest_if_known(shared) {
                continue;
            }
            if !self.is_open {
                let now = Instant::now();
                if now < self.next_attempt {
                    let wait = (self.next_attempt - now).min(POLL);
                    if !self.take_command(shared, Some(wait)) {
                        break;
                    }
                    continue;
                }
                self.open(shared);
                continue;
            }
            self.read_frame(shared);
        }
        self.source.close();
        let mut snapshot = shared.snapshot();
        snapshot.state = CameraState::Stopped;
        snapshot.latest_frame = None;
        snapshot.latest_preview = None;
    }

    /// Handles the commands waiting (or waits up to `wait` for one); false when the worker must stop.
    fn take_command(&mut self, shared: &Shared, wait: Option<Duration>) -> bool {
        let mut next = match wait {
            Some(wait) => self.inbox.wait(wait),
            None => self.inbox.poll(),
        };
        loop {
            match next {
                Next::Stop => return false,
                Next::Idle => return true,
                Next::Command(CameraCommand::Pause) => self.streaming = false,
                Next::Command(CameraCommand::Resume) => {
                    if !self.streaming {
                        self.streaming = true;
                        self.resumed_at = Some(Instant::now());
                        shared.snapshot().stats.resumes += 1;
                    }
                }
            }
            next = self.inbox.poll();
        }
    }

    /// A paused camera whose state is known rests: an open one is closed, then the thread sleeps on its
    /// inbox. Returns false when the camera must first be opened (starting, or lost) to know its state.
    fn rest_if_known(&mut self, shared: &Shared) -> bool {
        let snapshot = shared.snapshot();
        match &snapshot.state {
            CameraState::Running(info) => {
                let info = info.clone();
                drop(snapshot);
                // Closed first, then told: whoever reads "paused" finds the camera (and its light) off.
                self.source.close();
                self.is_open = false;
                let mut snapshot = shared.snapshot();
                snapshot.state = CameraState::Paused(info.clone());
                snapshot.stats.pauses += 1;
                snapshot.latest_frame = None;
                snapshot.latest_preview = None;
                drop(snapshot);
                shared
                    .queue
                    .lock()
                    .retain(|e| !matches!(e, CameraEvent::Frame(_)));
                tracing::info!(camera = %info.name, "camera paused: no screen shows it");
                true
            }
            CameraState::Paused(_) => {
                drop(snapshot);
                // Opened again at once on resume.
                self.next_attempt = Instant::now();
                let _ = self.take_command(shared, Some(REST));
                true
            }
            CameraState::Starting | CameraState::Lost(_) | CameraState::Stopped => false,
        }
    }

    fn open(&mut self, shared: &Shared) {
        match self.source.open() {
            Ok(info) => {
                self.is_open = true;
                self.to_drop = self.timing.drop_first;
                self.errors = 0;
                self.last_frame_at = Instant::now();
                tracing::info!(camera = %info.name, width = info.width, height = info.height, "camera opened");
                let mut snapshot = shared.snapshot();
                snapshot.stats.opens += 1;
                if matches!(snapshot.state, CameraState::Lost(_)) && self.ever_started {
                    // Restored only once frames flow again: a camera can open and then deliver nothing.
                    self.restoring = Some(info);
                } else {
                    snapshot.state = CameraState::Running(info.clone());
                    drop(snapshot);
                    if !self.ever_started {
                        self.ever_started = true;
                        shared.queue.push(CameraEvent::Started(info));
                    }
                }
            }
            Err(e) => {
                self.next_attempt = Instant::now() + self.timing.reopen_interval;
                declare_lost(shared, format!("camera could not be opened: {e}"));
            }
        }
    }

    fn read_frame(&mut self, shared: &Shared) {
        let remaining = self
            .timing
            .lost_after
            .saturating_sub(self.last_frame_at.elapsed());
        match self
            .source
            .next_frame(remaining.clamp(Duration::from_millis(1), POLL))
        {
            Ok(frame) => self.deliver(shared, frame),
            Err(CameraError::Timeout { .. }) => {}
            Err(e) => {
                self.errors += 1;
                self.last_error = e.to_string();
            }
        }

        let reason = if self.errors >= self.timing.lost_after_errors {
            Some(format!(
                "{} frame errors in a row, the last: {}",
                self.errors, self.last_error
            ))
        } else if self.last_frame_at.elapsed() >= self.timing.lost_after {
            Some(format!(
                "no frame for {} ms",
                self.last_frame_at.elapsed().as_millis()
            ))
        } else {
            None
        };
        if let Some(reason) = reason {
            self.source.close();
            self.is_open = false;
            self.restoring = None;
            self.next_attempt = Instant::now() + self.timing.reopen_interval;
            declare_lost(shared, reason);
        }
    }

    fn deliver(&mut self, shared: &Shared, frame: SourceFrame) {
        self.errors = 0;
        self.last_frame_at = Instant::now();
        let mut snapshot = shared.snapshot();
        snapshot.stats.frames_received += 1;
        if let Some(info) = self.restoring.take() {
            snapshot.state = CameraState::Running(info);
            tracing::info!("camera restored");
            shared.queue.push(CameraEvent::Restored);
        }
        if self.to_drop > 0 {
            self.to_drop -= 1;
            snapshot.stats.frames_dropped_at_open += 1;
            return;
        }
        drop(snapshot);
        if !self.streaming {
            // Only opened to learn that the camera works: no picture for anyone.
            return;
        }
        let preview = match frame.preview() {
            Ok(preview) => Arc::new(preview),
            Err(e) => {
                self.errors += 1;
                self.last_error = e.to_string();
                return;
            }
        };
        let mut snapshot = shared.snapshot();
        snapshot.latest_frame = Some(Arc::new(HeldFrame::new(frame)));
        snapshot.latest_preview = Some(Arc::clone(&preview));
        drop(snapshot);
        if shared.queue.push(CameraEvent::Frame(preview)) {
            shared.snapshot().stats.previews_replaced += 1;
        }
        if let Some(resumed_at) = self.resumed_at.take() {
            tracing::info!(
                after_ms = resumed_at.elapsed().as_millis() as u64,
                "camera streaming: first preview after the resume"
            );
        }
    }
}

/// Marks the camera lost (once per loss: failed reopen attempts do not repeat the event).
fn declare_lost(shared: &Shared, reason: String) {
    let mut snapshot = shared.snapshot();
    snapshot.latest_frame = None;
    snapshot.latest_preview = None;
    if matches!(snapshot.state, CameraState::Lost(_)) {
        return;
    }
    snapshot.state = CameraState::Lost(reason.clone());
    snapshot.stats.losses += 1;
    drop(snapshot);
    tracing::warn!(%reason, "camera lost");
    shared.queue.push(CameraEvent::Lost(reason));
}
