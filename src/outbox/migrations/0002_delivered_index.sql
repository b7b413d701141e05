-- Purging delivered claims after the retention period looks them up by delivery time.
CREATE INDEX claims_delivered ON claims (state, delivered_at);
