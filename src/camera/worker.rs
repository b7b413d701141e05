//! The camera worker: one capture thread owns the frame source, drops the first frames after each
//! open, detects a lost camera, reopens it, and hands frames to the rest of the kiosk without ever
//! waiting for them to be taken.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::config::CameraConfig;
use super::error::CameraError;
use super::frame::{Frame, Preview, preview_of};
use super::source::{FrameSource, SourceInfo};

/// Longest single wait for a frame, so that shutdown and the lost-camera check stay responsive.
const POLL: Duration = Duration::from_millis(100);
/// At most this many state events wait for a consumer; older ones are dropped first.
const MAX_STATE_EVENTS: usize = 64;

/// What the camera worker tells the kiosk.
#[derive(Debug, Clone)]
pub enum CameraEvent {
    /// The camera opened for the first time and delivers frames in this format.
    Started(SourceInfo),
    /// A new preview frame for the screen. Only the newest is kept when the consumer is slow.
    Frame(Arc<Preview>),
    /// The camera stopped delivering (or never opened); the reason is for staff, not participants.
    Lost(String),
    /// The camera delivers frames again after [`CameraEvent::Lost`] (sent at the first frame, not at the
    /// reopen, so a camera that opens but streams nothing stays lost).
    Restored,
}

/// The worker's state, for status screens and the heartbeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraState {
    /// Opening for the first time.
    Starting,
    /// Delivering frames.
    Running(SourceInfo),
    /// Not delivering; reopening is attempted every `reopen_interval_ms`.
    Lost(String),
    /// Shut down.
    Stopped,
}

/// Counters of what the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CameraStats {
    /// Successful opens (the first start and every reopen).
    pub opens: u64,
    /// Times the camera was declared lost.
    pub losses: u64,
    /// Frames received from the source, including the dropped ones.
    pub frames_received: u64,
    /// Frames dropped right after an open.
    pub frames_dropped_at_open: u64,
    /// Preview frames replaced before the consumer took them (the consumer was slower than the camera).
    pub previews_replaced: u64,
}

/// The events waiting for the consumer: state events in order, and at most one preview frame (the
/// newest). Pushing never blocks.
#[derive(Default)]
struct EventQueue {
    events: Mutex<VecDeque<CameraEvent>>,
    ready: Condvar,
}

impl EventQueue {
    fn lock(&self) -> MutexGuard<'_, VecDeque<CameraEvent>> {
        self.events.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds an event; returns true when an older preview frame was replaced.
    fn push(&self, event: CameraEvent) -> bool {
        let mut events = self.lock();
        let mut replaced = false;
        if matches!(event, CameraEvent::Frame(_)) {
            if let Some(pos) = events
                .iter()
                .position(|e| matches!(e, CameraEvent::Frame(_)))
            {
                events.remove(pos);
                replaced = true;
            }
        } else if events.len() >= MAX_STATE_EVENTS
            && let Some(pos) = events
                .iter()
                .position(|e| !matches!(e, CameraEvent::Frame(_)))
        {
            events.remove(pos);
        }
        events.push_back(event);
        drop(events);
        self.ready.notify_all();
        replaced
    }

    fn pop(&self, timeout: Duration) -> Option<CameraEvent> {
        let deadline = Instant::now() + timeout;
        let mut events = self.lock();
        loop {
            if let Some(event) = events.pop_front() {
                return Some(event);
            }
            let now = Instant::now();
            if now >= deadline {
                return None;
            }
            events = self
                .ready
                .wait_timeout(events, deadline - now)
                .map(|(g, _)| g)
                .unwrap_or_else(|p| p.into_inner().0);
        }
    }
}

/// What the capture thread shares with the handle.
struct Shared {
    state: Mutex<Snapshot>,
    queue: EventQueue,
    shutdown: AtomicBool,
}

struct Snapshot {
    state: CameraState,
    latest_frame: Option<Arc<Frame>>,
    latest_preview: Option<Arc<Preview>>,
    stats: CameraStats,
}

impl Shared {
    fn snapshot(&self) -> MutexGuard<'_, Snapshot> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Where events for the consumer arrive; cheap to clone (e.g. into a GUI subscription).
#[derive(Clone)]
pub struct EventReceiver {
    shared: Arc<Shared>,
}

impl EventReceiver {
    /// The next event, waiting at most `timeout`.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<CameraEvent> {
        self.shared.queue.pop(timeout)
    }

    /// The next event if one is waiting.
    pub fn try_recv(&self) -> Option<CameraEvent> {
        self.shared.queue.pop(Duration::ZERO)
    }
}

/// The running camera worker. Dropping it stops the capture thread.
pub struct CameraHandle {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl CameraHandle {
    /// The event stream.
    pub fn events(&self) -> EventReceiver {
        EventReceiver {
            shared: Arc::clone(&self.shared),
        }
    }

    /// The next event, waiting at most `timeout`.
    pub fn next_event(&self, timeout: Duration) -> Option<CameraEvent> {
        self.shared.queue.pop(timeout)
    }

    /// The newest preview, if the camera is delivering.
    pub fn latest_preview(&self) -> Option<Arc<Preview>> {
        self.shared.snapshot().latest_preview.clone()
    }

    /// The newest full-resolution frame, for the capture pipeline.
    pub fn capture(&self) -> Result<Arc<Frame>, CameraError> {
        let snapshot = self.shared.snapshot();
        match (&snapshot.state, &snapshot.latest_frame) {
            (CameraState::Running(_), Some(frame)) => Ok(Arc::clone(frame)),
            (CameraState::Running(_) | CameraState::Starting, None) => {
                Err(CameraError::NotRunning("no frame yet".to_string()))
            }
            (CameraState::Lost(reason), _) => Err(CameraError::NotRunning(reason.clone())),
            (CameraState::Starting, Some(_)) => {
                Err(CameraError::NotRunning("starting".to_string()))
            }
            (CameraState::Stopped, _) => Err(CameraError::Stopped),
        }
    }

    /// The worker's state.
    pub fn state(&self) -> CameraState {
        self.shared.snapshot().state.clone()
    }

    /// What the worker has done so far.
    pub fn stats(&self) -> CameraStats {
        self.shared.snapshot().stats
    }

    /// Forgets the frames held for capture and preview (a session ended); new frames keep coming.
    pub fn forget_frames(&self) {
        let mut snapshot = self.shared.snapshot();
        snapshot.latest_frame = None;
        snapshot.latest_preview = None;
        drop(snapshot);
        self.shared
            .queue
            .lock()
            .retain(|e| !matches!(e, CameraEvent::Frame(_)));
    }

    /// Stops the capture thread, closes the camera and waits for the thread to end.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.shutdown.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for CameraHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts the capture thread for `source` with the timing from `config`.
pub fn spawn_with_source(
    source: Box<dyn FrameSource>,
    config: &CameraConfig,
) -> Result<CameraHandle, CameraError> {
    let shared = Arc::new(Shared {
        state: Mutex::new(Snapshot {
            state: CameraState::Starting,
            latest_frame: None,
            latest_preview: None,
            stats: CameraStats::default(),
        }),
        queue: EventQueue::default(),
        shutdown: AtomicBool::new(false),
    });
    let timing = Timing::from(config);
    let thread_shared = Arc::clone(&shared);
    let thread = thread::Builder::new()
        .name("camera-capture".to_string())
        .spawn(move || capture_loop(source, timing, &thread_shared))
        .map_err(|e| CameraError::Thread(e.to_string()))?;
    Ok(CameraHandle {
        shared,
        thread: Some(thread),
    })
}

#[derive(Debug, Clone, Copy)]
struct Timing {
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

/// The capture thread.
fn capture_loop(mut source: Box<dyn FrameSource>, timing: Timing, shared: &Shared) {
    let mut is_open = false;
    let mut ever_started = false;
    let mut next_attempt = Instant::now();
    let mut to_drop = 0u32;
    let mut errors = 0u32;
    let mut last_error = String::new();
    let mut last_frame_at = Instant::now();
    let mut restoring: Option<SourceInfo> = None;

    while !shared.shutdown.load(Ordering::Relaxed) {
        if !is_open {
            let now = Instant::now();
            if now < next_attempt {
                thread::sleep((next_attempt - now).min(POLL));
                continue;
            }
            match source.open() {
                Ok(info) => {
                    is_open = true;
                    to_drop = timing.drop_first;
                    errors = 0;
                    last_frame_at = Instant::now();
                    tracing::info!(camera = %info.name, width = info.width, height = info.height, "camera opened");
                    let mut snapshot = shared.snapshot();
                    snapshot.stats.opens += 1;
                    if matches!(snapshot.state, CameraState::Lost(_)) && ever_started {
                        // Restored only once frames flow again: a camera can open and then deliver nothing.
                        restoring = Some(info);
                    } else {
                        snapshot.state = CameraState::Running(info.clone());
                        drop(snapshot);
                        if !ever_started {
                            ever_started = true;
                            shared.queue.push(CameraEvent::Started(info));
                        }
                    }
                }
                Err(e) => {
                    next_attempt = Instant::now() + timing.reopen_interval;
                    declare_lost(shared, format!("camera could not be opened: {e}"));
                }
            }
            continue;
        }

        let remaining = timing.lost_after.saturating_sub(last_frame_at.elapsed());
        match source.next_frame(remaining.clamp(Duration::from_millis(1), POLL)) {
            Ok(frame) => {
                errors = 0;
                last_frame_at = Instant::now();
                let mut snapshot = shared.snapshot();
                snapshot.stats.frames_received += 1;
                if let Some(info) = restoring.take() {
                    snapshot.state = CameraState::Running(info);
                    tracing::info!("camera restored");
                    shared.queue.push(CameraEvent::Restored);
                }
                if to_drop > 0 {
                    to_drop -= 1;
                    snapshot.stats.frames_dropped_at_open += 1;
                    continue;
                }
                drop(snapshot);
                let preview = Arc::new(preview_of(&frame));
                let mut snapshot = shared.snapshot();
                snapshot.latest_frame = Some(Arc::new(frame));
                snapshot.latest_preview = Some(Arc::clone(&preview));
                drop(snapshot);
                if shared.queue.push(CameraEvent::Frame(preview)) {
                    shared.snapshot().stats.previews_replaced += 1;
                }
            }
            Err(CameraError::Timeout { .. }) => {}
            Err(e) => {
                errors += 1;
                last_error = e.to_string();
            }
        }

        let reason = if errors >= timing.lost_after_errors {
            Some(format!(
                "{errors} frame errors in a row, the last: {last_error}"
            ))
        } else if last_frame_at.elapsed() >= timing.lost_after {
            Some(format!(
                "no frame for {} ms",
                last_frame_at.elapsed().as_millis()
            ))
        } else {
            None
        };
        if let Some(reason) = reason {
            source.close();
            is_open = false;
            restoring = None;
            next_attempt = Instant::now() + timing.reopen_interval;
            declare_lost(shared, reason);
        }
    }
    source.close();
    let mut snapshot = shared.snapshot();
    snapshot.state = CameraState::Stopped;
    snapshot.latest_frame = None;
    snapshot.latest_preview = None;
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
