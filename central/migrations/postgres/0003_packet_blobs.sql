-- Sealed packets leave the database for the packet store ([blobs] in central.toml). A claim stored from now on
-- keeps its packet's key in `packet_key` and no `packet`; a claim stored before keeps its packet in `packet`
-- (`packet_key` NULL) and is read from there. Either way the bytes are checked against `body_sha256` when read.
ALTER TABLE claims ADD COLUMN packet_key TEXT;
ALTER TABLE claims ALTER COLUMN packet DROP NOT NULL;
