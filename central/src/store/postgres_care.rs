//! The PostgreSQL engine's remote care tables (see [`super::care`]).

use chrono::{DateTime, Utc};
use lapak_core::care::RemoteConfig;

use super::StoreError;
use super::care::{Care, DiagnosticsRow, SignConfig, WithdrawnVersion};
use super::postgres::{PostgresStore, pg};

impl Care for PostgresStore {
    fn push_config(
        &self,
        target: &str,
        toml: &str,
        sign: SignConfig<'_>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client
                .transaction()
                .await
                .map_err(pg("starting the configuration push"))?;
            // One push at a time across replicas: each takes the next version.
            tx.batch_execute("LOCK TABLE remote_configs IN EXCLUSIVE MODE")
                .await
                .map_err(pg("locking the configurations"))?;
            let newest: i64 = tx
                .query_one("SELECT COALESCE(MAX(version), 0) FROM remote_configs", &[])
                .await
                .map_err(pg("reading the newest configuration version"))?
                .get(0);
            let version = newest.max(0) as u64 + 1;
            let signature = sign(version);
            tx.execute(
                "INSERT INTO remote_configs (version, target, toml, signature, pushed_at) VALUES ($1, $2, $3, $4, $5)",
                &[&(version as i64), &target, &toml, &signature, &now.to_rfc3339()],
            )
            .await
            .map_err(pg("storing the configuration"))?;
            tx.commit()
                .await
                .map_err(pg("committing the configuration"))?;
            Ok(version)
        })
    }

    fn config_for(&self, kiosk_id: &str) -> Result<Option<RemoteConfig>, StoreError> {
        let own = format!("kiosk:{kiosk_id}");
        self.run(async {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT version, target, toml, signature FROM remote_configs
                     WHERE target = $1
                        OR target IN (SELECT 'group:' || group_name FROM kiosk_groups WHERE kiosk_id = $2)
                     ORDER BY version DESC LIMIT 1",
                    &[&own, &kiosk_id],
                )
                .await
                .map_err(pg("reading the kiosk's configuration"))?;
            Ok(row.map(|r| RemoteConfig {
                version: r.get::<_, i64>(0).max(0) as u64,
                target: r.get(1),
                toml: r.get(2),
                signature: r.get(3),
            }))
        })
    }

    fn join_group(&self, kiosk_id: &str, group: &str) -> Result<bool, StoreError> {
        self.run(async {
            let client = self.client().await?;
            let known = client
                .query_opt("SELECT 1 FROM kiosks WHERE id = $1", &[&kiosk_id])
                .await
                .map_err(pg("looking up the kiosk"))?
                .is_some();
            if !known {
                return Ok(false);
            }
            client
                .execute(
                    "INSERT INTO kiosk_groups (kiosk_id, group_name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    &[&kiosk_id, &group],
                )
                .await
                .map_err(pg("adding the kiosk to the group"))?;
            Ok(true)
        })
    }

    fn group_members(&self, group: &str) -> Result<Vec<String>, StoreError> {
        self.run(async {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT kiosk_id FROM kiosk_groups WHERE group_name = $1 ORDER BY kiosk_id",
                    &[&group],
                )
                .await
                .map_err(pg("listing the group"))?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    fn request_diagnostics(
        &self,
        kiosk_id: &str,
        request: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.run(async {
            let client = self.client().await?;
            client
                .execute(
                    "INSERT INTO diagnostics (request, kiosk_id, requested_at) VALUES ($1, $2, $3)",
                    &[&request, &kiosk_id, &now.to_rfc3339()],
                )
                .await
                .map_err(pg("recording the diagnostics request"))?;
            Ok(())
        })
    }

    fn pending_diagnostics(&self, kiosk_id: &str) -> Result<Option<String>, StoreError> {
        self.run(async {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT request FROM diagnostics WHERE kiosk_id = $1 AND uploaded_at IS NULL
                     ORDER BY requested_at LIMIT 1",
                    &[&kiosk_id],
                )
                .await
                .map_err(pg("looking for a diagnostics request"))?;
            Ok(row.map(|r| r.get(0)))
        })
    }

    fn store_diagnostics(
        &self,
        kiosk_id: &str,
        request: &str,
        bundle: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.run(async {
            let client = self.client().await?;
            let changed = client
                .execute(
                    "UPDATE diagnostics SET bundle = $3, uploaded_at = $4
                     WHERE request = $1 AND kiosk_id = $2 AND uploaded_at IS NULL",
                    &[&request, &kiosk_id, &bundle, &now.to_rfc3339()],
                )
                .await
                .map_err(pg("storing the diagnostics bundle"))?;
            Ok(changed == 1)
        })
    }

    fn diagnostics(&self, request: &str) -> Result<Option<DiagnosticsRow>, StoreError> {
        self.run(async {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT request, kiosk_id, requested_at, uploaded_at, bundle FROM diagnostics WHERE request = $1",
                    &[&request],
                )
                .await
                .map_err(pg("reading a diagnostics bundle"))?;
            Ok(row.map(|r| DiagnosticsRow {
                request: r.get(0),
                kiosk_id: r.get(1),
                requested_at: r.get(2),
                uploaded_at: r.get(3),
                bundle: r.get(4),
            }))
        })
    }

    fn withdraw_version(
        &self,
        version: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.run(async {
            let client = self.client().await?;
            client
                .execute(
                    "INSERT INTO withdrawn_versions (version, withdrawn_at, reason) VALUES ($1, $2, $3)
                     ON CONFLICT (version) DO UPDATE SET withdrawn_at = EXCLUDED.withdrawn_at, reason = EXCLUDED.reason",
                    &[&version, &now.to_rfc3339(), &reason],
                )
                .await
                .map_err(pg("withdrawing the version"))?;
            Ok(())
        })
    }

    fn withdrawn_versions(&self) -> Result<Vec<WithdrawnVersion>, StoreError> {
        self.run(async {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT version, withdrawn_at, reason FROM withdrawn_versions ORDER BY version",
                    &[],
                )
                .await
                .map_err(pg("listing withdrawn versions"))?;
            Ok(rows
                .iter()
                .map(|r| WithdrawnVersion {
                    version: r.get(0),
                    withdrawn_at: r.get(1),
                    reason: r.get(2),
                })
                .collect())
        })
    }
}
