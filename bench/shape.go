package bench

import (
	"context"
	"database/sql"
	"fmt"
)

// Shape is one kind of request, with the SQL floor that returns the same rows straight from
// the database (nil when there is none worth timing) and, for the customer list, the naive
// query that aggregates orders at request time.
type Shape struct {
	Group string // customer list, after-sale list, REST
	Name  string
	Call  func(ctx context.Context) error
	Floor func(ctx context.Context) error
	Naive func(ctx context.Context) error
	// Concurrent says whether the shape is also measured at the high concurrency level.
	Concurrent bool
}

// queryFloor runs the statements and reads every row, as a server must.
func queryFloor(db *sql.DB, stmts ...stmt) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		for _, s := range stmts {
			rows, err := db.QueryContext(ctx, s.query, s.args...)
			if err != nil {
				return err
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			n := 0
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return err
				}
				n++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if n == 0 && s.mustReturn {
				return fmt.Errorf("floor returned no rows: %s", s.query)
			}
		}
		return nil
	}
}

type stmt struct {
	query      string
	args       []any
	mustReturn bool
}
