package sqlstore

import (
	"bytes"
	"context"
	"sort"
	"time"

	"github.com/shopcrm/shopcrm"
)

// changeLog follows the buyer_changes table.
type changeLog struct {
	watermark int64               // every entry up to here has been applied
	holes     map[int64]time.Time // missing entries above the watermark, by when first missed
}

const (
	// holeWait is how long a missing entry may belong to a transaction still running (on
	// PostgreSQL sequence numbers commit out of order) before it counts as rolled back.
	holeWait = 5 * time.Second
	// maxDelta is the most changes applied one by one; a reload reads everything faster.
	maxDelta = 50000
	// maxGap is the widest gap taken for uncommitted entries rather than a pruned log.
	maxGap = 1000
)

// advance moves the watermark over the entries read (ascending). It stops before a fresh
// gap, so the entries above it are read again until the gap fills or times out; it reports
// false when a gap is too wide to be waited for.
func (l *changeLog) advance(seqs []int64, now time.Time) bool {
	if l.holes == nil {
		l.holes = map[int64]time.Time{}
	}
	defer func() {
		for seq := range l.holes {
			if seq <= l.watermark {
				delete(l.holes, seq)
			}
		}
	}()
	for _, seq := range seqs {
		if seq-l.watermark > maxGap {
			return false
		}
		for l.watermark+1 < seq {
			next := l.watermark + 1
			t, ok := l.holes[next]
			if !ok {
				l.holes[next], t = now, now
			}
			if now.Sub(t) < holeWait {
				return true
			}
			l.watermark = next
		}
		l.watermark = seq
	}
	return true
}

// logBounds reads the first and last entry; a min and a max in one SELECT would scan.
const logBounds = `SELECT coalesce((SELECT min(seq) FROM buyer_changes), 0), coalesce((SELECT max(seq) FROM buyer_changes), 0)`

// refresh brings the index up to date with the database: loaded on first use, then changed
// customer by customer as the log reports them. While the data version stays where it was
// when the index last caught up, nothing was committed and the log is not read: requests
// otherwise queued here for two statements each.
func (x *buyerIndex) refresh(ctx context.Context, s *Store) error {
	// Taken before the index reads anything, so a commit during the sync moves it.
	version, err := s.DataVersion(ctx)
	if err != nil {
		return err
	}
	x.syncMu.Lock()
	defer x.syncMu.Unlock()
	if x.d != nil && version == x.version {
		return nil
	}
	x.version = ""
	if err := x.sync(ctx, s); err != nil {
		return err
	}
	if len(x.log.holes) == 0 {
		// Caught up: entries above a hole are read again until it fills or times out,
		// which needs the log read even when nothing new commits.
		x.version = version
	}
	return nil
}

// sync applies what the log holds beyond the index's watermark.
func (x *buyerIndex) sync(ctx context.Context, s *Store) error {
	if x.d == nil {
		return x.reload(ctx, s)
	}
	shops, _, err := findShops(ctx, s.read, nil)
	if err != nil {
		return err
	}
	if !sameShops(x.d, shops) {
		x.mu.Lock()
		x.d.setShops(shops)
		x.d.dropCaches()
		x.mu.Unlock()
	}
	var lo, hi int64
	if err := s.read.QueryRowContext(ctx, logBounds).Scan(&lo, &hi); err != nil {
		return err
	}
	if hi <= x.log.watermark {
		return nil
	}
	if lo > x.log.watermark+1 {
		return x.reload(ctx, s) // pruned entries this process had not read
	}
	seqs, ids, err := readChanges(ctx, s, x.log.watermark, maxDelta+1)
	if err != nil {
		return err
	}
	if len(seqs) > maxDelta || !x.log.advance(seqs, time.Now()) {
		return x.reload(ctx, s)
	}
	recs, err := readBuyers(ctx, s, uniqueIDs(ids))
	if err != nil {
		return err
	}
	x.mu.Lock()
	ok := x.d.apply(recs)
	x.mu.Unlock()
	if !ok {
		return x.reload(ctx, s)
	}
	return nil
}

func readChanges(ctx context.Context, s *Store, after int64, limit int) (seqs, ids []int64, err error) {
	rows, err := s.read.QueryContext(ctx, `SELECT seq, customer_id FROM buyer_changes WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var seq, id int64
		if err := rows.Scan(&seq, &id); err != nil {
			return nil, nil, err
		}
		seqs, ids = append(seqs, seq), append(ids, id)
	}
	return seqs, ids, rows.Err()
}

// reload replaces the index with a fresh read of every buyer. The log position is taken
// first, so whatever changes during the read is applied again afterwards.
func (x *buyerIndex) reload(ctx context.Context, s *Store) error {
	var lo, hi int64
	if err := s.read.QueryRowContext(ctx, logBounds).Scan(&lo, &hi); err != nil {
		return err
	}
	// Entries just below the top may belong to transactions still running: treat gaps there
	// as entries to wait for.
	log := changeLog{watermark: max(lo-1, hi-maxGap, 0)}
	seqs, _, err := readChanges(ctx, s, log.watermark, maxGap+1)
	if err != nil {
		return err
	}
	log.advance(seqs, time.Now())
	x.release() // before the new index is built: two would not fit the memory budget
	d, err := loadBuyers(ctx, s)
	if err != nil {
		return err
	}
	x.mu.Lock()
	x.d, x.log = d, log
	x.mu.Unlock()
	return nil
}

// readBuyers reads the current records of customers; a customer without figures comes back
// with no shops.
func readBuyers(ctx context.Context, s *Store, ids []int64) ([]*buyerRecord, error) {
	out := make([]*buyerRecord, 0, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		rows, err := s.read.QueryContext(ctx, figsSelect+` WHERE customer_id IN (`+placeholders(1, n)+`) ORDER BY customer_id, sid`,
			int64Args(ids[:n])...)
		if err != nil {
			return nil, err
		}
		found := map[int64]bool{}
		err = scanBuyers(rows, func(r *buyerRecord) error {
			c := *r
			c.email, c.name = bytes.Clone(r.email), bytes.Clone(r.name)
			c.shops, c.sids = append([]figs(nil), r.shops...), append([]int64(nil), r.sids...)
			out = append(out, &c)
			found[r.id] = true
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, id := range ids[:n] {
			if !found[id] {
				out = append(out, &buyerRecord{id: id})
			}
		}
		ids = ids[n:]
	}
	return out, nil
}

// apply puts changed records in place. A new customer's id is above every id held, except
// when concurrent transactions committed out of order: then it reports false and the caller
// reloads.
func (d *buyerData) apply(recs []*buyerRecord) bool {
	sort.Slice(recs, func(a, b int) bool { return recs[a].id < recs[b].id })
	for _, r := range recs {
		i := sort.Search(len(d.ids), func(k int) bool { return d.ids[k] >= r.id })
		switch {
		case i < len(d.ids) && d.ids[i] == r.id:
			d.put(int32(i), r)
		case len(r.shops) == 0:
			// gone, and never held
		case i == len(d.ids):
			d.put(int32(i), r)
		default:
			return false
		}
	}
	d.dropCaches()
	if d.garbage > 1<<20 && d.garbage > len(d.arena)/2 || d.garbageRows > 1<<14 && d.garbageRows > len(d.multiRows)/2 {
		d.compact()
	}
	return true
}

func sameShops(d *buyerData, shops []*shopcrm.Shop) bool {
	for _, sh := range shops {
		p, ok := d.pos[sh.SID]
		if !ok || *d.shops[p] != *sh {
			return false
		}
	}
	return true
}
