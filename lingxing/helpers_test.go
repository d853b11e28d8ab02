package lingxing_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/lingxing"
	"github.com/shopcrm/shopcrm/lingxing/client"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// clock is a settable time for the server under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	store  *sqlstore.Store
	server *lingxing.Server
	url    string
	clock  *clock
}

// newEnv serves the open API over a fresh store with shops 1 (US) and 2 (UK).
func newEnv(t *testing.T) *env {
	t.Helper()
	s := storetest.MustOpen(t)
	ctx := context.Background()
	for _, sh := range []*shopcrm.Shop{{SID: 1, Name: "US shop", Marketplace: "US"}, {SID: 2, Name: "UK shop", Marketplace: "UK"}} {
		if err := s.CreateShop(ctx, sh); err != nil {
			t.Fatal(err)
		}
	}
	c := &clock{t: time.Now()}
	srv := &lingxing.Server{Apps: s, Shops: s, Rates: s, Buyers: s, AfterSales: s, Now: c.Now}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &env{store: s, server: srv, url: hs.URL, clock: c}
}

// newClient creates an app (limited to sids, if any) and a client for it.
func (e *env) newClient(t *testing.T, sids ...int64) *client.Client {
	t.Helper()
	c := appClient(t, e.store, e.url, shopcrm.App{SIDs: sids})
	c.Now = e.clock.Now
	return c
}

// appClient creates app (given its shops and capacities; credentials are made here) in apps
// and returns a client of the server at url for it. Benchmarks, which have no env, call it
// directly.
func appClient(tb testing.TB, apps shopcrm.AppService, url string, app shopcrm.App) *client.Client {
	tb.Helper()
	id, secret, hash, err := lingxing.NewAppCredentials()
	if err != nil {
		tb.Fatal(err)
	}
	app.AppID, app.SecretHash, app.Name = id, hash, "test"
	if err := apps.CreateApp(context.Background(), &app); err != nil {
		tb.Fatal(err)
	}
	return client.New(url, id, secret)
}

// code returns the reply's code as text, or the transport error.
func code(env *client.Envelope, err error) string {
	if env == nil {
		return "no reply: " + err.Error()
	}
	return env.CodeText()
}

// clone is another client of the same app with the same tokens.
func clone(c *client.Client) *client.Client {
	d := client.New(c.BaseURL, c.AppID, c.AppSecret)
	d.Now = c.Now
	a, _ := c.Tokens()
	d.SetAccessToken(a)
	return d
}

func formatInt(v int64) string { return strconv.FormatInt(v, 10) }

func md5hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
