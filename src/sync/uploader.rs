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

use std::collections::HashMap;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::api::{DeliveryAlert, ErrorBody, Receipt, is_claim_refusal};
use super::backoff::{Backoff, jitter_unit};
use super::client::CentralClient;
use super::queue::{ClaimQueue, QueueError};
use super::resumable::{self, Answer, Outcome, UploadUrls};
use super::{SyncConfig, SyncError};
use crate::claim::reference::ClaimReference;
use crate::outbox::OutgoingClaim;

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
    /// The central service refused the claim itself (a claim-level code): hold it for staff.
    Held {
        /// HTTP status.
        status: u16,
        /// The service's code and message.
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

/// Sends one claim as a resumable upload ([`resumable::upload`]: chunks that resume at the service's offset
/// after a broken connection, at the URL `urls` keeps for the claim) and classifies the service's answer about it
/// (see the module documentation).
pub fn send_claim(
    client: &CentralClient,
    claim: &OutgoingClaim,
    urls: &dyn UploadUrls,
) -> Delivery {
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
    match classify(status, &text) {
        Delivery::Delivered { receipt, .. } if receipt.claim_id != claim.claim_id => {
            Delivery::Transient {
                reason: format!(
                    "receipt names claim {} instead of {}",
                    receipt.claim_id, claim.claim_id
                ),
                retry_after,
            }
        }
        Delivery::Transient { reason, .. } => Delivery::Transient {
            reason,
            retry_after,
        },
        final_answer => final_answer,
    }
}

/// Classifies one answer of `POST /v1/claims` by its status and body (see the module documentation): a receipt
/// is delivered, a claim-level refusal of lapak-central is held, anything else is transient (its `retry_after`
/// is left to the caller, who has the headers).
pub fn classify(status: u16, body_text: &str) -> Delivery {
    match status {
        200 | 201 => match serde_json::from_str::<Receipt>(body_text) {
            Ok(receipt) => Delivery::Delivered {
                receipt,
                receipt_json: body_text.to_owned(),
                repeat: status == 200,
            },
            Err(e) => Delivery::Transient {
                reason: format!("unreadable receipt ({status}): {e}"),
                retry_after: None,
            },
        },
        _ => match serde_json::from_str::<ErrorBody>(body_text) {
            Ok(body) if is_claim_refusal(status, &body.error) => Delivery::Held {
                status,
                reason: format!("{}: {}", body.error, body.message),
            },
            _ => Delivery::Transient {
                reason: format!("{status}: {}", reason_of(body_text)),
                retry_after: None,
            },
        },
    }
}

/// The service's code and message, or the start of whatever else answered (an HTML page, a proxy's text) on
/// one line.
fn reason_of(text: &str) -> String {
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => format!("{}: {}", body.error, body.message),
        Err(_) => {
            let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if line.is_empty() {
                "(no body)".to_owned()
            } else {
                line.chars().take(200).collect()
            }
        }
    }
}

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

/// The claims past the alert limits, kept by the uploader thread; [`AlertTracker::current`] is the alert the
/// status carries.
#[derive(Debug, Clone)]
pub struct AlertTracker {
    after_attempts: u32,
    after_wait: chrono::Duration,
    claims: HashMap<ClaimReference, AlertedClaim>,
}

#[derive(Debug, Clone)]
struct AlertedClaim {
    attempts: u32,
    waiting_since: DateTime<Utc>,
    raised_at: DateTime<Utc>,
    last_error: String,
}

impl AlertTracker {
    /// A tracker with the limits of `config` (`alert_after_attempts`, `alert_after_minutes`).
    pub fn new(config: &SyncConfig) -> AlertTracker {
        AlertTracker {
            after_attempts: config.alert_after_attempts.max(1),
            after_wait: chrono::Duration::minutes(
                i64::try_from(config.alert_after_minutes).unwrap_or(i64::MAX / 60_000),
            ),
            claims: HashMap::new(),
        }
    }

    /// Takes in what the uploader did at `now`: a failed claim past a limit raises (or updates) its alert; a
    /// delivered or held claim clears its own.
    pub fn observe(&mut self, event: &UploadEvent, now: DateTime<Utc>) {
        match event {
            UploadEvent::Retrying {
                reference,
                error,
                attempts,
                waiting_since,
                ..
            } => {
                let past_limit =
                    *attempts >= self.after_attempts || now - *waiting_since >= self.after_wait;
                if past_limit {
                    let entry =
                        self.claims
                            .entry(reference.clone())
                            .or_insert_with(|| AlertedClaim {
                                attempts: *attempts,
                                waiting_since: *waiting_since,
                                raised_at: now,
                                last_error: error.clone(),
                            });
                    entry.attempts = *attempts;
                    entry.last_error = error.clone();
                }
            }
            UploadEvent::Delivered { reference, .. } | UploadEvent::Held { reference, .. } => {
                self.claims.remove(reference);
            }
            UploadEvent::Sending { .. } | UploadEvent::QueueFailed(_) => {}
        }
    }

    /// The alert: the claim that has waited longest among those past the limits, with how many there are.
    pub fn current(&self) -> Option<DeliveryAlert> {
        let (reference, oldest) = self
            .claims
            .iter()
            .min_by(|a, b| (a.1.waiting_since, a.0).cmp(&(b.1.waiting_since, b.0)))?;
        let raised_at = self.claims.values().map(|c| c.raised_at).min()?;
        Some(DeliveryAlert {
            claims: u32::try_from(self.claims.len()).unwrap_or(u32::MAX),
            reference: reference.clone(),
            attempts: oldest.attempts,
            waiting_since: oldest.waiting_since,
            raised_at,
            last_error: oldest.last_error.clone(),
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::api::{CLAIM_REFUSAL_CODES, ClaimStatus};

    fn error_body(code: &str) -> String {
        serde_json::json!({ "error": code, "message": "from lapak-central" }).to_string()
    }

    fn receipt_json() -> String {
        serde_json::json!({
            "claim_id": "6f1c1b5e-8a43-4c3e-9d2a-0d6a7c1e2f30",
            "reference": "900000001",
            "kiosk_id": "K001",
            "received_at": "2026-11-28T03:44:00Z",
            "status": "received"
        })
        .to_string()
    }

    const CAPTIVE_PORTAL: &str = "<!DOCTYPE html>\n<html><head><title>Hotspot login</title></head>\n\
        <body><form action=\"/login\"><input name=\"voucher\"></form></body></html>";

    fn is_transient(delivery: &Delivery) -> bool {
        matches!(delivery, Delivery::Transient { .. })
    }

    #[test]
    fn only_allow_listed_claim_codes_with_their_status_are_held() {
        for (status, code) in CLAIM_REFUSAL_CODES {
            match classify(*status, &error_body(code)) {
                Delivery::Held { status: s, reason } => {
                    assert_eq!(s, *status);
                    assert!(reason.starts_with(code), "{reason}");
                }
                other => panic!("{status} {code} must be held, got {other:?}"),
            }
        }
        // The same codes under another status are not the service's claim-level refusal.
        assert!(is_transient(&classify(400, &error_body("hash_mismatch"))));
        assert!(is_transient(&classify(409, &error_body("wrong_recipient"))));
        assert!(is_transient(&classify(
            500,
            &error_body("idempotency_conflict")
        )));
    }

    #[test]
    fn proxy_portal_kiosk_and_unknown_answers_are_transient() {
        let answers: Vec<(u16, String)> = vec![
            (401, error_body("unknown_kiosk")),
            (401, error_body("revoked_kiosk")),
            (401, error_body("bad_signature")),
            (401, error_body("replayed")),
            (401, error_body("stale_timestamp")),
            (403, "<html><body>403 Forbidden</body></html>".into()),
            (
                404,
                "<html><body><h1>404 Not Found</h1>nginx</body></html>".into(),
            ),
            (407, "Proxy Authentication Required".into()),
            (
                413,
                "<html><head><title>413 Request Entity Too Large</title></head></html>".into(),
            ),
            (422, error_body("a_code_added_later")),
            (422, "{\"detail\": \"not lapak-central\"}".into()),
            (409, String::new()),
            (400, error_body("bad_request")),
            (408, String::new()),
            (429, error_body("rate_limited")),
            (302, CAPTIVE_PORTAL.into()),
            (200, CAPTIVE_PORTAL.into()),
            (201, "{\"receipt\": ".into()),
            (500, "oops".into()),
            (503, error_body("overloaded")),
        ];
        for (status, body) in answers {
            let delivery = classify(status, &body);
            match &delivery {
                Delivery::Transient { reason, .. } => {
                    assert!(reason.contains(&status.to_string()), "{reason}");
                    assert!(!reason.contains('\n'), "one line for staff: {reason:?}");
                }
                other => panic!("{status} {body:?} must be transient, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_receipt_is_delivered_and_200_is_a_repeat() {
        match classify(201, &receipt_json()) {
            Delivery::Delivered {
                receipt,
                receipt_json: kept,
                repeat,
            } => {
                assert_eq!(receipt.status, ClaimStatus::Received);
                assert_eq!(kept, receipt_json());
                assert!(!repeat);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            classify(200, &receipt_json()),
            Delivery::Delivered { repeat: true, .. }
        ));
    }

    fn limits(attempts: u32, minutes: u64) -> SyncConfig {
        SyncConfig {
            alert_after_attempts: attempts,
            alert_after_minutes: minutes,
            ..SyncConfig::default()
        }
    }

    /// A claim reference for each name the tests use.
    fn r(name: &str) -> ClaimReference {
        let sequence = ["1", "young", "old", "older"]
            .iter()
            .position(|known| *known == name)
            .expect("a known name");
        ClaimReference::new(1, sequence as u64 + 1).expect("a reference")
    }

    fn failed(
        reference: &str,
        attempts: u32,
        saved_minutes_ago: i64,
        now: DateTime<Utc>,
    ) -> UploadEvent {
        UploadEvent::Retrying {
            reference: r(reference),
            error: format!("403: Forbidden ({attempts})"),
            wait: Duration::from_secs(1),
            attempts,
            waiting_since: now - chrono::Duration::minutes(saved_minutes_ago),
        }
    }

    #[test]
    fn the_alert_is_raised_after_the_attempt_limit_and_cleared_on_delivery() {
        let now = Utc::now();
        let mut tracker = AlertTracker::new(&limits(3, 60));
        tracker.observe(&failed("1", 1, 0, now), now);
        tracker.observe(&failed("1", 2, 0, now), now);
        assert_eq!(tracker.current(), None, "below both limits");
        let later = now + chrono::Duration::seconds(5);
        tracker.observe(&failed("1", 3, 0, now), later);
        let alert = tracker.current().expect("raised at the third failure");
        assert_eq!(
            (alert.claims, &alert.reference, alert.attempts),
            (1, &r("1"), 3)
        );
        assert_eq!(alert.raised_at, later);
        assert_eq!(alert.last_error, "403: Forbidden (3)");
        tracker.observe(&failed("1", 4, 0, now), later);
        let alert = tracker.current().expect("still raised");
        assert_eq!((alert.attempts, alert.raised_at), (4, later));
        assert_eq!(alert.last_error, "403: Forbidden (4)");
        tracker.observe(
            &UploadEvent::Delivered {
                reference: r("1"),
                repeat: false,
            },
            later,
        );
        assert_eq!(tracker.current(), None);
    }

    #[test]
    fn the_alert_is_raised_after_the_wait_limit_and_names_the_oldest_claim() {
        let now = Utc::now();
        let mut tracker = AlertTracker::new(&limits(10, 60));
        tracker.observe(&failed("young", 1, 59, now), now);
        assert_eq!(tracker.current(), None);
        tracker.observe(&failed("old", 1, 90, now), now);
        tracker.observe(&failed("older", 2, 120, now), now);
        let alert = tracker.current().expect("raised by the wait");
        assert_eq!((alert.claims, &alert.reference), (2, &r("older")));
        assert_eq!(alert.waiting_since, now - chrono::Duration::minutes(120));
        // A held claim no longer counts; a delivery of another claim does not clear the rest.
        tracker.observe(
            &UploadEvent::Held {
                reference: r("older"),
                reason: "422 hash_mismatch".into(),
            },
            now,
        );
        tracker.observe(
            &UploadEvent::Delivered {
                reference: r("young"),
                repeat: false,
            },
            now,
        );
        let alert = tracker.current().expect("one claim still failing");
        assert_eq!((alert.claims, &alert.reference), (1, &r("old")));
    }
}
