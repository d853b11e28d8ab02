package shopcrm_test

import (
	"testing"

	"github.com/shopcrm/shopcrm"
)

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]shopcrm.Amount{
		"89.95": 8995, "-88.95": -8895, "0": 0, "12,5": 1250, "1,234.50": 123450, "1.234,56": 123456,
		"1.200,00": 120000, "1 234,56": 123456, "$-26.38": -2638, "-$4.70": -470, "(5.00)": -500, "4.700": 470,
		"+3": 300, ".5": 50, "1,234": 123400,
	} {
		got, err := shopcrm.ParseAmount(in)
		if err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "--1", "1.2.3", "()", "1.005"} {
		if got, err := shopcrm.ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) = %v, want an error", in, got)
		}
	}
}

func TestAmountFormat(t *testing.T) {
	if got := shopcrm.Amount(-470).WithSymbol("$"); got != "-$4.70" {
		t.Errorf("WithSymbol = %q", got)
	}
	if got := shopcrm.Amount(5).String(); got != "0.05" {
		t.Errorf("String = %q", got)
	}
}
