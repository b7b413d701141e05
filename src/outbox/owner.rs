//! Which kiosk an outbox belongs to, how it was made, and its claim sequence floor.
//!
//! The claim sequence lives in the outbox, so an outbox that is lost, restored from an old copy, or opened by
//! another kiosk could make a reference twice. The outbox therefore records its kiosk (id, number, public key)
//! when it is made and refuses any other; and [`Outbox::raise_sequence_floor`] lifts the sequence above the
//! highest one the central service holds for the kiosk.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::time::to_millis;
use super::{Outbox, OutboxError};
use crate::identity::KioskIdentity;

/// The kiosk an outbox belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxOwner {
    /// The kiosk id.
    pub kiosk_id: String,
    /// The kiosk number (the first five digits of its references).
    pub kiosk_number: u32,
    /// The kiosk's public key (base64).
    pub public_key: String,
}

impl OutboxOwner {
    /// The owner record of this kiosk.
    pub fn of(identity: &KioskIdentity) -> OutboxOwner {
        OutboxOwner {
            kiosk_id: identity.id().to_owned(),
            kiosk_number: identity.number(),
            public_key: identity.public_key_base64(),
        }
    }
}

/// How an outbox came to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxOrigin {
    /// Made with the kiosk (provisioning, or a demo kiosk's first start).
    Original,
    /// Older than the owner record: taken over by the kiosk whose key opened it.
    Adopted,
    /// Made by `lapak-kiosk outbox init --after-loss` after the previous outbox was lost.
    AfterLoss {
        /// Where the sequence floor came from (the central service, or staff).
        floor_source: String,
    },
}

impl OutboxOrigin {
    fn as_str(&self) -> &'static str {
        match self {
            OutboxOrigin::Original => "original",
            OutboxOrigin::Adopted => "adopted",
            OutboxOrigin::AfterLoss { .. } => "after_loss",
        }
    }
}

impl Outbox {
    /// Records `owner` as this outbox's kiosk if none is recorded yet (with `origin`), or checks that the
    /// recorded one is `owner`: an outbox made for another kiosk key is refused with
    /// [`OutboxError::OtherKiosk`]. Returns the recorded origin.
    pub fn bind_owner(
        &self,
        owner: &OutboxOwner,
        origin: OutboxOrigin,
        now: DateTime<Utc>,
    ) -> Result<OutboxOrigin, OutboxError> {
        let owner = owner.clone();
        self.writer.call(move |conn| {
            let action = "record the outbox's kiosk";
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(OutboxError::database(action))?;
            let found = read_owner(&tx)?;
            let recorded = match found {
                Some((found, recorded)) => {
                    if found.public_key != owner.public_key
                        || found.kiosk_number != owner.kiosk_number
                    {
                        return Err(OutboxError::OtherKiosk {
                            found_id: found.kiosk_id,
                            found_number: found.kiosk_number,
                            expected_id: owner.kiosk_id,
                            expected_number: owner.kiosk_number,
                        });
                    }
                    recorded
                }
                None => {
                    let floor_source = match &origin {
                        OutboxOrigin::AfterLoss { floor_source } => Some(floor_source.clone()),
                        _ => None,
                    };
                    tx.execute(
                        "INSERT INTO owner (id, kiosk_id, kiosk_number, public_key, origin, floor_source, created_at)
                         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
                        params![
                            owner.kiosk_id,
                            owner.kiosk_number,
                            owner.public_key,
                            origin.as_str(),
                            floor_source,
                            to_millis(now)
                        ],
                    )
                    .map_err(OutboxError::database(action))?;
                    origin
                }
            };
            tx.commit().map_err(OutboxError::database(action))?;
            Ok(recorded)
        })
    }

    /// The recorded kiosk and origin (`None` for an outbox not yet bound to a kiosk).
    pub fn owner(&self) -> Result<Option<(OutboxOwner, OutboxOrigin)>, OutboxError> {
        self.writer.call(|conn| read_owner(conn))
    }

    /// Makes every later [`Outbox::next_sequence`] answer above `highest_used` (the highest sequence known to
    /// be taken, e.g. by the central service). Never lowers the sequence. Returns the next sequence number.
    pub fn raise_sequence_floor(&self, highest_used: u64) -> Result<u64, OutboxError> {
        let floor = i64::try_from(highest_used.saturating_add(1)).unwrap_or(i64::MAX);
        self.writer.call(move |conn| {
            let action = "raise the sequence floor";
            let next: i64 = conn
                .query_row(
                    "UPDATE sequence SET next = max(next, ?1) WHERE id = 1 RETURNING next",
                    [floor],
                    |row| row.get(0),
                )
                .map_err(OutboxError::database(action))?;
            u64::try_from(next).map_err(|_| OutboxError::Damaged {
                id: 0,
                reason: format!("sequence number {next} is negative"),
            })
        })
    }
}

fn read_owner(
    conn: &rusqlite::Connection,
) -> Result<Option<(OutboxOwner, OutboxOrigin)>, OutboxError> {
    let row: Option<(String, u32, String, String, Option<String>)> = conn
        .query_row(
            "SELECT kiosk_id, kiosk_number, public_key, origin, floor_source FROM owner WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()
        .map_err(OutboxError::database("read the outbox's kiosk"))?;
    let Some((kiosk_id, kiosk_number, public_key, origin, floor_source)) = row else {
        return Ok(None);
    };
    let origin = match origin.as_str() {
        "original" => OutboxOrigin::Original,
        "adopted" => OutboxOrigin::Adopted,
        _ => OutboxOrigin::AfterLoss {
            floor_source: floor_source.unwrap_or_default(),
        },
    };
    Ok(Some((
        OutboxOwner {
            kiosk_id,
            kiosk_number,
            public_key,
        },
        origin,
    )))
}
