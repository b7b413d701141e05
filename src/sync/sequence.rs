//! Learning the highest claim sequence the central service holds for this kiosk (`POST
//! /v1/kiosks/{id}/sequence`) and raising the outbox's sequence above it, so that a restored or replaced
//! outbox never makes a reference the central service already has.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::api::SequenceReply;
use super::{CentralClient, SyncConfig, SyncError};
use crate::claim::reference::MAX_SEQUENCE;
use crate::outbox::Outbox;

/// How long the kiosk waits for the answer at start before it goes on and keeps asking in the background.
pub const START_TIMEOUT: Duration = Duration::from_secs(3);

/// Asks the central service for the highest sequence it holds under this kiosk's registered number.
pub fn ask(client: &CentralClient) -> Result<SequenceReply, SyncError> {
    let path = format!("v1/kiosks/{}/sequence", client.kiosk_id());
    let (status, text) = client.post_json(&path, &serde_json::json!({}))?;
    if status != 200 {
        return Err(SyncError::Refused {
            status,
            message: text.chars().take(200).collect(),
        });
    }
    serde_json::from_str(&text)
        .map_err(|e| SyncError::Unreachable(format!("unreadable answer: {e}")))
}

/// Asks, checks that the central service registered the kiosk under `number`, and raises the outbox's sequence
/// above the answer. Returns the reply and the outbox's next sequence number.
pub fn learn(
    client: &CentralClient,
    outbox: &Outbox,
    number: u32,
) -> Result<(SequenceReply, u64), SyncError> {
    let reply = ask(client)?;
    if reply.number != number {
        return Err(SyncError::Refused {
            status: 200,
            message: format!(
                "the central service registered this kiosk as number {}, its key file says {number}: \
                 correct the registration (`lapak-central kiosk add --number`)",
                reply.number
            ),
        });
    }
    if reply.highest_sequence > MAX_SEQUENCE {
        return Err(SyncError::Refused {
            status: 200,
            message: format!(
                "the central service answered sequence {}, above the largest a reference holds ({MAX_SEQUENCE})",
                reply.highest_sequence
            ),
        });
    }
    let next = outbox
        .raise_sequence_floor(reply.highest_sequence)
        .map_err(|e| SyncError::Client(format!("outbox: {e}")))?;
    Ok((reply, next))
}

/// A copy of `config` whose timeouts are at most `limit`, for the question asked at start.
pub fn with_short_timeouts(config: &SyncConfig, limit: Duration) -> SyncConfig {
    let secs = limit.as_secs().max(1);
    SyncConfig {
        connect_timeout_secs: config.connect_timeout_secs.min(secs),
        request_timeout_secs: config.request_timeout_secs.min(secs),
        ..config.clone()
    }
}

/// Keeps asking (after `first_delay`, then with growing pauses up to five minutes) until the central service
/// answers, then raises the outbox's floor and stops. For a kiosk that started while the service was down.
pub fn learn_in_background(
    client: CentralClient,
    outbox: Arc<Outbox>,
    number: u32,
    first_delay: Duration,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("sequence-floor".into())
        .spawn(move || {
            let mut delay = first_delay;
            loop {
                std::thread::sleep(delay);
                match learn(&client, &outbox, number) {
                    Ok((reply, next)) => {
                        tracing::info!(
                            highest = reply.highest_sequence,
                            next,
                            "claim sequence checked with the central service"
                        );
                        return;
                    }
                    Err(SyncError::Refused { status, message }) if status < 500 => {
                        tracing::warn!(status, %message, "the central service refused the sequence question; asking again later");
                    }
                    Err(e) => tracing::info!(error = %e, "sequence question not answered yet"),
                }
                delay = (delay * 2).clamp(Duration::from_secs(1), Duration::from_secs(300));
            }
        })
}
