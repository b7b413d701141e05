-- lapak-central schema, version 1.

-- Kiosks allowed to send claims: their Ed25519 public key (base64) from provisioning.
CREATE TABLE kiosks (
    id          TEXT PRIMARY KEY NOT NULL,
    public_key  TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    revoked_at  TEXT
);

-- One row per claim, keyed by its idempotency key (the claim id). The packet stays sealed (age ciphertext as
-- the kiosk sent it); only keyed hashes of the NIK and date of birth are kept for status look-ups.
CREATE TABLE claims (
    claim_id          TEXT PRIMARY KEY NOT NULL,
    kiosk_id          TEXT NOT NULL REFERENCES kiosks(id),
    reference         TEXT NOT NULL UNIQUE,
    body_sha256       TEXT NOT NULL,
    packet            BLOB NOT NULL,
    packet_signature  BLOB NOT NULL,
    packet_bytes      INTEGER NOT NULL,
    test              INTEGER NOT NULL DEFAULT 0,
    received_at       TEXT NOT NULL,
    receipt           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('received', 'verifying', 'approved', 'rejected', 'paid')),
    status_changed_at TEXT NOT NULL,
    status_reason     TEXT,
    nik_hash          TEXT NOT NULL,
    dob_hash          TEXT
);

-- Every status change, for the back office.
CREATE TABLE status_history (
    id          INTEGER PRIMARY KEY,
    claim_id    TEXT NOT NULL REFERENCES claims(claim_id),
    status      TEXT NOT NULL,
    reason      TEXT,
    changed_at  TEXT NOT NULL
);

-- Heartbeats: a bounded history per kiosk (the newest is the kiosk's current health).
CREATE TABLE heartbeats (
    id          INTEGER PRIMARY KEY,
    kiosk_id    TEXT NOT NULL REFERENCES kiosks(id),
    received_at TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX heartbeats_by_kiosk ON heartbeats(kiosk_id, id);
