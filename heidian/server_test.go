package heidian_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestTrailingSlash(t *testing.T) {
	e := newEnv(t)
	e.run(t, []call{
		{name: "PostWithoutSlash", method: "POST", path: "/api/crm/customer", token: "rw", status: 201, body: `{"full_name":"a"}`,
			want: customer(`{"full_name":"a"}`)},
		{name: "GetWithoutSlash", method: "GET", path: "/api/crm/customer/1", token: "ro", status: 200, want: customer(`{"full_name":"a"}`)},
		{name: "ListWithoutSlash", method: "GET", path: "/api/crm/customer?page_size=1", token: "ro", status: 200,
			want: `{"count":1,"next":null,"previous":null,"results":[` + customer(`{"full_name":"a"}`) + `]}`},
		{name: "SegmentWithoutSlash", method: "POST", path: "/api/crm/segment", token: "rw", status: 201, body: `{"title":"s"}`},
		{name: "MembersWithoutSlash", method: "POST", path: "/api/crm/segment/1/segment_customer", token: "rw", status: 200,
			body: `[{"customer_id":1}]`},
		{name: "DoubleSlash", method: "PATCH", path: "/api/crm//customer/1", token: "rw", status: 200, body: `{"note":"n"}`},
	})
}

func TestErrorsAreJSON(t *testing.T) {
	e := newEnv(t)
	e.run(t, []call{
		{name: "UnknownPath", method: "GET", path: "/nope", status: 404, want: `{"detail":"Not found."}`},
		{name: "UnknownAPIPath", method: "GET", path: "/api/crm/customer/1/orders/", token: "ro", status: 404, want: `{"detail":"Not found."}`},
		{name: "MethodNotAllowed", method: "PUT", path: "/api/crm/customer/", token: "rw", status: 405,
			want: `{"detail":"Method \"PUT\" not allowed."}`},
		{name: "MethodNotAllowedOnMembers", method: "GET", path: "/api/crm/segment/1/segment_customer/", token: "rw", status: 405,
			want: `{"detail":"Method \"GET\" not allowed."}`},
		{name: "BodyTooLarge", method: "POST", path: "/api/crm/customer/", token: "rw", status: 413,
			body: `{"note":"` + strings.Repeat("x", 1<<20) + `"}`, want: `{"detail":"Request body is too large."}`},
	})
	t.Run("Headers", func(t *testing.T) {
		status, h, _ := e.do("PUT", "/api/crm/customer/", "rw", "")
		if status != 405 || h.Get("Content-Type") != "application/json" || h.Get("Allow") == "" {
			t.Fatalf("status %d, headers %v", status, h)
		}
	})
}

func TestRequestID(t *testing.T) {
	e := newEnv(t)
	seen := map[string]bool{}
	for _, c := range []struct{ method, path, token string }{
		{"GET", "/api/crm/customer/", "ro"}, {"GET", "/api/crm/customer/", ""}, {"GET", "/nope", ""},
		{"POST", "/oauth/token", ""}, {"DELETE", "/api/crm/customer/9/", "rw"},
	} {
		_, h, _ := e.do(c.method, c.path, c.token, "")
		id := h.Get("X-Request-Id")
		if id == "" || seen[id] {
			t.Fatalf("%s %s: X-Request-Id %q (seen %v)", c.method, c.path, id, seen)
		}
		seen[id] = true
	}
	t.Run("EchoesClientID", func(t *testing.T) {
		req, _ := http.NewRequest("GET", e.srv.URL+"/nope", nil)
		req.Header.Set("X-Request-Id", "client-42")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("X-Request-Id"); got != "client-42" {
			t.Fatalf("X-Request-Id %q", got)
		}
	})
}
