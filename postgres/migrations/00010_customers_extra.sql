-- +goose Up
-- customers_referred counts a customer's referrals on every customer read.
CREATE INDEX customers_referrer ON customers (referrer_id);
-- The coupon filter also selects the customers whose orders used the coupon's code.
CREATE INDEX orders_coupon_code ON orders (coupon_code, customer_id) WHERE coupon_code <> '';

-- +goose Down
DROP INDEX orders_coupon_code;
DROP INDEX customers_referrer;
