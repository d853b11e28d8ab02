package sqlstore

import (
	"context"
	"sync"
)

// planStats keeps PostgreSQL's planner statistics in step with bulk writes. Without them a
// table filled by an import looks empty to the planner, which then hash-joins whole tables
// where an index lookup per customer would do: a 1 M-buyer import ran four times slower
// on a server where autovacuum was off or had not yet come round. So the store analyzes its
// large tables itself whenever the rows written since the last ANALYZE reach the rows the
// tables held then (at least analyzeFirst): a logarithmic number of runs per import, each
// sampling a fixed number of rows. What the tables held when the store was opened counts
// too: an All Orders report imported after its shipments rewrites a million lines of a
// store that already has them, and analyzing seven times as it went, on the writer's
// connection, took about a quarter of the import (BENCHMARKS, 2026-12-06 afternoon). SQLite's
// planner needs no statistics for these queries.
type planStats struct {
	mu      sync.Mutex
	stored  int64 // rows the tables held when the store was opened, by pg_class
	written int64 // rows sent by bulk writes since the store was opened
	next    int64 // analyze when written reaches this
}

// analyzeFirst is the fewest rows written before the first ANALYZE.
var analyzeFirst int64 = 20000

// analyzeTables are the tables whose size changes plans.
const analyzeTables = `orders, after_sales, feedback, customers, customer_figures, buyer_changes, segment_members`

// wrote records rows written by a committed transaction and analyzes when they are due. A
// failed ANALYZE only leaves the statistics as they were; the write has committed.
func (p *planStats) wrote(ctx context.Context, s *Store, rows int64) {
	if p.due(ctx, s, rows) {
		s.write.ExecContext(ctx, `ANALYZE `+analyzeTables)
	}
}

// due counts rows written and reports whether an ANALYZE is due.
func (p *planStats) due(ctx context.Context, s *Store, rows int64) bool {
	if !s.pg || rows == 0 {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next == 0 {
		// The planner's own estimate, -1 for a table never analyzed; a table never analyzed,
		// or a failed query, counts as empty.
		s.read.QueryRowContext(ctx, `SELECT coalesce(sum(greatest(reltuples, 0)), 0)::bigint FROM pg_class
			WHERE oid = ANY ($1::text[]::regclass[])`, columnList(analyzeTables)).Scan(&p.stored)
		p.next = max(analyzeFirst, p.stored)
	}
	p.written += rows
	due := p.written >= p.next
	if due {
		p.next = p.stored + 2*p.written
	}
	return due
}
