package ingest

import (
	"slices"
	"sort"
)

// The new buyers of a report go to buckets by ranges of their e-mail addresses, in the
// order the store's index of customers by address keeps them, rather than by a hash. A batch
// is a run of buckets, so the customers it creates fall on a few neighbouring pages of that
// index instead of on every page, and each commit logs those few. The shipments report of
// `shopcrm bench import` went in about 4 % faster (docs/BENCHMARKS.md, 2026-12-07 morning).
//
// The ranges are cut at quantiles of the addresses of the report's first sampleRows rows:
// a report lists orders by date, and a buyer's address has nothing to do with the date of
// the first order, so the first rows are a fair sample of the addresses. Those rows are held
// in memory until the ranges are cut, then spooled in file order like the rest. A file
// whose first rows hold few buyers is not listed by date (a few large buyers, or rows
// grouped by something else), and its first buyers could say nothing of the rest: its new
// buyers go by hash, as every one did before, so that no bucket takes most of the file.

// sampleRows is how many rows the first pass holds to cut the new buyers' ranges.
var sampleRows = 16384

// heldSample is a row read before the ranges were cut: its record is sampleBuf[start:end].
type heldSample struct {
	buyer, order string
	start, end   int
}

// sample holds a row, and cuts the ranges and spools the held rows once there are
// sampleRows of them.
func (sp *buyerSpool[T]) sample(buyer, order string, rec []byte) error {
	start := len(sp.sampleBuf)
	sp.sampleBuf = append(sp.sampleBuf, rec...)
	sp.sampled = append(sp.sampled, heldSample{buyer, order, start, len(sp.sampleBuf)})
	if len(sp.sampled) < sampleRows {
		return nil
	}
	return sp.endSample()
}

// endSample cuts the ranges from the rows held so far and spools them. The first pass calls
// it once more at the end, for a report shorter than the sample.
func (sp *buyerSpool[T]) endSample() error {
	if sp.cut {
		return nil
	}
	keys := make([]string, len(sp.sampled))
	for i, r := range sp.sampled {
		keys[i] = foldASCII(r.buyer)
	}
	var distinct int
	sp.ranges, distinct = cutRanges(keys, spoolBuckets-storedBuckets)
	// Full, the sample must hold a buyer for every sixteen rows (a date-ordered shipments
	// report has about one for every two or three).
	sp.byHash = len(sp.sampled) >= sampleRows && distinct < sampleRows/16
	sp.cut = true
	for _, r := range sp.sampled {
		if err := sp.place(r.buyer, r.order, sp.sampleBuf[r.start:r.end]); err != nil {
			return err
		}
	}
	sp.sampled, sp.sampleBuf = nil, nil
	return nil
}

// cutRanges returns up to n-1 keys that cut keys into n ranges of about as many distinct
// keys each: range i holds the keys from cut i-1 (included) to cut i (excluded). It sorts
// keys in place, and also returns how many distinct keys there are.
func cutRanges(keys []string, n int) ([]string, int) {
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var cuts []string
	for i := 1; i < n && len(keys) > 0; i++ {
		k := keys[i*len(keys)/n]
		if i*len(keys)/n > 0 && (len(cuts) == 0 || cuts[len(cuts)-1] != k) {
			cuts = append(cuts, k)
		}
	}
	return cuts, len(keys)
}

// newBucket is the bucket of a buyer the store does not have: the range its address falls
// in, letters folded as buyerHash folds them.
func (sp *buyerSpool[T]) newBucket(buyer string) int {
	if sp.byHash {
		return storedBuckets + int(buyerHash(buyer)%(spoolBuckets-storedBuckets))
	}
	return storedBuckets + sort.Search(len(sp.ranges), func(i int) bool { return compareFold(sp.ranges[i], buyer) > 0 })
}

// foldASCII returns s with ASCII letters in lower case.
func foldASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// compareFold compares folded, whose ASCII letters are in lower case, with s folded so,
// without copying s.
func compareFold(folded, s string) int {
	for i := 0; i < len(folded) && i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if folded[i] != c {
			if folded[i] < c {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(folded) < len(s):
		return -1
	case len(folded) > len(s):
		return 1
	}
	return 0
}
