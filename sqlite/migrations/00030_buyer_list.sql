-- +goose Up
-- The Lingxing customer list ranks buyers in an index held by each server process
-- (sqlstore/buyer_index.go). This log tells every process, whichever process wrote, which
-- customers' figures, e-mail or name changed since it last looked. Ingest rewrites a
-- customer's figures as DELETE + INSERT, and its sid = 0 row always, so logging that row
-- catches every change; a customer deleted takes its figures with it (ON DELETE CASCADE).
-- seq is the rowid: one more than the largest, which pruning never deletes, so it only grows
-- (AUTOINCREMENT would cost a write of sqlite_sequence per entry).
CREATE TABLE buyer_changes (
	seq         INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER buyer_changes_figures_insert AFTER INSERT ON customer_figures WHEN NEW.sid = 0
BEGIN
	INSERT INTO buyer_changes (customer_id) VALUES (NEW.customer_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER buyer_changes_figures_delete AFTER DELETE ON customer_figures WHEN OLD.sid = 0
BEGIN
	INSERT INTO buyer_changes (customer_id) VALUES (OLD.customer_id);
END;
-- +goose StatementEnd

-- An edited customer's e-mail and name reach its figures rows by UPDATE.
-- +goose StatementBegin
CREATE TRIGGER buyer_changes_figures_update AFTER UPDATE ON customer_figures WHEN NEW.sid = 0
BEGIN
	INSERT INTO buyer_changes (customer_id) VALUES (NEW.customer_id);
END;
-- +goose StatementEnd

-- The log keeps its last 200 000 entries; a process further behind reloads the whole index.
-- +goose StatementBegin
CREATE TRIGGER buyer_changes_prune AFTER INSERT ON buyer_changes WHEN NEW.seq % 4096 = 0
BEGIN
	DELETE FROM buyer_changes WHERE seq <= NEW.seq - 200000;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER buyer_changes_prune;
DROP TRIGGER buyer_changes_figures_update;
DROP TRIGGER buyer_changes_figures_delete;
DROP TRIGGER buyer_changes_figures_insert;
DROP TABLE buyer_changes;
