package sqlstore

// AnalyzeAfter makes the store analyze once n more rows are written (planStats), so a test
// need not write tens of thousands.
func AnalyzeAfter(s *Store, n int64) {
	s.planStats.mu.Lock()
	s.planStats.next = s.planStats.written + n
	s.planStats.mu.Unlock()
}
