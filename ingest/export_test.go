package ingest

// SetSpoolMinBytes sets the file size from which Importer.ByBuyer spools, so that tests
// reorder small files; it returns what restores the default.
func SetSpoolMinBytes(n int64) (restore func()) {
	old := spoolMinBytes
	spoolMinBytes = n
	return func() { spoolMinBytes = old }
}

// SetLocateBatch sets how many new buyers one lookup asks the store for, so that tests look
// up a small file's buyers in several lookups; it returns what restores the default.
func SetLocateBatch(n int) (restore func()) {
	old := locateBatch
	locateBatch = n
	return func() { locateBatch = old }
}
