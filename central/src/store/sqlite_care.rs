//! The SQLite engine's remote care tables (see [`super::care`]).

use chrono::{DateTime, Utc};
use lapak_core::care::RemoteConfig;
use rusqlite::{OptionalExtension, params};

use super::StoreError;
use super::care::{Care, DiagnosticsRow, SignConfig, WithdrawnVersion};
use super::sqlite::{SqliteStore, sql};

impl Care for SqliteStore {
    fn push_config(
        &self,
        target: &str,
        toml: &str,
        sign: SignConfig<'_>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql("starting the configuration push"))?;
        let newest: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM remote_configs",
                [],
                |r| r.get(0),
            )
            .map_err(sql("reading the newest configuration version"))?;
        let version = newest.max(0) as u64 + 1;
        tx.execute(
            "INSERT INTO remote_configs (version, target, toml, signature, pushed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![version as i64, target, toml, sign(version), now.to_rfc3339()],
        )
        .map_err(sql("storing the configuration"))?;
        tx.commit().map_err(sql("committing the configuration"))?;
        Ok(version)
    }

    fn config_for(&self, kiosk_id: &str) -> Result<Option<RemoteConfig>, StoreError> {
        self.read("reading the kiosk's configuration", |conn| {
            conn.query_row(
                "SELECT version, target, toml, signature FROM remote_configs
                 WHERE target = 'kiosk:' || ?1
                    OR target IN (SELECT 'group:' || group_name FROM kiosk_groups WHERE kiosk_id = ?1)
                 ORDER BY version DESC LIMIT 1",
                [kiosk_id],
                |r| {
                    Ok(RemoteConfig {
                        version: r.get::<_, i64>(0)?.max(0) as u64,
                        target: r.get(1)?,
                        toml: r.get(2)?,
                        signature: r.get(3)?,
                    })
                },
            )
            .optional()
        })
    }

    fn join_group(&self, kiosk_id: &str, group: &str) -> Result<bool, StoreError> {
        let conn = self.conn();
        let known: bool = conn
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM kiosks WHERE id = ?1)",
                [kiosk_id],
                |r| r.get(0),
            )
            .map_err(sql("looking up the kiosk"))?;
        if !known {
            return Ok(false);
        }
        conn.execute(
            "INSERT OR IGNORE INTO kiosk_groups (kiosk_id, group_name) VALUES (?1, ?2)",
            [kiosk_id, group],
        )
        .map_err(sql("adding the kiosk to the group"))?;
        Ok(true)
    }

    fn group_members(&self, group: &str) -> Result<Vec<String>, StoreError> {
        self.read("listing the group", |conn| {
            let mut stmt = conn.prepare(
                "SELECT kiosk_id FROM kiosk_groups WHERE group_name = ?1 ORDER BY kiosk_id",
            )?;
            let rows = stmt.query_map([group], |r| r.get(0))?;
            rows.collect()
        })
    }

    fn request_diagnostics(
        &self,
        kiosk_id: &str,
        request: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT INTO diagnostics (request, kiosk_id, requested_at) VALUES (?1, ?2, ?3)",
                params![request, kiosk_id, now.to_rfc3339()],
            )
            .map_err(sql("recording the diagnostics request"))?;
        Ok(())
    }

    fn pending_diagnostics(&self, kiosk_id: &str) -> Result<Option<String>, StoreError> {
        self.read("looking for a diagnostics request", |conn| {
            conn.query_row(
                "SELECT request FROM diagnostics WHERE kiosk_id = ?1 AND uploaded_at IS NULL
                 ORDER BY requested_at LIMIT 1",
                [kiosk_id],
                |r| r.get(0),
            )
            .optional()
        })
    }

    fn store_diagnostics(
        &self,
        kiosk_id: &str,
        request: &str,
        bundle: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let changed = self
            .conn()
            .execute(
                "UPDATE diagnostics SET bundle = ?3, uploaded_at = ?4
                 WHERE request = ?1 AND kiosk_id = ?2 AND uploaded_at IS NULL",
                params![request, kiosk_id, bundle, now.to_rfc3339()],
            )
            .map_err(sql("storing the diagnostics bundle"))?;
        Ok(changed == 1)
    }

    fn diagnostics(&self, request: &str) -> Result<Option<DiagnosticsRow>, StoreError> {
        self.read("reading a diagnostics bundle", |conn| {
            conn.query_row(
                "SELECT request, kiosk_id, requested_at, uploaded_at, bundle FROM diagnostics WHERE request = ?1",
                [request],
                |r| {
                    Ok(DiagnosticsRow {
                        request: r.get(0)?,
                        kiosk_id: r.get(1)?,
                        requested_at: r.get(2)?,
                        uploaded_at: r.get(3)?,
                        bundle: r.get(4)?,
                    })
                },
            )
            .optional()
        })
    }

    fn withdraw_version(
        &self,
        version: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT INTO withdrawn_versions (version, withdrawn_at, reason) VALUES (?1, ?2, ?3)
                 ON CONFLICT(version) DO UPDATE SET withdrawn_at = excluded.withdrawn_at, reason = excluded.reason",
                params![version, now.to_rfc3339(), reason],
            )
            .map_err(sql("withdrawing the version"))?;
        Ok(())
    }

    fn withdrawn_versions(&self) -> Result<Vec<WithdrawnVersion>, StoreError> {
        self.read("listing withdrawn versions", |conn| {
            let mut stmt = conn.prepare(
                "SELECT version, withdrawn_at, reason FROM withdrawn_versions ORDER BY version",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(WithdrawnVersion {
                    version: r.get(0)?,
                    withdrawn_at: r.get(1)?,
                    reason: r.get(2)?,
                })
            })?;
            rows.collect()
        })
    }
}
