-- +goose Up
-- The orders triggers copy purchase times to after-sales by joining the orders a statement
-- wrote (its transition table) with after_sales. Bulk writes send up to 4 096 orders per
-- statement, and for that many PostgreSQL hashed the whole after_sales table each time: a
-- sequential scan per statement, 250 ms per 4 096 orders at 233 000 after-sales (the
-- 1 M-buyer demo), growing with the table. With hash and merge joins off inside the trigger
-- function the join probes the after_sales order-number index once per order: 40–70 ms.
ALTER FUNCTION orders_purchase_copy() SET enable_hashjoin = off;
ALTER FUNCTION orders_purchase_copy() SET enable_mergejoin = off;

-- +goose Down
ALTER FUNCTION orders_purchase_copy() RESET enable_mergejoin;
ALTER FUNCTION orders_purchase_copy() RESET enable_hashjoin;
