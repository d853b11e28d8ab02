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
)

// A shipments report or an orders-ndjson file lists a buyer's orders by date, so a buyer
// with three orders in a large file has them in three batches, and every one of those
// transactions rewrites the buyer's figures rows. Written buyer by buyer instead, each buyer
// lands in one batch and its figures are written once per file, as in one transaction,
// while the import still commits every Batch records (docs/BENCHMARKS.md, 2026-12-05
// evening).
//
// The rows are read and checked first, as always, and spooled to temporary files, one per
// bucket of buyers (the buyers the store has by customer id, bybuyer_places.go; the others
// by ranges of e-mail addresses, bybuyer_ranges.go); then the buckets are replayed in
// groups of about Batch orders, each group one batch. The order of the rows within a bucket
// is the file's, so the lines of an order, a later copy of a row and the numbering of rows
// without ids of their own come out as they do in file order. Each kind has a spoolCodec:
// what a row's buyer and order are, and how the fields the import reads are written to
// the spool and read back.

// spoolBuckets is the number of buckets: each is a temporary file while the report is read.
// The first half holds the buyers the store already has, a range of customer ids to a
// bucket (buyerPlaces); the second half the buyers it has not, a range of e-mail addresses
// to a bucket. At the default batch a file of up to 2.5 million orders has buckets smaller
// than a batch.
const spoolBuckets = 512

// storedBuckets is where the new buyers' buckets begin.
const storedBuckets = spoolBuckets / 2

// spoolMinBytes is the file size below which a report is read in file order: it fits in a
// batch or two, and spooling it would cost more than it saves.
var spoolMinBytes int64 = 4 << 20

// spoolShare is the part of the progress bar the first pass (reading and spooling) takes:
// about its share of the time.
const spoolShare = 20

// spoolCodec is what the spool needs of a kind's rows.
type spoolCodec[T any] struct {
	// key returns the row's buyer (its e-mail, or any key that groups the rows of one
	// record when there is none) and its order (consecutive rows of one order count once).
	key    func(*T) (buyer, order string)
	encode func([]byte, *T) []byte
	decode func(*spoolDecoder) T
}

// buyerSpool holds the rows of a report in buckets of buyers.
type buyerSpool[T any] struct {
	codec  spoolCodec[T]
	dir    string
	files  [spoolBuckets]*os.File
	w      [spoolBuckets]*bufio.Writer
	orders [spoolBuckets]int    // orders per bucket, for grouping; consecutive lines of an order count once
	last   [spoolBuckets]string // the order of each bucket's last row
	bytes  int64
	buf    []byte
	err    error        // the first write that failed (a full disk): the import stops with it
	places *buyerPlaces // nil: every buyer is new (a store without customers)

	// The new buyers' ranges (bybuyer_ranges.go), and the rows held until they are cut.
	ranges    []string
	byHash    bool // the sample held too few buyers to cut ranges from
	cut       bool
	sampled   []heldSample
	sampleBuf []byte
}

// spoolError says what failed and how to give the spool room: a full or missing temporary
// directory is the usual cause, and the OS error names only the file.
func spoolError(err error) error {
	return fmt.Errorf("spooling rows by buyer (in $TMPDIR, which needs about the file's size free): %w", err)
}

func newBuyerSpool[T any](codec spoolCodec[T]) (*buyerSpool[T], error) {
	dir, err := os.MkdirTemp("", "shopcrm-import-")
	if err != nil {
		return nil, spoolError(err)
	}
	return &buyerSpool[T]{codec: codec, dir: dir}, nil
}

// remove deletes the spool's files.
func (sp *buyerSpool[T]) remove() {
	for _, f := range sp.files {
		if f != nil {
			f.Close()
		}
	}
	os.RemoveAll(sp.dir)
}

// buyerHash is an FNV-1a hash of a buyer's key, ASCII letters folded to lower case as the
// store folds an e-mail address to find the customer (a letter folded differently only
// costs that buyer a second batch).
func buyerHash(key string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// put spools one row.
func (sp *buyerSpool[T]) put(row T) error {
	buyer, order := sp.codec.key(&row)
	if buyer = strings.TrimSpace(buyer); buyer == "" {
		buyer = order
	}
	sp.buf = sp.encode(sp.buf[:0], &row)
	if !sp.cut {
		return sp.sample(buyer, order, sp.buf)
	}
	return sp.place(buyer, order, sp.buf)
}

// place spools the record of a row once its buyer's bucket is known, or holds it while the
// buyer is looked up among the store's customers.
func (sp *buyerSpool[T]) place(buyer, order string, rec []byte) error {
	if sp.places == nil {
		return sp.write(sp.newBucket(buyer), order, rec)
	}
	if i := sp.places.put(buyerHash(buyer), buyer, order, rec); i >= 0 {
		return sp.write(i, order, rec)
	}
	return sp.settle(false)
}

// settle hands the buyers asked for to the lookup once there are locateBatch of them, and
// writes the held rows of the buyers placed since. With all it asks for the rest and waits
// for every answer.
func (sp *buyerSpool[T]) settle(all bool) error {
	p := sp.places
	if p == nil {
		return nil
	}
	placed := false
	if len(p.asked) >= locateBatch || (all && len(p.asked) > 0) {
		if p.pending == cap(p.ask) {
			// Both lookups in flight: wait for the first rather than hold more rows.
			if _, err := p.placeNext(true); err != nil {
				sp.err = err
				return err
			}
			placed = true
		}
		p.send()
	}
	for p.pending > 0 {
		answered, err := p.placeNext(all)
		if err != nil {
			sp.err = err
			return err
		}
		if !answered {
			break
		}
		placed = true
	}
	if !placed {
		return nil
	}
	// Every row held for a buyer now placed goes to the spool, in file order; a later row of
	// the buyer goes straight to its bucket, after them.
	kept, keptBuf := p.held[:0], 0
	for _, r := range p.held {
		if i := p.bucket[r.buyer]; i != unplaced {
			if err := sp.write(int(i), r.order, p.heldBuf[r.start:r.end]); err != nil {
				return err
			}
			continue
		}
		n := copy(p.heldBuf[keptBuf:], p.heldBuf[r.start:r.end])
		kept = append(kept, heldRow{r.buyer, r.order, keptBuf, keptBuf + n})
		keptBuf += n
	}
	p.held, p.heldBuf = kept, p.heldBuf[:keptBuf]
	return nil
}

// write appends an encoded row to bucket i.
func (sp *buyerSpool[T]) write(i int, order string, rec []byte) error {
	if sp.w[i] == nil {
		f, err := os.Create(filepath.Join(sp.dir, fmt.Sprintf("%03d", i)))
		if err != nil {
			sp.err = spoolError(err)
			return sp.err
		}
		sp.files[i], sp.w[i] = f, bufio.NewWriterSize(f, 32<<10)
	}
	if order != sp.last[i] {
		sp.orders[i]++
		sp.last[i] = order
	}
	sp.bytes += int64(len(rec))
	if _, err := sp.w[i].Write(rec); err != nil {
		sp.err = spoolError(err)
		return sp.err
	}
	return nil
}

// encode appends row's record: its length, then what the codec writes.
func (sp *buyerSpool[T]) encode(buf []byte, row *T) []byte {
	start := len(buf)
	buf = sp.codec.encode(append(buf, 0, 0, 0, 0), row)
	binary.LittleEndian.PutUint32(buf[start:], uint32(len(buf)-start-4))
	return buf
}

// decode reads one record encode wrote, and its size in bytes.
func (sp *buyerSpool[T]) decode(r *bufio.Reader) (T, int64, error) {
	var zero T
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return zero, 0, err
	}
	rec := make([]byte, binary.LittleEndian.Uint32(head[:]))
	if _, err := io.ReadFull(r, rec); err != nil {
		return zero, 0, errSpool
	}
	// The strings share the record's bytes, as a report's fields share their row.
	d := spoolDecoder{rec: rec, text: string(rec)}
	row := sp.codec.decode(&d)
	if d.bad || d.pos != len(rec) {
		return zero, 0, errSpool
	}
	return row, int64(4 + len(rec)), nil
}

// replay feeds the spooled rows to fn, bucket after bucket, and closes a batch whenever
// the next bucket would take it past b.limit orders. done is told the bytes replayed so
// far.
func (sp *buyerSpool[T]) replay(b *builder, fn func(T) error, done func(int64)) error {
	if err := sp.endSample(); err != nil {
		return err
	}
	if err := sp.settle(true); err != nil {
		return err
	}
	for _, w := range sp.w {
		if w == nil {
			continue
		}
		if err := w.Flush(); err != nil {
			return spoolError(err) // before any row is written
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
			row, size, err := sp.decode(r)
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
			if err := fn(row); err != nil {
				return err
			}
		}
	}
	return nil
}

// readByBuyer reads a file in two passes: every row read, checked and spooled, then
// replayed buyer by buyer to fn. Rows read before a break in the file (a cut download) are
// still written, and the break reported, as in file order.
func readByBuyer[T any](b *builder, rd rowReader[T], codec spoolCodec[T], fn func(T) error) error {
	sp, err := newBuyerSpool(codec)
	if err != nil {
		return err
	}
	defer sp.remove()
	if b.customers != nil {
		if sp.places, err = newBuyerPlaces(b.ctx, b.customers); err != nil {
			return err
		}
		if sp.places != nil {
			sp.places.newBucket = sp.newBucket
			defer sp.places.close()
		}
	}
	prog := b.prog
	if prog != nil {
		b.prog = firstPass{prog}
	}
	rerr := spoolRows(b, rd, sp)
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
	if err := sp.replay(b, fn, done); err != nil {
		return err
	}
	return rerr
}

// firstPass shows the reading of the whole file as the first 1/spoolShare of the bar.
type firstPass struct{ Progress }

func (p firstPass) Advance(offset int64) { p.Progress.Advance(offset / spoolShare) }

// spoolChunk is how many rows the first pass hands from the reading goroutine to the
// spooling one at a time.
var spoolChunk = 1024

// spoolRows is the first pass: it reads every row of the report and spools it. Reading and
// spooling cost about the same (0.44 s and 0.43 s of CPU for a 1.2 M-row shipments report)
// and the store waits for the whole pass, so they run on two goroutines, the rows handed
// over in chunks, in file order. A spool write that fails stops the reading at the next
// chunk.
func spoolRows[T any](b *builder, rd rowReader[T], sp *buyerSpool[T]) error {
	full, free := make(chan []T, 2), make(chan []T, 4)
	for range cap(free) {
		free <- make([]T, 0, spoolChunk)
	}
	failed, done := make(chan struct{}), make(chan struct{})
	var perr error // set before failed is closed
	go func() {
		defer close(done)
		for chunk := range full {
			for i := 0; i < len(chunk) && perr == nil; i++ {
				if perr = sp.put(chunk[i]); perr != nil {
					close(failed)
				}
			}
			clear(chunk) // the rows' strings go with them
			free <- chunk[:0]
		}
	}()
	chunk := <-free
	rerr := each(b, rd, func(row T) error {
		chunk = append(chunk, row)
		if len(chunk) < spoolChunk {
			return nil
		}
		select {
		case <-failed:
			return perr
		case full <- chunk:
		}
		chunk = <-free
		return nil
	})
	if len(chunk) > 0 {
		full <- chunk
	}
	close(full)
	<-done
	if rerr == nil {
		rerr = perr
	}
	return rerr
}
