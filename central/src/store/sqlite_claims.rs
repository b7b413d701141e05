//! Claims in the SQLite database: stored once per idempotency key, looked up by reference for status checks,
//! their status set by the back office, their sealed packet read back.

use chrono::{DateTime, Utc};
use lapak_core::claim::reference::ClaimReference;
use rusqlite::{Connection, OptionalExtension, params};

use super::sqlite::{SqliteStore, sql};
use super::{
    ClaimStatusRow, ExistingClaim, InlinePacket, Inserted, NewClaimRow, StoreError, stored_packet,
};
use crate::blobs::StoredPacket;

impl SqliteStore {
    /// What is stored under an idempotency key.
    pub fn existing_claim(&self, claim_id: &str) -> Result<Option<ExistingClaim>, StoreError> {
        self.read("looking up the idempotency key", |conn| {
            Ok(existing(conn, claim_id))
        })?
    }

    /// Stores a claim in one durable transaction (or says why not).
    pub fn insert_claim(&self, row: &NewClaimRow<'_>) -> Result<Inserted, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql("starting the claim transaction"))?;
        if let Some(found) = existing(&tx, row.claim_id)? {
            return Ok(Inserted::KeyExists(found));
        }
        let taken: bool = tx
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM claims WHERE reference = ?1)",
                [row.reference.digits()],
                |r| r.get(0),
            )
            .map_err(sql("checking the reference"))?;
        if taken {
            return Ok(Inserted::ReferenceTaken);
        }
        let at = row.received_at.to_rfc3339();
        tx.execute(
            "INSERT INTO claims (claim_id, kiosk_id, reference, body_sha256, packet, packet_key, packet_signature,
                packet_bytes, test, received_at, receipt, status, status_changed_at, nik_hash, dob_hash)
             VALUES (?1, ?2, ?3, ?4, X'', ?5, ?6, ?7, ?8, ?9, ?10, 'received', ?9, ?11, ?12)",
            params![
                row.claim_id,
                row.kiosk_id,
                row.reference.digits(),
                row.body_sha256,
                row.packet_key,
                row.packet_signature,
                row.packet_bytes as i64,
                row.test,
                at,
                row.receipt,
                row.nik_hash,
                row.dob_hash,
            ],
        )
        .map_err(sql("storing the claim"))?;
        tx.execute(
            "INSERT INTO status_history (claim_id, status, changed_at) VALUES (?1, 'received', ?2)",
            params![row.claim_id, at],
        )
        .map_err(sql("storing the claim's history"))?;
        tx.commit().map_err(sql("committing the claim"))?;
        Ok(Inserted::New)
    }

    /// The status columns of the claim with this reference.
    pub fn claim_status(
        &self,
        reference: &ClaimReference,
    ) -> Result<Option<ClaimStatusRow>, StoreError> {
        self.read("looking up the claim status", |conn| {
            conn.query_row(
                "SELECT nik_hash, status, status_changed_at, status_reason FROM claims WHERE reference = ?1",
                [reference.digits()],
                |r| {
                    Ok(ClaimStatusRow {
                        nik_hash: r.get(0)?,
                        status: r.get(1)?,
                        changed_at: r.get(2)?,
                        reason: r.get(3)?,
                    })
                },
            )
            .optional()
        })
    }

    /// Sets a claim's status (back office); false when no claim has this reference.
    pub fn set_status(
        &self,
        reference: &ClaimReference,
        status: &str,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql("starting the status change"))?;
        let claim_id: Option<String> = tx
            .query_row(
                "SELECT claim_id FROM claims WHERE reference = ?1",
                [reference.digits()],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql("looking up the claim"))?;
        let Some(claim_id) = claim_id else {
            return Ok(false);
        };
        let at = now.to_rfc3339();
        tx.execute(
            "UPDATE claims SET status = ?2, status_changed_at = ?3, status_reason = ?4 WHERE claim_id = ?1",
            params![claim_id, status, at, reason],
        )
        .map_err(sql("changing the status"))?;
        tx.execute(
            "INSERT INTO status_history (claim_id, status, reason, changed_at) VALUES (?1, ?2, ?3, ?4)",
            params![claim_id, status, reason, at],
        )
        .map_err(sql("recording the status change"))?;
        tx.commit().map_err(sql("committing the status change"))?;
        Ok(true)
    }

    /// Where the sealed packet of the claim with this reference is.
    pub fn packet(&self, reference: &ClaimReference) -> Result<Option<StoredPacket>, StoreError> {
        self.conn()
            .query_row(
                "SELECT packet_key, packet, body_sha256 FROM claims WHERE reference = ?1",
                [reference.digits()],
                |r| Ok(stored_packet(r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(sql("reading the packet"))
    }

    /// Up to `limit` claims whose packet is still in their row, in claim id order after `after`.
    pub fn inline_packets(&self, after: &str, limit: u32) -> Result<Vec<InlinePacket>, StoreError> {
        let conn = self.conn();
        let mut statement = conn
            .prepare(
                "SELECT claim_id, body_sha256, packet FROM claims
                 WHERE packet_key IS NULL AND claim_id > ?1 ORDER BY claim_id LIMIT ?2",
            )
            .map_err(sql("listing packets kept in rows"))?;
        let rows = statement
            .query_map(params![after, limit], |r| {
                Ok(InlinePacket {
                    claim_id: r.get(0)?,
                    sha256: r.get(1)?,
                    bytes: r.get(2)?,
                })
            })
            .map_err(sql("listing packets kept in rows"))?;
        rows.collect::<Result<_, _>>()
            .map_err(sql("listing packets kept in rows"))
    }

    /// The claim's packet is now under `key`: the row keeps the key, and an empty `packet` as claims stored
    /// since do.
    pub fn packet_moved(&self, claim_id: &str, key: &str) -> Result<bool, StoreError> {
        let changed = self
            .conn()
            .execute(
                "UPDATE claims SET packet_key = ?2, packet = X'' WHERE claim_id = ?1 AND packet_key IS NULL",
                params![claim_id, key],
            )
            .map_err(sql("recording a moved packet"))?;
        Ok(changed == 1)
    }
}

fn existing(conn: &Connection, claim_id: &str) -> Result<Option<ExistingClaim>, StoreError> {
    conn.query_row(
        "SELECT kiosk_id, body_sha256, receipt FROM claims WHERE claim_id = ?1",
        [claim_id],
        |r| {
            Ok(ExistingClaim {
                kiosk_id: r.get(0)?,
                body_sha256: r.get(1)?,
                receipt: r.get(2)?,
            })
        },
    )
    .optional()
    .map_err(sql("looking up the idempotency key"))
}
