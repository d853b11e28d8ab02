package amazon

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

// The typed accessors below read one field of the current row. They record the first
// problem in t.err and return a zero value, so a reader fills a whole row struct and
// checks once (t.rowErr) instead of after every column.

func (t *table) fail(id int, reason string) {
	if t.err == nil {
		t.err = &RowError{Line: t.line, Field: t.spec.names[id], Reason: reason}
	}
}

// need returns a field that must not be empty.
func (t *table) need(id int) string {
	v := t.vals[id]
	if v == "" {
		t.fail(id, "empty")
	}
	return v
}

// amount reads a money field; empty is 0.
func (t *table) amount(id int) shopcrm.Amount {
	a, _ := t.optAmount(id)
	return a
}

// optAmount reads a money field and says whether it was there: an empty item-price on a
// pending order means "not known yet", not "free".
func (t *table) optAmount(id int) (shopcrm.Amount, bool) {
	v := t.vals[id]
	if v == "" {
		return 0, false
	}
	a, err := parseAmount(v)
	if err != nil {
		t.fail(id, err.Error())
		return 0, false
	}
	if !shopcrm.LineAmountOK(a) {
		t.fail(id, "amount "+strconv.Quote(v)+" out of range")
		return 0, false
	}
	return a, true
}

// integer reads a count of units, at most shopcrm.MaxQuantity either way; empty is 0 unless
// required.
func (t *table) integer(id int, required bool) int {
	v := t.vals[id]
	if v == "" {
		if required {
			t.fail(id, "empty")
		}
		return 0
	}
	n, err := strconv.Atoi(v)
	switch {
	case err != nil:
		t.fail(id, "invalid integer "+strconv.Quote(v))
	case n > shopcrm.MaxQuantity || n < -shopcrm.MaxQuantity:
		t.fail(id, "quantity "+strconv.Quote(v)+" out of range")
		return 0
	}
	return n
}

// date reads a date or timestamp in any format parseTime knows; empty is the zero time
// unless required.
func (t *table) date(id int, required bool) time.Time {
	v := t.vals[id]
	if v == "" {
		if required {
			t.fail(id, "empty")
		}
		return time.Time{}
	}
	d, ok := parseTime(v)
	if !ok {
		t.fail(id, "invalid date "+strconv.Quote(v))
	}
	return d
}

// flag reads Y/N, true/false, yes/no or 1/0 in any case; empty is false.
func (t *table) flag(id int) bool {
	v := t.vals[id]
	switch {
	case v == "", v == "0", strings.EqualFold(v, "n"), strings.EqualFold(v, "false"), strings.EqualFold(v, "no"):
		return false
	case v == "1", strings.EqualFold(v, "y"), strings.EqualFold(v, "true"), strings.EqualFold(v, "yes"):
		return true
	}
	t.fail(id, "invalid boolean "+strconv.Quote(v))
	return false
}

// parseAmount is shopcrm.ParseAmount with a shortcut for the plain "-12.34" form that
// nearly every Amazon money field takes: the general parser costs more than the rest of an
// All Orders row together. The shortcut accepts only input whose meaning ParseAmount
// cannot dispute (no commas, symbols or spaces, at most two decimals, at most 15 integer
// digits) and yields the same value, which FuzzParseAmount checks; everything else goes to
// ParseAmount.
func parseAmount(s string) (shopcrm.Amount, error) {
	i, neg := 0, false
	if s != "" && s[0] == '-' {
		i, neg = 1, true
	}
	var v int64
	start := i
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		v = v*10 + int64(s[i]-'0')
	}
	whole := i - start
	if whole == 0 || whole > 15 {
		return shopcrm.ParseAmount(s)
	}
	frac := 0
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9' && frac < 3; i++ {
			v = v*10 + int64(s[i]-'0')
			frac++
		}
	}
	if i != len(s) || frac > 2 {
		return shopcrm.ParseAmount(s)
	}
	for ; frac < 2; frac++ {
		v *= 10
	}
	if neg {
		v = -v
	}
	return shopcrm.Amount(v), nil
}
