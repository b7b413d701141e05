-- The kiosk this outbox belongs to, recorded when the outbox is made (or, for an outbox older than this table,
-- when it is first opened): a kiosk refuses an outbox made for another key. `origin` says how it was made:
-- 'original' (with the kiosk at provisioning or a demo kiosk's first start), 'adopted' (older than this table),
-- 'after_loss' (by `lapak-kiosk outbox init --after-loss`, with where its sequence floor came from).
CREATE TABLE owner (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    kiosk_id      TEXT    NOT NULL,
    kiosk_number  INTEGER NOT NULL,
    public_key    TEXT    NOT NULL,
    origin        TEXT    NOT NULL CHECK (origin IN ('original', 'adopted', 'after_loss')),
    floor_source  TEXT,
    created_at    INTEGER NOT NULL
);
