//! The uploader: drains the outbox to the central service, one claim at a time, on its own thread. Each claim
//! goes as a resumable upload ([`resumable`]: chunks that resume at the service's offset after a broken
//! connection); its answer is classified exactly as a `POST /v1/claims` answer.
//!
//! Each claim is sent with its claim id as the idempotency key, so a claim sent twice (an answer lost, a crash
//! between sending and marking it delivered) is stored once and answered with the same receipt. Answers:
//! - 201 / 200 with a receipt for this claim: delivered.
//! - 408, 429, 5xx, no answer, a timeout or an unreadable answer: transient, retried for ever with exponential
//!   backoff and jitter (capped), waiting at least what `Retry-After` asks.
//! - 401 `replayed` or `stale_timestamp`: the request, not the claim, was refused (a connection retried by the
//!   HTTP stack or a proxy, or the kiosk clock off); the claim is sent again, signed afresh, like a transient.
//! - any other 4xx: a permanent refusal, marked rejected with the reason and not retried.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::SyncError;
use super::api::{ErrorBody, Receipt};
use super::backoff::{Backoff, jitter_unit};
use super::client::CentralClient;
use super::queue::{ClaimQueue, QueueError, QueuedClaim};
use super::resumable::{self, Answer, Outcome, UploadUrls};

/// The outcome of one attempt to send a claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// The central service has the claim.
    Delivered {
        /// Its receipt.
        receipt: Receipt,
        /// The receipt as received (stored in the outbox).
        receipt_json: String,
        /// True when the service already had it (200 rather than 201).
        repeat: bool,
    },
    /// Refused for good.
    Rejected {
        /// HTTP status.
        status: u16,
        /// The service's reason.
        reason: String,
    },
    /// Try again later.
    Transient {
        /// What went wrong.
        reason: String,
        /// What the service's `Retry-After` asked for.
        retry_after: Option<Duration>,
    },
}

/// Sends one claim as a resumable upload ([`resumable::upload`], resuming at the URL `urls` kept for it) and
/// classifies the answer (see the module documentation).
pub fn send_claim(client: &CentralClient, claim: &QueuedClaim, urls: &dyn UploadUrls) -> Delivery {
    let Answer {
        status,
        retry_after,
        text,
    } = match resumable::upload(client, claim, urls) {
        Outcome::Answer(answer) => answer,
        Outcome::Failed(reason) => {
            return Delivery::Transient {
                reason,
                retry_after: None,
            };
        }
    };
    match status {
        200 | 201 => match serde_json::from_str::<Receipt>(&text) {
            Ok(receipt) if receipt.claim_id == claim.claim_id => Delivery::Delivered {
                receipt,
                receipt_json: text,
                repeat: status == 200,
            },
            Ok(receipt) => Delivery::Transient {
                reason: format!(
                    "receipt names claim {} instead of {}",
                    receipt.claim_id, claim.claim_id
                ),
                retry_after,
            },
            Err(e) => Delivery::Transient {
                reason: format!("unreadable receipt ({status}): {e}"),
                retry_after,
            },
        },
        401 if request_only_refusal(&text) => Delivery::Transient {
            reason: format!("{status}: {}", reason_of(&text)),
            retry_after,
        },
        408 | 429 => Delivery::Transient {
            reason: format!("{status}: {}", reason_of(&text)),
            retry_after,
        },
        400..=499 => Delivery::Rejected {
            status,
            reason: reason_of(&text),
        },
        _ => Delivery::Transient {
            reason: format!("{status}: {}", reason_of(&text)),
            retry_after,
        },
    }
}

/// A 401 that says nothing about the claim: a replayed signature or a timestamp outside the server's window.
fn request_only_refusal(text: &str) -> bool {
    serde_json::from_str::<ErrorBody>(text)
        .is_ok_and(|body| matches!(body.error.as_str(), "replayed" | "stale_timestamp"))
}

fn reason_of(text: &str) -> String {
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => format!("{}: {}", body.error, body.message),
        Err(_) => text.chars().take(200).collect::<String>().trim().to_owned(),
    }
}

/// What the uploader did, for the staff screen and the `sync` command.
#[derive(Debug, Clone, PartialEq)]
pub enum UploadEvent {
    /// Sending a claim.
    Sending {
        /// Its reference.
        reference: String,
        /// Attempts made before this one.
        attempts: u32,
    },
    /// A claim was delivered.
    Delivered {
        /// Its reference.
        reference: String,
        /// The service already had it.
        repeat: bool,
    },
    /// A claim was refused for good.
    Rejected {
        /// Its reference.
        reference: String,
        /// The service's reason.
        reason: String,
    },
    /// A send failed; the claim waits.
    Retrying {
        /// Its reference.
        reference: String,
        /// What went wrong.
        error: String,
        /// How long until the next request.
        wait: Duration,
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
    pub sending: Option<String>,
    /// Requests made since start.
    pub requests: u64,
    /// Claims delivered since start.
    pub delivered: u64,
    /// Claims refused since start.
    pub rejected: u64,
    /// Transient failures in a row (0 when the last request succeeded).
    pub failures_in_a_row: u32,
    /// The last error, kept until the next success.
    pub last_error: Option<String>,
    /// When a claim was last delivered.
    pub last_delivered_at: Option<DateTime<Utc>>,
    /// When the next request is planned, while waiting after an error.
    pub next_attempt_at: Option<DateTime<Utc>>,
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
            UploadEvent::Rejected { reference, reason } => {
                self.sending = None;
                self.rejected += 1;
                self.failures_in_a_row = 0;
                self.last_error = Some(format!("{reference} refused: {reason}"));
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
            tracing::info!(reference = %claim.reference, repeat, "claim delivered");
            emit(UploadEvent::Delivered {
                reference: claim.reference,
                repeat,
            });
            Ok(Step::Continue)
        }
        Delivery::Rejected { status, reason } => {
            let reason = format!("{status} {reason}");
            queue.mark_rejected(claim.id, &reason, Utc::now())?;
            backoff.succeed();
            tracing::warn!(reference = %claim.reference, %reason, "claim refused by the central service");
            emit(UploadEvent::Rejected {
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
            tracing::info!(reference = %claim.reference, error = %reason, wait_ms = wait.as_millis() as u64, "send failed; will retry");
            emit(UploadEvent::Retrying {
                reference: claim.reference,
                error: reason,
                wait,
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
    /// Claims refused for good.
    pub rejected: u64,
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
                UploadEvent::Rejected { .. } => summary.rejected += 1,
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

enum Command {
    Wake,
    Stop,
}

/// The background uploader thread.
pub struct Uploader {
    commands: Sender<Command>,
    status: Arc<Mutex<UploaderStatus>>,
    thread: Option<JoinHandle<()>>,
}

impl Uploader {
    /// Starts the uploader on its own thread. `on_event` is called on that thread after each event (e.g. to
    /// forward it to the GUI through a channel); it must not block.
    pub fn spawn(
        client: CentralClient,
        queue: Arc<dyn ClaimQueue>,
        on_event: Box<dyn Fn(&UploadEvent) + Send>,
    ) -> Result<Uploader, SyncError> {
        let (commands, inbox) = mpsc::channel::<Command>();
        let status = Arc::new(Mutex::new(UploaderStatus {
            running: true,
            ..UploaderStatus::default()
        }));
        let shared = Arc::clone(&status);
        let thread = std::thread::Builder::new()
            .name("uploader".into())
            .spawn(move || {
                let config = client.config().clone();
                let idle = Duration::from_secs(config.idle_poll_secs);
                let mut backoff = Backoff::new(config.backoff_base(), config.backoff_cap());
                loop {
                    let mut emit = |event: UploadEvent| {
                        shared
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .record(&event, Utc::now());
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
                    if wait.is_zero() {
                        if let Ok(Command::Stop) = inbox.try_recv() {
                            break;
                        }
                        continue;
                    }
                    match inbox.recv_timeout(wait) {
                        Ok(Command::Wake) | Err(RecvTimeoutError::Timeout) => {}
                        Ok(Command::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
                shared
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .running = false;
            })
            .map_err(|e| SyncError::Client(format!("cannot start the uploader thread: {e}")))?;
        Ok(Uploader {
            commands,
            status,
            thread: Some(thread),
        })
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
        let _ = self.commands.send(Command::Wake);
    }

    /// Stops the thread after the request in flight and waits for it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.commands.send(Command::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Uploader {
    fn drop(&mut self) {
        self.shutdown();
    }
}
