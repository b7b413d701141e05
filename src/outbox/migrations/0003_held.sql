-- `held` replaces `rejected`: a claim the central service refused for good is held for staff, who can send it
-- again (`lapak-kiosk outbox requeue`); nothing stops for good any more. SQLite cannot change a CHECK
-- constraint, so the table is rebuilt with every row kept; rejected rows become held.

CREATE TABLE claims_new (
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
    nik_hash        BLOB    NOT NULL CHECK (length(nik_hash) = 32),
    test            INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1)),
    packet          BLOB    NOT NULL,
    signature       BLOB    NOT NULL CHECK (length(signature) = 64),
    packet_bytes    INTEGER NOT NULL
);

INSERT INTO claims_new (id, claim_id, reference, created_at, state, attempts, next_attempt_at, last_error,
                        delivered_at, updated_at, receipt, nik_hash, test, packet, signature, packet_bytes)
SELECT id, claim_id, reference, created_at,
       CASE state WHEN 'rejected' THEN 'held' ELSE state END,
       attempts, next_attempt_at, last_error, delivered_at, updated_at, receipt, nik_hash, test, packet,
       signature, packet_bytes
FROM claims;

DROP TABLE claims;
ALTER TABLE claims_new RENAME TO claims;

CREATE INDEX claims_due ON claims (state, next_attempt_at);
CREATE INDEX claims_delivered ON claims (state, delivered_at);
