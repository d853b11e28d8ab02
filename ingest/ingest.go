// Package ingest imports report files into the store: Amazon flat files (shipments, all
// orders, FBA and MFN returns, settlements, feedback) and shopcrm's own orders-ndjson. Rows
// are read as a stream, the lines of one order are folded into one order, and the records go
// to the store in batches of one transaction each, so a killed import leaves a consistent
// store and running it again finishes the job. Every record has a natural key, so importing
// the same file twice changes nothing.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

// Kind names a file format (SPEC §5).
type Kind string

// The kinds `shopcrm import --kind` takes.
const (
	FBAShipments Kind = "amazon-fba-shipments"
	AllOrders    Kind = "amazon-all-orders"
	FBAReturns   Kind = "amazon-fba-returns"
	MFNReturns   Kind = "amazon-mfn-returns"
	Settlement   Kind = "amazon-settlement"
	Feedback     Kind = "amazon-feedback"
	OrdersNDJSON Kind = "orders-ndjson"
)

// Kinds lists every kind, in the order a full import should run them: buyers first, so
// the later reports find the customers their orders belong to.
var Kinds = []Kind{FBAShipments, OrdersNDJSON, AllOrders, FBAReturns, MFNReturns, Settlement, Feedback}

// ParseKind checks a --kind value.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", shopcrm.Errorf(shopcrm.EINVALID, "unknown kind %q (one of %s)", s, KindList())
}

// KindList names every kind, comma-separated, for messages.
func KindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// Store is what an import writes to.
type Store interface {
	shopcrm.IngestService
	FindShopByID(ctx context.Context, sid int64) (*shopcrm.Shop, error)
}

// DefaultBatch is the number of records per transaction. Each batch rewrites the figures
// rows of its buyers, and buyers recur at random through a report, so a batch dirties pages
// all over the figures table: at 2 000 records most of a commit was those pages, not the
// rows (docs/BENCHMARKS.md, 2026-12-04). 10 000 imported shipments 25–45 % faster; it still
// holds the SQLite writer for about a second per commit on two slow cores.
const DefaultBatch = 10000

// Importer imports files into one store.
type Importer struct {
	Store Store
	// Batch is the number of records (orders, after-sales…) per transaction; 0 = DefaultBatch.
	Batch int
	// ByBuyer writes a large shipments report or orders-ndjson file buyer by buyer instead
	// of in file order, so that each buyer's figures are written once per file instead of
	// once per batch that holds one of its orders (bybuyer.go). It spools the file's rows to
	// temporary files (os.TempDir) first. Inside one transaction (sqlstore.Store.Bulk) it
	// only costs.
	ByBuyer bool
	// Progress, when set, is told the size of each file and how far the import has read.
	Progress func(name string, size int64) Progress
}

// Progress follows one file.
type Progress interface {
	Advance(offset int64) // bytes of the file read so far
	Finish()
}

// Skip is one row left out of an import.
type Skip struct {
	Line   int
	Field  string // the column at fault; empty for whole-row problems
	Reason string
}

// maxSkips bounds the skipped rows a result lists one by one; the rest are only counted.
const maxSkips = 1000

// FileResult is what importing one file did. Inserted, Updated and Unchanged count records
// (orders, after-sale items, feedback, catalogue entries), not lines.
type FileResult struct {
	File string
	Kind Kind
	Rows int // data rows read, skipped ones included
	shopcrm.WriteResult
	Skipped int
	Skips   []Skip        // the first maxSkips skipped rows
	Took    time.Duration // from reading the first row to the last commit
}

func (r *FileResult) skip(line int, field, reason string) {
	r.Skipped++
	if len(r.Skips) < maxSkips {
		r.Skips = append(r.Skips, Skip{Line: line, Field: field, Reason: reason})
	}
}

// skipInvalid records a row the domain rejected (shopcrm's Validate), by field as the readers
// record theirs: "purchase_date: required", not the error's own wording.
func (r *FileResult) skipInvalid(line int, err error) {
	var e *shopcrm.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		r.skip(line, "", err.Error())
		return
	}
	reasons := []string{e.Fields[0].Message}
	for _, f := range e.Fields[1:] {
		reasons = append(reasons, f.Field+": "+f.Message)
	}
	r.skip(line, e.Fields[0].Field, strings.Join(reasons, "; "))
}

// SkipString formats a skip as `file:line: field: reason`.
func (r *FileResult) SkipString(s Skip) string {
	if s.Field == "" {
		return fmt.Sprintf("%s:%d: %s", r.File, s.Line, s.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", r.File, s.Line, s.Field, s.Reason)
}

// ImportFile imports one file of the shop. The result is returned even with an error, to
// report what was committed before the error.
func (im *Importer) ImportFile(ctx context.Context, sid int64, kind Kind, path string) (*FileResult, error) {
	res := &FileResult{File: path, Kind: kind}
	shop, err := im.shop(ctx, sid)
	if err != nil {
		return res, err
	}
	f, err := os.Open(path)
	if err != nil {
		return res, err
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	err = im.run(ctx, shop, kind, f, size, res)
	// Rows the readers reject are recorded as they are read, orders the domain rejects when
	// their batch closes; the summary lists them in file order.
	slices.SortStableFunc(res.Skips, func(a, b Skip) int { return a.Line - b.Line })
	if err != nil {
		err = fmt.Errorf("%s: %w", path, err)
	}
	return res, err
}

func (im *Importer) shop(ctx context.Context, sid int64) (*shopcrm.Shop, error) {
	shop, err := im.Store.FindShopByID(ctx, sid)
	if shopcrm.ErrorCode(err) == shopcrm.ENOTFOUND {
		return nil, shopcrm.Errorf(shopcrm.ENOTFOUND,
			"shop %d does not exist; create it first with `shopcrm shop add --sid %d --name NAME --marketplace US`", sid, sid)
	}
	return shop, err
}
