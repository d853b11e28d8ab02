-- +goose Up
-- A later report rewrites most orders it names (an All Orders report after the shipments
-- adds ASINs and statuses to every line), and PostgreSQL writes an UPDATE as a new row
-- version. On a full page that version goes elsewhere and every index of orders gets an
-- entry for it; with room left on the page it stays there and no index is touched (a HOT
-- update). 30 % of each page kept free: All Orders after its shipments, 200 000 orders,
-- 50 147 and 52 725 rows/s against 37 541 and 41 393 (at 500 000 orders 0–11 % faster),
-- the shipments themselves unchanged within the noise (docs/BENCHMARKS.md, 2026-12-07).
-- Pages already written keep their fill until rewritten (VACUUM FULL orders, or CLUSTER).
ALTER TABLE orders SET (fillfactor = 70);

-- +goose Down
ALTER TABLE orders RESET (fillfactor);
