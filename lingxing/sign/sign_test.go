package sign_test

import (
	"net/url"
	"testing"

	"github.com/shopcrm/shopcrm/lingxing/sign"
)

const (
	appID = "ak_TESTAPPID1234"
	token = "4dcaa78e-b52d-4325-bc35-571021bb0787"
	ts    = "1720429074"
)

func params(t *testing.T, body string) sign.Params {
	t.Helper()
	q := url.Values{"access_token": {token}, "app_key": {appID}, "timestamp": {ts}}
	p, err := sign.FromRequest(q, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The test vectors of the reference document, computed independently with three tools.
func TestVectors(t *testing.T) {
	for _, tt := range []struct {
		name, body, canonical, md5, sign string
		skipEmpty                        bool
	}{
		{name: "AfterSaleList",
			body:      `{"sid":"6,7,19","start_date":"2022-02-01","end_date":"2022-03-01","date_type":1,"after_type":"1,2","offset":0,"length":1000,"amazon_order_id_list":["113-9870855-8214638","113-9870855-8214639"]}`,
			canonical: `access_token=4dcaa78e-b52d-4325-bc35-571021bb0787&after_type=1,2&amazon_order_id_list=["113-9870855-8214638","113-9870855-8214639"]&app_key=ak_TESTAPPID1234&date_type=1&end_date=2022-03-01&length=1000&offset=0&sid=6,7,19&start_date=2022-02-01&timestamp=1720429074`,
			md5:       "E83B526EBBCA5FD01E66BD22D624F275", sign: "CVHpzQ9LLNae8xvoTWdDlhCpWMwgUVYl/u/LwHZ9R0ukfcL7JhOT7inzLF4fpaZL", skipEmpty: true},
		{name: "CustomerIndex",
			body:      `{"sort_field":"order_items","sort_type":"desc","date_field":"first_purchase_date","start_date":"2021-01-31","end_date":"2021-03-02","currency_type":0,"search_field":"buyer_email","offset":0,"length":20,"search_value":"t83lnqt83k5317b@marketplace.amazon.com","sids":"17"}`,
			canonical: `access_token=4dcaa78e-b52d-4325-bc35-571021bb0787&app_key=ak_TESTAPPID1234&currency_type=0&date_field=first_purchase_date&end_date=2021-03-02&length=20&offset=0&search_field=buyer_email&search_value=t83lnqt83k5317b@marketplace.amazon.com&sids=17&sort_field=order_items&sort_type=desc&start_date=2021-01-31&timestamp=1720429074`,
			md5:       "B302FD1FA8F297A6199BFC6BC3F8D476", sign: "LHbRHibdO/5/n82+22XTWZTiHqnm12TMLJvewXApxySkfcL7JhOT7inzLF4fpaZL", skipEmpty: true},
		{name: "EmptySkipped", body: `{"offset":0,"length":20,"search_value":""}`,
			md5: "E3F133425012B7CDFADCBFB81A5E0355", sign: "Pzk/RUl9EOmktg5nSj1rndwl2L6WdBjTDpY8LKo+DUSkfcL7JhOT7inzLF4fpaZL", skipEmpty: true},
		{name: "EmptyIncluded", body: `{"offset":0,"length":20,"search_value":""}`,
			md5: "E07BECD8C3487F879A20CABF73BA4AD1", sign: "jxVqSSweqKa9FZX7Faj54UMAoo+WG0HCj89JChV1hBGkfcL7JhOT7inzLF4fpaZL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := params(t, tt.body)
			c := sign.Canonical(p, tt.skipEmpty)
			if tt.canonical != "" && c != tt.canonical {
				t.Fatalf("canonical\n got %s\nwant %s", c, tt.canonical)
			}
			if d := sign.Digest(c); d != tt.md5 {
				t.Fatalf("md5 %s, want %s", d, tt.md5)
			}
			s, err := sign.Sign(appID, c)
			if err != nil || s != tt.sign {
				t.Fatalf("sign %s, want %s (%v)", s, tt.sign, err)
			}
			if !sign.Verify(appID, tt.sign, p) {
				t.Fatal("Verify rejected the vector")
			}
		})
	}
}

func TestVerifyVariants(t *testing.T) {
	p := params(t, `{"offset":0,"length":20,"search_value":""}`)
	good := "Pzk/RUl9EOmktg5nSj1rndwl2L6WdBjTDpY8LKo+DUSkfcL7JhOT7inzLF4fpaZL"
	for name, s := range map[string]string{
		"Raw":          good,
		"PlusAsSpace":  "Pzk/RUl9EOmktg5nSj1rndwl2L6WdBjTDpY8LKo DUSkfcL7JhOT7inzLF4fpaZL",
		"EncodedTwice": url.QueryEscape(good), // what is left after the query string's own decoding
	} {
		if !sign.Verify(appID, s, p) {
			t.Errorf("%s: rejected", name)
		}
	}
	p["offset"] = "1"
	if sign.Verify(appID, good, p) {
		t.Error("a changed field still verified")
	}
	if sign.Verify("ak_OTHERAPPID123", good, params(t, `{"offset":0,"length":20,"search_value":""}`)) {
		t.Error("another app's key verified")
	}
	if sign.Verify(appID, "not base64!", p) {
		t.Error("garbage verified")
	}
}

func TestBodyCommonParamsIgnored(t *testing.T) {
	// PHP and Go SDKs repeat the common params in the body; the query's values win.
	p := params(t, `{"offset":0,"access_token":"`+token+`","timestamp":1720429074,"app_key":"`+appID+`"}`)
	if p["timestamp"] != ts || p["offset"] != "0" {
		t.Fatalf("params = %v", p)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add(`{"a":"1","b":[1,2],"c":null}`, "x")
	f.Add(`{}`, "")
	f.Add(`{"o":{"b":1,"a":[null,"\u00e9<"]},"e":"","timestamp":1}`, "%2B")
	f.Fuzz(func(t *testing.T, body, junk string) {
		q := url.Values{"access_token": {token}, "app_key": {appID}, "timestamp": {ts}}
		p, err := sign.FromRequest(q, []byte(body))
		if err != nil {
			return
		}
		sign.Verify(appID, junk, p) // must not panic
		sign.VerifyRequest(appID, junk, q, []byte(body))
		for _, skip := range []bool{true, false} {
			s, err := sign.Sign(appID, sign.Canonical(p, skip))
			if err != nil || !sign.Verify(appID, s, p) {
				t.Fatalf("round trip failed for %q", body)
			}
			if ok, err := sign.VerifyRequest(appID, s, q, []byte(body)); !ok || err != nil {
				t.Fatalf("request round trip failed for %q: %v", body, err)
			}
			// However the query string carried it.
			for _, enc := range []string{url.QueryEscape(s), url.QueryEscape(url.QueryEscape(s))} {
				dec, _ := url.ParseQuery("sign=" + enc)
				if !sign.Verify(appID, dec.Get("sign"), p) {
					t.Fatalf("encoded sign %q rejected", enc)
				}
			}
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	q := url.Values{"access_token": {token}, "app_key": {appID}, "timestamp": {ts}}
	body := []byte(`{"sid":"6,7,19","start_date":"2022-02-01","end_date":"2022-03-01","date_type":1,"after_type":"1,2","offset":0,"length":1000,"amazon_order_id_list":["113-9870855-8214638","113-9870855-8214639"]}`)
	b.ReportAllocs()
	for b.Loop() {
		p, err := sign.FromRequest(q, body)
		if err != nil || !sign.Verify(appID, "CVHpzQ9LLNae8xvoTWdDlhCpWMwgUVYl/u/LwHZ9R0ukfcL7JhOT7inzLF4fpaZL", p) {
			b.Fatal("verify failed")
		}
	}
}
