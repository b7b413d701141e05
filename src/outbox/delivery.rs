//! Delivery: handing the next due claim to the uploader and recording what the central service answered;
//! staff sending held claims again; the resumable upload URL kept per claim.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use super::time::{self, to_millis};
use super::{ClaimState, Outbox, OutboxError, OutgoingClaim, reference, truncate_wal};
use crate::claim::reference::ClaimReference;

impl Outbox {
    /// The pending claim due longest ago (at or before `now`), marked `sending` in the same transaction;
    /// `None` when nothing is due.
    pub fn next_due(&self, now: DateTime<Utc>) -> Result<Option<OutgoingClaim>, OutboxError> {
        self.writer.call(move |conn| {
            let action = "pick the next claim to send";
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(OutboxError::database(action))?;
            let row = tx
                .query_row(
                    "SELECT id, claim_id, reference, packet, signature, attempts, created_at FROM claims
                     WHERE state = 'pending' AND next_attempt_at <= ?1
                     ORDER BY next_attempt_at, id LIMIT 1",
                    [to_millis(now)],
                    |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, Vec<u8>>(3)?,
                            row.get::<_, Vec<u8>>(4)?,
                            row.get::<_, u32>(5)?,
                            row.get::<_, i64>(6)?,
                        ))
                    },
                )
                .optional()
                .map_err(OutboxError::database(action))?;
            let Some((id, claim_id, reference, ciphertext, signature, attempts, created_at)) = row else {
                return Ok(None);
            };
            let damaged = |reason: String| OutboxError::Damaged { id, reason };
            let claim_id = Uuid::parse_str(&claim_id).map_err(|err| damaged(err.to_string()))?;
            let reference = reference::from_column(&reference).map_err(damaged)?;
            let signature = ed25519_dalek::Signature::from_slice(&signature)
                .map_err(|err| damaged(format!("signature: {err}")))?;
            tx.execute(
                "UPDATE claims SET state = 'sending', updated_at = ?2 WHERE id = ?1",
                params![id, to_millis(now)],
            )
            .map_err(OutboxError::database(action))?;
            tx.commit().map_err(OutboxError::database(action))?;
            Ok(Some(OutgoingClaim {
                id,
                claim_id,
                reference,
                ciphertext: ciphertext.into(),
                signature,
                attempts,
                created_at: time::from_millis(created_at),
            }))
        })
    }

    /// Records the central service's receipt (JSON without personal data): the claim is delivered, and its
    /// NIK hash and salt are cleared in the same transaction.
    pub fn mark_delivered(
        &self,
        id: i64,
        receipt_json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), OutboxError> {
        serde_json::from_str::<serde_json::Value>(receipt_json).map_err(|err| {
            OutboxError::InvalidReceipt {
                reason: err.to_string(),
            }
        })?;
        let receipt = receipt_json.to_owned();
        self.transition(id, "marked delivered", &[ClaimState::Pending, ClaimState::Sending], move |tx| {
            tx.execute(
                "UPDATE claims SET state = 'delivered', delivered_at = ?2, updated_at = ?2, receipt = ?3,
                     attempts = attempts + 1, last_error = NULL, nik_hash = NULL, nik_salt = NULL,
                     nik_kdf = NULL
                 WHERE id = ?1",
                params![id, to_millis(now), receipt],
            )
        })?;
        // The page images that still held the hash leave the write-ahead log now, not at the next purge. The
        // claim is delivered whatever happens here: a failure is logged and the next delivery or purge retries.
        if let Err(error) = self.writer.call(truncate_wal) {
            tracing::warn!(%error, "write-ahead log not truncated after a delivery");
        }
        Ok(())
    }

    /// Puts the claim back to `pending` after a failed attempt, due again at `next_attempt_at`.
    pub fn mark_retry(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> Result<(), OutboxError> {
        let error = error.to_owned();
        self.transition(
            id,
            "retried",
            &[ClaimState::Pending, ClaimState::Sending],
            move |tx| {
                tx.execute(
                    "UPDATE claims SET state = 'pending', attempts = attempts + 1, last_error = ?2,
                     next_attempt_at = ?3
                 WHERE id = ?1",
                    params![id, error, to_millis(next_attempt_at)],
                )
            },
        )
    }

    /// Holds the claim after the central service refused it for good with a claim-level `reason`: it is not
    /// sent again until staff requeue it ([`Outbox::requeue`]), and it is never deleted.
    pub fn mark_held(&self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<(), OutboxError> {
        let reason = reason.to_owned();
        self.transition(id, "held", &[ClaimState::Pending, ClaimState::Sending], move |tx| {
            tx.execute(
                "UPDATE claims SET state = 'held', attempts = attempts + 1, last_error = ?2, updated_at = ?3
                 WHERE id = ?1",
                params![id, reason, to_millis(now)],
            )
        })
    }

    /// Puts the held claim with this reference back to `pending`, due at `now`; its hold reason stays as the last
    /// error until the next attempt. Errors: [`OutboxError::UnknownReference`], [`OutboxError::NotHeld`].
    pub fn requeue(
        &self,
        reference: &ClaimReference,
        now: DateTime<Utc>,
    ) -> Result<(), OutboxError> {
        let reference = reference.clone();
        self.writer.call(move |conn| {
            let db = "send a held claim again";
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(OutboxError::database(db))?;
            let state: Option<String> = tx
                .query_row(
                    "SELECT state FROM claims WHERE reference = ?1",
                    [reference.digits()],
                    |row| row.get(0),
                )
                .optional()
                .map_err(OutboxError::database(db))?;
            let Some(state) = state else {
                return Err(OutboxError::UnknownReference { reference });
            };
            match ClaimState::parse(&state) {
                Some(ClaimState::Held) => {}
                Some(state) => return Err(OutboxError::NotHeld { reference, state }),
                None => {
                    return Err(OutboxError::Damaged {
                        id: 0,
                        reason: format!("claim {} has unknown state {state:?}", reference.digits()),
                    });
                }
            }
            tx.execute(
                "UPDATE claims SET state = 'pending', next_attempt_at = ?2, updated_at = ?2
                 WHERE reference = ?1 AND state = 'held'",
                params![reference.digits(), to_millis(now)],
            )
            .map_err(OutboxError::database(db))?;
            tx.commit().map_err(OutboxError::database(db))
        })
    }

    /// Puts every held claim back to `pending`, due at `now` (see [`Outbox::requeue`]); returns how many.
    pub fn requeue_held(&self, now: DateTime<Utc>) -> Result<usize, OutboxError> {
        self.writer.call(move |conn| {
            conn.execute(
                "UPDATE claims SET state = 'pending', next_attempt_at = ?1, updated_at = ?1
                 WHERE state = 'held'",
                [to_millis(now)],
            )
            .map_err(OutboxError::database("send the held claims again"))
        })
    }

    /// The resumable upload URL kept for claim `id` (see [`Outbox::set_upload_url`]); `None` when no upload
    /// was started or the claim is unknown.
    pub fn upload_url(&self, id: i64) -> Result<Option<String>, OutboxError> {
        self.writer.call(move |conn| {
            conn.query_row("SELECT upload_url FROM claims WHERE id = ?1", [id], |row| {
                row.get::<_, Option<String>>(0)
            })
            .optional()
            .map(Option::flatten)
            .map_err(OutboxError::database("read a claim's upload URL"))
        })
    }

    /// Keeps (or with `None` forgets) the URL of the resumable upload under way for claim `id`, so that a
    /// broken connection or a restart resumes it.
    pub fn set_upload_url(&self, id: i64, url: Option<&str>) -> Result<(), OutboxError> {
        let url = url.map(str::to_owned);
        self.writer.call(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE claims SET upload_url = ?2 WHERE id = ?1",
                    params![id, url],
                )
                .map_err(OutboxError::database("keep a claim's upload URL"))?;
            if changed == 0 {
                return Err(OutboxError::NotFound { id });
            }
            Ok(())
        })
    }

    /// Runs `change` on claim `id` in one transaction if the claim is in one of the `from` states.
    fn transition<F>(
        &self,
        id: i64,
        action: &'static str,
        from: &'static [ClaimState],
        change: F,
    ) -> Result<(), OutboxError>
    where
        F: FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<usize> + Send + 'static,
    {
        self.writer.call(move |conn| {
            let db = "change a claim's state";
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(OutboxError::database(db))?;
            let state: Option<String> = tx
                .query_row("SELECT state FROM claims WHERE id = ?1", [id], |row| {
                    row.get(0)
                })
                .optional()
                .map_err(OutboxError::database(db))?;
            let state = state.ok_or(OutboxError::NotFound { id })?;
            let state = ClaimState::parse(&state).ok_or_else(|| OutboxError::Damaged {
                id,
                reason: format!("unknown state {state:?}"),
            })?;
            if !from.contains(&state) {
                return Err(OutboxError::WrongState { id, state, action });
            }
            change(&tx).map_err(OutboxError::database(db))?;
            tx.commit().map_err(OutboxError::database(db))
        })
    }
}
