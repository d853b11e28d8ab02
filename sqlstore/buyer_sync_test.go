package sqlstore

import (
	"fmt"
	"testing"
	"time"
)

// TestChangeLogAdvance: the watermark stops before a gap (an entry of a transaction not yet
// committed) until it fills or holeWait passes, and a gap too wide to wait for asks for a
// reload.
func TestChangeLogAdvance(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := changeLog{watermark: 10}
	if !l.advance([]int64{11, 12, 14, 15}, now) || l.watermark != 12 {
		t.Fatalf("gap at 13: watermark %d, want 12", l.watermark)
	}
	if !l.advance([]int64{14, 15}, now.Add(holeWait/2)) || l.watermark != 12 {
		t.Fatalf("gap still young: watermark %d, want 12", l.watermark)
	}
	if !l.advance([]int64{13, 14, 15}, now.Add(holeWait/2)) || l.watermark != 15 || len(l.holes) != 0 {
		t.Fatalf("gap filled: watermark %d holes %v, want 15 and none", l.watermark, l.holes)
	}
	l.advance([]int64{17}, now)
	if !l.advance([]int64{17}, now.Add(holeWait)) || l.watermark != 17 {
		t.Fatalf("gap timed out: watermark %d, want 17", l.watermark)
	}
	if l.advance([]int64{17 + maxGap + 1}, now) {
		t.Fatal("a gap wider than maxGap must ask for a reload")
	}
}

// TestBuyerDataCompact: changes leave garbage in the arena and the multi rows; compacting
// keeps every buyer's strings and rows.
func TestBuyerDataCompact(t *testing.T) {
	d := newBuyerData(0)
	rec := func(id int64, name string, sids ...int64) *buyerRecord {
		r := &buyerRecord{id: id, email: fmt.Appendf(nil, "b%d@x.com", id), name: []byte(name)}
		for _, sid := range sids {
			f := figs{orders: uint32(sid), firstAt: sid, lastAt: sid}
			r.all.add(&f)
			r.shops, r.sids = append(r.shops, f), append(r.sids, sid)
		}
		return r
	}
	for id := int64(1); id <= 100; id++ {
		d.put(int32(id-1), rec(id, "first", 1, 2))
	}
	for round := 0; round < 3; round++ {
		for id := int64(1); id <= 100; id += 2 {
			d.apply([]*buyerRecord{rec(id, fmt.Sprint("name", round), 2, 3)})
		}
	}
	d.apply([]*buyerRecord{rec(2, ""), rec(101, "new", 5)})
	d.compact()
	if d.garbage != 0 {
		t.Fatalf("garbage %d after compact", d.garbage)
	}
	for i, id := range d.ids {
		wantName, wantSIDs := "first", []int64{1, 2}
		switch {
		case id == 2:
			if d.home[i] != homeDead {
				t.Errorf("buyer 2 should be gone")
			}
			continue
		case id == 101:
			wantName, wantSIDs = "new", []int64{5}
		case id%2 == 1:
			wantName, wantSIDs = "name2", []int64{2, 3}
		}
		if got := string(d.str(d.name[i])); got != wantName || d.emailString(int32(i)) != fmt.Sprintf("b%d@x.com", id) {
			t.Errorf("buyer %d: name %q email %q", id, got, d.emailString(int32(i)))
		}
		var sids []int64
		if h := d.home[i]; h >= 0 {
			sids = []int64{d.shops[h].SID}
		} else {
			e := d.multi[homeMulti-h]
			for _, r := range d.multiRows[e.start : e.start+e.n] {
				sids = append(sids, d.shops[r.pos].SID)
			}
		}
		if fmt.Sprint(sids) != fmt.Sprint(wantSIDs) {
			t.Errorf("buyer %d: shops %v, want %v", id, sids, wantSIDs)
		}
	}
}
