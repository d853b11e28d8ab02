package shopcrm

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rate is an exchange rate in CNY per unit, exact to six decimals (millionths).
type Rate int64

// ParseRate reads "7.1", "0.0588".
func ParseRate(s string) (Rate, error) {
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	if len(frac) > 6 {
		frac = frac[:6]
	}
	for len(frac) < 6 {
		frac += "0"
	}
	w, err1 := strconv.ParseUint(whole, 10, 32)
	f, err2 := strconv.ParseUint(frac, 10, 32)
	if err1 != nil || err2 != nil || (w == 0 && f == 0) {
		return 0, fmt.Errorf("invalid rate %q: want a positive decimal such as 7.10", s)
	}
	return Rate(int64(w)*1_000_000 + int64(f)), nil
}

// String formats the rate with four decimals, as Lingxing prints rates.
func (r Rate) String() string {
	return fmt.Sprintf("%d.%04d", int64(r)/1_000_000, (int64(r)%1_000_000)/100)
}

// ExchangeRate is a month's rate of one currency: the official rate and the user's own.
type ExchangeRate struct {
	Month    string `json:"month"` // YYYY-MM
	Currency string `json:"currency"`
	Official Rate   `json:"rate_org"`
	MyRate   Rate   `json:"my_rate"` // 0 when the user set none
}

// Effective is the rate conversions use: the user's own when set.
func (r *ExchangeRate) Effective() Rate {
	if r.MyRate > 0 {
		return r.MyRate
	}
	return r.Official
}

// ValidMonth checks a YYYY-MM month.
func ValidMonth(m string) bool {
	_, err := time.Parse("2006-01", m)
	return err == nil && len(m) == 7
}

// RateService stores exchange rates.
type RateService interface {
	// SetMyRate sets the user's rate for a month and currency; conversions use it from the
	// next request on (figures that depend on it are recomputed in the same transaction).
	SetMyRate(ctx context.Context, month, currency string, rate Rate) error
	// FindRates returns the rates in force for a month: each currency's own row for the
	// month, or its latest earlier month.
	FindRates(ctx context.Context, month string) ([]*ExchangeRate, error)
}
