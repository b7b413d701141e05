//! Opening the database: connection settings and the embedded SQL migrations.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::OutboxError;

/// The migrations, in order; migration `n` (1-based) brings the database to `user_version = n`.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_delivered_index.sql"),
    include_str!("migrations/0003_held.sql"),
    include_str!("migrations/0004_nik_hash_kdf.sql"),
    include_str!("migrations/0005_upload_url.sql"),
    include_str!("migrations/0006_owner.sql"),
];

/// The schema version this build creates.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How long a connection waits for a lock held by another connection.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if needed) the writer's connection: WAL journal, full sync, foreign keys, busy timeout,
/// secure delete; then applies pending migrations.
pub(crate) fn open_writer(path: &Path) -> Result<Connection, OutboxError> {
    let open_error = |err: rusqlite::Error| OutboxError::Open {
        path: path.to_owned(),
        reason: err.to_string(),
    };
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(open_error)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(open_error)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(OutboxError::NotWal { mode });
    }
    // FULL: a commit is on disk (WAL fsync'd) before `submit` returns.
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(open_error)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(open_error)?;
    // Deleted rows are overwritten with zeros, not left in free pages.
    conn.pragma_update(None, "secure_delete", "ON")
        .map_err(open_error)?;
    migrate(&mut conn, SCHEMA_VERSION)?;
    Ok(conn)
}

/// Opens a read-only connection to an existing outbox database.
pub(crate) fn open_reader(path: &Path) -> Result<Connection, OutboxError> {
    let open_error = |err: rusqlite::Error| OutboxError::Open {
        path: path.to_owned(),
        reason: err.to_string(),
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(open_error)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
    Ok(conn)
}

/// The database's schema version (`PRAGMA user_version`).
pub(crate) fn user_version(conn: &Connection) -> Result<u32, OutboxError> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(OutboxError::database("read the schema version"))
}

/// Applies the migrations after the database's current version up to `target`, each in its own transaction
/// together with its `user_version` update.
pub(crate) fn migrate(conn: &mut Connection, target: u32) -> Result<(), OutboxError> {
    let current = user_version(conn)?;
    if current > SCHEMA_VERSION {
        return Err(OutboxError::NewerSchema {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for version in (current + 1)..=target.min(SCHEMA_VERSION) {
        let migration_error = |err: rusqlite::Error| OutboxError::Migration {
            version,
            reason: err.to_string(),
        };
        let sql = MIGRATIONS[(version - 1) as usize];
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)
            .map_err(migration_error)?;
        tx.execute_batch(sql).map_err(migration_error)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(migration_error)?;
        tx.commit().map_err(migration_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema as SQLite reports it, for comparing databases.
    fn schema_of(conn: &Connection) -> Vec<(String, String, Option<String>)> {
        let mut stmt = conn
            .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            .unwrap();
        stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn fresh_database_reaches_the_latest_version_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_writer(&dir.path().join("outbox.db")).unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |row| row.get(0))
            .unwrap();
        assert_eq!(sync, 2, "synchronous must be FULL");
        let next: i64 = conn
            .query_row("SELECT next FROM sequence WHERE id = 1", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(next, 1);
    }

    // More than one migration, so upgrading from an older version is really tested.
    const _: () = assert!(SCHEMA_VERSION >= 2);

    #[test]
    fn every_older_version_upgrades_to_the_fresh_schema_keeping_rows() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = open_writer(&dir.path().join("fresh.db")).unwrap();
        let expected = schema_of(&fresh);

        for start in 0..SCHEMA_VERSION {
            let path = dir.path().join(format!("from-{start}.db"));
            {
                let mut conn = Connection::open(&path).unwrap();
                migrate(&mut conn, start).unwrap();
                assert_eq!(user_version(&conn).unwrap(), start);
                if start >= 1 {
                    conn.execute(
                        "INSERT INTO claims (claim_id, reference, created_at, next_attempt_at, updated_at,
                             nik_hash, packet, signature, packet_bytes)
                         VALUES ('c', '17', 1, 1, 1, zeroblob(32), x'00', zeroblob(64), 1)",
                        [],
                    )
                    .unwrap();
                }
            }
            let conn = open_writer(&path).unwrap();
            assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION, "from {start}");
            assert_eq!(schema_of(&conn), expected, "from {start}");
            let rows: i64 = conn
                .query_row("SELECT count(*) FROM claims", [], |row| row.get(0))
                .unwrap();
            assert_eq!(rows, i64::from(start >= 1), "from {start}");
        }
    }

    /// Every column of every claim, ordered by id, as text (blobs in hex).
    fn claim_rows(conn: &Connection) -> Vec<Vec<String>> {
        let mut stmt = conn
            .prepare(
                "SELECT id, claim_id, reference, created_at, state, attempts, next_attempt_at,
                     quote(last_error), quote(delivered_at), updated_at, quote(receipt), hex(nik_hash), test,
                     hex(packet), hex(signature), packet_bytes
                 FROM claims ORDER BY id",
            )
            .unwrap();
        stmt.query_map([], |row| {
            (0..16)
                .map(|i| {
                    row.get_ref(i).map(|v| match v {
                        rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                        rusqlite::types::ValueRef::Text(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        other => format!("{other:?}"),
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    #[test]
    fn upgrading_keeps_every_row_turns_rejected_into_held_and_clears_delivered_nik_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.db");
        let before = {
            let mut conn = Connection::open(&path).unwrap();
            migrate(&mut conn, 2).unwrap();
            for (n, state) in ["pending", "sending", "delivered", "rejected", "rejected"]
                .iter()
                .enumerate()
            {
                let delivered = (*state == "delivered").then_some(5_000 + n as i64);
                conn.execute(
                    "INSERT INTO claims (claim_id, reference, created_at, state, attempts, next_attempt_at,
                         last_error, delivered_at, updated_at, receipt, nik_hash, test, packet, signature,
                         packet_bytes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, randomblob(32), ?11, randomblob(300),
                         randomblob(64), 300)",
                    rusqlite::params![
                        format!("claim-{n}"),
                        format!("42000{n}"),
                        1_000 + n as i64,
                        state,
                        n as i64,
                        2_000 + n as i64,
                        (n > 0).then(|| format!("error {n}")),
                        delivered,
                        3_000 + n as i64,
                        delivered.map(|_| "{\"receipt\":1}"),
                        n % 2 == 0,
                    ],
                )
                .unwrap();
            }
            conn.execute("UPDATE sequence SET next = 17 WHERE id = 1", [])
                .unwrap();
            claim_rows(&conn)
        };
        let conn = open_writer(&path).unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
        let after = claim_rows(&conn);
        assert_eq!(after.len(), 5, "every claim is kept");
        let expected: Vec<Vec<String>> = before
            .into_iter()
            .map(|mut row| {
                if row[4] == "rejected" {
                    row[4] = "held".to_owned();
                }
                // A later migration clears the NIK hash of delivered claims.
                if row[4] == "delivered" {
                    row[11] = String::new();
                }
                row
            })
            .collect();
        assert_eq!(after, expected);
        let next: i64 = conn
            .query_row("SELECT next FROM sequence WHERE id = 1", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(next, 17, "the claim sequence survives the rebuild");
        // The rebuilt table takes held claims and no longer takes the old state.
        assert!(
            conn.execute("UPDATE claims SET state = 'rejected' WHERE id = 1", [])
                .is_err()
        );
    }

    #[test]
    fn rows_stored_before_the_salted_hash_keep_matching_until_delivered_and_delivered_ones_lose_it()
    {
        use super::super::{NikHashKey, Outbox, OutboxLimits};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let key = NikHashKey::from_bytes([7; 32]);
        let nik = "3173054509870002";
        let r17 = crate::claim::reference::ClaimReference::new(1, 17).unwrap();
        let r18 = crate::claim::reference::ClaimReference::new(1, 18).unwrap();
        let before_salt = MIGRATIONS
            .iter()
            .position(|sql| sql.contains("nik_salt"))
            .unwrap() as u32;
        {
            let mut conn = Connection::open(&path).unwrap();
            migrate(&mut conn, before_salt).unwrap();
            let insert = "INSERT INTO claims (claim_id, reference, created_at, state, next_attempt_at, updated_at,
                     nik_hash, packet, signature, packet_bytes, delivered_at)
                 VALUES (?1, ?2, 1, ?3, 1, 1, ?4, x'00', zeroblob(64), 1, ?5)";
            let hmac = key.hash(nik);
            conn.execute(
                insert,
                rusqlite::params![
                    "6f1f4b4e-3c1a-4f0e-9d55-0b8a7c2f1e01",
                    r17.digits(),
                    "pending",
                    &hmac[..],
                    None::<i64>
                ],
            )
            .unwrap();
            conn.execute(
                insert,
                rusqlite::params![
                    "6f1f4b4e-3c1a-4f0e-9d55-0b8a7c2f1e02",
                    r18.digits(),
                    "delivered",
                    &hmac[..],
                    Some(1i64)
                ],
            )
            .unwrap();
        }
        let outbox = Outbox::open(&path, OutboxLimits::default(), key.clone()).unwrap();
        assert!(outbox.matches_nik(&r17, nik).unwrap());
        assert!(!outbox.matches_nik(&r17, "3173054509870003").unwrap());
        assert!(!outbox.matches_nik(&r18, nik).unwrap());
        let hash_of = |reference: &str| -> Option<Vec<u8>> {
            Connection::open(&path)
                .unwrap()
                .query_row(
                    "SELECT nik_hash FROM claims WHERE reference = ?1",
                    [reference],
                    |row| row.get(0),
                )
                .unwrap()
        };
        assert_eq!(hash_of(r18.digits()), None);
        assert_eq!(hash_of(r17.digits()), Some(key.hash(nik).to_vec()));
        // Delivering the old row clears its HMAC too.
        let sent = outbox.next_due(chrono::Utc::now()).unwrap().unwrap();
        outbox
            .mark_delivered(sent.id, "{}", chrono::Utc::now())
            .unwrap();
        assert_eq!(hash_of(r17.digits()), None);
        assert!(!outbox.matches_nik(&r17, nik).unwrap());
    }

    #[test]
    fn newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        assert_eq!(
            open_writer(&path).err(),
            Some(OutboxError::NewerSchema {
                found: SCHEMA_VERSION + 1,
                supported: SCHEMA_VERSION
            })
        );
    }
}
