-- lapak-central schema, version 2: every kiosk has a number (the first five digits of its claim references),
-- unique in the fleet, and every public key belongs to one kiosk id only.

ALTER TABLE kiosks ADD COLUMN number INTEGER CHECK (number BETWEEN 1 AND 99999);

-- Kiosks registered before numbers were kept: the number is read from an id of the form KIOSK-NNNNN. Any other
-- id stays without a number until staff register it again; its claims are held back (refused as a fault to
-- retry, never as a claim-level refusal) until then.
UPDATE kiosks SET number = CAST(substr(id, 7) AS INTEGER)
 WHERE id GLOB 'KIOSK-[0-9][0-9][0-9][0-9][0-9]' AND CAST(substr(id, 7) AS INTEGER) BETWEEN 1 AND 99999;

CREATE UNIQUE INDEX kiosks_by_number ON kiosks(number);
CREATE UNIQUE INDEX kiosks_by_public_key ON kiosks(public_key);
