-- lapak-central schema: looking after kiosks from afar. Remote configurations (signed when pushed), kiosk
-- groups they may be pushed to, diagnostics bundles staff asked for, and withdrawn kiosk versions.
CREATE TABLE IF NOT EXISTS remote_configs (
    version    INTEGER PRIMARY KEY,
    target     TEXT NOT NULL,
    toml       TEXT NOT NULL,
    signature  TEXT NOT NULL,
    pushed_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS remote_configs_by_target ON remote_configs(target, version);
CREATE TABLE IF NOT EXISTS kiosk_groups (
    kiosk_id    TEXT NOT NULL REFERENCES kiosks(id),
    group_name  TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, group_name)
);
CREATE TABLE IF NOT EXISTS diagnostics (
    request       TEXT PRIMARY KEY,
    kiosk_id      TEXT NOT NULL REFERENCES kiosks(id),
    requested_at  TEXT NOT NULL,
    uploaded_at   TEXT,
    bundle        TEXT
);
CREATE INDEX IF NOT EXISTS diagnostics_by_kiosk ON diagnostics(kiosk_id, requested_at);
CREATE TABLE IF NOT EXISTS withdrawn_versions (
    version       TEXT PRIMARY KEY,
    withdrawn_at  TEXT NOT NULL,
    reason        TEXT NOT NULL
);
