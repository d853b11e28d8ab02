package bench

import (
	"slices"
	"testing"
)

// TestMedian: the middle share of an odd count, the mean of the two middle ones of an even
// count, and the caller's slice left in its order (the rounds table prints it after).
func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{0.65, 0.56, 0.53, 0.59, 0.58}, 0.58},
		{[]float64{0.4, 0.1, 0.3, 0.2}, 0.25},
		{[]float64{0.7}, 0.7},
	} {
		in := slices.Clone(c.in)
		if got := median(in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
		if !slices.Equal(in, c.in) {
			t.Errorf("median reordered its input: %v, was %v", in, c.in)
		}
	}
}
