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
	// Accountants write a negative amount in parentheses: (5.00).
	if strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
		neg, t = true, strings.TrimSpace(t[1:len(t)-1])
	}
	if t == "" {
		return 0, fmt.Errorf("invalid amount %q", s)
	}
	switch t[0] {
	case '-':
		neg, t = !neg, t[1:]
	case '+':
		t = t[1:]
	}
	t = strings.TrimLeft(t, "$€£￡¥￥")
	t = normalizeSeparators(t)
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

// normalizeSeparators turns "1.234,56", "1,234.56", "12,5" and "1 234,56" into a plain
// dot-decimal number. With both separators present the later one is the decimal point; a
// lone comma followed by one or two digits is a decimal comma (EU exports); otherwise commas,
// spaces and apostrophes group thousands. A lone dot is a decimal point, as Amazon writes.
func normalizeSeparators(t string) string {
	t = strings.NewReplacer(" ", "", "\u00a0", "", "'", "").Replace(t)
	dot, comma := strings.LastIndexByte(t, '.'), strings.LastIndexByte(t, ',')
	switch {
	case dot >= 0 && comma >= 0 && comma > dot: // 1.234,56
		return strings.ReplaceAll(t[:comma], ".", "") + "." + t[comma+1:]
	case dot >= 0 && comma >= 0: // 1,234.56
		return strings.ReplaceAll(t, ",", "")
	case comma >= 0 && strings.Count(t, ",") == 1 && len(t)-comma-1 <= 2: // 12,5
		return t[:comma] + "." + t[comma+1:]
	default:
		return strings.ReplaceAll(t, ",", "")
	}
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
