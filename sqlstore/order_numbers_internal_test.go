package sqlstore

import (
	"fmt"
	"hash/maphash"
	"testing"
)

// The filter of order keys never loses a key it was given, across the parts it grows into,
// and lets few absent keys through: under 1 in 100 with three parts of 12 bits a key.
func TestOrderNumbersFilter(t *testing.T) {
	f := &orderNumbers{built: true, seed: maphash.MakeSeed(), parts: []bloomPart{newBloomPart(bloomFirstPart)}}
	const n = 400_000 // past the first part (65 536 keys) and the second (262 144)
	keys := make([]orderKey, n)
	for i := range keys {
		keys[i] = orderKey{int64(i % 3), fmt.Sprintf("%03d-%07d-%07d", i%1000, i, i*7)}
	}
	for _, k := range keys {
		f.addLocked(f.hash(k))
	}
	if len(f.parts) != 3 {
		t.Fatalf("%d parts for %d keys, want 3", len(f.parts), n)
	}
	if got := f.mayHold(keys); len(got) != n {
		t.Fatalf("%d of %d stored keys held", len(got), n)
	}
	absent := make([]orderKey, 100_000)
	for i := range absent {
		absent[i] = orderKey{int64(i % 3), fmt.Sprintf("%03d-%07d-%07d", i%1000, i, i*7+1)}
	}
	// The same numbers in another shop are other keys.
	for i := range 1000 {
		absent = append(absent, orderKey{int64(i%3 + 1), keys[i].number})
	}
	if got := len(f.mayHold(absent)); got > len(absent)/100 {
		t.Fatalf("%d of %d absent keys pass", got, len(absent))
	}
}
