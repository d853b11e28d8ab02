-- +goose Up
-- The after-sale list looks up to 50 order ids across every shop.
CREATE INDEX after_sales_order_number ON after_sales (order_number);

-- +goose Down
DROP INDEX after_sales_order_number;
