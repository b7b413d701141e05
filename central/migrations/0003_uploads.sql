-- Resumable uploads (tus 1.0): one row per upload under way or finished; its bytes so far are in the file
-- `uploads/<id>.part` beside the database (fsync'd before `upload_offset` moves). `upload_offset` is the durable
-- offset: bytes of the file past it are not acknowledged and are overwritten by the next chunk.
CREATE TABLE uploads (
    id               TEXT PRIMARY KEY NOT NULL,
    kiosk_id         TEXT NOT NULL REFERENCES kiosks(id),
    claim_id         TEXT NOT NULL,
    packet_signature BLOB NOT NULL CHECK (length(packet_signature) = 64),
    upload_length    INTEGER NOT NULL CHECK (upload_length >= 0),
    upload_offset    INTEGER NOT NULL DEFAULT 0 CHECK (upload_offset >= 0 AND upload_offset <= upload_length),
    created_at       TEXT NOT NULL,
    -- Unix seconds; the upload (finished or not) is swept after this.
    expires_at       INTEGER NOT NULL,
    -- Set when the finished upload's claim is stored: the receipt and the status POST /v1/claims would answer.
    receipt          TEXT,
    intake_status    INTEGER
);
CREATE INDEX uploads_by_expiry ON uploads(expires_at);
