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

// SetSpoolChunk sets how many rows the first pass hands over at a time, so that tests take
// a small file through several chunks; it returns what restores the default.
func SetSpoolChunk(n int) (restore func()) {
	old := spoolChunk
	spoolChunk = n
	return func() { spoolChunk = old }
}

// SetSampleRows sets how many rows the first pass holds to cut the new buyers' ranges, so
// that tests cut them in the middle of a small file; it returns what restores the default.
func SetSampleRows(n int) (restore func()) {
	old := sampleRows
	sampleRows = n
	return func() { sampleRows = old }
}
