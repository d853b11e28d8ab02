package amazon_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
)

// seed adds the fixtures and a few hand-made edge cases to a fuzz corpus.
func seed(f *testing.F, files ...string) {
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(""))
	f.Add([]byte("\xef\xbb\xbf\n\n\t\t\n"))
	f.Add([]byte("\x1f\x8b"))
	// a product name wrapped over lines, and one whose quote never closes
	f.Add([]byte("amazon-order-id\tpurchase-date\tbuyer-email\tsku\tproduct-name\tquantity-shipped\n" +
		"1\t2022-07-18\tb@x\tS\t\"Mug:\r\nred \"\"B\"\"\"\t1\n2\t2022-07-18\tb@x\tS\t\"Mug\t1\n"))
}

// checkLines drives a reader to its end and fails when the line numbers of the rows and
// row errors it returns do not strictly increase.
func checkLines(t *testing.T, next func() (int, error)) {
	last := 0
	for range 1 << 20 {
		line, err := next()
		var re *amazon.RowError
		switch {
		case errors.As(err, &re):
			line = re.Line
		case err != nil:
			if _, again := next(); again == nil {
				t.Fatalf("row after end (%v)", err)
			}
			return
		}
		if line <= last || line < 2 {
			t.Fatalf("line %d after %d", line, last)
		}
		last = line
	}
	t.Fatal("reader does not end")
}

// checkBounds fails when a row the reader accepted holds a quantity or an amount past the
// bounds the store sums safely (shopcrm.MaxQuantity, MaxLineAmount).
func checkBounds(t *testing.T, line, quantity int, amounts ...shopcrm.Amount) {
	if quantity < -shopcrm.MaxQuantity || quantity > shopcrm.MaxQuantity {
		t.Fatalf("line %d: quantity %d", line, quantity)
	}
	for _, a := range amounts {
		if !shopcrm.LineAmountOK(a) {
			t.Fatalf("line %d: amount %d", line, a)
		}
	}
}

func FuzzShipmentReader(f *testing.F) {
	seed(f, "shipments.tsv", "shipments.tsv.gz")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := amazon.NewShipmentReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkLines(t, func() (int, error) {
			s, err := r.Next()
			if err == nil {
				checkBounds(t, s.Line, s.Quantity, s.ItemPrice, s.ItemTax, s.ShippingPrice, s.ShippingTax)
			}
			return s.Line, err
		})
	})
}

func FuzzOrderReader(f *testing.F) {
	seed(f, "orders.tsv", "orders-34.tsv")
	f.Add([]byte(allOrdersHeader + "1\t\t2022-07-18T18:52:47+00:00\t\tShipped\t\t\t\t\t\"x\tS\t\t\t1\tUSD\t1,5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := amazon.NewOrderReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkLines(t, func() (int, error) {
			o, err := r.Next()
			if err == nil {
				checkBounds(t, o.Line, o.Quantity, o.ItemPrice, o.ItemTax)
			}
			return o.Line, err
		})
	})
}

func FuzzFBAReturnReader(f *testing.F) {
	seed(f, "fba-returns.tsv")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := amazon.NewFBAReturnReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkLines(t, func() (int, error) { x, err := r.Next(); return x.Line, err })
	})
}

func FuzzMFNReturnReader(f *testing.F) {
	seed(f, "mfn-returns.tsv", "mfn-returns-ui.tsv")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := amazon.NewMFNReturnReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkLines(t, func() (int, error) { x, err := r.Next(); return x.Line, err })
	})
}

func FuzzSettlementReader(f *testing.F) {
	seed(f, "settlement.tsv", "settlement-de.tsv")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := amazon.NewSettlementReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkLines(t, func() (int, error) { x, err := r.Next(); return x.Line, err })
	})
}

func FuzzRefundReader(f *testing.F) {
	seed(f, "settlement.tsv", "settlement-de.tsv")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := amazon.NewRefundReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkLines(t, func() (int, error) {
			x, err := r.Next()
			if err == nil && len(x.AmountDetails)+len(x.CostDetails) == 0 {
				t.Fatalf("refund at line %d has no amounts", x.Line)
			}
			return x.Line, err
		})
	})
}

func FuzzFeedbackReader(f *testing.F) {
	seed(f, "feedback-us.tsv", "feedback-de.tsv")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mp := range []string{"US", "DE", "JP"} {
			r, err := amazon.NewFeedbackReader(bytes.NewReader(data), mp)
			if err != nil {
				return
			}
			checkLines(t, func() (int, error) {
				x, err := r.Next()
				if err == nil && (x.Rating < 1 || x.Rating > 5) {
					t.Fatalf("rating %d", x.Rating)
				}
				return x.Line, err
			})
		}
	})
}

// Decode always yields UTF-8, and leaves plain UTF-8 input without a BOM untouched.
func FuzzDecode(f *testing.F) {
	seed(f, "shipments.tsv", "shipments.tsv.gz", "feedback-de.tsv")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := amazon.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		out, err := io.ReadAll(r)
		if err != nil {
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("output is not UTF-8: %q", out)
		}
		plain := !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) && !bytes.HasPrefix(data, []byte("\xef\xbb\xbf"))
		if plain && utf8.Valid(data) && !bytes.Equal(out, data) {
			t.Fatalf("UTF-8 input changed: %q → %q", data, out)
		}
		r, err = amazon.Decode(amazon.Japanese(bytes.NewReader(data)))
		if err != nil {
			t.Fatalf("Japanese: %v where the plain decoder had none", err)
		}
		jp, err := io.ReadAll(r)
		if err != nil {
			return
		}
		if !utf8.Valid(jp) {
			t.Fatalf("Japanese output is not UTF-8: %q", jp)
		}
		if plain && utf8.Valid(data) && !bytes.Equal(jp, data) {
			t.Fatalf("UTF-8 input changed as Japanese: %q → %q", data, jp)
		}
	})
}

// The money shortcut must agree with shopcrm.ParseAmount on every input.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"89.95", "-88.95", "14.0", "0.09", "-19,99", "1,234.50", "$-26.38", "5.", "-",
		".5", "007", "1.230", "0.125", "999999999999999.99", "9999999999999999", "-0", "+5", " 5", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gotErr := amazon.ParseAmountFast(s)
		want, wantErr := shopcrm.ParseAmount(s)
		if got != want || (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q: shortcut %v %v, ParseAmount %v %v", s, got, gotErr, want, wantErr)
		}
	})
}
