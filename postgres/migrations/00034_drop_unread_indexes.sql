-- +goose Up
-- Indexes no query of shopcrm reads, dropped because every import paid for them: their keys
-- are random (order numbers, purchase times, last and first purchase), so at a million buyers
-- each batch rewrote about one page of each per row. Order lookups go by (sid, number); the
-- after-sale list reads its own copy of the purchase time (migration 00032); the customer list
-- ranks in memory and reads figures by customer id.
DROP INDEX orders_number;
DROP INDEX orders_purchase;
DROP INDEX figures_last;
DROP INDEX figures_first;

-- +goose Down
CREATE INDEX figures_first ON customer_figures (sid, first_purchase, email_key);
CREATE INDEX figures_last ON customer_figures (sid, last_purchase, email_key);
CREATE INDEX orders_purchase ON orders (sid, purchase_time);
CREATE INDEX orders_number ON orders (number);
