package sqlstore

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shopcrm/shopcrm"
)

// TestParseLinesAsEnginesWrite: the lines text as migration 00043 writes it on PostgreSQL
// (json_agg: spaces, \u escapes) and on SQLite (json_group_array), and texts that are not
// lines.
func TestParseLinesAsEnginesWrite(t *testing.T) {
	want := []shopcrm.OrderItem{
		{SKU: "A\x1fB", ASIN: "B0C1", Title: "Mug \"2\" \u00e9", Quantity: 2, Price: 1500, Tax: -5, Status: "Shipped",
			Promotion: "", Parcels: "p1,p2"},
		{SKU: "C", Quantity: 1, Price: 0},
	}
	for _, text := range []string{
		`[["A\u001fB", "B0C1", "Mug \"2\" \u00e9", 2, 1500, -5, "Shipped", "", "p1,p2"], ["C", "", "", 1, 0, 0, "", "", ""]]`,
		`[["A\u001FB","B0C1","Mug \"2\" é",2,1500,-5,"Shipped","","p1,p2"],["C","","",1,0,0,"","",""]]`,
		string(appendLines(nil, want)),
	} {
		got, err := parseLines(text)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("parseLines(%s) = %+v, %v; want %+v", text, got, err, want)
		}
	}
	for _, text := range []string{"", "[]", " [ ] "} {
		if got, err := parseLines(text); err != nil || len(got) != 0 {
			t.Errorf("parseLines(%q) = %+v, %v; want no lines", text, got, err)
		}
	}
	for _, text := range []string{`[`, `[["a"]]`, `[["a","","",1,2,3,"","",""]`, `[["a","","","1",2,3,"","",""]]`,
		`[["a","","",1,2,3,"","",""]] x`, `{}`, `[["a","","",1.5,2,3,"","",""]]`} {
		if got, err := parseLines(text); err == nil {
			t.Errorf("parseLines(%q) = %+v; want an error", text, got)
		}
	}
}

// FuzzOrderLines: lines written by appendLines are JSON that encoding/json reads as the
// same values, never hold the unit separator raw, and parse back to themselves; invalid
// UTF-8 is written as U+FFFD.
func FuzzOrderLines(f *testing.F) {
	f.Add("SKU-1", "B0C1", "Mug", "Shipped", "PROMO", "p1,p2", int64(2), int64(1500), int64(-5))
	f.Add("S\x1f1", "\"\\", "\n\t\r\x00", "", "\u2028", "", int64(0), int64(0), int64(0))
	f.Add("\xff", "", "", "", "", "x\x1f", int64(-1<<63), int64(1<<63-1), int64(0))
	f.Fuzz(func(t *testing.T, sku, asin, title, status, promotion, parcels string, qty, price, tax int64) {
		in := []shopcrm.OrderItem{{SKU: sku, ASIN: asin, Title: title, Quantity: qty, Price: shopcrm.Amount(price),
			Tax: shopcrm.Amount(tax), Status: status, Promotion: promotion, Parcels: parcels}, {SKU: "second"}}
		text := appendLines(nil, in)
		if strings.Contains(string(text), joinSep) {
			t.Fatalf("%q holds the separator", text)
		}
		var std [][]any
		if err := json.Unmarshal(text, &std); err != nil || len(std) != 2 || len(std[0]) != lineFields {
			t.Fatalf("encoding/json reads %q as %v, %v", text, std, err)
		}
		got, err := parseLines(string(text))
		if err != nil {
			t.Fatalf("parseLines(%q): %v", text, err)
		}
		want := in
		if !utf8.ValidString(sku + asin + title + status + promotion + parcels) {
			valid := func(s string) string { return strings.ToValidUTF8(s, "\ufffd") }
			if got[0].SKU != std[0][0] || got[0].Title != std[0][2] || got[0].Parcels != std[0][8] {
				t.Fatalf("parsed %+v; encoding/json read %v", got[0], std[0])
			}
			if !utf8.ValidString(got[0].SKU) || valid(got[0].SKU) != got[0].SKU {
				t.Fatalf("SKU %q is not valid UTF-8", got[0].SKU)
			}
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("parsed %+v; want %+v", got, want)
		}
	})
}
