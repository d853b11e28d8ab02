-- +goose Up
-- An order's lines move into its row, as a JSON array of [sku, asin, title, quantity,
-- price, tax, status, promotion, parcels] (sqlstore/order_lines_json.go): a row of
-- order_items per line was a third of the B-tree entries an FBA shipments import wrote.
-- order_items stays as a view of the same columns, for whoever reads the lines with SQL.
ALTER TABLE orders ADD COLUMN lines TEXT NOT NULL DEFAULT '[]';

UPDATE orders SET lines = (SELECT json_group_array(json_array(sku, asin, title, quantity, price, tax, status, promotion, parcels))
	FROM (SELECT * FROM order_items i WHERE i.order_id = orders.id ORDER BY i.sku))
WHERE id IN (SELECT order_id FROM order_items);

DROP TABLE order_items;

CREATE VIEW order_items AS
SELECT o.id AS order_id, l.value ->> 0 AS sku, l.value ->> 1 AS asin, l.value ->> 2 AS title,
	l.value ->> 3 AS quantity, l.value ->> 4 AS price, l.value ->> 5 AS tax, l.value ->> 6 AS status,
	l.value ->> 7 AS promotion, l.value ->> 8 AS parcels
FROM orders o, json_each(o.lines) l;

-- +goose Down
DROP VIEW order_items;
CREATE TABLE order_items (
	order_id  INTEGER NOT NULL,
	sku       TEXT NOT NULL,
	asin      TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	quantity  INTEGER NOT NULL DEFAULT 0,
	price     INTEGER NOT NULL DEFAULT 0,
	tax       INTEGER NOT NULL DEFAULT 0,
	status    TEXT NOT NULL DEFAULT '',
	promotion TEXT NOT NULL DEFAULT '',
	parcels   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (order_id, sku)
) WITHOUT ROWID;
INSERT INTO order_items (order_id, sku, asin, title, quantity, price, tax, status, promotion, parcels)
SELECT o.id, l.value ->> 0, l.value ->> 1, l.value ->> 2, l.value ->> 3, l.value ->> 4, l.value ->> 5,
	l.value ->> 6, l.value ->> 7, l.value ->> 8
FROM orders o, json_each(o.lines) l;
ALTER TABLE orders DROP COLUMN lines;
