package sqlstore

import (
	"math"
	"math/big"
	"testing"
)

func TestMulDivRound(t *testing.T) {
	for _, c := range []struct{ a, num, den, want int64 }{
		{1000, 7_100_000, 1_000_000, 7100},    // 10.00 USD at 7.1 → 71.00 CNY
		{5, 1, 2, 3},                          // 2.5 rounds away from zero
		{-5, 1, 2, -3},                        // −2.5 too
		{7, 1, 3, 2},                          // 2.33 rounds down
		{-7, 2, 3, -5},                        // −4.67 rounds to −5
		{math.MaxInt64, 2, 1, math.MaxInt64},  // saturates
		{math.MinInt64, 2, 1, -math.MaxInt64}, // saturates, negated safely
	} {
		if got := mulDivRound(c.a, c.num, c.den); got != c.want {
			t.Errorf("mulDivRound(%d, %d, %d) = %d, want %d", c.a, c.num, c.den, got, c.want)
		}
	}
	// Past 2^63 in the product, checked against math/big: 10^14 hundredths (a hundred lines
	// of the largest line amount) of a currency at 23.4 CNY, into USD at 7.1.
	a, num, den := int64(100_000_000_000_000), int64(23_400_000), int64(7_100_000)
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(num))
	q, r := new(big.Int).QuoRem(p, big.NewInt(den), new(big.Int))
	if new(big.Int).Mul(r, big.NewInt(2)).Cmp(big.NewInt(den)) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if got := mulDivRound(a, num, den); got != q.Int64() {
		t.Errorf("mulDivRound(%d, %d, %d) = %d, want %d", a, num, den, got, q.Int64())
	}
}
