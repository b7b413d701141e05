//! Read-only queries on their own connection, so staff screens and status checks never wait on the writer.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::reference::from_column;
use super::time::from_millis;
use super::{
    ClaimFilter, ClaimState, ClaimSummary, NikHashKey, NikKdfParams, OutboxError, OutboxStats,
};
use crate::claim::reference::ClaimReference;

/// A claim's stored NIK hash columns: `nik_hash`, `nik_salt`, `nik_kdf`.
type StoredNikHash = (Option<Vec<u8>>, Option<Vec<u8>>, Option<String>);

/// A read-only view of the outbox with its own SQLite connection (WAL readers never block the writer, nor
/// it them). One per thread: it is `Send` but not `Sync`.
pub struct OutboxReader {
    conn: Connection,
    nik_key: NikHashKey,
}

/// The columns of [`ClaimSummary`], in the order [`summary_from_row`] reads them.
pub(crate) const SUMMARY_COLUMNS: &str = "id, claim_id, reference, created_at, state, attempts, next_attempt_at, \
     last_error, delivered_at, updated_at, receipt, test, packet_bytes";

impl OutboxReader {
    pub(crate) fn new(conn: Connection, nik_key: NikHashKey) -> OutboxReader {
        OutboxReader { conn, nik_key }
    }

    /// Counts by state, the age of the oldest undelivered claim and the latest delivery error.
    pub fn stats(&self, now: DateTime<Utc>) -> Result<OutboxStats, OutboxError> {
        let db = OutboxError::database("read the outbox statistics");
        let mut stats = OutboxStats::default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT state, count(*) FROM claims GROUP BY state")
            .map_err(db)?;
        let rows = stmt
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, u64>(1)?))
            })
            .map_err(OutboxError::database("read the outbox statistics"))?;
        for row in rows {
            let (state, count) =
                row.map_err(OutboxError::database("read the outbox statistics"))?;
            match ClaimState::parse(&state) {
                Some(ClaimState::Pending) => stats.pending = count,
                Some(ClaimState::Sending) => stats.sending = count,
                Some(ClaimState::Delivered) => stats.delivered = count,
                Some(ClaimState::Held) => stats.held = count,
                None => {}
            }
        }
        let oldest: Option<i64> = self
            .conn
            .query_row(
                "SELECT min(created_at) FROM claims WHERE state IN ('pending', 'sending')",
                [],
                |row| row.get(0),
            )
            .map_err(OutboxError::database("read the oldest pending claim"))?;
        stats.oldest_pending_age =
            oldest.map(|millis| (now - from_millis(millis)).max(chrono::TimeDelta::zero()));
        stats.last_error = self
            .conn
            .query_row(
                "SELECT last_error FROM claims
                 WHERE state IN ('pending', 'sending') AND last_error IS NOT NULL
                 ORDER BY updated_at DESC, id DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(OutboxError::database("read the last delivery error"))?;
        Ok(stats)
    }

    /// Claims matching the filter, newest first (no personal data).
    pub fn list(&self, filter: &ClaimFilter) -> Result<Vec<ClaimSummary>, OutboxError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM claims WHERE (?1 IS NULL OR state = ?1) ORDER BY id DESC LIMIT ?2"
        );
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(OutboxError::database("list claims"))?;
        let limit = i64::try_from(filter.limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(
                params![filter.state.map(ClaimState::as_str), limit],
                summary_from_row,
            )
            .map_err(OutboxError::database("list claims"))?;
        rows.map(|row| row.map_err(OutboxError::database("list claims"))?)
            .collect()
    }

    /// The claim with this reference, if stored.
    pub fn lookup_by_reference(
        &self,
        reference: &ClaimReference,
    ) -> Result<Option<ClaimSummary>, OutboxError> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM claims WHERE reference = ?1");
        let found = self
            .conn
            .query_row(&sql, [reference.digits()], summary_from_row)
            .optional()
            .map_err(OutboxError::database("look up a claim"))?;
        found.transpose()
    }

    /// Whether the claim with this reference was made with this NIK: the salted argon2id hash (or the HMAC of
    /// a row stored before it) compared with the typed NIK. False when the reference is unknown, and for a
    /// delivered claim, whose hash was cleared at delivery: the kiosk cannot tell whose it was any more.
    pub fn matches_nik(&self, reference: &ClaimReference, nik: &str) -> Result<bool, OutboxError> {
        let stored: Option<StoredNikHash> = self
            .conn
            .query_row(
                "SELECT nik_hash, nik_salt, nik_kdf FROM claims WHERE reference = ?1",
                [reference.digits()],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(OutboxError::database("check a NIK"))?;
        Ok(match stored {
            None | Some((None, _, _)) => false,
            Some((Some(hash), None, None)) => self.nik_key.matches(nik, &hash),
            Some((Some(hash), Some(salt), Some(kdf))) => NikKdfParams::decode(&kdf)
                .is_some_and(|params| self.nik_key.matches_salted(nik, &hash, &salt, params)),
            Some((Some(_), _, _)) => false,
        })
    }

    /// Runs SQLite's `PRAGMA integrity_check`; `Ok(())` when it answers `ok`, else the problems it lists.
    pub fn integrity_check(&self) -> Result<(), OutboxError> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(OutboxError::database("check the database"))?;
        let lines: Vec<String> = stmt
            .query_map([], |row| row.get(0))
            .map_err(OutboxError::database("check the database"))?
            .collect::<Result<_, _>>()
            .map_err(OutboxError::database("check the database"))?;
        if lines.len() == 1 && lines[0] == "ok" {
            Ok(())
        } else {
            Err(OutboxError::IntegrityCheckFailed {
                details: lines.join("; "),
            })
        }
    }

    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Reads a [`ClaimSummary`] from a row selected with [`SUMMARY_COLUMNS`]. The outer `Result` is SQLite's,
/// the inner one a value that does not parse.
pub(crate) fn summary_from_row(
    row: &Row<'_>,
) -> rusqlite::Result<Result<ClaimSummary, OutboxError>> {
    let id: i64 = row.get(0)?;
    let claim_id: String = row.get(1)?;
    let state: String = row.get(4)?;
    let damaged = |reason: String| OutboxError::Damaged { id, reason };
    let Ok(claim_id) = Uuid::parse_str(&claim_id) else {
        return Ok(Err(damaged(format!("claim_id {claim_id:?} is not a UUID"))));
    };
    let Some(state) = ClaimState::parse(&state) else {
        return Ok(Err(damaged(format!("unknown state {state:?}"))));
    };
    let reference: String = row.get(2)?;
    let reference = match from_column(&reference) {
        Ok(reference) => reference,
        Err(reason) => return Ok(Err(damaged(reason))),
    };
    Ok(Ok(ClaimSummary {
        id,
        claim_id,
        reference,
        created_at: from_millis(row.get(3)?),
        state,
        attempts: row.get(5)?,
        next_attempt_at: from_millis(row.get(6)?),
        last_error: row.get(7)?,
        delivered_at: row.get::<_, Option<i64>>(8)?.map(from_millis),
        updated_at: from_millis(row.get(9)?),
        receipt: row.get(10)?,
        test: row.get(11)?,
        packet_bytes: row.get(12)?,
    }))
}
