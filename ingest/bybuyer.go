package ingest

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
)

// A shipments report lists a buyer's orders by date, so a buyer with three orders in a
// large file has them in three batches, and every one of those transactions rewrites the
// buyer's figures rows. Written buyer by buyer instead, each buyer lands in one batch and
// its figures are written once per file, as in one transaction, while the import still
// commits every Batch records (docs/BENCHMARKS.md, 2026-12-05 evening).
//
// The rows are read and checked first, as always, and spooled to temporary files, one per
// bucket of buyers (by a hash of the e-mail address); then the buckets are replayed in
// groups of about Batch orders, each group one batch. The order of the rows within a bucket
// is the file's, so the lines of an order, a later copy of a row and the numbering of rows
// without ids of their own come out as they do in file order.

// spoolBuckets is the number of buckets: each is a temporary file while the report is read.
// At the default batch a file of up to 2.5 million orders has buckets smaller than a batch.
const spoolBuckets = 256

// spoolMinBytes is the file size below which a report is read in file order: it fits in a
// batch or two, and spooling it would cost more than it saves.
var spoolMinBytes int64 = 4 << 20

// spoolShare is the part of the progress bar the first pass (reading and spooling) takes:
// about its share of the time.
const spoolShare = 20

// buyerSpool holds the rows of a shipments report in buckets of buyers.
type buyerSpool struct {
	dir    string
	files  [spoolBuckets]*os.File
	w      [spoolBuckets]*bufio.Writer
	orders [spoolBuckets]int    // orders per bucket, for grouping; consecutive lines of an order count once
	last   [spoolBuckets]string // the order of each bucket's last row
	bytes  int64
	buf    []byte
	err    error // the first write that failed (a full disk): the import stops with it
}

func newBuyerSpool() (*buyerSpool, error) {
	dir, err := os.MkdirTemp("", "shopcrm-import-")
	if err != nil {
		return nil, fmt.Errorf("spooling rows by buyer: %w", err)
	}
	return &buyerSpool{dir: dir}, nil
}

// remove deletes the spool's files.
func (sp *buyerSpool) remove() {
	for _, f := range sp.files {
		if f != nil {
			f.Close()
		}
	}
	os.RemoveAll(sp.dir)
}

// bucket is where the rows of a buyer go: an FNV-1a hash of the address, ASCII letters
// folded to lower case as the store folds the address to find the customer (a letter
// folded differently only costs that buyer a second batch). Rows without a buyer go by
// order.
func bucket(s *amazon.Shipment) int {
	key := strings.TrimSpace(s.BuyerEmail)
	if key == "" {
		key = s.OrderID
	}
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint32(c)) * 16777619
	}
	return int(h % spoolBuckets)
}

// put spools one row.
func (sp *buyerSpool) put(s amazon.Shipment) error {
	i := bucket(&s)
	if sp.w[i] == nil {
		f, err := os.Create(filepath.Join(sp.dir, fmt.Sprintf("%03d", i)))
		if err != nil {
			sp.err = fmt.Errorf("spooling rows by buyer: %w", err)
			return sp.err
		}
		sp.files[i], sp.w[i] = f, bufio.NewWriterSize(f, 32<<10)
	}
	if s.OrderID != sp.last[i] {
		sp.orders[i]++
		sp.last[i] = s.OrderID
	}
	sp.buf = encodeShipment(sp.buf[:0], &s)
	sp.bytes += int64(len(sp.buf))
	if _, err := sp.w[i].Write(sp.buf); err != nil {
		sp.err = fmt.Errorf("spooling rows by buyer: %w", err)
		return sp.err
	}
	return nil
}

// replay feeds the spooled rows to b.shipment, bucket after bucket, and closes a batch
// whenever the next bucket would take it past b.limit orders. done is told the bytes
// replayed so far.
func (sp *buyerSpool) replay(b *builder, done func(int64)) error {
	for _, w := range sp.w {
		if w == nil {
			continue
		}
		if err := w.Flush(); err != nil {
			return fmt.Errorf("spooling rows by buyer: %w", err) // before any row is written
		}
	}
	var read int64
	group := 0
	for i, w := range sp.w {
		if w == nil {
			continue
		}
		if group > 0 && group+sp.orders[i] > b.limit {
			if err := b.flush(); err != nil {
				return err
			}
			group = 0
		}
		group += sp.orders[i]
		f := sp.files[i]
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		r := bufio.NewReaderSize(f, 32<<10)
		for n := 0; ; n++ {
			s, size, err := decodeShipment(r)
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("reading the spooled rows back: %w", err)
			}
			read += size
			if n&1023 == 0 {
				if err := b.ctx.Err(); err != nil {
					return err
				}
				done(read)
			}
			if err := b.shipment(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// readShipmentsByBuyer reads a shipments report in two passes: every row read, checked and
// spooled, then replayed buyer by buyer. Rows read before a break in the file (a cut
// download) are still written, and the break reported, as in file order.
func readShipmentsByBuyer(b *builder, rd *amazon.ShipmentReader) error {
	sp, err := newBuyerSpool()
	if err != nil {
		return err
	}
	defer sp.remove()
	prog := b.prog
	if prog != nil {
		b.prog = firstPass{prog}
	}
	rerr := each(b, rd, sp.put)
	if sp.err != nil || (rerr != nil && (b.ctx.Err() != nil || errors.Is(rerr, errWriterStopped))) {
		return rerr
	}
	done := func(int64) {}
	if prog != nil {
		end := rd.Offset()
		b.prog = prog
		done = func(n int64) {
			prog.Advance(end/spoolShare + int64(float64(n)/float64(max(sp.bytes, 1))*float64(end-end/spoolShare)))
		}
	}
	if err := sp.replay(b, done); err != nil {
		return err
	}
	return rerr
}

// firstPass shows the reading of the whole file as the first 1/spoolShare of the bar.
type firstPass struct{ Progress }

func (p firstPass) Advance(offset int64) { p.Progress.Advance(offset / spoolShare) }

// encodeShipment appends the fields of s that the import reads (builder.shipment), each
// string as its length and bytes, numbers as varints, times as Unix seconds and
// nanoseconds (the store keeps the instant; 0 and -1 for the zero time).
func encodeShipment(b []byte, s *amazon.Shipment) []byte {
	start := len(b)
	b = append(b, 0, 0, 0, 0) // the record's length, filled in below
	b = binary.AppendUvarint(b, uint64(s.Line))
	for _, v := range [...]string{s.OrderID, s.ShipmentID, s.ShipmentItemID, s.BuyerEmail, s.BuyerName, s.SKU,
		s.ProductName, s.Currency, s.SalesChannel} {
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	b = binary.AppendVarint(b, int64(s.Quantity))
	b = binary.AppendVarint(b, int64(s.ItemPrice))
	b = binary.AppendVarint(b, int64(s.ItemTax))
	b = appendTime(b, s.PurchaseDate)
	b = appendTime(b, s.ShipmentDate)
	binary.LittleEndian.PutUint32(b[start:], uint32(len(b)-start-4))
	return b
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.AppendVarint(binary.AppendVarint(b, 0), -1)
	}
	return binary.AppendVarint(binary.AppendVarint(b, t.Unix()), int64(t.Nanosecond()))
}

// decodeShipment reads one record encodeShipment wrote, and its size in bytes.
func decodeShipment(r *bufio.Reader) (amazon.Shipment, int64, error) {
	var s amazon.Shipment
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return s, 0, err
	}
	rec := make([]byte, binary.LittleEndian.Uint32(head[:]))
	if _, err := io.ReadFull(r, rec); err != nil {
		return s, 0, errSpool
	}
	// The strings share the record's bytes, as a report's fields share their row.
	text := string(rec)
	d := spoolDecoder{rec: rec, text: text}
	s.Line = int(d.uvarint())
	for _, p := range [...]*string{&s.OrderID, &s.ShipmentID, &s.ShipmentItemID, &s.BuyerEmail, &s.BuyerName, &s.SKU,
		&s.ProductName, &s.Currency, &s.SalesChannel} {
		*p = d.string()
	}
	s.Quantity = int(d.varint())
	s.ItemPrice = shopcrm.Amount(d.varint())
	s.ItemTax = shopcrm.Amount(d.varint())
	s.PurchaseDate = d.time()
	s.ShipmentDate = d.time()
	if d.bad || d.pos != len(text) {
		return s, 0, errSpool
	}
	return s, int64(4 + len(rec)), nil
}

var errSpool = errors.New("a spooled row is damaged")

type spoolDecoder struct {
	rec  []byte
	text string // rec as a string, for the fields
	pos  int
	bad  bool
}

func (d *spoolDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.rec[d.pos:])
	d.advance(n)
	return v
}

func (d *spoolDecoder) varint() int64 {
	v, n := binary.Varint(d.rec[d.pos:])
	d.advance(n)
	return v
}

// advance moves past a varint of n bytes; n <= 0 is the decoder's mark of a bad one.
func (d *spoolDecoder) advance(n int) {
	if n <= 0 {
		d.bad = true
		return
	}
	d.pos += n
}

func (d *spoolDecoder) string() string {
	n := int(d.uvarint())
	if d.bad || n > len(d.text)-d.pos {
		d.bad = true
		return ""
	}
	s := d.text[d.pos : d.pos+n]
	d.pos += n
	return s
}

func (d *spoolDecoder) time() time.Time {
	sec, nsec := d.varint(), d.varint()
	if nsec < 0 {
		return time.Time{}
	}
	return time.Unix(sec, nsec).UTC()
}
