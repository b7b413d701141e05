//! Resumable uploads in the PostgreSQL database: their rows and, unlike SQLite, their bytes so far (table
//! `upload_chunks`), so that any replica sharing the database continues an upload another one started.

use super::NewUpload;
use super::StoreError;
use super::postgres::{PostgresStore, pg};
use crate::uploads::{StoredUpload, UploadRow};

impl PostgresStore {
    pub(super) fn insert_upload(&self, upload: &NewUpload<'_>) -> Result<(), StoreError> {
        let signature = upload.packet_signature.as_slice();
        self.execute(
            "creating the upload",
            "INSERT INTO uploads (id, kiosk_id, claim_id, packet_signature, upload_length, upload_offset,
                 created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, 0, $6, $7)",
            &[
                &upload.id,
                &upload.kiosk_id,
                &upload.claim_id.to_string(),
                &signature,
                &(upload.length as i64),
                &upload.created_at.to_rfc3339(),
                &upload.expires_at,
            ],
        )?;
        Ok(())
    }

    pub(super) fn read_upload(&self, id: &str) -> Result<Option<UploadRow>, StoreError> {
        let rows = self.query(
            "reading the upload",
            "SELECT id, kiosk_id, claim_id, packet_signature, upload_length, upload_offset, expires_at,
                    receipt, intake_status
             FROM uploads WHERE id = $1",
            &[&id],
        )?;
        rows.first()
            .map(|row| {
                StoredUpload {
                    id: row.get(0),
                    kiosk_id: row.get(1),
                    claim_id: row.get(2),
                    packet_signature: row.get(3),
                    length: row.get(4),
                    offset: row.get(5),
                    expires_at: row.get(6),
                    receipt: row.get(7),
                    intake_status: row.get::<_, Option<i32>>(8).map(i64::from),
                }
                .parse()
                .map_err(|message| StoreError::Postgres {
                    doing: "reading the upload",
                    message,
                })
            })
            .transpose()
    }

    pub(super) fn move_offset(
        &self,
        id: &str,
        from: u64,
        to: u64,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        let moved = self.execute(
            "moving the upload offset",
            "UPDATE uploads SET upload_offset = $3, expires_at = $4 WHERE id = $1 AND upload_offset = $2",
            &[&id, &(from as i64), &(to as i64), &expires_at],
        )?;
        Ok(moved > 0)
    }

    /// Back to offset 0, its kept bytes dropped.
    pub(super) fn restart(&self, id: &str) -> Result<(), StoreError> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client
                .transaction()
                .await
                .map_err(pg("restarting the upload"))?;
            tx.execute("UPDATE uploads SET upload_offset = 0 WHERE id = $1", &[&id])
                .await
                .map_err(pg("restarting the upload"))?;
            tx.execute("DELETE FROM upload_chunks WHERE upload_id = $1", &[&id])
                .await
                .map_err(pg("restarting the upload"))?;
            tx.commit().await.map_err(pg("restarting the upload"))
        })
    }

    /// Records the stored claim's receipt and drops the upload's bytes (the claim has them now).
    pub(super) fn record_receipt(
        &self,
        id: &str,
        receipt: &str,
        status: u16,
    ) -> Result<(), StoreError> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client
                .transaction()
                .await
                .map_err(pg("recording the upload's receipt"))?;
            tx.execute(
                "UPDATE uploads SET receipt = $2, intake_status = $3 WHERE id = $1",
                &[&id, &receipt, &i32::from(status)],
            )
            .await
            .map_err(pg("recording the upload's receipt"))?;
            tx.execute("DELETE FROM upload_chunks WHERE upload_id = $1", &[&id])
                .await
                .map_err(pg("recording the upload's receipt"))?;
            tx.commit()
                .await
                .map_err(pg("recording the upload's receipt"))
        })
    }

    pub(super) fn expired(&self, now: i64) -> Result<Vec<String>, StoreError> {
        let rows = self.query(
            "finding expired uploads",
            "SELECT id FROM uploads WHERE expires_at < $1",
            &[&now],
        )?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    /// Deletes the row (and, by cascade, the bytes) if the upload is still expired.
    pub(super) fn delete_expired(&self, id: &str, now: i64) -> Result<(), StoreError> {
        self.execute(
            "deleting an expired upload",
            "DELETE FROM uploads WHERE id = $1 AND expires_at < $2",
            &[&id, &now],
        )?;
        Ok(())
    }

    pub(super) fn exists(&self, id: &str) -> Result<bool, StoreError> {
        let rows = self.query(
            "looking up an upload",
            "SELECT 1 FROM uploads WHERE id = $1",
            &[&id],
        )?;
        Ok(!rows.is_empty())
    }

    /// Moves the offset from `from` (or finds it elsewhere and changes nothing), then keeps the chunk: one
    /// transaction, so the offset never gets ahead of the bytes kept. The offset's row lock makes a second
    /// chunk at the same offset, on any replica, wait and then find the offset moved.
    pub(super) fn append_chunk(
        &self,
        id: &str,
        from: u64,
        bytes: &[u8],
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        const DOING: &str = "storing an upload chunk";
        let to = from + bytes.len() as u64;
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(pg(DOING))?;
            let moved = tx
                .execute(
                    "UPDATE uploads SET upload_offset = $3, expires_at = $4
                     WHERE id = $1 AND upload_offset = $2",
                    &[&id, &(from as i64), &(to as i64), &expires_at],
                )
                .await
                .map_err(pg(DOING))?;
            if moved == 0 {
                return Ok(false);
            }
            tx.execute(
                "DELETE FROM upload_chunks WHERE upload_id = $1 AND start_offset >= $2",
                &[&id, &(from as i64)],
            )
            .await
            .map_err(pg(DOING))?;
            tx.execute(
                "INSERT INTO upload_chunks (upload_id, start_offset, bytes) VALUES ($1, $2, $3)",
                &[&id, &(from as i64), &bytes],
            )
            .await
            .map_err(pg(DOING))?;
            tx.commit().await.map_err(pg(DOING))?;
            Ok(true)
        })
    }

    /// The upload's first `length` bytes from its chunks in order, or `None` when they do not join up to
    /// `length` bytes.
    pub(super) fn chunks(&self, id: &str, length: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let rows = self.query(
            "reading an upload's bytes",
            "SELECT start_offset, bytes FROM upload_chunks WHERE upload_id = $1 ORDER BY start_offset",
            &[&id],
        )?;
        let mut joined = Vec::with_capacity(length as usize);
        for row in &rows {
            let start: i64 = row.get(0);
            if start as u64 != joined.len() as u64 {
                return Ok(None);
            }
            let bytes: &[u8] = row.get(1);
            joined.extend_from_slice(bytes);
        }
        if (joined.len() as u64) < length {
            return Ok(None);
        }
        joined.truncate(length as usize);
        Ok(Some(joined))
    }
}
