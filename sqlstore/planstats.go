package sqlstore

import (
	"context"
	"sync"
)

// planStats keeps PostgreSQL's planner statistics in step with bulk writes. Without them a
// table filled by an import looks empty to the planner, which then hash-joins whole tables
// where an index lookup per customer would do: a 1 M-buyer import ran four times slower
// on a server where autovacuum was off or had not yet come round. So the store analyzes its
// large tables itself whenever the rows written since the last ANALYZE reach the number
// written before it (at least analyzeFirst): a logarithmic number of runs per import, each
// sampling a fixed number of rows. SQLite's planner needs no statistics for these queries.
type planStats struct {
	mu      sync.Mutex
	written int64 // rows sent by bulk writes since the store was opened
	next    int64 // analyze when written reaches this
}

const analyzeFirst = 20000

// analyzeTables are the tables whose size changes plans.
const analyzeTables = `orders, order_items, after_sales, feedback, customers, customer_figures, buyer_changes, segment_members`

// wrote records rows written by a committed transaction and analyzes when they are due. A
// failed ANALYZE only leaves the statistics as they were; the write has committed.
func (p *planStats) wrote(ctx context.Context, s *Store, rows int64) {
	if p.due(s, rows) {
		s.write.ExecContext(ctx, `ANALYZE `+analyzeTables)
	}
}

// due counts rows written and reports whether an ANALYZE is due.
func (p *planStats) due(s *Store, rows int64) bool {
	if !s.pg || rows == 0 {
		return false
	}
	p.mu.Lock()
	p.written += rows
	if p.next == 0 {
		p.next = analyzeFirst
	}
	due := p.written >= p.next
	if due {
		p.next = 2 * p.written
	}
	p.mu.Unlock()
	return due
}
