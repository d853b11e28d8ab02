-- +goose Up
-- A buyer of one shop keeps one figures row, over all shops (sid = 0): the row of that shop
-- would equal it but for the sid, and left out a shipments import writes one of a buyer's
-- two widest rows instead of both (sqlstore storedForm). Its last_sid names the shop.
-- customer_figures_expanded shows every row, those included, for whoever reads the figures
-- with SQL: sid = 0 over all shops, sid = N for shop N.
CREATE VIEW customer_figures_expanded AS
SELECT customer_id, sid, email_key, name_key, orders, units, amount, currency, amount_cny, amount_usd,
	per_customer, per_customer_cny, refund_orders, refund_units, refund_rate, return_orders,
	return_units, return_rate, exchange_orders, exchange_units, feedback_count, feedback_bad,
	feedback_rate, feedback_bad_rate, first_purchase, last_purchase, first_purchase_at,
	last_purchase_at, last_order_id, last_sid
FROM customer_figures
UNION ALL
SELECT a.customer_id, a.last_sid, a.email_key, a.name_key, a.orders, a.units, a.amount, a.currency,
	a.amount_cny, a.amount_usd, a.per_customer, a.per_customer_cny, a.refund_orders, a.refund_units,
	a.refund_rate, a.return_orders, a.return_units, a.return_rate, a.exchange_orders,
	a.exchange_units, a.feedback_count, a.feedback_bad, a.feedback_rate, a.feedback_bad_rate,
	a.first_purchase, a.last_purchase, a.first_purchase_at, a.last_purchase_at, a.last_order_id,
	a.last_sid
FROM customer_figures a
WHERE a.sid = 0 AND a.last_sid <> 0 AND NOT EXISTS
	(SELECT 1 FROM customer_figures s WHERE s.customer_id = a.customer_id AND s.sid = a.last_sid);

-- Stores written before keep those rows; this is what the next write of each buyer would do.
DELETE FROM customer_figures WHERE sid <> 0 AND EXISTS (SELECT 1 FROM customer_figures a
	WHERE a.customer_id = customer_figures.customer_id AND a.sid = 0 AND a.last_sid = customer_figures.sid
		AND a.email_key = customer_figures.email_key
		AND a.name_key = customer_figures.name_key
		AND a.orders = customer_figures.orders
		AND a.units = customer_figures.units
		AND a.amount = customer_figures.amount
		AND a.currency = customer_figures.currency
		AND a.amount_cny = customer_figures.amount_cny
		AND a.amount_usd = customer_figures.amount_usd
		AND a.per_customer = customer_figures.per_customer
		AND a.per_customer_cny = customer_figures.per_customer_cny
		AND a.refund_orders = customer_figures.refund_orders
		AND a.refund_units = customer_figures.refund_units
		AND a.refund_rate = customer_figures.refund_rate
		AND a.return_orders = customer_figures.return_orders
		AND a.return_units = customer_figures.return_units
		AND a.return_rate = customer_figures.return_rate
		AND a.exchange_orders = customer_figures.exchange_orders
		AND a.exchange_units = customer_figures.exchange_units
		AND a.feedback_count = customer_figures.feedback_count
		AND a.feedback_bad = customer_figures.feedback_bad
		AND a.feedback_rate = customer_figures.feedback_rate
		AND a.feedback_bad_rate = customer_figures.feedback_bad_rate
		AND a.first_purchase = customer_figures.first_purchase
		AND a.last_purchase = customer_figures.last_purchase
		AND a.first_purchase_at = customer_figures.first_purchase_at
		AND a.last_purchase_at = customer_figures.last_purchase_at
		AND a.last_order_id = customer_figures.last_order_id
		AND a.last_sid = customer_figures.last_sid);

-- +goose Down
-- The left-out rows are those the view shows and the table does not hold (the view's
-- columns are the table's, in order).
INSERT INTO customer_figures (customer_id, sid, email_key, name_key, orders, units, amount, currency, amount_cny, amount_usd,
	per_customer, per_customer_cny, refund_orders, refund_units, refund_rate, return_orders,
	return_units, return_rate, exchange_orders, exchange_units, feedback_count, feedback_bad,
	feedback_rate, feedback_bad_rate, first_purchase, last_purchase, first_purchase_at,
	last_purchase_at, last_order_id, last_sid)
SELECT * FROM customer_figures_expanded e
WHERE e.sid <> 0 AND NOT EXISTS
	(SELECT 1 FROM customer_figures s WHERE s.customer_id = e.customer_id AND s.sid = e.sid);
DROP VIEW customer_figures_expanded;
