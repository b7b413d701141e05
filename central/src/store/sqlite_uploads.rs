//! The SQLite engine's resumable-upload rows and replay memory, and its [`Engine`] implementation.

use std::sync::PoisonError;

use chrono::{DateTime, Utc};
use lapak_core::claim::reference::ClaimReference;
use rusqlite::{OptionalExtension, params};

use super::sqlite::{SqliteStore, sql};
use super::{
    ClaimStatusRow, Engine, ExistingClaim, FleetRow, Inserted, KioskRow, NewClaimRow, NewUpload,
    StoreError,
};
use crate::uploads::UploadRow;

/// Signatures remembered before the expired ones are swept from the replay memory.
const REPLAY_SWEEP_AT: usize = 50_000;

impl SqliteStore {
    /// Runs one statement on the upload table without waiting for the database's fsync (`synchronous=NORMAL`
    /// for this statement only): an upload row or offset lost to a power cut only sends the kiosk back to an
    /// older offset (it always asks `HEAD` after a broken connection), and the offset never gets ahead of the
    /// bytes, which are fsync'd first. Claims themselves are still committed with `synchronous=FULL`.
    fn execute_lazily(
        &self,
        doing: &'static str,
        statement: &str,
        params: impl rusqlite::Params,
    ) -> Result<usize, StoreError> {
        let conn = self.conn();
        conn.execute_batch("PRAGMA synchronous=NORMAL")
            .map_err(sql(doing))?;
        let result = conn.execute(statement, params).map_err(sql(doing));
        conn.execute_batch("PRAGMA synchronous=FULL")
            .map_err(sql(doing))?;
        result
    }
}

impl Engine for SqliteStore {
    fn add_kiosk(
        &self,
        id: &str,
        number: u32,
        public_key: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        SqliteStore::add_kiosk(self, id, number, public_key, now)
    }

    fn kiosk_number(&self, id: &str) -> Result<Option<u32>, StoreError> {
        SqliteStore::kiosk_number(self, id)
    }

    fn highest_sequence(&self, number: u32) -> Result<u64, StoreError> {
        SqliteStore::highest_sequence(self, number)
    }

    fn list_kiosks(&self) -> Result<Vec<KioskRow>, StoreError> {
        SqliteStore::list_kiosks(self)
    }

    fn kiosk(&self, id: &str) -> Result<Option<KioskRow>, StoreError> {
        SqliteStore::kiosk(self, id)
    }

    fn revoke_kiosk(&self, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        SqliteStore::revoke_kiosk(self, id, now)
    }

    fn record_heartbeat(
        &self,
        kiosk_id: &str,
        body: &str,
        now: DateTime<Utc>,
        keep: usize,
    ) -> Result<(), StoreError> {
        SqliteStore::record_heartbeat(self, kiosk_id, body, now, keep)
    }

    #[cfg(test)]
    fn heartbeat_count(&self, kiosk_id: &str) -> Result<u64, StoreError> {
        SqliteStore::heartbeat_count(self, kiosk_id)
    }

    fn fleet(&self) -> Result<Vec<FleetRow>, StoreError> {
        SqliteStore::fleet(self)
    }

    fn existing_claim(&self, claim_id: &str) -> Result<Option<ExistingClaim>, StoreError> {
        SqliteStore::existing_claim(self, claim_id)
    }

    fn insert_claim(&self, row: &NewClaimRow<'_>) -> Result<Inserted, StoreError> {
        SqliteStore::insert_claim(self, row)
    }

    fn claim_status(
        &self,
        reference: &ClaimReference,
    ) -> Result<Option<ClaimStatusRow>, StoreError> {
        SqliteStore::claim_status(self, reference)
    }

    fn set_status(
        &self,
        reference: &ClaimReference,
        status: &str,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        SqliteStore::set_status(self, reference, status, reason, now)
    }

    fn packet(
        &self,
        reference: &ClaimReference,
    ) -> Result<Option<crate::blobs::StoredPacket>, StoreError> {
        SqliteStore::packet(self, reference)
    }

    fn inline_packets(
        &self,
        after: &str,
        limit: u32,
    ) -> Result<Vec<super::InlinePacket>, StoreError> {
        SqliteStore::inline_packets(self, after, limit)
    }

    fn packet_moved(&self, claim_id: &str, key: &str) -> Result<bool, StoreError> {
        SqliteStore::packet_moved(self, claim_id, key)
    }

    #[cfg(test)]
    fn keep_packet_inline(&self, id: &str, bytes: &[u8], sha: &str) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE claims SET packet_key = NULL, packet = ?2, body_sha256 = ?3 WHERE claim_id = ?1",
                rusqlite::params![id, bytes, sha],
            )
            .map(drop)
            .map_err(super::sqlite::sql("keeping a packet in its row"))
    }

    fn remember_signature(
        &self,
        signature: &[u8; 64],
        expires_at: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut seen = self.replay.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() > REPLAY_SWEEP_AT {
            seen.retain(|_, until| *until >= now);
        }
        Ok(seen.insert(*signature, expires_at).is_none())
    }

    fn forget_signature(&self, signature: &[u8; 64]) -> Result<(), StoreError> {
        self.replay
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(signature);
        Ok(())
    }

    fn create_upload(&self, upload: &NewUpload<'_>) -> Result<(), StoreError> {
        self.execute_lazily(
            "creating the upload",
            "INSERT INTO uploads (id, kiosk_id, claim_id, packet_signature, upload_length, upload_offset,
                 created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7)",
            params![
                upload.id,
                upload.kiosk_id,
                upload.claim_id.to_string(),
                &upload.packet_signature[..],
                upload.length as i64,
                upload.created_at.to_rfc3339(),
                upload.expires_at
            ],
        )?;
        Ok(())
    }

    fn upload(&self, id: &str) -> Result<Option<UploadRow>, StoreError> {
        let row = self
            .conn()
            .query_row(
                "SELECT id, kiosk_id, claim_id, packet_signature, upload_length, upload_offset, expires_at,
                        receipt, intake_status
                 FROM uploads WHERE id = ?1",
                [id],
                |r| {
                    Ok(crate::uploads::StoredUpload {
                        id: r.get(0)?,
                        kiosk_id: r.get(1)?,
                        claim_id: r.get(2)?,
                        packet_signature: r.get(3)?,
                        length: r.get(4)?,
                        offset: r.get(5)?,
                        expires_at: r.get(6)?,
                        receipt: r.get(7)?,
                        intake_status: r.get(8)?,
                    })
                },
            )
            .optional()
            .map_err(sql("reading the upload"))?;
        row.map(|row| {
            row.parse().map_err(|what| StoreError::Sqlite {
                doing: "reading the upload",
                message: what,
            })
        })
        .transpose()
    }

    fn move_upload_offset(
        &self,
        id: &str,
        from: u64,
        to: u64,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        let moved = self.execute_lazily(
            "moving the upload offset",
            "UPDATE uploads SET upload_offset = ?3, expires_at = ?4 WHERE id = ?1 AND upload_offset = ?2",
            params![id, from as i64, to as i64, expires_at],
        )?;
        Ok(moved > 0)
    }

    fn restart_upload(&self, id: &str) -> Result<(), StoreError> {
        self.execute_lazily(
            "restarting the upload",
            "UPDATE uploads SET upload_offset = 0 WHERE id = ?1",
            [id],
        )?;
        Ok(())
    }

    fn finish_upload(&self, id: &str, receipt: &str, status: u16) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE uploads SET receipt = ?2, intake_status = ?3 WHERE id = ?1",
                params![id, receipt, i64::from(status)],
            )
            .map_err(sql("recording the upload's receipt"))?;
        Ok(())
    }

    fn expired_uploads(&self, now: i64) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT id FROM uploads WHERE expires_at < ?1")
            .map_err(sql("finding expired uploads"))?;
        stmt.query_map([now], |r| r.get(0))
            .map_err(sql("finding expired uploads"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql("finding expired uploads"))
    }

    fn delete_expired_upload(&self, id: &str, now: i64) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "DELETE FROM uploads WHERE id = ?1 AND expires_at < ?2",
                params![id, now],
            )
            .map_err(sql("deleting an expired upload"))?;
        Ok(())
    }

    fn upload_exists(&self, id: &str) -> Result<bool, StoreError> {
        self.conn()
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM uploads WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )
            .map_err(sql("looking up an upload file"))
    }
}
