//! Opening the database: connection settings and the embedded SQL migrations.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::OutboxError;

/// The migrations, in order; migration `n` (1-based) brings the database to `user_version = n`.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_delivered_index.sql"),
    include_str!("migrations/0004_upload_url.sql"),
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
