-- lapak-central schema: an index for the fleet view's count of claims per kiosk (read from the index alone,
-- without touching the claims' rows and their packets).
CREATE INDEX IF NOT EXISTS claims_by_kiosk ON claims(kiosk_id);
