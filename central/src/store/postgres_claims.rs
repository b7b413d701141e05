//! Claims in the PostgreSQL database: stored exactly once per idempotency key however many requests (on
//! however many replicas) store the same key at once, and their status set by the back office.

use chrono::{DateTime, Utc};
use lapak_core::claim::reference::ClaimReference;

use super::postgres::{PostgresStore, pg};
use super::{ExistingClaim, InlinePacket, Inserted, NewClaimRow, StoreError};

/// What is stored under an idempotency key.
pub(super) async fn existing(
    client: &tokio_postgres::Client,
    claim_id: &str,
) -> Result<Option<ExistingClaim>, StoreError> {
    Ok(client
        .query_opt(
            "SELECT kiosk_id, body_sha256, receipt FROM claims WHERE claim_id = $1",
            &[&claim_id],
        )
        .await
        .map_err(pg("looking up the idempotency key"))?
        .map(|row| ExistingClaim {
            kiosk_id: row.get(0),
            body_sha256: row.get(1),
            receipt: row.get(2),
        }))
}

/// Stores a claim and its first history row in one transaction. The insert does nothing on a conflict with
/// either unique key (the claim id, the reference); PostgreSQL makes it wait for a concurrent transaction
/// holding the same key, so the loser sees the winner's committed row and answers it as a repeat.
pub(super) async fn insert(
    store: &PostgresStore,
    row: &NewClaimRow<'_>,
) -> Result<Inserted, StoreError> {
    let mut client = store.client().await?;
    if let Some(found) = existing(&client, row.claim_id).await? {
        return Ok(Inserted::KeyExists(found));
    }
    let at = row.received_at.to_rfc3339();
    let reference = row.reference.digits();
    let tx = client
        .transaction()
        .await
        .map_err(pg("starting the claim transaction"))?;
    let inserted = tx
        .execute(
            "INSERT INTO claims (claim_id, kiosk_id, reference, body_sha256, packet_key, packet_signature,
                packet_bytes, test, received_at, receipt, status, status_changed_at, nik_hash, dob_hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'received', $9, $11, $12)
             ON CONFLICT DO NOTHING",
            &[
                &row.claim_id,
                &row.kiosk_id,
                &reference,
                &row.body_sha256,
                &row.packet_key,
                &row.packet_signature,
                &(row.packet_bytes as i64),
                &row.test,
                &at,
                &row.receipt,
                &row.nik_hash,
                &row.dob_hash,
            ],
        )
        .await
        .map_err(pg("storing the claim"))?;
    if inserted == 0 {
        drop(tx);
        if let Some(found) = existing(&client, row.claim_id).await? {
            return Ok(Inserted::KeyExists(found));
        }
        let taken = client
            .query_opt("SELECT 1 FROM claims WHERE reference = $1", &[&reference])
            .await
            .map_err(pg("checking the reference"))?
            .is_some();
        if taken {
            return Ok(Inserted::ReferenceTaken);
        }
        return Err(StoreError::Postgres {
            doing: "storing the claim",
            message: "the claim conflicted with a row that is gone; try again".into(),
        });
    }
    tx.execute(
        "INSERT INTO status_history (claim_id, status, changed_at) VALUES ($1, 'received', $2)",
        &[&row.claim_id, &at],
    )
    .await
    .map_err(pg("storing the claim's history"))?;
    tx.commit().await.map_err(pg("committing the claim"))?;
    Ok(Inserted::New)
}

/// Sets a claim's status and records the change; false when no claim has this reference.
pub(super) async fn set_status(
    store: &PostgresStore,
    reference: &ClaimReference,
    status: &str,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut client = store.client().await?;
    let tx = client
        .transaction()
        .await
        .map_err(pg("starting the status change"))?;
    let Some(found) = tx
        .query_opt(
            "SELECT claim_id FROM claims WHERE reference = $1 FOR UPDATE",
            &[&reference.digits()],
        )
        .await
        .map_err(pg("looking up the claim"))?
    else {
        return Ok(false);
    };
    let claim_id: String = found.get(0);
    let at = now.to_rfc3339();
    tx.execute(
        "UPDATE claims SET status = $2, status_changed_at = $3, status_reason = $4 WHERE claim_id = $1",
        &[&claim_id, &status, &at, &reason],
    )
    .await
    .map_err(pg("changing the status"))?;
    tx.execute(
        "INSERT INTO status_history (claim_id, status, reason, changed_at) VALUES ($1, $2, $3, $4)",
        &[&claim_id, &status, &reason, &at],
    )
    .await
    .map_err(pg("recording the status change"))?;
    tx.commit()
        .await
        .map_err(pg("committing the status change"))?;
    Ok(true)
}

/// Up to `limit` claims whose packet is still in their row, in claim id order after `after`.
pub(super) fn inline_packets(
    store: &PostgresStore,
    after: &str,
    limit: u32,
) -> Result<Vec<InlinePacket>, StoreError> {
    let rows = store.query(
        "listing packets kept in rows",
        "SELECT claim_id, body_sha256, packet FROM claims
         WHERE packet_key IS NULL AND claim_id > $1 ORDER BY claim_id LIMIT $2",
        &[&after, &i64::from(limit)],
    )?;
    Ok(rows
        .iter()
        .map(|row| InlinePacket {
            claim_id: row.get(0),
            sha256: row.get(1),
            bytes: row.get::<_, Option<Vec<u8>>>(2).unwrap_or_default(),
        })
        .collect())
}

/// The claim's packet is now under `key`: the row keeps the key and no packet, as claims stored since do.
pub(super) fn packet_moved(
    store: &PostgresStore,
    claim_id: &str,
    key: &str,
) -> Result<bool, StoreError> {
    let changed = store.execute(
        "recording a moved packet",
        "UPDATE claims SET packet_key = $2, packet = NULL WHERE claim_id = $1 AND packet_key IS NULL",
        &[&claim_id, &key],
    )?;
    Ok(changed == 1)
}

#[cfg(test)]
pub(super) fn keep_packet_inline(
    store: &PostgresStore,
    claim_id: &str,
    bytes: &[u8],
    sha256: &str,
) -> Result<(), StoreError> {
    store
        .execute(
            "keeping a packet in its row",
            "UPDATE claims SET packet_key = NULL, packet = $2, body_sha256 = $3 WHERE claim_id = $1",
            &[&claim_id, &bytes, &sha256],
        )
        .map(drop)
}
