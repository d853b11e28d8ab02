package sign_test

import (
	"net/url"
	"testing"

	"github.com/shopcrm/shopcrm/lingxing/sign"
)

var common = url.Values{"access_token": {token}, "app_key": {appID}, "timestamp": {ts}}

// signOf signs a canonical string the way a client would have built it by hand.
func signOf(t *testing.T, canonical string) string {
	t.Helper()
	s, err := sign.Sign(appID, canonical)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVerifyRequest(t *testing.T) {
	pre := "access_token=" + token + "&app_key=" + appID
	for _, tt := range []struct {
		name, body, canonical string
	}{
		// Go and Python (sort_keys) sort nested keys.
		{"NestedSorted", `{"f":{"b":1,"a":"x"}}`, pre + `&f={"a":"x","b":1}&timestamp=` + ts},
		// JS and PHP keep the order they send.
		{"NestedAsSent", `{"f":{"b":1,"a":"x"}}`, pre + `&f={"b":1,"a":"x"}&timestamp=` + ts},
		// Whitespace in the body is not part of the value.
		{"NestedSpaced", `{"f": [1, 2]}`, pre + `&f=[1,2]&timestamp=` + ts},
		// Python's ensure_ascii escapes sign as sent.
		{"EscapesAsSent", `{"f":["\u00e9"]}`, pre + `&f=["\u00e9"]&timestamp=` + ts},
		{"EscapesDecoded", `{"f":["\u00e9"]}`, pre + `&f=["é"]&timestamp=` + ts},
		{"NoHTMLEscape", `{"f":["<a&b>"]}`, pre + `&f=["<a&b>"]&timestamp=` + ts},
		{"NullAsText", `{"n":null,"o":0}`, pre + `&n=null&o=0&timestamp=` + ts},
		{"NullSkipped", `{"n":null,"o":0}`, pre + `&o=0&timestamp=` + ts},
		{"NumberText", `{"o":20.0,"b":true}`, pre + `&b=true&o=20.0&timestamp=` + ts},
		{"EmptyIncluded", `{"e":"","o":0}`, pre + `&e=&o=0&timestamp=` + ts},
		{"EmptyBody", ``, pre + `&timestamp=` + ts},
		// The PHP SDK repeats the common params in the body, timestamp as a number.
		{"CommonInBody", `{"o":0,"timestamp":1720429074,"app_key":"x"}`, pre + `&o=0&timestamp=` + ts},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := sign.VerifyRequest(appID, signOf(t, tt.canonical), common, []byte(tt.body))
			if err != nil || !ok {
				t.Fatalf("rejected (%v); canonical %s", err, tt.canonical)
			}
		})
	}
}

func TestVerifyRequestRejects(t *testing.T) {
	pre := "access_token=" + token + "&app_key=" + appID
	good := signOf(t, pre+`&o=0&timestamp=`+ts)
	for name, body := range map[string]string{
		"OtherValue":   `{"o":1}`,
		"ExtraField":   `{"o":0,"p":"x"}`,
		"NumberFormat": `{"o":0.0}`,
	} {
		if ok, _ := sign.VerifyRequest(appID, good, common, []byte(body)); ok {
			t.Errorf("%s: accepted", name)
		}
	}
	for _, body := range []string{`[1]`, `null`, `"x"`, `{"a":`} {
		if _, err := sign.VerifyRequest(appID, good, common, []byte(body)); err == nil {
			t.Errorf("body %s: no error", body)
		}
	}
	q := url.Values{"access_token": {"other"}, "app_key": {appID}, "timestamp": {ts}}
	if ok, _ := sign.VerifyRequest(appID, good, q, []byte(`{"o":0}`)); ok {
		t.Error("another token accepted")
	}
}

func TestCanonicalBothVariants(t *testing.T) {
	p := sign.Params{"b": "", "a": "1", "c": "null"}
	if got := sign.Canonical(p, true); got != "a=1&c=null" {
		t.Errorf("skip empty: %s", got)
	}
	if got := sign.Canonical(p, false); got != "a=1&b=&c=null" {
		t.Errorf("include empty: %s", got)
	}
}
