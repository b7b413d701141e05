//! The device workers as iced subscriptions: camera and printer events forwarded to the screens. The
//! workers run on their own threads; waiting for their events happens on the blocking pool, never on the UI
//! thread.
//!
//! The camera feed also wakes the camera: while its stream runs it holds a [`CameraWatch`], so the camera
//! streams while a screen that shows it is open and rests (closed, its light off) once the screen is left
//! and the root drops the subscription.

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use iced::Subscription;
use iced::futures::{SinkExt, Stream};

use crate::camera::{CameraEvent, CameraHandle};
use crate::printer::{PrinterEvent, PrinterHandle};

/// How long one wait for an event lasts before the feed checks whether it is still wanted.
const WAIT: Duration = Duration::from_millis(500);

/// The camera's events (the kiosk has one camera, so the feed's identity is constant).
struct CameraFeed(Arc<CameraHandle>);

impl Hash for CameraFeed {
    fn hash<H: Hasher>(&self, state: &mut H) {
        "camera-feed".hash(state);
    }
}

/// The printer's events (one printer per kiosk).
struct PrinterFeed(Arc<PrinterHandle>);

impl Hash for PrinterFeed {
    fn hash<H: Hasher>(&self, state: &mut H) {
        "printer-feed".hash(state);
    }
}

/// Every event of the camera worker: started, frames, lost, restored. The camera streams while this
/// subscription runs and rests when it ends.
pub fn camera(handle: &Arc<CameraHandle>) -> Subscription<CameraEvent> {
    Subscription::run_with(CameraFeed(Arc::clone(handle)), camera_stream)
}

fn camera_stream(feed: &CameraFeed) -> impl Stream<Item = CameraEvent> + use<> {
    let handle = Arc::clone(&feed.0);
    // A small channel: while the screen has not taken the last frame, the worker's queue keeps only the
    // newest preview (older ones are replaced there), so no stale frames pile up on their way to the screen.
    iced::stream::channel(1, async move |mut output| {
        // Held for as long as the stream lives: dropping the subscription drops it and the camera rests.
        let _watch = handle.watch();
        let events = handle.events();
        drop(handle);
        loop {
            let events = events.clone();
            let next = tokio::task::spawn_blocking(move || events.recv_timeout(WAIT)).await;
            match next {
                Ok(Some(event)) => {
                    if output.send(event).await.is_err() {
                        break;
                    }
                }
                Ok(None) => {
                    if output.is_closed() {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    })
}

/// Every event of the printer worker: status changes, jobs printed or failed.
pub fn printer(handle: &Arc<PrinterHandle>) -> Subscription<PrinterEvent> {
    Subscription::run_with(PrinterFeed(Arc::clone(handle)), printer_events)
}

fn printer_events(feed: &PrinterFeed) -> impl Stream<Item = PrinterEvent> + use<> {
    let printer = Arc::clone(&feed.0);
    iced::stream::channel(4, async move |mut output| {
        let mut receiver: Receiver<PrinterEvent> = printer.subscribe();
        drop(printer);
        loop {
            let waited = tokio::task::spawn_blocking(move || {
                let event = receiver.recv_timeout(WAIT);
                (receiver, event)
            })
            .await;
            let Ok((back, event)) = waited else {
                break;
            };
            receiver = back;
            match event {
                Ok(event) => {
                    if output.send(event).await.is_err() {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    if output.is_closed() {
                        break;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
    })
}
