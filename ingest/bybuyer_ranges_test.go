package ingest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCutRanges(t *testing.T) {
	for _, c := range []struct {
		keys     []string
		n        int
		want     []string
		distinct int
	}{
		// Eight distinct keys, duplicates and all out of order, into four ranges of two.
		{[]string{"h", "b", "a", "g", "c", "c", "f", "e", "d", "a"}, 4, []string{"c", "e", "g"}, 8},
		// Fewer keys than ranges: each key from the second on begins a range.
		{[]string{"b", "a", "c"}, 8, []string{"b", "c"}, 3},
		{[]string{"a"}, 8, nil, 1},
		{nil, 8, nil, 0},
	} {
		keys := slices.Clone(c.keys)
		if got, distinct := cutRanges(keys, c.n); !cmp.Equal(got, c.want) || distinct != c.distinct {
			t.Errorf("cutRanges(%q, %d) = %q, %d distinct; want %q, %d", c.keys, c.n, got, distinct, c.want, c.distinct)
		}
	}
}

// A buyer's bucket is the range its folded address falls in, whatever the case of its
// letters; the ranges follow the order of addresses.
func TestNewBucket(t *testing.T) {
	sp := &buyerSpool[int]{ranges: []string{"c", "e@x", "g"}}
	for buyer, want := range map[string]int{"a@x": 0, "B@X": 0, "c": 1, "C@x": 1, "e@w": 1, "E@X": 2, "f": 2, "G": 3, "zz": 3} {
		if got := sp.newBucket(buyer) - storedBuckets; got != want {
			t.Errorf("newBucket(%q) = range %d, want %d", buyer, got, want)
		}
	}
}

func FuzzCompareFold(f *testing.F) {
	f.Add("abc", "ABD")
	f.Add("a", "A@")
	f.Add("", "Z")
	f.Fuzz(func(t *testing.T, a, b string) {
		folded := foldASCII(a)
		if got, want := compareFold(folded, b), strings.Compare(folded, foldASCII(b)); got != want {
			t.Errorf("compareFold(%q, %q) = %d, want %d", folded, b, got, want)
		}
		if strings.ToLower(a) == a && folded != a {
			t.Errorf("foldASCII(%q) = %q, changed a folded text", a, folded)
		}
	})
}

// A full sample of few buyers leaves the new buyers to a hash; a file shorter than the
// sample is cut however few its buyers.
func TestSampleFewBuyers(t *testing.T) {
	defer func(n int) { sampleRows = n }(sampleRows)
	sampleRows = 64
	for _, c := range []struct {
		name         string
		rows, buyers int
		byHash       bool
	}{
		{"full, a buyer for every 16 rows", 64, 4, false},
		{"full, fewer buyers", 64, 3, true},
		{"short file, one buyer", 10, 1, false},
	} {
		sp, err := newBuyerSpool(spoolCodec[int]{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range c.rows {
			if err := sp.sample(fmt.Sprintf("b%d@x", i%c.buyers), fmt.Sprint(i), []byte{byte(i)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := sp.endSample(); err != nil {
			t.Fatal(err)
		}
		if sp.byHash != c.byHash || sp.sampled != nil {
			t.Errorf("%s: by hash %v, held %d rows; want by hash %v, none held", c.name, sp.byHash, len(sp.sampled), c.byHash)
		}
		spooled := 0
		for _, n := range sp.orders {
			spooled += n
		}
		if spooled != c.rows {
			t.Errorf("%s: %d orders spooled, want %d", c.name, spooled, c.rows)
		}
		sp.remove()
	}
}
