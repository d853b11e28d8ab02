package sqlstore

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
)

func TestParseDetails(t *testing.T) {
	stored, _ := json.Marshal([]shopcrm.MoneyDetail{{Type: "Principal", Amount: -2000}, {Type: "MarketplaceFacilitatorTax-Principal", Amount: 0},
		{Type: "Commission", Amount: 9223372036854775807}})
	for _, tt := range []struct {
		name, in string
		want     []shopcrm.MoneyDetail
		fast     bool
	}{
		{"Stored", string(stored), []shopcrm.MoneyDetail{{Type: "Principal", Amount: -2000}, {Type: "MarketplaceFacilitatorTax-Principal", Amount: 0},
			{Type: "Commission", Amount: 9223372036854775807}}, true},
		{"Empty", "[]", nil, false},
		{"Spaces", `[ {"type": "Tax", "amount": -5} ]`, []shopcrm.MoneyDetail{{Type: "Tax", Amount: -5}}, false},
		{"Escaped", `[{"type":"Q\"uote","amount":1}]`, []shopcrm.MoneyDetail{{Type: `Q"uote`, Amount: 1}}, false},
		{"KeysSwapped", `[{"amount":1,"type":"Tax"}]`, []shopcrm.MoneyDetail{{Type: "Tax", Amount: 1}}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, fast := scanDetails(tt.in); fast != tt.fast {
				t.Errorf("fast path %v", fast)
			}
			got, err := parseDetails(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := parseDetails(`[{"type":"Tax","amount":"x"}]`); err == nil {
		t.Error("bad amount accepted")
	}
}

// FuzzScanDetails: whatever the fast path accepts, encoding/json reads the same way.
func FuzzScanDetails(f *testing.F) {
	for _, s := range []string{`[{"type":"Principal","amount":-2000}]`, `[{"type":"A","amount":1},{"type":"B","amount":-2}]`,
		`[{"type":"","amount":0}]`, `[]`, `[{"type":"A","amount":01}]`, `[{"type":"A","amount":+1}]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast, ok := scanDetails(s)
		if !ok {
			return
		}
		var slow []shopcrm.MoneyDetail
		if err := json.Unmarshal([]byte(s), &slow); err != nil {
			t.Fatalf("fast path read %q, encoding/json: %v", s, err)
		}
		if diff := cmp.Diff(slow, fast); diff != "" {
			t.Fatalf("%q (-json +fast):\n%s", s, diff)
		}
	})
}
