-- +goose Up
-- The after-sale list finds the items of a page's window per shop through these indexes
-- alone (the rowid is the item id): after_time (date_type 1), update_time (3) and the
-- order's purchase time (2). The type and order number ride along, so the after_type filter
-- and the grouping by order read no table row.
--
-- The purchase time is copied into after_sales so that date_type 2 is a range scan like the
-- others: finding the after-sales of a month of orders through the orders table meant
-- probing after_sales for each of ~80 000 orders a month at 1 M buyers. The triggers keep the
-- copy whichever way rows arrive (orders before or after their after-sales, store methods or
-- bulk SQL); NULL while the order is unknown.
ALTER TABLE after_sales ADD COLUMN purchase_time INTEGER;
UPDATE after_sales SET purchase_time =
	(SELECT o.purchase_time FROM orders o WHERE o.sid = after_sales.sid AND o.number = after_sales.order_number);

DROP INDEX IF EXISTS after_sales_sid_time;
DROP INDEX IF EXISTS after_sales_sid_update;
CREATE INDEX IF NOT EXISTS after_sales_list_time ON after_sales (sid, after_time, type, order_number);
CREATE INDEX IF NOT EXISTS after_sales_list_update ON after_sales (sid, update_time, type, order_number);
CREATE INDEX IF NOT EXISTS after_sales_list_purchase ON after_sales (sid, purchase_time, type, order_number);

-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS after_sales_purchase_insert AFTER INSERT ON after_sales BEGIN
	UPDATE after_sales SET purchase_time =
		(SELECT purchase_time FROM orders WHERE sid = NEW.sid AND number = NEW.order_number)
	WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS after_sales_purchase_relink AFTER UPDATE OF sid, order_number ON after_sales BEGIN
	UPDATE after_sales SET purchase_time =
		(SELECT purchase_time FROM orders WHERE sid = NEW.sid AND number = NEW.order_number)
	WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS orders_purchase_insert AFTER INSERT ON orders BEGIN
	UPDATE after_sales SET purchase_time = NEW.purchase_time WHERE sid = NEW.sid AND order_number = NEW.number;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS orders_purchase_update AFTER UPDATE OF sid, number, purchase_time ON orders
WHEN OLD.purchase_time IS NOT NEW.purchase_time OR OLD.sid IS NOT NEW.sid OR OLD.number IS NOT NEW.number BEGIN
	UPDATE after_sales SET purchase_time = NULL WHERE sid = OLD.sid AND order_number = OLD.number;
	UPDATE after_sales SET purchase_time = NEW.purchase_time WHERE sid = NEW.sid AND order_number = NEW.number;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS orders_purchase_delete AFTER DELETE ON orders BEGIN
	UPDATE after_sales SET purchase_time = NULL WHERE sid = OLD.sid AND order_number = OLD.number;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER IF EXISTS orders_purchase_delete;
DROP TRIGGER IF EXISTS orders_purchase_update;
DROP TRIGGER IF EXISTS orders_purchase_insert;
DROP TRIGGER IF EXISTS after_sales_purchase_relink;
DROP TRIGGER IF EXISTS after_sales_purchase_insert;
DROP INDEX IF EXISTS after_sales_list_purchase;
DROP INDEX IF EXISTS after_sales_list_update;
DROP INDEX IF EXISTS after_sales_list_time;
ALTER TABLE after_sales DROP COLUMN purchase_time;
CREATE INDEX after_sales_sid_time ON after_sales (sid, after_time);
CREATE INDEX after_sales_sid_update ON after_sales (sid, update_time);
