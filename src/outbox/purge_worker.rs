//! The running kiosk's retention purge: a thread that calls [`Outbox::purge`] once at start and then every
//! day, so delivered claims leave the kiosk within `storage.retention_days` of delivery without staff running
//! `lapak-kiosk outbox purge`. Each turn also deletes what would pass the retention before the next turn, so
//! while the kiosk runs no delivered claim stays longer than the retention (it may leave up to a day sooner).

use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::Utc;

use super::{Outbox, OutboxError};

/// How often the running kiosk purges.
pub const PURGE_EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// The purge thread; dropping the handle stops it (at once, even mid-wait).
pub struct PurgeWorker {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl PurgeWorker {
    /// Starts the thread: a purge now, then one every `every`, each deleting the delivered claims whose
    /// retention ends before the next turn. A failed purge is logged and tried again at the next turn; it never
    /// stops the kiosk.
    pub fn spawn(outbox: Arc<Outbox>, every: Duration) -> Result<PurgeWorker, OutboxError> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("outbox-purge".to_owned())
            .spawn(move || {
                loop {
                    let next_turn =
                        chrono::TimeDelta::from_std(every).unwrap_or(chrono::TimeDelta::MAX);
                    match outbox.purge(Utc::now() + next_turn) {
                        Ok(0) => tracing::debug!("retention purge: nothing to delete"),
                        Ok(count) => tracing::info!(
                            count,
                            retention_days = outbox.retention_days(),
                            "delivered claims past retention deleted"
                        ),
                        Err(error) => {
                            tracing::error!(%error, "retention purge failed; retried later")
                        }
                    }
                    match stopped.recv_timeout(every) {
                        Err(mpsc::RecvTimeoutError::Timeout) => {}
                        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
            })
            .map_err(|err| OutboxError::Database {
                action: "start the purge thread",
                reason: err.to_string(),
            })?;
        Ok(PurgeWorker {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for PurgeWorker {
    fn drop(&mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
