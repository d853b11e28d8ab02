package amazon_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm/amazon"
)

// open opens a fixture in testdata.
func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// readAll drains a reader into one slice of rows and *RowErrors, in the order Next gave
// them, so a test states both what was read and where the reader skipped.
func readAll[T any](t *testing.T, next func() (T, error)) []any {
	t.Helper()
	var out []any
	for range 10_000 {
		row, err := next()
		var re *amazon.RowError
		switch {
		case err == io.EOF:
			return out
		case errors.As(err, &re):
			out = append(out, re)
		case err != nil:
			t.Fatalf("after %d items: %v", len(out), err)
		default:
			out = append(out, row)
		}
	}
	t.Fatal("reader does not end")
	return nil
}

// utc parses an RFC 3339 instant for expected values.
func utc(s string) time.Time {
	d, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return d.UTC()
}

func rowErr(line int, field, reason string) *amazon.RowError {
	return &amazon.RowError{Line: line, Field: field, Reason: reason}
}
