-- +goose Up
-- The foreign keys an import checks once per row it writes, dropped: PostgreSQL checks each
-- with a query and a row lock on the parent, and an FBA shipments import of 1.2 million rows
-- spent a third of its time in them (45 471 rows/s with them, 68 520 without; BENCHMARKS,
-- 2026-12-05 night). What they guarded is kept by the store's own writes:
-- - orders.sid: UpsertOrders refuses a shop that does not exist, and shops are never deleted;
-- - orders.customer_id: the import reads the customers it links FOR KEY SHARE, once per
--   batch, so a customer deleted meanwhile waits for the import, and DeleteCustomer clears
--   the customer's orders itself (it was ON DELETE SET NULL);
-- - order_items.order_id: a line is written only with its order's id, and orders are never
--   deleted;
-- - customer_figures.customer_id: figures are written only for customers the transaction
--   linked, and DeleteCustomer deletes them itself (it was ON DELETE CASCADE).
-- The embedded store keeps them: SQLite checks a key in a table it already holds in cache,
-- about 6 % of an import there, and dropping a constraint means rebuilding the table.
ALTER TABLE orders DROP CONSTRAINT orders_sid_fkey;
ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;
ALTER TABLE order_items DROP CONSTRAINT order_items_order_id_fkey;
ALTER TABLE customer_figures DROP CONSTRAINT customer_figures_customer_id_fkey;

-- +goose Down
ALTER TABLE customer_figures ADD FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;
ALTER TABLE order_items ADD FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE;
ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL;
ALTER TABLE orders ADD FOREIGN KEY (sid) REFERENCES shops (sid);
