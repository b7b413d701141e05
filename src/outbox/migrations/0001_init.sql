-- The outbox: sealed claims waiting to be delivered, and the claim sequence.
-- Times are milliseconds since the Unix epoch, UTC. No column holds personal data in clear:
-- `packet` is the age ciphertext, `nik_hash` a keyed HMAC-SHA256 of the NIK.

CREATE TABLE claims (
    id              INTEGER PRIMARY KEY,
    claim_id        TEXT    NOT NULL UNIQUE,
    reference       TEXT    NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'delivered', 'rejected')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    delivered_at    INTEGER,
    updated_at      INTEGER NOT NULL,
    receipt         TEXT,
    nik_hash        BLOB    NOT NULL CHECK (length(nik_hash) = 32),
    test            INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1)),
    packet          BLOB    NOT NULL,
    signature       BLOB    NOT NULL CHECK (length(signature) = 64),
    packet_bytes    INTEGER NOT NULL
);

CREATE INDEX claims_due ON claims (state, next_attempt_at);

-- One row: the next local claim sequence number (never reused).
CREATE TABLE sequence (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    next INTEGER NOT NULL CHECK (next >= 1)
);

INSERT INTO sequence (id, next) VALUES (1, 1);
