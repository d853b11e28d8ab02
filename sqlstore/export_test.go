package sqlstore

// AnalyzeAfter makes the store analyze once n more rows are written (planStats), so a test
// need not write tens of thousands.
func AnalyzeAfter(s *Store, n int64) {
	s.planStats.mu.Lock()
	s.planStats.next = s.planStats.written + n
	s.planStats.mu.Unlock()
}

// AnalyzeFirst sets the fewest rows written before a store's first ANALYZE (planStats)
// until restore is called.
func AnalyzeFirst(n int64) (restore func()) {
	old := analyzeFirst
	analyzeFirst = n
	return func() { analyzeFirst = old }
}

// ListSetsOfAnySize makes every shop set list its buyers and rank them on gathered columns
// (buyerView.cands), whatever their share of all buyers, until restore is called.
func ListSetsOfAnySize() (restore func()) {
	old := candsShare
	candsShare = 1
	return func() { candsShare = old }
}

// LimitBulkFacts makes a Bulk drop its facts past n orders (bulkFactsMax) until restore is
// called.
func LimitBulkFacts(n int) (restore func()) {
	old := bulkFactsMax
	bulkFactsMax = n
	return func() { bulkFactsMax = old }
}

// OrderKeysMayHold reports whether the store's filter of order keys (order_numbers.go) is
// built and may hold the order sid/number.
func OrderKeysMayHold(s *Store, sid int64, number string) (built, may bool) {
	s.numbers.mu.RLock()
	built = s.numbers.built
	s.numbers.mu.RUnlock()
	return built, built && len(s.numbers.mayHold([]orderKey{{sid, number}})) == 1
}
