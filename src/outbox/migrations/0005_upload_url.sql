-- The resumable upload under way for a claim: the path of the URL the central service gave at creation (no personal data;
-- a random capability bound to this kiosk), kept so a broken connection or a restart resumes the upload at the
-- service's offset instead of sending the whole packet again. NULL: no upload started yet.
ALTER TABLE claims ADD COLUMN upload_url TEXT;
