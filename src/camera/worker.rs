//! The camera worker: one capture thread owns the frame source, drops the first frames after each
//! open, detects a lost camera, reopens it, and hands frames to the rest of the kiosk without ever
//! waiting for them to be taken.
//!
//! The camera rests when no screen shows it: [`CameraHandle::pause`] closes the device (a webcam's light
//! goes off) and the thread sleeps on its command inbox, producing nothing; [`CameraHandle::resume`]
//! opens it again. Screens that show the picture hold a [`CameraWatch`], which resumes the camera and
//! pauses it again when the last watch is dropped.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use crate::worker::Worker;

mod capture;

use capture::{CaptureLoop, Timing};

use super::config::CameraConfig;
use super::error::CameraError;
use super::frame::{Frame, Preview, SourceFrame};
use super::mjpeg::JpegFrame;
use super::source::{FrameSource, SourceInfo};

/// Longest single wait for a frame, so that stop and the lost-camera check stay responsive.
const POLL: Duration = Duration::from_millis(100);
/// At most this many state events wait for a consumer; older ones are dropped first.
const MAX_STATE_EVENTS: usize = 64;
/// How long a resting camera sleeps on its inbox between looks (a command wakes it at once).
const REST: Duration = Duration::from_secs(3600);

/// What the handle asks of the capture thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraCommand {
    /// Stop streaming and close the device until [`CameraCommand::Resume`].
    Pause,
    /// Open the device and stream again.
    Resume,
}

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
    /// Resting: the camera opened and delivered, then was closed because no screen shows it. It opens
    /// again when a screen needs it (see [`CameraHandle::resume`]); the info is from its last open.
    Paused(SourceInfo),
    /// Not delivering; reopening is attempted every `reopen_interval_ms` (also while paused, so a camera
    /// plugged back in is known to work before a screen needs it).
    Lost(String),
    /// Stopped for good.
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
    /// Times the camera was paused (closed to rest).
    pub pauses: u64,
    /// Times a paused camera was asked to stream again.
    pub resumes: u64,
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
}

struct Snapshot {
    state: CameraState,
    latest_frame: Option<Arc<HeldFrame>>,
    latest_preview: Option<Arc<Preview>>,
    stats: CameraStats,
}

/// The newest frame as the source sent it. A JPEG is decoded to full size once, by the first capture that
/// needs it (previews never do).
enum HeldFrame {
    Decoded(Arc<Frame>),
    Jpeg {
        frame: JpegFrame,
        decoded: OnceLock<Arc<Frame>>,
    },
}

impl HeldFrame {
    fn new(delivered: SourceFrame) -> Self {
        match delivered {
            SourceFrame::Rgb(frame) => HeldFrame::Decoded(Arc::new(frame)),
            SourceFrame::Jpeg(frame) => HeldFrame::Jpeg {
                frame,
                decoded: OnceLock::new(),
            },
        }
    }

    fn full(&self) -> Result<Arc<Frame>, CameraError> {
        match self {
            HeldFrame::Decoded(frame) => Ok(Arc::clone(frame)),
            HeldFrame::Jpeg { frame, decoded } => {
                if let Some(full) = decoded.get() {
                    return Ok(Arc::clone(full));
                }
                let full = Arc::new(frame.decode()?);
                Ok(Arc::clone(decoded.get_or_init(|| full)))
            }
        }
    }
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
    worker: Worker<CameraCommand>,
    watchers: AtomicUsize,
}

impl std::fmt::Debug for CameraHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CameraHandle")
            .field("worker", &self.worker)
            .field("state", &self.state())
            .finish()
    }
}

/// A screen showing the camera's picture: while at least one watch is held the camera streams; when the
/// last one is dropped it pauses (see [`CameraHandle::watch`]).
#[derive(Debug)]
pub struct CameraWatch {
    handle: Arc<CameraHandle>,
}

impl Drop for CameraWatch {
    fn drop(&mut self) {
        if self.handle.watchers.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.handle.pause();
        }
    }
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

    /// The newest full-resolution frame, for the capture pipeline (a JPEG frame is decoded here, on the
    /// caller's thread, once).
    pub fn capture(&self) -> Result<Arc<Frame>, CameraError> {
        let held = {
            let snapshot = self.shared.snapshot();
            match (&snapshot.state, &snapshot.latest_frame) {
                (CameraState::Running(_), Some(frame)) => Arc::clone(frame),
                (CameraState::Running(_) | CameraState::Starting, None) => {
                    return Err(CameraError::NotRunning("no frame yet".to_string()));
                }
                (CameraState::Lost(reason), _) => {
                    return Err(CameraError::NotRunning(reason.clone()));
                }
                (CameraState::Starting, Some(_)) => {
                    return Err(CameraError::NotRunning("starting".to_string()));
                }
                (CameraState::Paused(_), _) => {
                    return Err(CameraError::NotRunning("paused".to_string()));
                }
                (CameraState::Stopped, _) => return Err(CameraError::Stopped),
            }
        };
        held.full()
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

    /// Closes the camera and lets its thread rest until [`CameraHandle::resume`]. A camera that has not
    /// delivered yet (starting, or lost) is first opened until it delivers, so its state stays known;
    /// then it rests as [`CameraState::Paused`].
    pub fn pause(&self) {
        self.worker.send(CameraCommand::Pause);
    }

    /// Opens a paused camera and streams again (within about a second; a camera that fails to open is
    /// reported lost as at any other time).
    pub fn resume(&self) {
        self.worker.send(CameraCommand::Resume);
    }

    /// Streams while the returned watch is held (and any other); pauses when the last watch is dropped.
    pub fn watch(self: &Arc<Self>) -> CameraWatch {
        if self.watchers.fetch_add(1, Ordering::SeqCst) == 0 {
            self.resume();
        }
        CameraWatch {
            handle: Arc::clone(self),
        }
    }

    /// How many watches are held now.
    pub fn watchers(&self) -> usize {
        self.watchers.load(Ordering::SeqCst)
    }

    /// Stops the capture thread, closes the camera and waits for the thread to end.
    pub fn stop(mut self) {
        self.worker.stop();
    }
}

/// Starts the capture thread for `source` with the timing from `config`. The camera streams from the
/// start; [`CameraHandle::pause`] lets it rest.
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
    });
    let timing = Timing::from(config);
    let thread_shared = Arc::clone(&shared);
    let worker = Worker::spawn("camera-capture", move |inbox| {
        CaptureLoop::new(source, timing, inbox).run(&thread_shared);
    })
    .map_err(|e| CameraError::Thread(e.to_string()))?;
    Ok(CameraHandle {
        shared,
        worker,
        watchers: AtomicUsize::new(0),
    })
}
