package heidian_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCustomerListFilters(t *testing.T) {
	e := newEnv(t)
	for _, body := range []string{
		`{"full_name":"Ann Lee","email":"ann@example.com","mobile":"13800000001"}`,
		`{"full_name":"Bob","email":"bob@shop.cn"}`,
		`{"full_name":"Carol","email":"carol@example.com"}`,
		`{"full_name":"Dan","mobile":"555"}`,
	} {
		if status, _, b := e.do("POST", "/api/crm/customer/", "rw", body); status != 201 {
			t.Fatalf("create: %d %s", status, b)
		}
	}
	e.run(t, []call{
		{name: "Segment", method: "POST", path: "/api/crm/segment/", token: "rw", status: 201, body: `{"title":"vip"}`},
		{name: "Members", method: "POST", path: "/api/crm/segment/1/segment_customer/", token: "rw", status: 200,
			body: `[{"customer_id":1},{"customer_id":3}]`},
		{name: "Coupon", method: "POST", path: "/api/crm/coupon/", token: "rw", status: 201, body: `{"code":"C1"}`},
		{name: "Grant", method: "POST", path: "/api/crm/coupon/1/grant/", token: "rw", status: 200, body: `[{"customer_id":2}]`},
	})
	for _, tt := range []struct {
		query string
		want  []int64
	}{
		{"", []int64{1, 2, 3, 4}},
		{"id=2", []int64{2}},
		{"id__in=3,1,99", []int64{1, 3}},
		{"coupon=1", []int64{2}},
		{"coupon__exclude=1", []int64{1, 3, 4}},
		{"segment=1", []int64{1, 3}},
		{"segment__exclude=1", []int64{2, 4}},
		{"segment=1&search=carol", []int64{3}},
		{"segment=1&ordering=-id", []int64{3, 1}},
		{"segment=1&id__in=3,4", []int64{3}},
		{"segment=1&ordering=total_spent", []int64{1, 3}},
		{"segment=1&page_size=1&page=2", []int64{3}},
		{"search=EXAMPLE", []int64{1, 3}},
		{"search=555", []int64{4}},
		{"search=shop.cn", []int64{2}},
		{"ordering=-id", []int64{4, 3, 2, 1}},
		{"ordering=-created_at", []int64{1, 2, 3, 4}}, // one clock tick: ties by id
		{"ordering=total_spent", []int64{1, 2, 3, 4}},
		{"id=1&segment=1&coupon__exclude=1", []int64{1}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			status, _, body := e.do("GET", "/api/crm/customer/?"+tt.query, "ro", "")
			if status != 200 {
				t.Fatalf("status %d: %s", status, body)
			}
			if diff := cmp.Diff(tt.want, ids(t, body)); diff != "" {
				t.Fatalf("ids (-want +got):\n%s", diff)
			}
		})
	}
	// The count of a segment alone comes from its member key; with other filters, from the join.
	for query, want := range map[string]float64{"segment=1&page_size=1": 2, "segment=1&search=carol&page_size=1": 1, "segment__exclude=1": 2} {
		status, _, body := e.do("GET", "/api/crm/customer/?"+query, "ro", "")
		var p struct{ Count float64 }
		if err := json.Unmarshal(body, &p); err != nil || status != 200 || p.Count != want {
			t.Errorf("%s: status %d, count %v, want %v: %s", query, status, p.Count, want, body)
		}
	}
	e.run(t, []call{
		{name: "ErrID", method: "GET", path: "/api/crm/customer/?id=abc", token: "ro", status: 400, want: `{"id":["Enter a number."]}`},
		{name: "ErrIDIn", method: "GET", path: "/api/crm/customer/?id__in=1,x", token: "ro", status: 400,
			want: `{"id__in":["Enter a comma-separated list of numbers."]}`},
		{name: "ErrSeveral", method: "GET", path: "/api/crm/customer/?coupon=x&coupon__exclude=1.5&segment=&segment__exclude=z",
			token: "ro", status: 400, want: `{"coupon":["Enter a number."],"coupon__exclude":["Enter a number."],
				"segment__exclude":["Enter a number."]}`},
		{name: "ErrOrdering", method: "GET", path: "/api/crm/customer/?ordering=email", token: "ro", status: 400,
			want: `{"ordering":["Select a valid choice. email is not one of the available choices."]}`},
	})
}

func TestCustomerPaging(t *testing.T) {
	e := newEnv(t)
	e.run(t, []call{
		{name: "EmptyFirstPage", method: "GET", path: "/api/crm/customer/", token: "ro", status: 200,
			want: `{"count":0,"next":null,"previous":null,"results":[]}`},
		{name: "EmptySecondPage", method: "GET", path: "/api/crm/customer/?page=2", token: "ro", status: 404,
			want: `{"detail":"Invalid page."}`},
	})
	for i := 0; i < 25; i++ {
		if status, _, b := e.do("POST", "/api/crm/customer/", "rw", fmt.Sprintf(`{"full_name":"c%02d"}`, i)); status != 201 {
			t.Fatalf("create: %d %s", status, b)
		}
	}
	page := func(count int, next, prev string) string {
		q := func(s string) string { // "-" = null, else the query after the path
			if s == "-" {
				return "null"
			}
			return `"{{base}}/api/crm/customer/` + s + `"`
		}
		return fmt.Sprintf(`{"count":%d,"next":%s,"previous":%s}`, count, q(next), q(prev))
	}
	for _, tt := range []struct {
		name, query string
		status      int
		want        string // count/next/previous, or the error body
		first, n    int64
	}{
		{"First", "", 200, page(25, "?page=2", "-"), 1, 10},
		{"Second", "?page=2", 200, page(25, "?page=3", ""), 11, 10},
		{"Last", "?page=3", 200, page(25, "-", "?page=2"), 21, 5},
		{"KeepsOtherParams", "?search=c&page=2&page_size=5", 200, page(25, "?page=3&page_size=5&search=c", "?page_size=5&search=c"), 6, 5},
		{"SizeCapped", "?page_size=1000", 200, page(25, "-", "-"), 1, 25},
		{"SizeMax", "?page_size=100&page=1", 200, page(25, "-", "-"), 1, 25},
		{"BadSizeIsDefault", "?page_size=zero", 200, page(25, "?page=2&page_size=zero", "-"), 1, 10},
		{"ErrPastLast", "?page=4", 404, `{"detail":"Invalid page."}`, 0, 0},
		{"ErrZero", "?page=0", 404, `{"detail":"Invalid page."}`, 0, 0},
		{"ErrNotANumber", "?page=last", 404, `{"detail":"Invalid page."}`, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := e.do("GET", "/api/crm/customer/"+tt.query, "ro", "")
			if status != tt.status {
				t.Fatalf("status %d: %s", status, body)
			}
			if tt.status != 200 {
				jsonEqual(t, tt.want, body)
				return
			}
			var p map[string]any
			json.Unmarshal(body, &p)
			delete(p, "results")
			rest, _ := json.Marshal(p)
			jsonEqual(t, strings.ReplaceAll(tt.want, "{{base}}", e.srv.URL), rest)
			got := ids(t, body)
			if int64(len(got)) != tt.n || got[0] != tt.first {
				t.Fatalf("ids %v, want %d from %d", got, tt.n, tt.first)
			}
		})
	}
}
