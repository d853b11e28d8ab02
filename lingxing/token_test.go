package lingxing_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Issuing a new token retires the app's previous one: 2001005 for the old.
func TestTokenRetired(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.newClient(t)
	if err := c.Token(ctx); err != nil {
		t.Fatal(err)
	}
	old := clone(c)
	second := clone(c)
	if err := second.Token(ctx); err != nil {
		t.Fatal(err)
	}
	if got := code(old.Raw(ctx, "GET", sellers, nil)); got != "2001005" {
		t.Fatalf("retired token: code %s, want 2001005", got)
	}
	if got := code(second.Raw(ctx, "GET", sellers, nil)); got != "0" {
		t.Fatalf("new token: code %s", got)
	}
	a, r := second.Tokens()
	if len(a) != 36 || len(r) != 36 || a == r || strings.Count(a, "-") != 4 {
		t.Fatalf("tokens %q %q are not UUID-like", a, r)
	}
}

// Some guides post the credentials as JSON; the body may also be empty with a query string.
func TestTokenJSONBody(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	body := `{"appId":"` + c.AppID + `","appSecret":"` + c.AppSecret + `"}`
	resp, err := http.Post(e.url+"/api/auth-server/oauth/access-token", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !strings.HasPrefix(string(b), `{"code":"200","msg":"OK","data":{"access_token":"`) {
		t.Fatalf("reply %s", b)
	}
}

// A refresh token works once even when two requests race with it.
func TestRefreshRace(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.newClient(t)
	if err := c.Token(ctx); err != nil {
		t.Fatal(err)
	}
	_, rt := c.Tokens()
	var wg sync.WaitGroup
	replies := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := url.Values{"appId": {c.AppID}, "refreshToken": {rt}}
			resp, err := http.Post(e.url+"/api/auth-server/oauth/refresh?"+q.Encode(), "", nil)
			if err != nil {
				replies <- err.Error()
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			replies <- string(b)
		}()
	}
	wg.Wait()
	close(replies)
	ok, invalid := 0, 0
	for r := range replies {
		switch {
		case strings.Contains(r, `"code":"200"`):
			ok++
		case strings.Contains(r, `"code":"2001009"`):
			invalid++
		default:
			t.Errorf("reply %s", r)
		}
	}
	if ok != 1 || invalid != 7 {
		t.Fatalf("%d refreshed, %d refused; want 1 and 7", ok, invalid)
	}
}

// Refresh errors: unknown app, missing token.
func TestRefreshErrors(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	for q, want := range map[string]string{
		"appId=ak_nosuchapp0000&refreshToken=x": "2001001",
		"appId=" + c.AppID + "&refreshToken=":   "2001009",
		"appId=" + c.AppID:                      "2001009",
	} {
		resp, err := http.Post(e.url+"/api/auth-server/oauth/refresh?"+q, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), `"code":"`+want+`"`) || !strings.HasSuffix(string(b), "\"data\":null}\n") {
			t.Errorf("%s: %s, want %s", q, b, want)
		}
	}
}

// The client renews an expired access token with its refresh token and retries.
func TestClientRenewsExpiredToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.newClient(t)
	e.clock.Add(-time.Duration(e.clock.Now().Nanosecond())) // whole seconds, as expiries are stored
	if err := c.Token(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := c.Tokens()
	c.AppSecret = "wrong"                                // so only the refresh token can renew
	e.clock.Add(7199*time.Second + 500*time.Millisecond) // access token expired, refresh token (2 h) not yet
	var shops []map[string]any
	if _, err := c.Do(ctx, "GET", sellers, nil, &shops); err != nil {
		t.Fatal(err)
	}
	if after, _ := c.Tokens(); after == before || len(shops) != 2 {
		t.Fatalf("token not renewed (%v) or shops %v", after == before, shops)
	}
}
