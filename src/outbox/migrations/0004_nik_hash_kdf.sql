-- The NIK hash becomes salted and slow (argon2id with a per-claim salt and the kiosk's secret), and is cleared
-- when a claim is delivered. SQLite cannot relax NOT NULL or a CHECK in place, so the table is rebuilt with
-- every row kept. Rows from before keep their HMAC-SHA256 (`nik_kdf` and `nik_salt` NULL) until delivered;
-- delivered rows lose their hash here.
--   nik_hash  32 bytes while the claim is undelivered; NULL once delivered
--   nik_salt  16 random bytes of the argon2id form; NULL for the HMAC form and once delivered
--   nik_kdf   the argon2id cost, 'argon2id$v=19$m=...,t=...,p=...'; NULL for the HMAC form and once delivered

CREATE TABLE claims_rebuilt (
    id              INTEGER PRIMARY KEY,
    claim_id        TEXT    NOT NULL UNIQUE,
    reference       TEXT    NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'delivered', 'held')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    delivered_at    INTEGER,
    updated_at      INTEGER NOT NULL,
    receipt         TEXT,
    nik_hash        BLOB    CHECK (nik_hash IS NULL OR length(nik_hash) = 32),
    test            INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1)),
    packet          BLOB    NOT NULL,
    signature       BLOB    NOT NULL CHECK (length(signature) = 64),
    packet_bytes    INTEGER NOT NULL,
    nik_salt        BLOB    CHECK (nik_salt IS NULL OR length(nik_salt) = 16),
    nik_kdf         TEXT,
    CHECK ((nik_salt IS NULL) = (nik_kdf IS NULL)),
    CHECK (nik_hash IS NOT NULL OR nik_salt IS NULL),
    CHECK (nik_hash IS NOT NULL OR state = 'delivered')
);

INSERT INTO claims_rebuilt (id, claim_id, reference, created_at, state, attempts, next_attempt_at, last_error,
        delivered_at, updated_at, receipt, nik_hash, test, packet, signature, packet_bytes, nik_salt, nik_kdf)
    SELECT id, claim_id, reference, created_at, state, attempts, next_attempt_at, last_error,
        delivered_at, updated_at, receipt, CASE WHEN state = 'delivered' THEN NULL ELSE nik_hash END, test,
        packet, signature, packet_bytes, NULL, NULL
    FROM claims;

DROP TABLE claims;
ALTER TABLE claims_rebuilt RENAME TO claims;

CREATE INDEX claims_due ON claims (state, next_attempt_at);
CREATE INDEX claims_delivered ON claims (state, delivered_at);
