package ingest

// SetSpoolMinBytes sets the file size from which Importer.ByBuyer spools, so that tests
// reorder small files; it returns what restores the default.
func SetSpoolMinBytes(n int64) (restore func()) {
	old := spoolMinBytes
	spoolMinBytes = n
	return func() { spoolMinBytes = old }
}
