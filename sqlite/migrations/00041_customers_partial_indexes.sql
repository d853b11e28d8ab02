-- +goose Up
-- Most customers have neither a referral code nor a referrer, and every one of them was an
-- entry in both indexes: two of the four B-tree entries each new buyer of an import writes.
-- The lookups (code = ?, referrer = ?) never ask for NULL, so the indexes keep the rest.
DROP INDEX customers_referral_code;
CREATE UNIQUE INDEX customers_referral_code ON customers (referral_code) WHERE referral_code IS NOT NULL;
DROP INDEX customers_referrer;
CREATE INDEX customers_referrer ON customers (referrer_id) WHERE referrer_id IS NOT NULL;

-- +goose Down
DROP INDEX customers_referrer;
CREATE INDEX customers_referrer ON customers (referrer_id);
DROP INDEX customers_referral_code;
CREATE UNIQUE INDEX customers_referral_code ON customers (referral_code);
