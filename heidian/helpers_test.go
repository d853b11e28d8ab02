package heidian_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/heidian"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// t0 is the fixed clock of the store and the server: 16:00 in Asia/Shanghai.
var t0 = time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)

const t0Shanghai = "2024-05-01T16:00:00+08:00"

// env is a real HTTP server over a fresh SQLite store, with bearer tokens by scope set:
// "rw" (crm:read crm:write), "ro" (crm:read), "read", "write", "expired".
type env struct {
	t      testing.TB
	store  *sqlstore.Store
	srv    *httptest.Server
	tokens map[string]string
}

func newEnv(t testing.TB) *env { return newEnvWith(t, nil) }

// newEnvWith is newEnv with a chance to adjust the server before it starts.
func newEnvWith(t testing.TB, adjust func(*heidian.Server)) *env {
	t.Helper()
	st := storetest.MustOpen(t)
	st.Now = func() time.Time { return t0 }
	hs := &heidian.Server{Customers: st, Segments: st, Coupons: st, OAuth: st, Versions: st,
		Now: func() time.Time { return t0 }}
	if adjust != nil {
		adjust(hs)
	}
	e := &env{t: t, store: st, srv: httptest.NewServer(hs.Handler()), tokens: map[string]string{}}
	t.Cleanup(e.srv.Close)
	// The expired token comes last: making a token deletes the expired ones.
	for _, tk := range []struct {
		name   string
		scopes []string
	}{{"rw", []string{"crm:read", "crm:write"}}, {"ro", []string{"crm:read"}}, {"read", []string{"read"}},
		{"write", []string{"write"}}, {"expired", []string{"crm:read"}}} {
		tok, hash, err := heidian.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		exp := t0.Add(time.Hour)
		if tk.name == "expired" {
			exp = t0.Add(-time.Second)
			st.Now = func() time.Time { return t0.Add(-time.Hour) }
		}
		if err := st.CreateOAuthToken(context.Background(), &shopcrm.OAuthToken{Hash: hash, Scopes: tk.scopes, ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
		e.tokens[tk.name] = tok
	}
	st.Now = func() time.Time { return t0 }
	return e
}

// do sends a request with the named token ("" = none) and returns status, headers and body.
func (e *env) do(method, path, token, body string) (int, http.Header, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[token])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

// call is one step of an API scenario. want is the expected JSON body ("" = not checked);
// "{{base}}" in it stands for the server's URL.
type call struct {
	name         string
	method, path string
	token        string
	body         string
	status       int
	want         string
}

// run performs the calls in order, each as a subtest, comparing status and body.
func (e *env) run(t *testing.T, calls []call) {
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			status, _, body := e.do(c.method, c.path, c.token, c.body)
			if status != c.status {
				t.Fatalf("%s %s: status %d, want %d; body %s", c.method, c.path, status, c.status, body)
			}
			if c.want != "" {
				jsonEqual(t, strings.ReplaceAll(c.want, "{{base}}", e.srv.URL), body)
			}
		})
	}
}

func jsonEqual(t *testing.T, want string, got []byte) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want %s: %v", want, err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %q", got)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Fatalf("body (-want +got):\n%s", diff)
	}
}

// ids returns the ids of the results of a page body.
func ids(t *testing.T, body []byte) []int64 {
	t.Helper()
	var p struct {
		Results []struct {
			ID int64 `json:"id"`
		} `json:"results"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("not a page: %s", body)
	}
	out := []int64{}
	for _, r := range p.Results {
		out = append(out, r.ID)
	}
	return out
}

// customer is the full representation of a customer created at t0 with the given fields
// over the defaults, as the seed's create response shows it.
func customer(fields string) string {
	var c map[string]any
	json.Unmarshal([]byte(`{"id":1,"multipass_identifier":null,"mobile":"","full_name":"","gender":"unknown","email":"",
		"birthday":null,"avatar":"","note":"","accepts_marketing":false,"created_at":"`+t0Shanghai+`",
		"updated_at":"`+t0Shanghai+`","referral_code":"","referrer":null,"tags":[],"addresses":[],"segments":[],
		"segment_ids":[],"statistics":{"last_order_id":null,"last_order_paid_at":null,"abandoned_checkouts":0,
		"orders":0,"paid_orders":0,"total_spent":"0.00","average_order_price":"0.00","visits":0,"visits_per_day":"0.00",
		"customers_referred":0,"total_spent_of_referred":"0.00","preferred_device":"","location":""},
		"profile":{"source_name":"unknown","campaign_name":"","campaign_source":"","campaign_medium":"",
		"campaign_content":"","campaign_term":""},"wechat_nickname":"","level":null,"total_points":0,"points":0,
		"metafields":[]}`), &c)
	var over map[string]any
	if err := json.Unmarshal([]byte(fields), &over); err != nil {
		panic(err)
	}
	for k, v := range over {
		c[k] = v
	}
	b, _ := json.Marshal(c)
	return string(b)
}
