//! The SQLite engine: kiosk registry, heartbeats and the fleet view here; claims in `sqlite_claims`, uploads
//! and the replay memory in `sqlite_uploads`.
//!
//! One writing connection behind a mutex; every write is one transaction committed with `synchronous=FULL` in
//! WAL mode before the caller answers, so a stored claim survives a crash or power loss. Reads on the request
//! path (the kiosk registry, idempotency keys, status look-ups) and the fleet view use read-only connections
//! from a small pool, so they neither wait for a commit nor make intake wait for them. Write transactions take
//! the write lock as they begin (`IMMEDIATE`), so another process on the same file (a staff command while the
//! service runs) waits for it (`busy_timeout`) instead of failing. The replay memory is
//! kept in memory: one process serves one SQLite file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{FleetRow, KioskRow, StoreError};

/// The migrations, applied in order; `PRAGMA user_version` records how many ran.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_kiosk_numbers.sql"),
    include_str!("../../migrations/0003_uploads.sql"),
    include_str!("../../migrations/0004_fleet_indexes.sql"),
    include_str!("../../migrations/0005_packet_blobs.sql"),
    include_str!("../../migrations/0006_remote_care.sql"),
];

/// Idle read-only connections kept for reuse.
const IDLE_READERS: usize = 8;

pub(crate) fn sql(doing: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| StoreError::Sqlite {
        doing,
        message: e.to_string(),
    }
}

/// The central database in a SQLite file.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    path: PathBuf,
    readers: Mutex<Vec<Connection>>,
    /// Request signatures seen, with the Unix second after which each may be forgotten.
    pub(super) replay: Mutex<HashMap<[u8; 64], i64>>,
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let mut conn = Connection::open(path).map_err(sql("opening the database"))?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(sql("switching to WAL"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Sqlite {
                doing: "switching to WAL",
                message: format!("journal mode is {mode}"),
            });
        }
        conn.execute_batch(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
        )
        .map_err(sql("setting pragmas"))?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: path.to_owned(),
            readers: Mutex::new(Vec::new()),
            replay: Mutex::new(HashMap::new()),
        })
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs a read on a read-only connection from the pool (opening one when none is idle).
    pub(super) fn read<T>(
        &self,
        doing: &'static str,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let idle = self
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let conn = Connection::open_with_flags(
                    &self.path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(sql("opening a read connection"))?;
                conn.busy_timeout(std::time::Duration::from_secs(5))
                    .map_err(sql("opening a read connection"))?;
                conn
            }
        };
        let result = work(&conn).map_err(sql(doing));
        let mut readers = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        if readers.len() < IDLE_READERS {
            readers.push(conn);
        }
        result
    }

    /// Registers a kiosk with its number (unique in the fleet) and public key (unique too). A kiosk registered
    /// before numbers were kept is given its number when added again with the same id and key.
    pub fn add_kiosk(
        &self,
        id: &str,
        number: u32,
        public_key: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql("starting the kiosk registration"))?;
        let existing: Option<(Option<u32>, String)> = tx
            .query_row(
                "SELECT number, public_key FROM kiosks WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(sql("looking up the kiosk"))?;
        // A kiosk registered before numbers were kept gets its number by being added again with its own key.
        let numbering_old_row = match existing {
            None => false,
            Some((None, key)) if key == public_key => true,
            Some(_) => return Err(StoreError::KioskExists(id.to_owned())),
        };
        let holder: Option<String> = tx
            .query_row("SELECT id FROM kiosks WHERE number = ?1", [number], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql("looking up the kiosk number"))?;
        if let Some(holder) = holder {
            return Err(StoreError::NumberTaken { number, holder });
        }
        if numbering_old_row {
            tx.execute(
                "UPDATE kiosks SET number = ?2 WHERE id = ?1",
                params![id, number],
            )
            .map_err(sql("numbering the kiosk"))?;
            tx.commit().map_err(sql("committing the kiosk"))?;
            return Ok(());
        }
        let holder: Option<String> = tx
            .query_row(
                "SELECT id FROM kiosks WHERE public_key = ?1",
                [public_key],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql("looking up the public key"))?;
        if let Some(holder) = holder {
            return Err(StoreError::KeyTaken(holder));
        }
        tx.execute(
            "INSERT INTO kiosks (id, number, public_key, added_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, number, public_key, now.to_rfc3339()],
        )
        .map_err(sql("adding the kiosk"))?;
        tx.commit().map_err(sql("committing the kiosk"))?;
        Ok(())
    }

    /// The number registered for a kiosk id (`None` for an unknown kiosk or one registered before numbers).
    pub fn kiosk_number(&self, id: &str) -> Result<Option<u32>, StoreError> {
        self.conn()
            .query_row("SELECT number FROM kiosks WHERE id = ?1", [id], |r| {
                r.get::<_, Option<u32>>(0)
            })
            .optional()
            .map(Option::flatten)
            .map_err(sql("looking up the kiosk number"))
    }

    /// The highest claim sequence among the stored claims whose reference carries this kiosk number (0 when
    /// there are none).
    pub fn highest_sequence(&self, number: u32) -> Result<u64, StoreError> {
        // A range on the reference's unique index: every reference of kiosk N lies between "NNNNN" and "NNNNN:"
        // as text (':' sorts right after '9').
        let from = format!("{number:05}");
        let to = format!("{number:05}:");
        self.conn()
            .query_row(
                "SELECT COALESCE(MAX(CAST(substr(reference, 6, 7) AS INTEGER)), 0) FROM claims
                 WHERE reference >= ?1 AND reference < ?2 AND length(reference) = 13",
                [from, to],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(sql("reading the highest sequence"))
    }

    /// Every registered kiosk, by id.
    pub fn list_kiosks(&self) -> Result<Vec<KioskRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT id, public_key, added_at, revoked_at FROM kiosks ORDER BY id")
            .map_err(sql("listing kiosks"))?;
        let rows = stmt
            .query_map([], kiosk_row)
            .map_err(sql("listing kiosks"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql("listing kiosks"))?;
        Ok(rows)
    }

    /// One kiosk.
    pub fn kiosk(&self, id: &str) -> Result<Option<KioskRow>, StoreError> {
        self.read("looking up the kiosk", |conn| {
            conn.query_row(
                "SELECT id, public_key, added_at, revoked_at FROM kiosks WHERE id = ?1",
                [id],
                kiosk_row,
            )
            .optional()
        })
    }

    /// Revokes a kiosk; false when there is no such kiosk.
    pub fn revoke_kiosk(&self, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let n = self
            .conn()
            .execute(
                "UPDATE kiosks SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
                params![id, now.to_rfc3339()],
            )
            .map_err(sql("revoking the kiosk"))?;
        Ok(n > 0)
    }

    /// Stores a heartbeat and keeps only the newest `keep` of that kiosk.
    pub fn record_heartbeat(
        &self,
        kiosk_id: &str,
        body: &str,
        now: DateTime<Utc>,
        keep: usize,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql("starting the heartbeat"))?;
        tx.execute(
            "INSERT INTO heartbeats (kiosk_id, received_at, body) VALUES (?1, ?2, ?3)",
            params![kiosk_id, now.to_rfc3339(), body],
        )
        .map_err(sql("storing the heartbeat"))?;
        tx.execute(
            "DELETE FROM heartbeats WHERE kiosk_id = ?1 AND id NOT IN
               (SELECT id FROM heartbeats WHERE kiosk_id = ?1 ORDER BY id DESC LIMIT ?2)",
            params![kiosk_id, keep as i64],
        )
        .map_err(sql("trimming the heartbeat history"))?;
        tx.commit().map_err(sql("committing the heartbeat"))?;
        Ok(())
    }

    /// Heartbeats kept for a kiosk.
    #[cfg(test)]
    pub fn heartbeat_count(&self, kiosk_id: &str) -> Result<u64, StoreError> {
        self.conn()
            .query_row(
                "SELECT COUNT(*) FROM heartbeats WHERE kiosk_id = ?1",
                [kiosk_id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(sql("counting heartbeats"))
    }

    /// Every kiosk with its newest heartbeat and claim count.
    /// Read on a pooled read-only connection; the claim counts come from the `claims_by_kiosk` index.
    pub fn fleet(&self) -> Result<Vec<FleetRow>, StoreError> {
        self.read("reading the fleet", |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT k.id, k.public_key, k.added_at, k.revoked_at,
                        (SELECT received_at FROM heartbeats h WHERE h.kiosk_id = k.id ORDER BY id DESC LIMIT 1),
                        (SELECT body FROM heartbeats h WHERE h.kiosk_id = k.id ORDER BY id DESC LIMIT 1),
                        (SELECT COUNT(*) FROM claims c INDEXED BY claims_by_kiosk WHERE c.kiosk_id = k.id)
                 FROM kiosks k ORDER BY k.id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    let at: Option<String> = r.get(4)?;
                    let body: Option<String> = r.get(5)?;
                    Ok(FleetRow {
                        kiosk: kiosk_row(r)?,
                        last: at.zip(body),
                        claims: r.get::<_, i64>(6)? as u64,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }
}

fn kiosk_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<KioskRow> {
    Ok(KioskRow {
        id: r.get(0)?,
        public_key: r.get(1)?,
        added_at: r.get(2)?,
        revoked_at: r.get(3)?,
    })
}

/// Applies the migrations not yet applied, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql("reading the schema version"))?;
    if version > MIGRATIONS.len() as i64 {
        return Err(StoreError::TooNew {
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        let tx = conn.transaction().map_err(sql("starting a migration"))?;
        tx.execute_batch(migration)
            .map_err(sql("applying a migration"))?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)
            .map_err(sql("recording the schema version"))?;
        tx.commit().map_err(sql("committing a migration"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_to_a_fresh_database_and_are_idempotent()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("c.sqlite");
        drop(SqliteStore::open(&path)?);
        let store = SqliteStore::open(&path)?;
        let conn = store.conn();
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        assert_eq!(version, MIGRATIONS.len() as i64);
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        assert_eq!(mode, "wal");
        Ok(())
    }

    #[test]
    fn migration_two_reads_numbers_from_kiosk_ids() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("c.sqlite");
        {
            let conn = Connection::open(&path)?;
            conn.execute_batch(MIGRATIONS[0])?;
            conn.pragma_update(None, "user_version", 1)?;
            conn.execute(
                "INSERT INTO kiosks (id, public_key, added_at) VALUES ('KIOSK-00042', 'k1', 'x'), ('OLD', 'k2', 'x')",
                [],
            )?;
        }
        let store = SqliteStore::open(&path)?;
        assert_eq!(store.kiosk_number("KIOSK-00042")?, Some(42));
        assert_eq!(store.kiosk_number("OLD")?, None);
        // Added again with its own key, the old kiosk gets its number; with another key it is refused.
        assert!(matches!(
            store.add_kiosk("OLD", 7, "another", Utc::now()),
            Err(StoreError::KioskExists(_))
        ));
        assert!(matches!(
            store.add_kiosk("OLD", 42, "k2", Utc::now()),
            Err(StoreError::NumberTaken { .. })
        ));
        store.add_kiosk("OLD", 7, "k2", Utc::now())?;
        assert_eq!(store.kiosk_number("OLD")?, Some(7));
        assert!(matches!(
            store.add_kiosk("OLD", 7, "k2", Utc::now()),
            Err(StoreError::KioskExists(_))
        ));
        Ok(())
    }

    #[test]
    fn a_packet_stored_in_the_database_before_packets_left_it_reads_back_checked()
    -> Result<(), Box<dyn std::error::Error>> {
        use crate::blobs::{BlobError, FolderBlobs, PacketPlace, packet_bytes};
        use sha2::{Digest as _, Sha256};
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("c.sqlite");
        let packet = b"a sealed packet kept in its row".to_vec();
        {
            let conn = Connection::open(&path)?;
            for migration in &MIGRATIONS[..4] {
                conn.execute_batch(migration)?;
            }
            conn.pragma_update(None, "user_version", 4)?;
            conn.execute(
                "INSERT INTO kiosks (id, number, public_key, added_at) VALUES ('K001', 1, 'k1', 'x')",
                [],
            )?;
            conn.execute(
                "INSERT INTO claims (claim_id, kiosk_id, reference, body_sha256, packet, packet_signature,
                    packet_bytes, received_at, receipt, status, status_changed_at, nik_hash)
                 VALUES ('c1', 'K001', ?1, ?2, ?3, X'00', ?4, 'x', '{}', 'received', 'x', 'h')",
                params![
                    reference().digits(),
                    hex::encode(Sha256::digest(&packet)),
                    packet,
                    packet.len() as i64
                ],
            )?;
        }
        let store = SqliteStore::open(&path)?;
        let blobs = FolderBlobs::new(dir.path().join("packets"));
        let stored = store.packet(&reference())?.ok_or("no packet")?;
        assert_eq!(stored.place, PacketPlace::Inline(packet.clone()));
        assert_eq!(packet_bytes(&blobs, stored)?, packet);
        // The bytes in the row are checked against the hash kept beside them.
        store
            .conn()
            .execute("UPDATE claims SET packet = X'0102'", [])?;
        let stored = store.packet(&reference())?.ok_or("no packet")?;
        assert!(matches!(
            packet_bytes(&blobs, stored),
            Err(BlobError::HashMismatch(_))
        ));
        Ok(())
    }

    fn reference() -> lapak_core::claim::reference::ClaimReference {
        lapak_core::claim::reference::ClaimReference::new(1, 5).expect("a reference")
    }
}
