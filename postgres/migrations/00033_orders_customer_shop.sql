-- +goose Up
-- The customer list over some of a buyer's shops folds the buyer's orders in those shops
-- only; with the shop in the key it reads them without visiting the buyer's other orders.
DROP INDEX orders_customer;
CREATE INDEX orders_customer ON orders (customer_id, sid);

-- +goose Down
DROP INDEX orders_customer;
CREATE INDEX orders_customer ON orders (customer_id);
