-- Version 2: the bytes of resumable uploads under way live in the database, one row per chunk at its start
-- offset, so a chunk sent to any replica continues an upload another replica started. A chunk's row and the
-- upload's new `upload_offset` are written in one transaction; the rows go when the upload is finished,
-- restarted (bytes past offset 0 dropped) or swept.
CREATE TABLE upload_chunks (
    upload_id     TEXT COLLATE "C" NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    start_offset  BIGINT NOT NULL CHECK (start_offset >= 0),
    bytes         BYTEA NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);
