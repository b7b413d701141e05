//! The PostgreSQL engine: every table on a PostgreSQL server that several replicas share, through a pool of
//! kept async connections (`tokio-postgres` with `deadpool-postgres`). Claims are in `postgres_claims`.
//!
//! The pool and its connections run on a small runtime of their own; each [`Engine`] method blocks its
//! (non-async) caller until the database answers, within [`WAIT`]: a database that has gone away makes the
//! call fail with [`StoreError::Postgres`] (the handlers answer 503 with `Retry-After`) instead of hanging.
//! Every write is one transaction, committed (with PostgreSQL's default `synchronous_commit = on`) before the
//! method returns.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use lapak_core::claim::reference::ClaimReference;
use tokio_postgres::{NoTls, Row};

use super::{
    ClaimStatusRow, Engine, ExistingClaim, FleetRow, Inserted, KioskRow, NewClaimRow, NewUpload,
    StoreError,
};
use crate::blobs::StoredPacket;
use crate::uploads::UploadRow;

/// The PostgreSQL migrations, applied in order; the table `lapak_schema` records how many ran.
pub const POSTGRES_MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_init.sql"),
    include_str!("../../migrations/postgres/0002_upload_bytes.sql"),
    include_str!("../../migrations/postgres/0003_packet_blobs.sql"),
    include_str!("../../migrations/postgres/0004_remote_care.sql"),
];

/// Connections kept open at most.
const POOL_SIZE: usize = 16;
/// The longest any one database call may take (connecting, waiting for a connection, or the work itself).
pub const WAIT: Duration = Duration::from_secs(10);
/// The advisory lock held while migrating, so replicas starting together migrate one after the other.
const MIGRATION_LOCK: i64 = 0x6c61_7061_6b00;
/// Signatures remembered between two sweeps of the expired ones.
const REPLAY_SWEEP_EVERY: u64 = 1_000;

/// Maps a client error to a [`StoreError`] saying what was being done.
pub(super) fn pg(doing: &'static str) -> impl Fn(tokio_postgres::Error) -> StoreError {
    move |e| StoreError::Postgres {
        doing,
        message: match e.as_db_error() {
            Some(db) => format!("{} ({})", db.message(), db.code().code()),
            None => e.to_string(),
        },
    }
}

/// The central database on a PostgreSQL server.
pub struct PostgresStore {
    pool: Pool,
    runtime: Option<tokio::runtime::Runtime>,
    remembered: AtomicU64,
}

impl PostgresStore {
    /// Connects to the server at `url` (`postgres://user@host:port/dbname`) and applies the migrations not yet
    /// applied; fails when the URL is not usable or the server cannot be reached.
    pub fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let mut config: tokio_postgres::Config =
            url.parse().map_err(pg("reading the PostgreSQL URL"))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(WAIT);
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("lapak-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Postgres {
                doing: "starting the database client",
                message: e.to_string(),
            })?;
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = Manager::from_config(config, NoTls, manager_config);
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(WAIT))
            .create_timeout(Some(WAIT))
            .recycle_timeout(Some(WAIT))
            .build()
            .map_err(|e| StoreError::Postgres {
                doing: "starting the connection pool",
                message: e.to_string(),
            })?;
        let store = PostgresStore {
            pool,
            runtime: Some(runtime),
            remembered: AtomicU64::new(0),
        };
        store.run(async {
            let mut client = store.client().await?;
            migrate(&mut client).await
        })?;
        Ok(store)
    }

    /// Runs `work` on the client's runtime, blocking the calling thread (never an async one) until it ends or
    /// [`WAIT`] has passed.
    pub(super) fn run<T>(
        &self,
        work: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let Some(runtime) = self.runtime.as_ref() else {
            return Err(StoreError::Postgres {
                doing: "using the database",
                message: "the client has stopped".into(),
            });
        };
        runtime.block_on(async {
            tokio::time::timeout(WAIT, work).await.unwrap_or_else(|_| {
                Err(StoreError::Postgres {
                    doing: "waiting for the database",
                    message: format!("no answer within {} s", WAIT.as_secs()),
                })
            })
        })
    }

    /// A connection from the pool (a new one when none is idle).
    pub(super) async fn client(&self) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(|e| StoreError::Postgres {
            doing: "connecting to the database",
            message: e.to_string(),
        })
    }

    /// Runs one statement and returns the rows it changed.
    pub(super) fn execute(
        &self,
        doing: &'static str,
        statement: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<u64, StoreError> {
        self.run(async {
            let client = self.client().await?;
            client.execute(statement, params).await.map_err(pg(doing))
        })
    }

    /// Runs one query and returns its rows.
    pub(super) fn query(
        &self,
        doing: &'static str,
        statement: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>, StoreError> {
        self.run(async {
            let client = self.client().await?;
            client.query(statement, params).await.map_err(pg(doing))
        })
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Applies the migrations not yet applied, in one transaction under an advisory lock.
async fn migrate(client: &mut Object) -> Result<(), StoreError> {
    let tx = client
        .transaction()
        .await
        .map_err(pg("starting a migration"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(pg("locking the schema"))?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS lapak_schema (version INTEGER NOT NULL)")
        .await
        .map_err(pg("reading the schema version"))?;
    let version: i32 = tx
        .query_opt("SELECT version FROM lapak_schema", &[])
        .await
        .map_err(pg("reading the schema version"))?
        .map(|row| row.get(0))
        .unwrap_or(0);
    let known = POSTGRES_MIGRATIONS.len();
    if version as usize > known {
        return Err(StoreError::TooNew {
            found: i64::from(version),
            known,
        });
    }
    for migration in POSTGRES_MIGRATIONS.iter().skip(version.max(0) as usize) {
        tx.batch_execute(migration)
            .await
            .map_err(pg("applying a migration"))?;
    }
    tx.execute("DELETE FROM lapak_schema", &[])
        .await
        .map_err(pg("recording the schema version"))?;
    tx.execute(
        "INSERT INTO lapak_schema (version) VALUES ($1)",
        &[&(known as i32)],
    )
    .await
    .map_err(pg("recording the schema version"))?;
    tx.commit().await.map_err(pg("committing a migration"))
}

fn kiosk_row(row: &Row) -> KioskRow {
    KioskRow {
        id: row.get(0),
        public_key: row.get(1),
        added_at: row.get(2),
        revoked_at: row.get(3),
    }
}

impl Engine for PostgresStore {
    fn add_kiosk(
        &self,
        id: &str,
        number: u32,
        public_key: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let number_sql = number as i32;
        self.run(async {
            let mut client = self.client().await?;
            let tx = client
                .transaction()
                .await
                .map_err(pg("starting the kiosk registration"))?;
            // One registration at a time: the checks below and the insert see the same registry.
            tx.batch_execute("LOCK TABLE kiosks IN SHARE ROW EXCLUSIVE MODE")
                .await
                .map_err(pg("locking the kiosk registry"))?;
            let existing = tx
                .query_opt(
                    "SELECT number, public_key FROM kiosks WHERE id = $1",
                    &[&id],
                )
                .await
                .map_err(pg("looking up the kiosk"))?
                .map(|row| (row.get::<_, Option<i32>>(0), row.get::<_, String>(1)));
            let numbering_old_row = match existing {
                None => false,
                Some((None, key)) if key == public_key => true,
                Some(_) => return Err(StoreError::KioskExists(id.to_owned())),
            };
            if let Some(row) = tx
                .query_opt("SELECT id FROM kiosks WHERE number = $1", &[&number_sql])
                .await
                .map_err(pg("looking up the kiosk number"))?
            {
                return Err(StoreError::NumberTaken {
                    number,
                    holder: row.get(0),
                });
            }
            if numbering_old_row {
                tx.execute(
                    "UPDATE kiosks SET number = $2 WHERE id = $1",
                    &[&id, &number_sql],
                )
                .await
                .map_err(pg("numbering the kiosk"))?;
            } else {
                if let Some(row) = tx
                    .query_opt(
                        "SELECT id FROM kiosks WHERE public_key = $1",
                        &[&public_key],
                    )
                    .await
                    .map_err(pg("looking up the public key"))?
                {
                    return Err(StoreError::KeyTaken(row.get(0)));
                }
                tx.execute(
                    "INSERT INTO kiosks (id, number, public_key, added_at) VALUES ($1, $2, $3, $4)",
                    &[&id, &number_sql, &public_key, &now.to_rfc3339()],
                )
                .await
                .map_err(pg("adding the kiosk"))?;
            }
            tx.commit().await.map_err(pg("committing the kiosk"))
        })
    }

    fn kiosk_number(&self, id: &str) -> Result<Option<u32>, StoreError> {
        let rows = self.query(
            "looking up the kiosk number",
            "SELECT number FROM kiosks WHERE id = $1",
            &[&id],
        )?;
        Ok(rows
            .first()
            .and_then(|row| row.get::<_, Option<i32>>(0))
            .map(|n| n as u32))
    }

    fn highest_sequence(&self, number: u32) -> Result<u64, StoreError> {
        // A range on the reference's unique index (byte order: ':' sorts right after '9').
        let from = format!("{number:05}");
        let to = format!("{number:05}:");
        let rows = self.query(
            "reading the highest sequence",
            "SELECT COALESCE(MAX(CAST(substr(reference, 6, 7) AS BIGINT)), 0) FROM claims
             WHERE reference >= $1 AND reference < $2 AND length(reference) = 13",
            &[&from, &to],
        )?;
        Ok(rows
            .first()
            .map(|row| u64::try_from(row.get::<_, i64>(0)).unwrap_or(0))
            .unwrap_or(0))
    }

    fn list_kiosks(&self) -> Result<Vec<KioskRow>, StoreError> {
        let rows = self.query(
            "listing kiosks",
            "SELECT id, public_key, added_at, revoked_at FROM kiosks ORDER BY id",
            &[],
        )?;
        Ok(rows.iter().map(kiosk_row).collect())
    }

    fn kiosk(&self, id: &str) -> Result<Option<KioskRow>, StoreError> {
        let rows = self.query(
            "looking up the kiosk",
            "SELECT id, public_key, added_at, revoked_at FROM kiosks WHERE id = $1",
            &[&id],
        )?;
        Ok(rows.first().map(kiosk_row))
    }

    fn revoke_kiosk(&self, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let changed = self.execute(
            "revoking the kiosk",
            "UPDATE kiosks SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
            &[&id, &now.to_rfc3339()],
        )?;
        Ok(changed > 0)
    }

    fn record_heartbeat(
        &self,
        kiosk_id: &str,
        body: &str,
        now: DateTime<Utc>,
        keep: usize,
    ) -> Result<(), StoreError> {
        let keep = keep as i64;
        self.run(async {
            let mut client = self.client().await?;
            let tx = client
                .transaction()
                .await
                .map_err(pg("starting the heartbeat"))?;
            tx.execute(
                "INSERT INTO heartbeats (kiosk_id, received_at, body) VALUES ($1, $2, $3)",
                &[&kiosk_id, &now.to_rfc3339(), &body],
            )
            .await
            .map_err(pg("storing the heartbeat"))?;
            tx.execute(
                "DELETE FROM heartbeats WHERE kiosk_id = $1 AND id NOT IN
                   (SELECT id FROM heartbeats WHERE kiosk_id = $1 ORDER BY id DESC LIMIT $2)",
                &[&kiosk_id, &keep],
            )
            .await
            .map_err(pg("trimming the heartbeat history"))?;
            tx.commit().await.map_err(pg("committing the heartbeat"))
        })
    }

    #[cfg(test)]
    fn heartbeat_count(&self, kiosk_id: &str) -> Result<u64, StoreError> {
        let rows = self.query(
            "counting heartbeats",
            "SELECT COUNT(*) FROM heartbeats WHERE kiosk_id = $1",
            &[&kiosk_id],
        )?;
        Ok(rows
            .first()
            .map(|row| row.get::<_, i64>(0) as u64)
            .unwrap_or(0))
    }

    fn fleet(&self) -> Result<Vec<FleetRow>, StoreError> {
        let rows = self.query(
            "reading the fleet",
            "SELECT k.id, k.public_key, k.added_at, k.revoked_at, h.received_at, h.body,
                    (SELECT COUNT(*) FROM claims c WHERE c.kiosk_id = k.id)
             FROM kiosks k
             LEFT JOIN LATERAL (SELECT received_at, body FROM heartbeats h WHERE h.kiosk_id = k.id
                                ORDER BY id DESC LIMIT 1) h ON TRUE
             ORDER BY k.id",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|row| {
                let at: Option<String> = row.get(4);
                let body: Option<String> = row.get(5);
                FleetRow {
                    kiosk: kiosk_row(row),
                    last: at.zip(body),
                    claims: row.get::<_, i64>(6) as u64,
                }
            })
            .collect())
    }

    fn existing_claim(&self, claim_id: &str) -> Result<Option<ExistingClaim>, StoreError> {
        self.run(async {
            let client = self.client().await?;
            super::postgres_claims::existing(&client, claim_id).await
        })
    }

    fn insert_claim(&self, row: &NewClaimRow<'_>) -> Result<Inserted, StoreError> {
        self.run(super::postgres_claims::insert(self, row))
    }

    fn claim_status(
        &self,
        reference: &ClaimReference,
    ) -> Result<Option<ClaimStatusRow>, StoreError> {
        let rows = self.query(
            "looking up the claim status",
            "SELECT nik_hash, status, status_changed_at, status_reason FROM claims WHERE reference = $1",
            &[&reference.digits()],
        )?;
        Ok(rows.first().map(|row| ClaimStatusRow {
            nik_hash: row.get(0),
            status: row.get(1),
            changed_at: row.get(2),
            reason: row.get(3),
        }))
    }

    fn set_status(
        &self,
        reference: &ClaimReference,
        status: &str,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.run(super::postgres_claims::set_status(
            self, reference, status, reason, now,
        ))
    }

    fn packet(&self, reference: &ClaimReference) -> Result<Option<StoredPacket>, StoreError> {
        let rows = self.query(
            "reading the packet",
            "SELECT packet_key, packet, body_sha256 FROM claims WHERE reference = $1",
            &[&reference.digits()],
        )?;
        Ok(rows
            .first()
            .map(|row| super::stored_packet(row.get(0), row.get(1), row.get(2))))
    }

    fn inline_packets(
        &self,
        after: &str,
        limit: u32,
    ) -> Result<Vec<super::InlinePacket>, StoreError> {
        super::postgres_claims::inline_packets(self, after, limit)
    }

    fn packet_moved(&self, claim_id: &str, key: &str) -> Result<bool, StoreError> {
        super::postgres_claims::packet_moved(self, claim_id, key)
    }

    #[cfg(test)]
    fn keep_packet_inline(&self, id: &str, bytes: &[u8], sha: &str) -> Result<(), StoreError> {
        super::postgres_claims::keep_packet_inline(self, id, bytes, sha)
    }

    fn remember_signature(
        &self,
        signature: &[u8; 64],
        expires_at: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let signature = signature.as_slice();
        let inserted = self.execute(
            "remembering the request signature",
            "INSERT INTO replay_cache (signature, expires_at) VALUES ($1, $2)
             ON CONFLICT (signature) DO NOTHING",
            &[&signature, &expires_at],
        )?;
        if self.remembered.fetch_add(1, Ordering::Relaxed) % REPLAY_SWEEP_EVERY
            == REPLAY_SWEEP_EVERY - 1
        {
            self.execute(
                "forgetting expired request signatures",
                "DELETE FROM replay_cache WHERE expires_at < $1",
                &[&now],
            )?;
        }
        Ok(inserted == 1)
    }

    fn forget_signature(&self, signature: &[u8; 64]) -> Result<(), StoreError> {
        let signature = signature.as_slice();
        self.execute(
            "forgetting the request signature",
            "DELETE FROM replay_cache WHERE signature = $1",
            &[&signature],
        )?;
        Ok(())
    }

    fn create_upload(&self, upload: &NewUpload<'_>) -> Result<(), StoreError> {
        self.insert_upload(upload)
    }

    fn upload(&self, id: &str) -> Result<Option<UploadRow>, StoreError> {
        self.read_upload(id)
    }

    fn move_upload_offset(
        &self,
        id: &str,
        from: u64,
        to: u64,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        self.move_offset(id, from, to, expires_at)
    }

    fn restart_upload(&self, id: &str) -> Result<(), StoreError> {
        self.restart(id)
    }

    fn finish_upload(&self, id: &str, receipt: &str, status: u16) -> Result<(), StoreError> {
        self.record_receipt(id, receipt, status)
    }

    fn expired_uploads(&self, now: i64) -> Result<Vec<String>, StoreError> {
        self.expired(now)
    }

    fn delete_expired_upload(&self, id: &str, now: i64) -> Result<(), StoreError> {
        self.delete_expired(id, now)
    }

    fn upload_exists(&self, id: &str) -> Result<bool, StoreError> {
        self.exists(id)
    }

    fn keeps_upload_bytes(&self) -> bool {
        true
    }

    fn append_upload_bytes(
        &self,
        id: &str,
        from: u64,
        bytes: &[u8],
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        self.append_chunk(id, from, bytes, expires_at)
    }

    fn upload_bytes(&self, id: &str, length: u64) -> Result<Option<Vec<u8>>, StoreError> {
        self.chunks(id, length)
    }
}
