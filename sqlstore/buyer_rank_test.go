package sqlstore

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopcrm/shopcrm"
)

// TestRankModel checks the index against a direct model: for random buyers (many tied keys,
// e-mails sharing their first 8 bytes, buyers of several shops) and random requests, the page
// and total must equal filtering, aggregating and sorting every buyer the slow way. The page
// sizes and offsets reach past the sample threshold, so the estimate and its retry both run.
func TestRankModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	defer func(n int) { parallelMin = n }(parallelMin)
	parallelMin = 1000 // scan in parts as a million buyers would
	d := newBuyerData(0)
	var buf passBuf
	defer buf.free()
	currencies := []string{"USD", "GBP", "USD", "EUR", "JPY"}
	var shops []*shopcrm.Shop
	for k, c := range currencies {
		shops = append(shops, &shopcrm.Shop{SID: int64(k + 1), Name: fmt.Sprint("shop", k+1), Currency: c})
	}
	d.setShops(shops)
	type model struct {
		id          int64
		email, name string
		rows        []figs
	}
	var buyers []model
	for n := 0; n < 20000; n++ {
		b := model{id: int64(n*3 + 1)}
		b.email = fmt.Sprintf("%s%04d@%s", []string{"samepref", "a", "zz", "samepref.x"}[rng.IntN(4)], rng.IntN(3000),
			[]string{"marketplace.amazon.com", "gmail.com", "x.de"}[rng.IntN(3)])
		b.name = fmt.Sprintf("%s %s", []string{"ann", "bob", "carl"}[rng.IntN(3)], []string{"lee", "stone", "ann"}[rng.IntN(3)])
		for _, k := range rng.Perm(len(shops))[:1+rng.IntN(3)*rng.IntN(2)] {
			orders := uint32(1 + rng.IntN(3))
			at := int64(1_700_000_000 + rng.IntN(40_000_000))
			f := figs{orders: orders, units: orders + uint32(rng.IntN(3)), refundOrders: uint32(rng.IntN(int(orders) + 1)),
				returnOrders: uint32(rng.IntN(2)), feedback: uint32(rng.IntN(int(orders) + 1)),
				amount: int64(rng.IntN(50) * 100), cny: int64(rng.IntN(50) * 700), usd: int64(rng.IntN(5000)),
				firstAt: at, lastAt: at + int64(rng.IntN(3)*86400*30), pos: int32(k)}
			f.refundUnits, f.returnUnits = f.refundOrders*2, f.returnOrders
			f.feedbackBad = uint32(rng.IntN(int(f.feedback) + 1))
			f.first, f.last = uint32(f.firstAt/3600*3600), uint32(f.lastAt/3600*3600)
			b.rows = append(b.rows, f)
		}
		slices.SortFunc(b.rows, func(x, y figs) int { return cmp.Compare(x.pos, y.pos) })
		buyers = append(buyers, b)
		r := &buyerRecord{id: b.id, email: []byte(b.email), name: []byte(b.name)}
		for _, f := range b.rows {
			r.all.add(&f)
			r.shops = append(r.shops, f)
			r.sids = append(r.sids, int64(f.pos+1))
		}
		d.put(int32(len(d.ids)), r)
	}
	fields := slices.Sorted(func(yield func(string) bool) {
		for f := range shopcrm.BuyerSortFields {
			if !yield(f) {
				return
			}
		}
	})
	defer func(n int) { candsShare = n }(candsShare)
	for trial := 0; trial < 400; trial++ {
		// Every other trial ranks a set's listed buyers (buyerView.cands), however many.
		candsShare = []int{1, 4}[trial%2]
		d.views = nil
		f := shopcrm.BuyerFilter{SortField: fields[rng.IntN(len(fields))], SortDesc: rng.IntN(2) == 0,
			CurrencyType: rng.IntN(3), Offset: []int{0, 0, 17, 3000, 9000}[rng.IntN(5)], Limit: []int{1, 20, 200}[rng.IntN(3)]}
		for k := range shops {
			if rng.IntN(3) == 0 {
				f.SIDs = append(f.SIDs, int64(k+1))
			}
		}
		switch rng.IntN(4) {
		case 1:
			f.DateField = []string{"1", "2"}[rng.IntN(2)]
			f.Start = fromUnix(int64(1_700_000_000 + rng.IntN(20_000_000)))
			f.End = f.Start.AddDate(0, 0, rng.IntN(300))
		case 2:
			f.SearchField, f.SearchValue = "buyer_email", []string{"samepref", "1@g", "AMAZON", "00", "ef.x0"}[rng.IntN(5)]
		case 3:
			f.SearchField, f.SearchValue = "buyer_name", []string{"ann", "n s", "Lee"}[rng.IntN(3)]
		}
		if err := normalizeBuyerFilter(&f); err != nil {
			t.Fatal(err)
		}
		q, err := d.query(&f)
		if err != nil {
			t.Fatal(err)
		}
		page, total := d.rank(q, &buf)
		got := make([]int64, len(page))
		for k, i := range page {
			got[k] = d.ids[i]
		}

		// The model: aggregate the selected rows, filter, sort.
		type row struct {
			key   int64
			email string
			id    int64
		}
		var rows []row
		for _, b := range buyers {
			var agg figs
			for _, r := range b.rows {
				if len(f.SIDs) == 0 || slices.Contains(f.SIDs, int64(r.pos+1)) {
					agg.add(&r)
				}
			}
			if agg.orders == 0 {
				continue
			}
			if f.DateField != "" {
				day := int64(agg.first) / 86400
				if f.DateField == "last_purchase_date" {
					day = int64(agg.last) / 86400
				}
				if day < dayNumber(f.Start) || day > dayNumber(f.End) {
					continue
				}
			}
			hay := b.email
			if f.SearchField == "buyer_name" {
				hay = b.name
			}
			if f.SearchValue != "" && !bytes.Contains([]byte(hay), bytes.ToLower([]byte(f.SearchValue))) {
				continue
			}
			rows = append(rows, row{q.key.of(&agg), b.email, b.id})
		}
		slices.SortFunc(rows, func(a, b row) int {
			c := cmp.Compare(a.key, b.key)
			if f.SortDesc {
				c = -c
			}
			if c == 0 {
				c = cmp.Compare(a.email, b.email)
			}
			if c == 0 {
				c = cmp.Compare(a.id, b.id)
			}
			return c
		})
		want := []int64{}
		for _, r := range rows[min(f.Offset, len(rows)):min(f.Offset+f.Limit, len(rows))] {
			want = append(want, r.id)
		}
		if total != len(rows) || !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("%+v: total %d want %d\ngot  %v\nwant %v", f, total, len(rows), got, want)
		}
	}
}
