package lingxing_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm/lingxing"
)

func TestBucket(t *testing.T) {
	e := newEnv(t)
	b := lingxing.NewMemoryBucket()
	e.server.Bucket = b
	c := e.newClient(t)
	ctx := context.Background()
	if err := c.Token(ctx); err != nil {
		t.Fatal(err)
	}
	// A request in flight on the same app and path holds the only token.
	release, err := b.Take(ctx, c.AppID+" "+sellers, 1, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got := code(c.Raw(ctx, "GET", sellers, nil)); got != "3001008" {
		t.Fatalf("second concurrent request: code %s, want 3001008", got)
	}
	// Another path has its own bucket.
	if got := code(c.Raw(ctx, "POST", "/erp/sc/routing/finance/currency/currencyMonth", map[string]string{"date": "2024-05"})); got != "0" {
		t.Fatalf("other path: code %s", got)
	}
	release()
	if got := code(c.Raw(ctx, "GET", sellers, nil)); got != "0" {
		t.Fatalf("after release: code %s", got)
	}
	// A token never given back returns after its lease.
	if _, err := b.Take(ctx, c.AppID+" "+sellers, 1, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(80 * time.Millisecond)
	if got := code(c.Raw(ctx, "GET", sellers, nil)); got != "0" {
		t.Fatalf("after lease: code %s", got)
	}
}

func TestSellerList(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var all []map[string]any
	if _, err := e.newClient(t).Do(ctx, "GET", sellers, nil, &all); err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0]["name"] != "US shop" || all[0]["country"] != "美国" || all[1]["marketplace_id"] != "A1F83G8C2ARO7P" ||
		all[0]["sid"] != float64(1) || all[1]["region"] != "EU" || all[0]["status"] != float64(1) {
		t.Fatalf("sellers = %v", all)
	}
	// An app limited to shop 2 sees only it.
	var one []map[string]any
	if _, err := e.newClient(t, 2).Do(ctx, "GET", sellers, nil, &one); err != nil || len(one) != 1 || one[0]["sid"] != float64(2) {
		t.Fatalf("scoped sellers = %v, %v", one, err)
	}
}

func TestCurrencyMonth(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.store.SetMyRate(ctx, "2024-05", "USD", 7_100_000); err != nil {
		t.Fatal(err)
	}
	c := e.newClient(t)
	var rates []map[string]any
	env, err := c.Do(ctx, "POST", "/erp/sc/routing/finance/currency/currencyMonth", map[string]string{"date": "2024-06"}, &rates)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]any{}
	for _, r := range rates {
		got[r["code"].(string)] = [2]any{r["rate_org"], r["my_rate"]}
	}
	// USD: the official 2024 default 7.18 and the user's 7.10 from May; GBP: official only.
	want := map[string][2]any{"USD": {"7.1800", "7.1000"}, "GBP": {"9.1800", "9.1800"}, "CNY": {"1.0000", "1.0000"}}
	for k, w := range want {
		if diff := cmp.Diff(w, got[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	if env.Total != len(rates) || !strings.Contains(env.RequestID, ".") || len(env.RequestID) != 32+1+13 {
		t.Errorf("envelope total %d request_id %q", env.Total, env.RequestID)
	}
	env, _ = c.Raw(ctx, "POST", "/erp/sc/routing/finance/currency/currencyMonth", map[string]string{"date": "2024-13"})
	if env.CodeText() != "102" || len(env.ErrorDetails) != 1 || !strings.HasPrefix(env.ErrorDetails[0], "date:") {
		t.Fatalf("bad month: %+v", env)
	}
}

func TestShopScope(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.newClient(t, 1)
	for _, sids := range []string{"2", "1,2", "99"} {
		env, err := c.Raw(ctx, "POST", "/basicOpen/customerService/crm/customer/index", map[string]string{"sids": sids})
		if code(env, err) != "102" || !strings.HasPrefix(strings.Join(env.ErrorDetails, ";"), "sids:") {
			t.Errorf("sids %s: %+v %v", sids, env, err)
		}
	}
	if got := code(c.Raw(ctx, "POST", "/basicOpen/customerService/crm/customer/index", map[string]string{"sids": "1"})); got != "0" {
		t.Errorf("own shop: code %s", got)
	}
}
