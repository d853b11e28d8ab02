package lingxing

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/lingxing/client"
	"github.com/shopcrm/shopcrm/storetest"
)

// testEndpoints registers endpoints that exist only in tests, the way a real one registers.
func testEndpoints(t *testing.T) (*client.Client, *bytes.Buffer) {
	t.Helper()
	st := storetest.MustOpen(t)
	ctx := context.Background()
	id, secret, hash, err := NewAppCredentials()
	if err != nil {
		t.Fatal(err)
	}
	if len(id) != 16 || !strings.HasPrefix(id, "ak_") {
		t.Fatalf("appId %q", id)
	}
	if err := st.CreateApp(ctx, &shopcrm.App{AppID: id, Name: "t", SecretHash: hash}); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s := &Server{Apps: st, Shops: st, Rates: st, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	h := s.Handler()
	s.business("POST /test/whoami", func(ctx context.Context, app *shopcrm.App, _ []byte) (any, int, error) {
		if AppFromContext(ctx) != app {
			return nil, 0, errors.New("no app in the context")
		}
		return map[string]string{"app": AppFromContext(ctx).AppID}, 1, nil
	})
	s.business("POST /test/fail", func(ctx context.Context, _ *shopcrm.App, body []byte) (any, int, error) {
		switch string(body) {
		case `{"e":"invalid"}`:
			var fe shopcrm.FieldErrors
			fe.Add("start_date", "required")
			fe.Add("length", "at most 200")
			return nil, 0, fe.Err()
		case `{"e":"not_found"}`:
			return nil, 0, shopcrm.Errorf(shopcrm.ENOTFOUND, "no such order")
		default:
			return nil, 0, errors.New("dial tcp: password=hunter2")
		}
	})
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return client.New(hs.URL, id, secret), &logs
}

func TestAppFromContext(t *testing.T) {
	c, _ := testEndpoints(t)
	var out map[string]string
	if _, err := c.Do(context.Background(), "POST", "/test/whoami", nil, &out); err != nil || out["app"] != c.AppID {
		t.Fatalf("%v %v", out, err)
	}
}

// The one table maps domain errors to business codes; internal details never reach clients.
func TestErrorMapping(t *testing.T) {
	c, logs := testEndpoints(t)
	ctx := context.Background()
	for _, tt := range []struct {
		kind, code, message string
		details             []string
	}{
		{"invalid", "102", "参数不合法: invalid start_date and 1 more", []string{"start_date: required", "length: at most 200"}},
		{"not_found", "400", "资源不存在: no such order", []string{}},
		{"internal", "1", "服务内部错误", []string{}},
	} {
		env, err := c.Raw(ctx, "POST", "/test/fail", map[string]string{"e": tt.kind})
		if err != nil {
			t.Fatal(err)
		}
		if env.CodeText() != tt.code || env.Message != tt.message || strings.Join(env.ErrorDetails, "|") != strings.Join(tt.details, "|") ||
			string(env.Data) != "null" || env.Total != 0 {
			t.Errorf("%s: %+v", tt.kind, env)
		}
	}
	// The internal error is logged for the operator; tokens, secrets and signs never are.
	access, refresh := c.Tokens()
	if !strings.Contains(logs.String(), "hunter2") {
		t.Errorf("internal error not logged: %s", logs)
	}
	for _, secret := range []string{c.AppSecret, access, refresh} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log holds a secret: %s", logs)
		}
	}
}
