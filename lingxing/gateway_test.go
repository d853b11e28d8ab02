package lingxing_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm/lingxing/client"
)

const sellers = "/erp/sc/data/seller/lists"

func TestTokenEndpoint(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	post := func(t *testing.T, path, contentType string, body io.Reader) string {
		resp, err := http.Post(e.url+path, contentType, body)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("HTTP %d", resp.StatusCode)
		}
		return string(b)
	}
	form := url.Values{"appId": {c.AppID}, "appSecret": {c.AppSecret}}
	t.Run("Urlencoded", func(t *testing.T) {
		got := post(t, "/api/auth-server/oauth/access-token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if !strings.Contains(got, `"code":"200","msg":"OK"`) || !strings.Contains(got, `"expires_in":7199`) {
			t.Fatalf("reply %s", got)
		}
	})
	t.Run("Multipart", func(t *testing.T) {
		body := "--b\r\nContent-Disposition: form-data; name=\"appId\"\r\n\r\n" + c.AppID +
			"\r\n--b\r\nContent-Disposition: form-data; name=\"appSecret\"\r\n\r\n" + c.AppSecret + "\r\n--b--\r\n"
		got := post(t, "/api/auth-server/oauth/access-token", "multipart/form-data; boundary=b", strings.NewReader(body))
		if !strings.Contains(got, `"code":"200"`) {
			t.Fatalf("reply %s", got)
		}
	})
	t.Run("SecretPlusAsSpace", func(t *testing.T) {
		// A secret pasted into a query string unencoded: its '+' arrive as spaces.
		raw := "appId=" + c.AppID + "&appSecret=" + strings.ReplaceAll(c.AppSecret, "+", "%20")
		if got := post(t, "/api/auth-server/oauth/access-token?"+raw, "", nil); !strings.Contains(got, `"code":"200"`) {
			t.Fatalf("reply %s", got)
		}
	})
	t.Run("Err2001001", func(t *testing.T) {
		got := post(t, "/api/auth-server/oauth/access-token?appId=ak_nosuchapp0000&appSecret=x", "", nil)
		if got != `{"code":"2001001","msg":"app not exist","data":null}`+"\n" {
			t.Fatalf("reply %s", got)
		}
	})
	t.Run("Err2001002", func(t *testing.T) {
		got := post(t, "/api/auth-server/oauth/access-token?appId="+c.AppID+"&appSecret=wrong", "", nil)
		if !strings.Contains(got, `"code":"2001002"`) {
			t.Fatalf("reply %s", got)
		}
	})
}

func TestRefreshRotation(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	ctx := context.Background()
	if err := c.Token(ctx); err != nil {
		t.Fatal(err)
	}
	oldAccess, oldRefresh := c.Tokens()
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	// The old access token is retired; the new one works.
	stale := clone(c)
	stale.SetAccessToken(oldAccess)
	if got := code(stale.Raw(ctx, "GET", sellers, nil)); got != "2001005" {
		t.Fatalf("old access token: code %s, want 2001005", got)
	}
	if got := code(c.Raw(ctx, "GET", sellers, nil)); got != "0" {
		t.Fatalf("new access token: code %s", got)
	}
	// A refresh token works once.
	reuse := client.New(e.url, c.AppID, c.AppSecret)
	reuse.SetAccessToken("x")
	err := reuseRefresh(ctx, reuse, oldRefresh)
	if err == nil || !strings.Contains(err.Error(), "2001009") {
		t.Fatalf("spent refresh token: %v, want 2001009", err)
	}
	// A refresh token expires after two hours.
	e.clock.Add(2*time.Hour + time.Second)
	if err := c.Refresh(ctx); err == nil || !strings.Contains(err.Error(), "2001008") {
		t.Fatalf("expired refresh token: %v, want 2001008", err)
	}
}

func reuseRefresh(ctx context.Context, c *client.Client, refresh string) error {
	req, _ := http.NewRequestWithContext(ctx, "POST", c.BaseURL+"/api/auth-server/oauth/refresh?appId="+c.AppID+"&refreshToken="+refresh, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(b), `"code":"200"`) {
		return nil
	}
	return &strError{string(b)}
}

type strError struct{ s string }

func (e *strError) Error() string { return e.s }

func TestGatewayErrors(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	ctx := context.Background()
	if err := c.Token(ctx); err != nil {
		t.Fatal(err)
	}
	get := func(query string) string {
		resp, err := http.Get(e.url + sellers + "?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	access, _ := c.Tokens()
	if got := get("access_token=" + access + "&app_key=" + c.AppID); !strings.Contains(got, `"code":"3001001"`) {
		t.Errorf("missing sign: %s", got)
	}
	ts := time.Now().Unix()
	if got := get(url.Values{"access_token": {access}, "app_key": {"ak_nosuchapp0000"}, "timestamp": {itoa(ts)}, "sign": {"x"}}.Encode()); !strings.Contains(got, `"code":"2001001"`) {
		t.Errorf("unknown app: %s", got)
	}
	if got := get(url.Values{"access_token": {"nope"}, "app_key": {c.AppID}, "timestamp": {itoa(ts)}, "sign": {"x"}}.Encode()); !strings.Contains(got, `"code":"2001005"`) {
		t.Errorf("wrong token: %s", got)
	}
	if got := get(url.Values{"access_token": {access}, "app_key": {c.AppID}, "timestamp": {itoa(ts)}, "sign": {"x"}}.Encode()); !strings.Contains(got, `"code":"2001006"`) {
		t.Errorf("bad sign: %s", got)
	}
	// An app with no token yet.
	other := e.newClient(t)
	if got := get(url.Values{"access_token": {access}, "app_key": {other.AppID}, "timestamp": {itoa(ts)}, "sign": {"x"}}.Encode()); !strings.Contains(got, `"code":"2001003"`) {
		t.Errorf("no token: %s", got)
	}
	// A sign older than 120 s.
	old := clone(c)
	old.Now = func() time.Time { return e.clock.Now().Add(-121 * time.Second) }
	if got := code(old.Raw(ctx, "GET", sellers, nil)); got != "2001007" {
		t.Errorf("old sign: code %s, want 2001007", got)
	}
	// The access token expires after 7199 s.
	e.clock.Add(7200 * time.Second)
	c.Now = e.clock.Now
	if got := code(c.Raw(ctx, "GET", sellers, nil)); got != "2001003" {
		t.Errorf("expired token: code %s, want 2001003", got)
	}
}

func TestSignVariants(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	body := map[string]any{"date": "2024-05", "note": ""}
	for name, set := range map[string]func(*client.Client){
		"Default":            func(*client.Client) {},
		"EmptyIncluded":      func(c *client.Client) { c.IncludeEmpty = true },
		"DoubleEncoded":      func(c *client.Client) { c.DoubleEncodeSign = true },
		"CommonParamsInBody": func(c *client.Client) { c.CommonParamsInBody = true },
	} {
		t.Run(name, func(t *testing.T) {
			c := e.newClient(t)
			set(c)
			var rates []map[string]any
			if _, err := c.Do(ctx, "POST", "/erp/sc/routing/finance/currency/currencyMonth", body, &rates); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	big := map[string]string{"date": "2024-05", "pad": strings.Repeat("x", 1<<20)}
	env, err := c.Raw(context.Background(), "POST", "/erp/sc/routing/finance/currency/currencyMonth", big)
	if code(env, err) != "102" || !strings.Contains(strings.Join(env.ErrorDetails, ";"), "body") {
		t.Fatalf("oversized body: %+v", env)
	}
}

func itoa(v int64) string { return formatInt(v) }
