package heidian_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/lingxing"
	"github.com/shopcrm/shopcrm/lingxing/client"
)

// TestSegmentsShowAsGroups: both APIs see one set of customers. A segment made and filled
// through this API is the Lingxing `group` of its members and a customer's note is their
// `remark`; renaming, emptying and deleting segments show on the next Lingxing request.
func TestSegmentsShowAsGroups(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.store.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US shop", Marketplace: "US"}); err != nil {
		t.Fatal(err)
	}
	// Two Amazon buyers arrive by import; the import makes them customers.
	if _, err := e.store.UpsertOrders(ctx, []*shopcrm.Order{
		{SID: 1, Number: "111-1", BuyerEmail: "ann@x.com", BuyerName: "Ann", PurchaseTime: t0.Add(-48e9 * 3600), Status: "Shipped",
			Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "S", Quantity: 1, Price: 1000}}},
		{SID: 1, Number: "111-2", BuyerEmail: "bob@x.com", BuyerName: "Bob", PurchaseTime: t0.Add(-24e9 * 3600), Status: "Shipped",
			Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "S", Quantity: 1, Price: 500}}},
	}); err != nil {
		t.Fatal(err)
	}
	lx := &lingxing.Server{Apps: e.store, Shops: e.store, Rates: e.store, Buyers: e.store, AfterSales: e.store, Now: e.store.Now}
	lxs := httptest.NewServer(lx.Handler())
	t.Cleanup(lxs.Close)
	id, secret, hash, err := lingxing.NewAppCredentials()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.CreateApp(ctx, &shopcrm.App{AppID: id, Name: "erp", SecretHash: hash}); err != nil {
		t.Fatal(err)
	}
	c := client.New(lxs.URL, id, secret)
	c.Now = e.store.Now
	// groups returns each buyer's remark and groups, by e-mail.
	groups := func() map[string]string {
		t.Helper()
		var data struct {
			List []struct {
				Email  string   `json:"buyer_email"`
				Remark string   `json:"remark"`
				Group  []string `json:"group"`
			} `json:"list"`
		}
		env, err := c.Do(ctx, "POST", "/basicOpen/customerService/crm/customer/index", map[string]any{}, &data)
		if err != nil {
			t.Fatalf("customer list: %v %+v", err, env)
		}
		out := map[string]string{}
		for _, r := range data.List {
			out[r.Email] = fmt.Sprintf("%q %q", r.Remark, r.Group)
		}
		return out
	}
	// customerID finds the REST id of a buyer by e-mail.
	customerID := func(email string) int64 {
		t.Helper()
		status, _, body := e.do("GET", "/api/crm/customer/?search="+email, "ro", "")
		got := ids(t, body)
		if status != 200 || len(got) != 1 {
			t.Fatalf("search %s: %d %s", email, status, body)
		}
		return got[0]
	}
	ann, bob := customerID("ann@x.com"), customerID("bob@x.com")
	step := func(name, method, path, body string, status int, want map[string]string) {
		t.Helper()
		if path != "" {
			if got, _, b := e.do(method, path, "rw", body); got != status {
				t.Fatalf("%s: %s %s → %d %s", name, method, path, got, b)
			}
		}
		if diff := cmp.Diff(want, groups()); diff != "" {
			t.Fatalf("%s: groups (-want +got):\n%s", name, diff)
		}
	}
	none := `"" []`
	step("before", "", "", "", 0, map[string]string{"ann@x.com": none, "bob@x.com": none})
	var seg struct {
		ID int64 `json:"id"`
	}
	status, _, body := e.do("POST", "/api/crm/segment/", "rw", `{"title":"VIP"}`)
	if status != 201 || json.Unmarshal(body, &seg) != nil {
		t.Fatalf("create segment: %d %s", status, body)
	}
	members := fmt.Sprintf("/api/crm/segment/%d/segment_customer/", seg.ID)
	step("members added", "POST", members, fmt.Sprintf(`[{"customer_id":%d},{"customer_id":%d}]`, ann, bob), 200,
		map[string]string{"ann@x.com": `"" ["VIP"]`, "bob@x.com": `"" ["VIP"]`})
	step("note", "PATCH", fmt.Sprintf("/api/crm/customer/%d/", ann), `{"note":"likes blue"}`, 200,
		map[string]string{"ann@x.com": `"likes blue" ["VIP"]`, "bob@x.com": `"" ["VIP"]`})
	step("second segment", "POST", "/api/crm/segment/", `{"title":"Returns often"}`, 201,
		map[string]string{"ann@x.com": `"likes blue" ["VIP"]`, "bob@x.com": `"" ["VIP"]`})
	step("member of two", "POST", fmt.Sprintf("/api/crm/segment/%d/segment_customer/", seg.ID+1), fmt.Sprintf(`[{"customer_id":%d}]`, bob), 200,
		map[string]string{"ann@x.com": `"likes blue" ["VIP"]`, "bob@x.com": `"" ["VIP" "Returns often"]`})
	step("renamed", "PATCH", fmt.Sprintf("/api/crm/segment/%d/", seg.ID), `{"title":"Gold"}`, 200,
		map[string]string{"ann@x.com": `"likes blue" ["Gold"]`, "bob@x.com": `"" ["Gold" "Returns often"]`})
	step("member removed", "DELETE", fmt.Sprintf("%s?customer__in=%d", members, ann), "", 200,
		map[string]string{"ann@x.com": `"likes blue" []`, "bob@x.com": `"" ["Gold" "Returns often"]`})
	step("segment deleted", "DELETE", fmt.Sprintf("/api/crm/segment/%d/", seg.ID), "", 204,
		map[string]string{"ann@x.com": `"likes blue" []`, "bob@x.com": `"" ["Returns often"]`})
}
