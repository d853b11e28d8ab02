package lingxing_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// send sends a request and returns the body, failing on any HTTP status but 200: clients
// treat those as transport failures.
func send(t *testing.T, req *http.Request) string {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("HTTP %d: %s", resp.StatusCode, b)
	}
	return string(b)
}

func TestNoService(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	for name, tt := range map[string]struct{ method, path string }{
		"UnknownPath": {"POST", "/erp/sc/nothing/here"},
		"WrongMethod": {"POST", sellers},
	} {
		t.Run(name, func(t *testing.T) {
			env, err := c.Raw(context.Background(), tt.method, tt.path, nil)
			if code(env, err) != "400" || env.Message != "服务不存在" {
				t.Fatalf("%+v %v", env, err)
			}
		})
	}
}

// The wire forms of the sign clients send: encoded once (the default), '+' unencoded (read
// as a space), encoded twice.
func TestSignOnTheWire(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.newClient(t)
	for name, mangle := range map[string]func(string) string{
		"Encoded":      func(q string) string { return q },
		"PlusRaw":      func(q string) string { return strings.ReplaceAll(strings.ReplaceAll(q, "%2B", "+"), "%2F", "/") },
		"EncodedTwice": func(q string) string { return strings.ReplaceAll(q, "%", "%25") },
	} {
		t.Run(name, func(t *testing.T) {
			// Retry until the sign holds a '+', so every form is exercised (a sign has one in
			// most requests; the timestamp changes it).
			for i := 0; ; i++ {
				req, err := c.NewRequest(ctx, "POST", "/erp/sc/routing/finance/currency/currencyMonth", map[string]string{"date": "2024-05"})
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(req.URL.Query().Get("sign"), "+") && i < 50 {
					e.clock.Add(time.Second)
					continue
				}
				req.URL.RawQuery = mangle(req.URL.RawQuery)
				if got := send(t, req); !strings.HasPrefix(got, `{"code":0,"message":"success"`) {
					t.Fatalf("reply %s", got)
				}
				return
			}
		})
	}
}

func TestSignFromTheFuture(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	ctx := context.Background()
	if err := c.Token(ctx); err != nil {
		t.Fatal(err)
	}
	c.Now = func() time.Time { return e.clock.Now().Add(121 * time.Second) }
	if got := code(c.Raw(ctx, "GET", sellers, nil)); got != "2001007" {
		t.Fatalf("code %s, want 2001007", got)
	}
	c.Now = func() time.Time { return e.clock.Now().Add(119 * time.Second) }
	if got := code(c.Raw(ctx, "GET", sellers, nil)); got != "0" {
		t.Fatalf("within 120 s: code %s", got)
	}
}

// GET business params travel in the query and are signed; tampering with one is caught.
func TestGetParamsSigned(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	req, err := c.NewRequest(context.Background(), "GET", sellers, map[string]any{"offset": 0, "length": 20})
	if err != nil {
		t.Fatal(err)
	}
	if got := send(t, req.Clone(context.Background())); !strings.Contains(got, `"code":0`) {
		t.Fatalf("reply %s", got)
	}
	req.URL.RawQuery = strings.Replace(req.URL.RawQuery, "length=20", "length=21", 1)
	if got := send(t, req); got != `{"code":"2001006","msg":"api sign not correct","data":null}`+"\n" {
		t.Fatalf("tampered: %s", got)
	}
}

// The seller list's envelope has no total, as Lingxing's; the other fields are all there.
func TestSellerListEnvelope(t *testing.T) {
	e := newEnv(t)
	req, err := e.newClient(t).NewRequest(context.Background(), "GET", sellers, nil)
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal([]byte(send(t, req)), &env); err != nil {
		t.Fatal(err)
	}
	if _, ok := env["total"]; ok {
		t.Errorf("total present")
	}
	for _, k := range []string{"code", "message", "error_details", "request_id", "response_time", "data"} {
		if _, ok := env[k]; !ok {
			t.Errorf("%s missing", k)
		}
	}
	var rows []map[string]any
	json.Unmarshal(env["data"], &rows)
	want := []string{"sid", "mid", "name", "seller_id", "account_name", "seller_account_id", "region", "country",
		"has_ads_setting", "marketplace_id", "status"}
	for _, k := range want {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("row field %s missing", k)
		}
	}
	if string(env["error_details"]) != "[]" || string(env["code"]) != "0" {
		t.Errorf("envelope %s %s", env["code"], env["error_details"])
	}
	if _, err := time.Parse(time.DateTime, strings.Trim(string(env["response_time"]), `"`)); err != nil {
		t.Errorf("response_time: %v", err)
	}
}

func TestBodyNotAnObject(t *testing.T) {
	e := newEnv(t)
	req, err := e.newClient(t).NewRequest(context.Background(), "POST", "/erp/sc/routing/finance/currency/currencyMonth", map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	req.Body, req.ContentLength = io.NopCloser(strings.NewReader(`[1]`)), 3
	var env struct {
		Code         int      `json:"code"`
		ErrorDetails []string `json:"error_details"`
	}
	if err := json.Unmarshal([]byte(send(t, req)), &env); err != nil || env.Code != 102 ||
		len(env.ErrorDetails) != 1 || !strings.HasPrefix(env.ErrorDetails[0], "body:") {
		t.Fatalf("%+v %v", env, err)
	}
}
