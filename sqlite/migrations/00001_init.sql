-- +goose Up
CREATE TABLE shops (
	sid            INTEGER PRIMARY KEY,
	name           TEXT NOT NULL,
	marketplace    TEXT NOT NULL,
	country        TEXT NOT NULL,
	currency       TEXT NOT NULL,
	time_zone      TEXT NOT NULL,
	region         TEXT NOT NULL DEFAULT '',
	marketplace_id TEXT NOT NULL DEFAULT '',
	seller_id      TEXT NOT NULL DEFAULT '',
	status         INTEGER NOT NULL DEFAULT 1,
	created_at     INTEGER NOT NULL
);

CREATE TABLE customers (
	id                   INTEGER PRIMARY KEY AUTOINCREMENT,
	email_key            TEXT UNIQUE,          -- lower(email); NULL when the customer has none
	email                TEXT NOT NULL DEFAULT '',
	full_name            TEXT NOT NULL DEFAULT '',
	mobile               TEXT NOT NULL DEFAULT '',
	gender               TEXT NOT NULL DEFAULT 'unknown',
	birthday             TEXT NOT NULL DEFAULT '',
	note                 TEXT NOT NULL DEFAULT '',
	accepts_marketing    INTEGER NOT NULL DEFAULT 0,
	tags                 TEXT NOT NULL DEFAULT '[]',
	addresses            TEXT NOT NULL DEFAULT '[]',
	referral_code        TEXT,                 -- NULL when empty, so UNIQUE ignores it
	referrer_id          INTEGER,
	level                TEXT,
	points               INTEGER NOT NULL DEFAULT 0,
	total_points         INTEGER NOT NULL DEFAULT 0,
	metafields           TEXT NOT NULL DEFAULT '[]',
	profile              TEXT NOT NULL DEFAULT '{}',
	multipass_identifier TEXT,
	avatar               TEXT NOT NULL DEFAULT '',
	created_at           INTEGER NOT NULL,
	updated_at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX customers_referral_code ON customers (referral_code);

CREATE TABLE orders (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	sid           INTEGER NOT NULL REFERENCES shops (sid),
	number        TEXT NOT NULL,
	customer_id   INTEGER REFERENCES customers (id) ON DELETE SET NULL,
	buyer_email   TEXT NOT NULL DEFAULT '',
	buyer_name    TEXT NOT NULL DEFAULT '',
	purchase_time INTEGER NOT NULL,
	updated_time  INTEGER NOT NULL DEFAULT 0,
	status        TEXT NOT NULL DEFAULT '',
	fulfilment    TEXT NOT NULL DEFAULT '',
	sales_channel TEXT NOT NULL DEFAULT '',
	currency      TEXT NOT NULL DEFAULT '',
	coupon_code   TEXT NOT NULL DEFAULT '',
	UNIQUE (sid, number)
);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_number ON orders (number);

CREATE TABLE order_items (
	order_id  INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
	sku       TEXT NOT NULL,
	asin      TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	quantity  INTEGER NOT NULL DEFAULT 0,
	price     INTEGER NOT NULL DEFAULT 0,
	tax       INTEGER NOT NULL DEFAULT 0,
	status    TEXT NOT NULL DEFAULT '',
	promotion TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (order_id, sku)
) WITHOUT ROWID;

CREATE TABLE after_sales (
	id                   INTEGER PRIMARY KEY AUTOINCREMENT,
	item_identifier      TEXT NOT NULL UNIQUE,
	sid                  INTEGER NOT NULL REFERENCES shops (sid),
	order_number         TEXT NOT NULL,
	type                 INTEGER NOT NULL,
	sku                  TEXT NOT NULL DEFAULT '',
	asin                 TEXT NOT NULL DEFAULT '',
	quantity             INTEGER NOT NULL DEFAULT 0,
	reason               TEXT NOT NULL DEFAULT '',
	after_time           INTEGER NOT NULL,
	update_time          INTEGER NOT NULL,
	status               TEXT NOT NULL DEFAULT '',
	currency             TEXT NOT NULL DEFAULT '',
	amount_details       TEXT NOT NULL DEFAULT '[]',
	cost_details         TEXT NOT NULL DEFAULT '[]',
	lpn                  TEXT NOT NULL DEFAULT '',
	rma                  TEXT NOT NULL DEFAULT '',
	carrier              TEXT NOT NULL DEFAULT '',
	waybill              TEXT NOT NULL DEFAULT '',
	exchange_order       TEXT NOT NULL DEFAULT '',
	buyer_note           TEXT NOT NULL DEFAULT '',
	inventory_attributes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX after_sales_order ON after_sales (sid, order_number);
CREATE INDEX after_sales_time ON after_sales (after_time);
CREATE INDEX after_sales_update ON after_sales (update_time);

CREATE TABLE feedback (
	sid          INTEGER NOT NULL REFERENCES shops (sid),
	order_number TEXT NOT NULL,
	rating       INTEGER NOT NULL,
	date         INTEGER NOT NULL,
	comment      TEXT NOT NULL DEFAULT '',
	response     TEXT NOT NULL DEFAULT '',
	rater_email  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (sid, order_number)
) WITHOUT ROWID;

CREATE TABLE products (
	sid             INTEGER NOT NULL,
	msku            TEXT NOT NULL,
	asin            TEXT NOT NULL DEFAULT '',
	local_sku       TEXT NOT NULL DEFAULT '',
	local_name      TEXT NOT NULL DEFAULT '',
	title           TEXT NOT NULL DEFAULT '',
	small_image_url TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (sid, msku)
) WITHOUT ROWID;

CREATE TABLE segments (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	title      TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE TABLE segment_members (
	segment_id  INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	PRIMARY KEY (segment_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX segment_members_customer ON segment_members (customer_id, segment_id);

CREATE TABLE coupons (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	code       TEXT NOT NULL UNIQUE,
	title      TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE TABLE coupon_grants (
	coupon_id   INTEGER NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	PRIMARY KEY (coupon_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX coupon_grants_customer ON coupon_grants (customer_id, coupon_id);

CREATE TABLE exchange_rates (
	month    TEXT NOT NULL,
	currency TEXT NOT NULL,
	official INTEGER NOT NULL,
	my_rate  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (month, currency)
) WITHOUT ROWID;

CREATE TABLE apps (
	app_id      TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	secret_hash BLOB NOT NULL,
	sids        TEXT NOT NULL DEFAULT '[]',
	capacities  TEXT NOT NULL DEFAULT '{}',
	created_at  INTEGER NOT NULL
);
CREATE TABLE app_tokens (
	app_id          TEXT PRIMARY KEY REFERENCES apps (app_id) ON DELETE CASCADE,
	access_hash     BLOB NOT NULL,
	refresh_hash    BLOB NOT NULL,
	access_expires  INTEGER NOT NULL,
	refresh_expires INTEGER NOT NULL
);

CREATE TABLE oauth_clients (
	client_id   TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	secret_hash BLOB NOT NULL,
	scopes      TEXT NOT NULL,
	created_at  INTEGER NOT NULL
);
CREATE TABLE oauth_tokens (
	hash       BLOB PRIMARY KEY,
	client_id  TEXT NOT NULL DEFAULT '',
	scopes     TEXT NOT NULL,
	expires_at INTEGER NOT NULL
);

-- Per-customer figures of the Lingxing customer list, per shop and (sid = 0) over all shops.
-- Maintained in the transactions that write orders, after-sales and feedback.
CREATE TABLE customer_figures (
	customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	sid               INTEGER NOT NULL,
	email_key         TEXT NOT NULL,
	name_key          TEXT NOT NULL,
	orders            INTEGER NOT NULL,
	units             INTEGER NOT NULL,
	amount            INTEGER NOT NULL,
	currency          TEXT NOT NULL,
	amount_cny        INTEGER NOT NULL,
	amount_usd        INTEGER NOT NULL,
	per_customer      INTEGER NOT NULL,
	per_customer_cny  INTEGER NOT NULL,
	refund_orders     INTEGER NOT NULL,
	refund_units      INTEGER NOT NULL,
	refund_rate       INTEGER NOT NULL, -- ×10000
	return_orders     INTEGER NOT NULL,
	return_units      INTEGER NOT NULL,
	return_rate       INTEGER NOT NULL,
	exchange_orders   INTEGER NOT NULL,
	exchange_units    INTEGER NOT NULL,
	feedback_count    INTEGER NOT NULL,
	feedback_bad      INTEGER NOT NULL,
	feedback_rate     INTEGER NOT NULL,
	feedback_bad_rate INTEGER NOT NULL,
	first_purchase    TEXT NOT NULL, -- shop-local 'YYYY-MM-DD HH:MM:SS'
	last_purchase     TEXT NOT NULL,
	first_purchase_at INTEGER NOT NULL, -- UTC seconds
	last_purchase_at  INTEGER NOT NULL,
	last_order_id     INTEGER NOT NULL,
	last_sid          INTEGER NOT NULL,
	PRIMARY KEY (customer_id, sid)
) WITHOUT ROWID;
CREATE INDEX figures_last ON customer_figures (sid, last_purchase, email_key);
CREATE INDEX figures_first ON customer_figures (sid, first_purchase, email_key);

-- +goose Down
SELECT 1;
