-- +goose Up
-- The store copies a new order's purchase time to its after-sales itself (sqlstore
-- copyPurchaseTimes), once per batch and only in a shop that has after-sales: the row
-- trigger ran an UPDATE of after_sales for every order inserted, a tenth of the time of
-- writing the rows of a shipments report into a new store.
DROP TRIGGER IF EXISTS orders_purchase_insert;

-- +goose Down
CREATE TRIGGER IF NOT EXISTS orders_purchase_insert AFTER INSERT ON orders BEGIN
	UPDATE after_sales SET purchase_time = NEW.purchase_time WHERE sid = NEW.sid AND order_number = NEW.number;
END;
