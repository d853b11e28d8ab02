package shopcrm

import (
	"fmt"
	"strconv"
	"strings"
)

// Amount is an exact money amount in hundredths of a currency unit (cents, fen, pence;
// yen are stored ×100 too, so one scale serves every currency and sums never round).
type Amount int64

// ParseAmount reads a decimal such as "89.95", "-4.7", "1,234.50", "12,5" (comma decimal,
// as EU exports write it) or "$-26.38". An empty string is an error: callers decide what an
// absent amount means. More than two decimals must be zeros.
func ParseAmount(s string) (Amount, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimLeft(t, "$€£￡¥￥")
	if t == "" {
		return 0, fmt.Errorf("empty amount")
	}
	neg := false
	switch t[0] {
	case '-':
		neg, t = true, t[1:]
	case '+':
		t = t[1:]
	}
	t = strings.TrimLeft(t, "$€£￡¥￥")
	// A lone comma with 1–2 digits after it is a decimal comma; otherwise commas group thousands.
	if i := strings.LastIndexByte(t, ','); i >= 0 && !strings.Contains(t, ".") && len(t)-i-1 <= 2 {
		t = t[:i] + "." + t[i+1:]
	}
	t = strings.ReplaceAll(t, ",", "")
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" && frac == "" {
		return 0, fmt.Errorf("invalid amount %q", s)
	}
	if whole == "" {
		whole = "0"
	}
	for len(frac) > 2 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("invalid amount %q: more than two decimals", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || strings.ContainsAny(whole, "+-") {
		return 0, fmt.Errorf("invalid amount %q", s)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || strings.ContainsAny(frac, "+-") {
		return 0, fmt.Errorf("invalid amount %q", s)
	}
	if w > (1<<62)/100 {
		return 0, fmt.Errorf("amount %q out of range", s)
	}
	v := w*100 + f
	if neg {
		v = -v
	}
	return Amount(v), nil
}

// String formats the amount with two decimals: "-4.70".
func (a Amount) String() string {
	v := int64(a)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// WithSymbol formats the amount the way the Lingxing open API prints money: the sign first,
// then the currency symbol, then the decimal ("-$4.70", "€12.00").
func (a Amount) WithSymbol(symbol string) string {
	s := a.String()
	if strings.HasPrefix(s, "-") {
		return "-" + symbol + s[1:]
	}
	return symbol + s
}

// Float is for ratios and JSON numbers shown to clients, never for arithmetic on money.
func (a Amount) Float() float64 { return float64(a) / 100 }
