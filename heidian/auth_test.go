package heidian_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/heidian"
)

const (
	notProvided = `{"detail":"Authentication credentials were not provided."}`
	badToken    = `{"detail":"Invalid token."}`
	forbidden   = `{"detail":"You do not have permission to perform this action."}`
)

func TestScopes(t *testing.T) {
	e := newEnv(t)
	e.tokens["bogus"], e.tokens["empty"] = "no-such-token", ""
	const list = "/api/crm/customer/"
	e.run(t, []call{
		{name: "ErrNoToken", method: "GET", path: list, status: 401, want: notProvided},
		{name: "ErrUnknownToken", method: "GET", path: list, token: "bogus", status: 401, want: badToken},
		{name: "ErrEmptyToken", method: "GET", path: list, token: "empty", status: 401, want: badToken},
		{name: "ErrExpiredToken", method: "GET", path: list, token: "expired", status: 401, want: badToken},
		{name: "ErrNoTokenOnUnknownMethod", method: "PUT", path: list, status: 401, want: notProvided},
		{name: "CrmReadReads", method: "GET", path: list, token: "ro", status: 200},
		{name: "ReadReads", method: "GET", path: list, token: "read", status: 200},
		{name: "ErrCrmReadWrites", method: "POST", path: list, token: "ro", body: `{}`, status: 403, want: forbidden},
		{name: "ErrReadWrites", method: "POST", path: "/api/crm/segment/", token: "read", body: `{"title":"x"}`, status: 403, want: forbidden},
		{name: "WriteWrites", method: "POST", path: "/api/crm/segment/", token: "write", body: `{"title":"x"}`, status: 201},
		{name: "ErrWriteReads", method: "GET", path: "/api/crm/segment/1/", token: "write", status: 403, want: forbidden},
		{name: "ErrReadDeletes", method: "DELETE", path: "/api/crm/segment/1/", token: "ro", status: 403, want: forbidden},
		{name: "ErrReadPatches", method: "PATCH", path: "/api/crm/segment/1/", token: "read", body: `{}`, status: 403, want: forbidden},
		{name: "CrmWriteDeletes", method: "DELETE", path: "/api/crm/segment/1/", token: "rw", status: 204},
	})
	t.Run("ErrOtherScheme", func(t *testing.T) {
		req, _ := http.NewRequest("GET", e.srv.URL+list, nil)
		req.SetBasicAuth("a", "b")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 401 || res.Header.Get("WWW-Authenticate") == "" {
			t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
		}
		jsonEqual(t, notProvided, b)
	})
}

func TestOAuthToken(t *testing.T) {
	e := newEnv(t)
	id, secret, hash, err := heidian.NewClientCredentials()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.CreateOAuthClient(context.Background(), &shopcrm.OAuthClient{ClientID: id, Name: "pos",
		SecretHash: hash, Scopes: []string{"crm:read", "crm:write"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(id, "cl_") || cmp.Equal(hash, heidian.HashSecret(secret+"x")) || !cmp.Equal(hash, heidian.HashSecret(secret)) {
		t.Fatalf("credentials %q %q %x", id, secret, hash)
	}
	for _, tt := range []struct {
		name   string
		path   string
		basic  [2]string // client id and secret by HTTP Basic
		form   url.Values
		status int
		err    string // the "error" member, or "" for success
		scope  string
	}{
		{"BasicOK", "/oauth/token", [2]string{id, secret}, url.Values{"grant_type": {"client_credentials"}}, 200, "", "crm:read crm:write"},
		{"FormOK", "/oauth/token/", [2]string{}, url.Values{"grant_type": {"client_credentials"}, "client_id": {id},
			"client_secret": {secret}}, 200, "", "crm:read crm:write"},
		{"NarrowScope", "/oauth/token", [2]string{id, secret}, url.Values{"grant_type": {"client_credentials"},
			"scope": {"crm:read"}}, 200, "", "crm:read"},
		{"ErrWiderScope", "/oauth/token", [2]string{id, secret}, url.Values{"grant_type": {"client_credentials"},
			"scope": {"crm:read write"}}, 400, "invalid_scope", ""},
		{"ErrWrongSecret", "/oauth/token", [2]string{id, secret + "x"}, url.Values{"grant_type": {"client_credentials"}}, 401, "invalid_client", ""},
		{"ErrUnknownClient", "/oauth/token", [2]string{"cl_nobody", secret}, url.Values{"grant_type": {"client_credentials"}}, 401, "invalid_client", ""},
		{"ErrNoClient", "/oauth/token", [2]string{}, url.Values{"grant_type": {"client_credentials"}}, 401, "invalid_client", ""},
		{"ErrTwoAuthMethods", "/oauth/token", [2]string{id, secret}, url.Values{"grant_type": {"client_credentials"},
			"client_secret": {secret}}, 400, "invalid_request", ""},
		{"ErrNoGrantType", "/oauth/token", [2]string{id, secret}, url.Values{}, 400, "invalid_request", ""},
		{"ErrPasswordGrant", "/oauth/token", [2]string{id, secret}, url.Values{"grant_type": {"password"}}, 400, "unsupported_grant_type", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.srv.URL+tt.path, strings.NewReader(tt.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.basic[0] != "" {
				req.SetBasicAuth(tt.basic[0], tt.basic[1])
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var body map[string]any
			json.NewDecoder(res.Body).Decode(&body)
			if res.StatusCode != tt.status || res.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("status %d, Cache-Control %q, body %v", res.StatusCode, res.Header.Get("Cache-Control"), body)
			}
			if tt.err != "" {
				if diff := cmp.Diff(map[string]any{"error": tt.err}, body); diff != "" {
					t.Fatalf("body (-want +got):\n%s", diff)
				}
				return
			}
			tok, _ := body["access_token"].(string)
			want := map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600.0, "scope": tt.scope}
			if diff := cmp.Diff(want, body); diff != "" || len(tok) < 40 {
				t.Fatalf("body (-want +got):\n%s", diff)
			}
			// The token works, within its scopes.
			e.tokens["issued"] = tok
			if status, _, b := e.do("GET", "/api/crm/customer/", "issued", ""); status != 200 {
				t.Fatalf("GET with the token: %d %s", status, b)
			}
			wantPost := 201
			if !strings.Contains(tt.scope, "write") {
				wantPost = 403
			}
			if status, _, b := e.do("POST", "/api/crm/segment/", "issued", `{"title":"x"}`); status != wantPost {
				t.Fatalf("POST with the token: %d %s", status, b)
			}
		})
	}
	e.run(t, []call{
		{name: "ErrGet", method: "GET", path: "/oauth/token", status: 405, want: `{"detail":"Method \"GET\" not allowed."}`},
	})
}
