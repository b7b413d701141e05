//! The uploader: drains the outbox to the central service, one claim at a time, on its own thread. Each claim
//! goes as a resumable upload ([`resumable`]: chunks that resume at the service's offset after a broken
//! connection); its answer is classified exactly as a `POST /v1/claims` answer.
//!
//! Each claim is sent with its claim id as the idempotency key, so a claim sent twice (an answer lost, a crash
//! between sending and marking it delivered) is stored once and answered with the same receipt. Answers:
//! - 201 / 200 with a receipt for this claim: delivered.
//! - a refusal of the claim itself: lapak-central's JSON error with one of the claim-level codes of
//!   [`super::api::CLAIM_REFUSAL_CODES`] (a packet that fails its checks, an idempotency conflict) and the
//!   matching status. The claim is held with the reason, for staff, who can send it again; never deleted.
//! - everything else is transient and retried for ever with exponential backoff and jitter (capped), waiting at
//!   least what `Retry-After` asks: any other 4xx (unknown or revoked kiosk, a bad signature behind a proxy that
//!   rewrites paths, a proxy's or captive portal's 403/404/407/413), unknown codes, HTML pages, 3xx, 5xx, no
//!   answer, a timeout, an unreadable or oversized answer. None of these says anything about the claim.
//!
//! A claim that has failed `sync.alert_after_attempts` times or waited `sync.alert_after_minutes` raises a
//! [`DeliveryAlert`] in the [`UploaderStatus`] (shown on the maintenance screen, sent with the heartbeat to
//! the fleet page), cleared once every such claim is delivered or held.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::SyncError;
use super::api::DeliveryAlert;
use super::backoff::{Backoff, jitter_unit};
use super::client::CentralClient;
use super::queue::{ClaimQueue, QueueError};
use crate::claim::reference::ClaimReference;
use crate::worker::{Inbox, Next, Worker};

pub use super::delivery::{Delivery, classify, send_claim};
pub use super::delivery_alert::AlertTracker;

/// What the uploader did, for the staff screen and the `sync` command.
#[derive(Debug, Clone, PartialEq)]
pub enum UploadEvent {
    /// Sending a claim.
    Sending {
        /// Its reference.
        reference: ClaimReference,
        /// Attempts made before this one.
        attempts: u32,
    },
    /// A claim was delivered.
    Delivered {
        /// Its reference.
        reference: ClaimReference,
        /// The service already had it.
        repeat: bool,
    },
    /// The central service refused the claim itself; it is held for staff.
    Held {
        /// Its reference.
        reference: ClaimReference,
        /// The service's reason.
        reason: String,
    },
    /// A send failed; the claim waits.
    Retrying {
        /// Its reference.
        reference: ClaimReference,
        /// What went wrong.
        error: String,
        /// How long until the next request.
        wait: Duration,
        /// Failed attempts of this claim, this one included.
        attempts: u32,
        /// When the claim was saved.
        waiting_since: DateTime<Utc>,
    },
    /// The outbox itself failed.
    QueueFailed(QueueError),
}

/// The uploader's state, shared with the staff screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UploaderStatus {
    /// Whether the worker runs.
    pub running: bool,
    /// The reference being sent now.
    pub sending: Option<ClaimReference>,
    /// Requests made since start.
    pub requests: u64,
    /// Claims delivered since start.
    pub delivered: u64,
    /// Claims held since start (refused by the central service with a claim-level code).
    pub held: u64,
    /// Transient failures in a row (0 when the last request succeeded).
    pub failures_in_a_row: u32,
    /// The last error, kept until the next success.
    pub last_error: Option<String>,
    /// When a claim was last delivered.
    pub last_delivered_at: Option<DateTime<Utc>>,
    /// When the next request is planned, while waiting after an error.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Set while claims have failed or waited past the alert limits (`sync.alert_after_*`).
    pub alert: Option<DeliveryAlert>,
}

impl UploaderStatus {
    fn record(&mut self, event: &UploadEvent, now: DateTime<Utc>) {
        match event {
            UploadEvent::Sending { reference, .. } => {
                self.sending = Some(reference.clone());
                self.requests += 1;
                self.next_attempt_at = None;
            }
            UploadEvent::Delivered { .. } => {
                self.sending = None;
                self.delivered += 1;
                self.failures_in_a_row = 0;
                self.last_error = None;
                self.last_delivered_at = Some(now);
            }
            UploadEvent::Held { reference, reason } => {
                self.sending = None;
                self.held += 1;
                self.failures_in_a_row = 0;
                self.last_error = Some(format!("{} held: {reason}", reference.digits()));
            }
            UploadEvent::Retrying { error, wait, .. } => {
                self.sending = None;
                self.failures_in_a_row += 1;
                self.last_error = Some(error.clone());
                self.next_attempt_at = chrono::Duration::from_std(*wait).ok().map(|w| now + w);
            }
            UploadEvent::QueueFailed(e) => {
                self.sending = None;
                self.last_error = Some(format!("outbox: {e}"));
            }
        }
    }
}

/// What one step of the drain did.
enum Step {
    /// Nothing is due.
    Idle,
    /// A claim was handled; go on at once.
    Continue,
    /// A send failed; wait this long.
    Wait(Duration),
}

/// Takes the next due claim, sends it and records the outcome in the queue.
fn step(
    client: &CentralClient,
    queue: &dyn ClaimQueue,
    backoff: &mut Backoff,
    emit: &mut dyn FnMut(UploadEvent),
) -> Result<Step, QueueError> {
    let Some(claim) = queue.next_due(Utc::now())? else {
        return Ok(Step::Idle);
    };
    emit(UploadEvent::Sending {
        reference: claim.reference.clone(),
        attempts: claim.attempts,
    });
    match send_claim(client, &claim, queue) {
        Delivery::Delivered {
            receipt_json,
            repeat,
            ..
        } => {
            queue.mark_delivered(claim.id, &receipt_json, Utc::now())?;
            backoff.succeed();
            tracing::info!(
                reference = claim.reference.digits(),
                repeat,
                "claim delivered"
            );
            emit(UploadEvent::Delivered {
                reference: claim.reference,
                repeat,
            });
            Ok(Step::Continue)
        }
        Delivery::Held { status, reason } => {
            let reason = format!("{status} {reason}");
            queue.mark_held(claim.id, &reason, Utc::now())?;
            backoff.succeed();
            tracing::warn!(reference = claim.reference.digits(), %reason, "claim held: refused by the central service");
            emit(UploadEvent::Held {
                reference: claim.reference,
                reason,
            });
            Ok(Step::Continue)
        }
        Delivery::Transient {
            reason,
            retry_after,
        } => {
            let wait = backoff
                .fail(jitter_unit())
                .max(retry_after.unwrap_or(Duration::ZERO));
            let next =
                Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
            queue.mark_retry(claim.id, &reason, next)?;
            tracing::info!(reference = claim.reference.digits(), error = %reason, wait_ms = wait.as_millis() as u64, "send failed; will retry");
            emit(UploadEvent::Retrying {
                reference: claim.reference,
                error: reason,
                wait,
                attempts: claim.attempts.saturating_add(1),
                waiting_since: claim.created_at,
            });
            Ok(Step::Wait(wait))
        }
    }
}

/// A summary of [`drain_now`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrainSummary {
    /// Claims delivered (including repeats).
    pub delivered: u64,
    /// Claims held after a claim-level refusal.
    pub held: u64,
    /// Failed attempts (the claims stay pending).
    pub failed_attempts: u64,
    /// Why the drain stopped early, if it did (the last transient error).
    pub stopped_by: Option<String>,
}

/// Progress of [`drain_now`], given to its callback after every event.
#[derive(Debug, Clone, PartialEq)]
pub struct DrainProgress {
    /// What just happened.
    pub event: UploadEvent,
    /// Totals so far.
    pub summary: DrainSummary,
}

/// Sends every due claim now, blocking, reporting each step through `progress` (for `lapak-kiosk sync` and
/// the staff screen's "sync now"). After a failed request it waits its backoff (or `Retry-After`) and goes on;
/// after `give_up_after` failures in a row it stops, leaving the rest pending for the background uploader.
pub fn drain_now(
    client: &CentralClient,
    queue: &dyn ClaimQueue,
    give_up_after: u32,
    progress: &mut dyn FnMut(DrainProgress),
) -> Result<DrainSummary, SyncError> {
    let mut backoff = Backoff::new(
        client.config().backoff_base(),
        client.config().backoff_cap(),
    );
    let mut summary = DrainSummary::default();
    loop {
        let mut emit = |event: UploadEvent| {
            match &event {
                UploadEvent::Delivered { .. } => summary.delivered += 1,
                UploadEvent::Held { .. } => summary.held += 1,
                UploadEvent::Retrying { error, .. } => {
                    summary.failed_attempts += 1;
                    summary.stopped_by = Some(error.clone());
                }
                UploadEvent::Sending { .. } | UploadEvent::QueueFailed(_) => {}
            }
            progress(DrainProgress {
                event,
                summary: summary.clone(),
            });
        };
        match step(client, queue, &mut backoff, &mut emit)? {
            Step::Idle => {
                summary.stopped_by = None;
                return Ok(summary);
            }
            Step::Continue => summary.stopped_by = None,
            Step::Wait(wait) => {
                if backoff.failures() >= give_up_after.max(1) {
                    return Ok(summary);
                }
                std::thread::sleep(wait);
            }
        }
    }
}

/// What the uploader thread is asked to do through its inbox (stopping is the worker's own word).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    /// End the current wait and look at the outbox now.
    Wake,
}

/// The background uploader thread: a [`Worker`] ("uploader") that drains the outbox; dropping it stops it.
pub struct Uploader {
    worker: Worker<Command>,
    status: Arc<Mutex<UploaderStatus>>,
}

impl Uploader {
    /// Starts the uploader on its own thread. `on_event` is called on that thread after each event (e.g. to
    /// forward it to the GUI through a channel); it must not block.
    pub fn spawn(
        client: CentralClient,
        queue: Arc<dyn ClaimQueue>,
        on_event: Box<dyn Fn(&UploadEvent) + Send>,
    ) -> Result<Uploader, SyncError> {
        let status = Arc::new(Mutex::new(UploaderStatus {
            running: true,
            ..UploaderStatus::default()
        }));
        let shared = Arc::clone(&status);
        let worker = Worker::spawn("uploader", move |mut inbox: Inbox<Command>| {
            let config = client.config().clone();
            let idle = Duration::from_secs(config.idle_poll_secs);
            let mut backoff = Backoff::new(config.backoff_base(), config.backoff_cap());
            let mut alerts = AlertTracker::new(&config);
            loop {
                let mut emit = |event: UploadEvent| {
                    let now = Utc::now();
                    alerts.observe(&event, now);
                    {
                        let mut status = shared.lock().unwrap_or_else(PoisonError::into_inner);
                        status.record(&event, now);
                        status.alert = alerts.current();
                    }
                    on_event(&event);
                };
                let wait = match step(&client, queue.as_ref(), &mut backoff, &mut emit) {
                    Ok(Step::Continue) => Duration::ZERO,
                    Ok(Step::Idle) => idle,
                    Ok(Step::Wait(wait)) => wait,
                    Err(e) => {
                        tracing::error!(error = %e, "outbox failed while uploading");
                        emit(UploadEvent::QueueFailed(e));
                        idle
                    }
                };
                let next = if wait.is_zero() {
                    inbox.poll()
                } else {
                    inbox.wait(wait)
                };
                match next {
                    Next::Command(Command::Wake) | Next::Idle => {}
                    Next::Stop => break,
                }
            }
            shared
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .running = false;
        })
        .map_err(|e| SyncError::Client(format!("cannot start the uploader thread: {e}")))?;
        Ok(Uploader { worker, status })
    }

    /// A copy of the current status.
    pub fn status(&self) -> UploaderStatus {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Ends the current wait and looks at the outbox now ("sync now", or a claim was just saved).
    pub fn wake(&self) {
        let _ = self.worker.send(Command::Wake);
    }

    /// Stops the thread after the request in flight and waits for it (dropping the uploader does the same).
    pub fn stop(mut self) {
        self.worker.stop();
    }
}
