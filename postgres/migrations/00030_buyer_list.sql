-- +goose Up
-- The Lingxing customer list ranks buyers in an index held by each server process
-- (sqlstore/buyer_index.go). This log tells every process, whichever process wrote, which
-- customers' figures, e-mail or name changed since it last looked. Ingest rewrites a
-- customer's figures as DELETE + INSERT, and its sid = 0 row always, so logging that row
-- catches every change; a customer deleted takes its figures with it (ON DELETE CASCADE).
-- Sequence numbers of concurrent transactions can commit out of order; readers wait for gaps.
CREATE TABLE buyer_changes (
	seq         BIGSERIAL PRIMARY KEY,
	customer_id BIGINT NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION buyer_changes_log() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	s BIGINT;
BEGIN
	IF TG_OP = 'DELETE' THEN
		INSERT INTO buyer_changes (customer_id) VALUES (OLD.customer_id) RETURNING seq INTO s;
	ELSE
		INSERT INTO buyer_changes (customer_id) VALUES (NEW.customer_id) RETURNING seq INTO s;
	END IF;
	-- The log keeps its last 200 000 entries; a process further behind reloads the whole index.
	IF s % 4096 = 0 THEN
		DELETE FROM buyer_changes WHERE seq <= s - 200000;
	END IF;
	RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER buyer_changes_figures_insert AFTER INSERT ON customer_figures
	FOR EACH ROW WHEN (NEW.sid = 0) EXECUTE FUNCTION buyer_changes_log();
CREATE TRIGGER buyer_changes_figures_delete AFTER DELETE ON customer_figures
	FOR EACH ROW WHEN (OLD.sid = 0) EXECUTE FUNCTION buyer_changes_log();
-- An edited customer's e-mail and name reach its figures rows by UPDATE.
CREATE TRIGGER buyer_changes_figures_update AFTER UPDATE ON customer_figures
	FOR EACH ROW WHEN (NEW.sid = 0) EXECUTE FUNCTION buyer_changes_log();

-- +goose Down
DROP TRIGGER buyer_changes_figures_update ON customer_figures;
DROP TRIGGER buyer_changes_figures_delete ON customer_figures;
DROP TRIGGER buyer_changes_figures_insert ON customer_figures;
DROP FUNCTION buyer_changes_log();
DROP TABLE buyer_changes;
