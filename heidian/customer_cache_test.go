package heidian_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/heidian"
)

// countingCustomers counts the single-customer reads that reach the store.
type countingCustomers struct {
	shopcrm.CustomerService
	reads *atomic.Int64
}

func (c countingCustomers) FindCustomerByID(ctx context.Context, id int64) (*shopcrm.Customer, error) {
	c.reads.Add(1)
	return c.CustomerService.FindCustomerByID(ctx, id)
}

// TestCustomerCache checks that a single customer is answered from the kept body while
// nothing is committed, and read again after any commit, whichever way it was made.
func TestCustomerCache(t *testing.T) {
	var reads atomic.Int64
	e := newEnvWith(t, func(s *heidian.Server) {
		s.Customers = countingCustomers{s.Customers, &reads}
	})
	ctx := context.Background()
	c := &shopcrm.Customer{Email: "ann@example.com", FullName: "Ann"}
	if err := e.store.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	seg := &shopcrm.Segment{Title: "VIP"}
	if err := e.store.CreateSegment(ctx, seg); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/crm/customer/%d/", c.ID)
	get := func(wantReads int64, wantIn string) []byte {
		t.Helper()
		status, h, body := e.do("GET", path, "ro", "")
		if status != http.StatusOK || h.Get("Content-Type") != "application/json" {
			t.Fatalf("GET %s: %d %s %s", path, status, h.Get("Content-Type"), body)
		}
		if got := reads.Load(); got != wantReads {
			t.Fatalf("store reads = %d, want %d", got, wantReads)
		}
		if !bytes.Contains(body, []byte(wantIn)) {
			t.Fatalf("body lacks %s: %s", wantIn, body)
		}
		return body
	}

	first := get(1, `"full_name":"Ann"`)
	if again := get(1, `"full_name":"Ann"`); !bytes.Equal(again, first) {
		t.Fatalf("kept body differs:\n%s\n%s", again, first)
	}
	// A write through the store, not through this API.
	name := "Ann Lee"
	if _, err := e.store.UpdateCustomer(ctx, c.ID, shopcrm.CustomerUpdate{FullName: &name}); err != nil {
		t.Fatal(err)
	}
	get(2, `"full_name":"Ann Lee"`)
	get(2, `"full_name":"Ann Lee"`)
	if err := e.store.AddSegmentCustomers(ctx, seg.ID, []int64{c.ID}); err != nil {
		t.Fatal(err)
	}
	get(3, `"segments":[{"id":1,"title":"VIP"}]`)
	// A write through the API.
	if status, _, body := e.do("PATCH", path, "rw", `{"note":"called back"}`); status != http.StatusOK {
		t.Fatalf("PATCH: %d %s", status, body)
	}
	get(4, `"note":"called back"`)
	if status, _, _ := e.do("DELETE", path, "rw", ""); status != http.StatusNoContent {
		t.Fatalf("DELETE: %d", status)
	}
	if status, _, _ := e.do("GET", path, "ro", ""); status != http.StatusNotFound {
		t.Fatalf("GET after DELETE: %d", status)
	}
}
