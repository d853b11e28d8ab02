package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pressly/goose/v3"
)

// importKeys are the foreign keys an import would check once per row it writes, as the
// CREATE TABLE statements of the migrations spell them: the column definition with the key,
// and without it. PostgreSQL dropped the same four in its migration 00038; the store's own
// writes keep what they guarded:
//   - orders.sid: UpsertOrders refuses a shop that does not exist, and shops are never
//     deleted;
//   - orders.customer_id: DeleteCustomer clears the customer's orders itself (the key said
//     ON DELETE SET NULL), and SQLite's one writer links customers inside the transaction
//     that writes the orders;
//   - order_items.order_id: a line is written only with its order's id, and orders are
//     never deleted;
//   - customer_figures.customer_id: figures are written only for customers the transaction
//     linked, and DeleteCustomer deletes them itself (the key said ON DELETE CASCADE).
//
// With the keys, every multi-row INSERT into these tables could fail halfway, so SQLite
// kept a statement journal for it and copied each page the statement touched into it
// before changing it. Without them, and with INSERT OR ROLLBACK (sqlstore.bulkQuery), an
// FBA shipments import of 1.2 million rows took a tenth fewer instructions and ran about
// 12 % faster (docs/BENCHMARKS.md, "no statement journal on SQLite").
var importKeys = []struct{ table, with, without string }{
	{"orders", "sid           INTEGER NOT NULL REFERENCES shops (sid),", "sid           INTEGER NOT NULL,"},
	{"orders", "customer_id   INTEGER REFERENCES customers (id) ON DELETE SET NULL,", "customer_id   INTEGER,"},
	{"order_items", "order_id  INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,", "order_id  INTEGER NOT NULL,"},
	{"customer_figures", "customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,",
		"customer_id       INTEGER NOT NULL,"},
}

// dropImportKeys is migration 00042, in Go because SQLite drops a foreign key only by
// rebuilding the table, which copies every order and line of a store. It follows instead
// the procedure SQLite documents for removing a foreign key without touching the rows
// (https://sqlite.org/lang_altertable.html#otheralter): the CREATE TABLE text is edited in
// sqlite_schema and the schema version raised, so that every connection reads it anew.
var dropImportKeys = goose.NewGoMigration(42,
	&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return editKeys(ctx, tx, false) }},
	&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return editKeys(ctx, tx, true) }})

// editKeys takes the import keys out of their tables' definitions, or puts them back.
func editKeys(ctx context.Context, tx *sql.Tx, restore bool) error {
	defs := map[string]string{}
	for _, k := range importKeys {
		def, ok := defs[k.table]
		if !ok {
			if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?`,
				k.table).Scan(&def); err != nil {
				return fmt.Errorf("table %s: %w", k.table, err)
			}
		}
		from, to := k.with, k.without
		if restore {
			from, to = to, from
		}
		if n := strings.Count(def, from); n != 1 {
			return fmt.Errorf("table %s: %q appears %d times in its definition, want once", k.table, from, n)
		}
		defs[k.table] = strings.Replace(def, from, to, 1)
	}
	var version int64
	if err := tx.QueryRowContext(ctx, `PRAGMA schema_version`).Scan(&version); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA writable_schema = ON`); err != nil {
		return err
	}
	for table, def := range defs {
		if _, err := tx.ExecContext(ctx, `UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?`, def, table); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA schema_version = %d`, version+1)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA writable_schema = OFF`); err != nil {
		return err
	}
	for table := range defs {
		if err := checkTable(ctx, tx, table, restore); err != nil {
			return err
		}
	}
	return nil
}

// checkTable runs SQLite's quick check over table, whose definition was just edited, and,
// when its keys were put back, the foreign key check: rows the store wrote without them must
// satisfy them again.
func checkTable(ctx context.Context, tx *sql.Tx, table string, keys bool) error {
	var result string
	if err := tx.QueryRowContext(ctx, fmt.Sprintf(`PRAGMA quick_check(%s)`, table)).Scan(&result); err != nil {
		return fmt.Errorf("table %s: %w", table, err)
	}
	if result != "ok" {
		return fmt.Errorf("table %s: quick check: %s", table, result)
	}
	if !keys {
		return nil
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`PRAGMA foreign_key_check(%s)`, table))
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		return fmt.Errorf("table %s: rows without their parent row; the foreign keys cannot be put back", table)
	}
	return rows.Err()
}
