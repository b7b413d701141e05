-- lapak-central schema on PostgreSQL, version 2: the tables of SQLite's 0005_remote_care.sql (remote
-- configurations, kiosk groups, diagnostics bundles, withdrawn kiosk versions).
CREATE TABLE remote_configs (
    version    BIGINT PRIMARY KEY,
    target     TEXT COLLATE "C" NOT NULL,
    toml       TEXT NOT NULL,
    signature  TEXT NOT NULL,
    pushed_at  TEXT NOT NULL
);
CREATE INDEX remote_configs_by_target ON remote_configs(target, version);
CREATE TABLE kiosk_groups (
    kiosk_id    TEXT COLLATE "C" NOT NULL REFERENCES kiosks(id),
    group_name  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (kiosk_id, group_name)
);
CREATE TABLE diagnostics (
    request       TEXT COLLATE "C" PRIMARY KEY,
    kiosk_id      TEXT COLLATE "C" NOT NULL REFERENCES kiosks(id),
    requested_at  TEXT NOT NULL,
    uploaded_at   TEXT,
    bundle        TEXT
);
CREATE INDEX diagnostics_by_kiosk ON diagnostics(kiosk_id, requested_at);
CREATE TABLE withdrawn_versions (
    version       TEXT COLLATE "C" PRIMARY KEY,
    withdrawn_at  TEXT NOT NULL,
    reason        TEXT NOT NULL
);
