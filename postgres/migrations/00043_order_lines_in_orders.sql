-- +goose Up
-- An order's lines move into its row, as a JSON array of [sku, asin, title, quantity,
-- price, tax, status, promotion, parcels] (sqlstore/order_lines_json.go): a row of
-- order_items per line was a third of the rows an FBA shipments import wrote. The column is
-- text, written as the store writes it (COPY) and read back as such; order_items stays as a
-- view of the same columns, for whoever reads the lines with SQL.
ALTER TABLE orders ADD COLUMN lines TEXT NOT NULL DEFAULT '[]';

UPDATE orders o SET lines = l.lines
FROM (SELECT order_id, json_agg(json_build_array(sku, asin, title, quantity, price, tax, status, promotion, parcels)
	ORDER BY sku)::text AS lines FROM order_items GROUP BY order_id) l
WHERE l.order_id = o.id;

DROP TABLE order_items;

CREATE VIEW order_items AS
SELECT o.id AS order_id, l ->> 0 AS sku, l ->> 1 AS asin, l ->> 2 AS title, (l ->> 3)::bigint AS quantity,
	(l ->> 4)::bigint AS price, (l ->> 5)::bigint AS tax, l ->> 6 AS status, l ->> 7 AS promotion,
	l ->> 8 AS parcels
FROM orders o CROSS JOIN LATERAL jsonb_array_elements(o.lines::jsonb) AS l;

-- +goose Down
DROP VIEW order_items;
CREATE TABLE order_items (
	order_id  BIGINT NOT NULL,
	sku       TEXT NOT NULL,
	asin      TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	quantity  BIGINT NOT NULL DEFAULT 0,
	price     BIGINT NOT NULL DEFAULT 0,
	tax       BIGINT NOT NULL DEFAULT 0,
	status    TEXT NOT NULL DEFAULT '',
	promotion TEXT NOT NULL DEFAULT '',
	parcels   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (order_id, sku)
);
INSERT INTO order_items (order_id, sku, asin, title, quantity, price, tax, status, promotion, parcels)
SELECT o.id, l ->> 0, l ->> 1, l ->> 2, (l ->> 3)::bigint, (l ->> 4)::bigint, (l ->> 5)::bigint, l ->> 6, l ->> 7, l ->> 8
FROM orders o CROSS JOIN LATERAL jsonb_array_elements(o.lines::jsonb) AS l;
ALTER TABLE orders DROP COLUMN lines;
