package heidian_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/shopcrm/shopcrm/heidian"
)

// member is the short customer form a segment embeds.
func member(id int, name string) string {
	return `{"id":` + strconv.Itoa(id) + `,"mobile":"","full_name":"` + name + `","gender":"unknown","email":"",
		"birthday":null,"note":"","accepts_marketing":false,"tags":[],"addresses":[],"created_at":"` + t0Shanghai + `"}`
}

func segment(id int, title string, count int, members ...string) string {
	return `{"id":` + strconv.Itoa(id) + `,"title":"` + title + `","customers":[` + strings.Join(members, ",") +
		`],"customers_count":` + strconv.Itoa(count) + `}`
}

func TestSegmentAPI(t *testing.T) {
	e := newEnvWith(t, func(s *heidian.Server) { s.SegmentCustomerCap = 2 })
	for _, name := range []string{"a", "b", "c"} {
		if status, _, b := e.do("POST", "/api/crm/customer/", "rw", `{"full_name":"`+name+`"}`); status != 201 {
			t.Fatalf("create: %d %s", status, b)
		}
	}
	const path = "/api/crm/segment/"
	e.run(t, []call{
		{name: "Create", method: "POST", path: path, token: "rw", status: 201, body: `{"title":"test_title"}`,
			want: segment(1, "test_title", 0)},
		{name: "ErrTitleRequired", method: "POST", path: path, token: "rw", status: 400, body: `{}`,
			want: `{"title":["This field is required."]}`},
		{name: "ErrTitleBlank", method: "POST", path: path, token: "rw", status: 400, body: `{"title":""}`,
			want: `{"title":["This field may not be blank."]}`},
		{name: "ErrTitleNull", method: "POST", path: path, token: "rw", status: 400, body: `{"title":null}`,
			want: `{"title":["This field may not be null."]}`},
		{name: "AddMembers", method: "POST", path: path + "1/segment_customer/", token: "rw", status: 200,
			body: `[{"customer_id":2},{"customer_id":1}]`, want: segment(1, "test_title", 2, member(1, "a"), member(2, "b"))},
		{name: "AddTwiceIsNoOp", method: "POST", path: path + "1/segment_customer/", token: "rw", status: 200,
			body: `[{"customer_id":1}]`, want: segment(1, "test_title", 2, member(1, "a"), member(2, "b"))},
		{name: "EmbedCapped", method: "POST", path: path + "1/segment_customer/", token: "rw", status: 200,
			body: `[{"customer_id":"3"}]`, want: segment(1, "test_title", 3, member(1, "a"), member(2, "b"))},
		{name: "ErrUnknownCustomer", method: "POST", path: path + "1/segment_customer/", token: "rw", status: 400,
			body: `[{"customer_id":1},{"customer_id":99}]`, want: `{"customer_id":["Invalid pk \"99\" - object does not exist."]}`},
		{name: "ErrNotAList", method: "POST", path: path + "1/segment_customer/", token: "rw", status: 400,
			body: `{"customer_id":1}`, want: `{"non_field_errors":["Expected a list of items but got type \"dict\"."]}`},
		{name: "ErrItemWithoutID", method: "POST", path: path + "1/segment_customer/", token: "rw", status: 400,
			body: `[{"id":1},{"customer_id":"x"}]`, want: `{"customer_id":["This field is required.","A valid integer is required."]}`},
		{name: "ErrMembersOfUnknownSegment", method: "POST", path: path + "9/segment_customer/", token: "rw", status: 404,
			body: `[{"customer_id":1}]`, want: `{"detail":"Not found."}`},
		{name: "CustomerShowsSegment", method: "GET", path: "/api/crm/customer/1/", token: "ro", status: 200,
			want: customer(`{"full_name":"a","segments":[{"id":1,"title":"test_title"}],"segment_ids":[1]}`)},
		{name: "FilterBySegment", method: "GET", path: "/api/crm/customer/?segment=1&page_size=2&page=2", token: "ro", status: 200},
		{name: "RemoveMembers", method: "DELETE", path: path + "1/segment_customer/?customer__in=1,2,99", token: "rw", status: 200,
			want: segment(1, "test_title", 1, member(3, "c"))},
		{name: "ErrRemoveWithoutIDs", method: "DELETE", path: path + "1/segment_customer/", token: "rw", status: 400,
			want: `{"customer__in":["This field is required."]}`},
		{name: "ErrRemoveBadIDs", method: "DELETE", path: path + "1/segment_customer/?customer__in=a", token: "rw", status: 400,
			want: `{"customer__in":["Enter a comma-separated list of numbers."]}`},
		{name: "Get", method: "GET", path: path + "1/", token: "ro", status: 200, want: segment(1, "test_title", 1, member(3, "c"))},
		{name: "Put", method: "PUT", path: path + "1/", token: "rw", status: 200, body: `{"title":"标签1"}`,
			want: segment(1, "标签1", 1, member(3, "c"))},
		{name: "ErrPutWithoutTitle", method: "PUT", path: path + "1/", token: "rw", status: 400, body: `{}`,
			want: `{"title":["This field is required."]}`},
		{name: "PatchNothing", method: "PATCH", path: path + "1/", token: "rw", status: 200, body: `{}`,
			want: segment(1, "标签1", 1, member(3, "c"))},
		{name: "Patch", method: "PATCH", path: path + "1/", token: "rw", status: 200, body: `{"title":"t2"}`,
			want: segment(1, "t2", 1, member(3, "c"))},
		{name: "Second", method: "POST", path: path, token: "rw", status: 201, body: `{"title":"s2"}`, want: segment(2, "s2", 0)},
		{name: "List", method: "GET", path: path, token: "ro", status: 200, want: `{"count":2,"next":null,"previous":null,
			"results":[` + segment(1, "t2", 1, member(3, "c")) + `,` + segment(2, "s2", 0) + `]}`},
		{name: "ListPaged", method: "GET", path: path + "?page_size=1&page=2", token: "ro", status: 200,
			want: `{"count":2,"next":null,"previous":"{{base}}/api/crm/segment/?page_size=1","results":[` + segment(2, "s2", 0) + `]}`},
		{name: "ErrListPastLast", method: "GET", path: path + "?page=2", token: "ro", status: 404, want: `{"detail":"Invalid page."}`},
		{name: "Delete", method: "DELETE", path: path + "1/", token: "rw", status: 204},
		{name: "ErrGetDeleted", method: "GET", path: path + "1/", token: "ro", status: 404, want: `{"detail":"Not found."}`},
		{name: "ErrPatchDeleted", method: "PATCH", path: path + "1/", token: "rw", status: 404, body: `{"title":"x"}`},
		{name: "ErrDeleteDeleted", method: "DELETE", path: path + "1/", token: "rw", status: 404},
		{name: "CustomerKept", method: "GET", path: "/api/crm/customer/3/", token: "ro", status: 200,
			want: customer(`{"id":3,"full_name":"c"}`)},
	})
}
