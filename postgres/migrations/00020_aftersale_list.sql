-- +goose Up
-- The after-sale list filters by order purchase time (date_type 2) per shop.
CREATE INDEX orders_purchase ON orders (sid, purchase_time);
CREATE INDEX after_sales_sid_time ON after_sales (sid, after_time);
CREATE INDEX after_sales_sid_update ON after_sales (sid, update_time);

-- +goose Down
DROP INDEX after_sales_sid_update;
DROP INDEX after_sales_sid_time;
DROP INDEX orders_purchase;
