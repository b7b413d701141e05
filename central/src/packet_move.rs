//! `lapak-central packets move-out`: the packets of claims stored before packets left the database, moved from
//! their rows into the packet store (`[blobs]`). Each packet is checked against the SHA-256 kept beside it,
//! written create-only and read back checked before its row is changed to name it, so a packet is in the row
//! or in the store, never in neither: a run stopped at any point leaves every claim readable, and running it
//! again goes on where it stopped. A packet whose bytes do not match their SHA-256 is left in its row and
//! named in the report.

use crate::blobs::{self, BlobError, BlobStore};
use crate::store::{Engine, StoreError};

/// Claims read from the database at a time.
const BATCH: u32 = 100;

/// What a run moved.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MoveReport {
    /// Packets now in the store, their rows naming them.
    pub moved: u64,
    /// Bytes moved.
    pub bytes: u64,
    /// Claims (ids) whose packet in the row does not match its SHA-256: left where they are.
    pub mismatched: Vec<String>,
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The packet store failed (nothing of that claim changed; run again).
    #[error(transparent)]
    Blobs(#[from] BlobError),
}

/// Moves every packet still kept in a claim row into `blobs`.
pub fn move_inline_packets(
    store: &dyn Engine,
    blobs: &dyn BlobStore,
) -> Result<MoveReport, MoveError> {
    let mut report = MoveReport::default();
    let mut after = String::new();
    loop {
        let batch = store.inline_packets(&after, BATCH)?;
        let Some(last) = batch.last() else {
            return Ok(report);
        };
        after = last.claim_id.clone();
        for packet in batch {
            if hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&packet.bytes)) != packet.sha256 {
                report.mismatched.push(packet.claim_id);
                continue;
            }
            let key = blobs::packet_key(&packet.claim_id, &packet.sha256);
            blobs.put_new(&key, &packet.bytes)?;
            blobs::read_checked(blobs, &key, &packet.sha256)?;
            if store.packet_moved(&packet.claim_id, &key)? {
                report.moved += 1;
                report.bytes += packet.bytes.len() as u64;
            }
        }
    }
}
