-- lapak-central schema on PostgreSQL, version 1: the tables of SQLite schema version 4 (0001 to 0004 beside
-- this folder), plus the replay memory that several replicas share. Text that is compared or sorted (ids,
-- references) uses the "C" collation, so ranges and orders are those of SQLite (byte order) whatever the
-- server's locale. Times are RFC 3339 text, as on SQLite.

-- Kiosks allowed to send claims: their number (the first five digits of their references) and Ed25519 public
-- key (base64), each unique in the fleet.
CREATE TABLE kiosks (
    id          TEXT COLLATE "C" PRIMARY KEY,
    public_key  TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    revoked_at  TEXT,
    number      INTEGER CHECK (number BETWEEN 1 AND 99999)
);
CREATE UNIQUE INDEX kiosks_by_number ON kiosks(number);
CREATE UNIQUE INDEX kiosks_by_public_key ON kiosks(public_key);

-- One row per claim, keyed by its idempotency key (the claim id). The packet stays sealed (age ciphertext as
-- the kiosk sent it); only keyed hashes of the NIK and date of birth are kept for status look-ups.
CREATE TABLE claims (
    claim_id          TEXT COLLATE "C" PRIMARY KEY,
    kiosk_id          TEXT COLLATE "C" NOT NULL REFERENCES kiosks(id),
    reference         TEXT COLLATE "C" NOT NULL UNIQUE,
    body_sha256       TEXT NOT NULL,
    packet            BYTEA NOT NULL,
    packet_signature  BYTEA NOT NULL,
    packet_bytes      BIGINT NOT NULL,
    test              BOOLEAN NOT NULL DEFAULT FALSE,
    received_at       TEXT NOT NULL,
    receipt           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('received', 'verifying', 'approved', 'rejected', 'paid')),
    status_changed_at TEXT NOT NULL,
    status_reason     TEXT,
    nik_hash          TEXT NOT NULL,
    dob_hash          TEXT
);
CREATE INDEX claims_by_kiosk ON claims(kiosk_id);

-- Every status change, for the back office.
CREATE TABLE status_history (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    claim_id    TEXT COLLATE "C" NOT NULL REFERENCES claims(claim_id),
    status      TEXT NOT NULL,
    reason      TEXT,
    changed_at  TEXT NOT NULL
);

-- Heartbeats: a bounded history per kiosk (the newest is the kiosk's current health).
CREATE TABLE heartbeats (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kiosk_id    TEXT COLLATE "C" NOT NULL REFERENCES kiosks(id),
    received_at TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX heartbeats_by_kiosk ON heartbeats(kiosk_id, id);

-- Resumable uploads (tus 1.0): one row per upload under way or finished; its bytes so far are in a file in
-- the uploads folder (fsync'd before `upload_offset` moves).
CREATE TABLE uploads (
    id               TEXT COLLATE "C" PRIMARY KEY,
    kiosk_id         TEXT COLLATE "C" NOT NULL REFERENCES kiosks(id),
    claim_id         TEXT NOT NULL,
    packet_signature BYTEA NOT NULL CHECK (octet_length(packet_signature) = 64),
    upload_length    BIGINT NOT NULL CHECK (upload_length >= 0),
    upload_offset    BIGINT NOT NULL DEFAULT 0 CHECK (upload_offset >= 0 AND upload_offset <= upload_length),
    created_at       TEXT NOT NULL,
    -- Unix seconds; the upload (finished or not) is swept after this.
    expires_at       BIGINT NOT NULL,
    receipt          TEXT,
    intake_status    INTEGER
);
CREATE INDEX uploads_by_expiry ON uploads(expires_at);

-- Request signatures already seen (replay refusal across replicas), until the request's timestamp leaves the
-- clock window (Unix seconds).
CREATE TABLE replay_cache (
    signature   BYTEA PRIMARY KEY,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX replay_cache_by_expiry ON replay_cache(expires_at);
