package heidian_test

import "testing"

func TestCouponAPI(t *testing.T) {
	e := newEnv(t)
	if status, _, b := e.do("POST", "/api/crm/customer/", "rw", `{"full_name":"a"}`); status != 201 {
		t.Fatalf("create: %d %s", status, b)
	}
	const path = "/api/crm/coupon/"
	coupon := func(id, code, title, grants string) string {
		return `{"id":` + id + `,"code":"` + code + `","title":"` + title + `","grants_count":` + grants +
			`,"created_at":"` + t0Shanghai + `"}`
	}
	e.run(t, []call{
		{name: "Create", method: "POST", path: path, token: "rw", status: 201, body: `{"code":"WELCOME","title":"Welcome"}`,
			want: coupon("1", "WELCOME", "Welcome", "0")},
		{name: "ErrCodeTaken", method: "POST", path: path, token: "rw", status: 400, body: `{"code":"WELCOME"}`,
			want: `{"code":["coupon with this code already exists."]}`},
		{name: "ErrCodeRequired", method: "POST", path: path, token: "rw", status: 400, body: `{"title":"x"}`,
			want: `{"code":["This field is required."]}`},
		{name: "ErrCodeBlank", method: "POST", path: path, token: "rw", status: 400, body: `{"code":""}`,
			want: `{"code":["This field may not be blank."]}`},
		{name: "ErrCodeNotString", method: "POST", path: path, token: "rw", status: 400, body: `{"code":5}`,
			want: `{"code":["Not a valid string."]}`},
		{name: "Grant", method: "POST", path: path + "1/grant/", token: "rw", status: 200, body: `[{"customer_id":1}]`,
			want: coupon("1", "WELCOME", "Welcome", "1")},
		{name: "GrantTwiceIsNoOp", method: "POST", path: path + "1/grant/", token: "rw", status: 200, body: `[{"customer_id":1}]`,
			want: coupon("1", "WELCOME", "Welcome", "1")},
		{name: "ErrGrantUnknownCustomer", method: "POST", path: path + "1/grant/", token: "rw", status: 400,
			body: `[{"customer_id":7}]`, want: `{"customer_id":["Invalid pk \"7\" - object does not exist."]}`},
		{name: "ErrGrantUnknownCoupon", method: "POST", path: path + "9/grant/", token: "rw", status: 404,
			body: `[{"customer_id":1}]`, want: `{"detail":"Not found."}`},
		{name: "Get", method: "GET", path: path + "1/", token: "ro", status: 200, want: coupon("1", "WELCOME", "Welcome", "1")},
		{name: "ErrGetUnknown", method: "GET", path: path + "9/", token: "ro", status: 404, want: `{"detail":"Not found."}`},
		{name: "List", method: "GET", path: path, token: "ro", status: 200,
			want: `{"count":1,"next":null,"previous":null,"results":[` + coupon("1", "WELCOME", "Welcome", "1") + `]}`},
		{name: "CustomersWithCoupon", method: "GET", path: "/api/crm/customer/?coupon=1", token: "ro", status: 200,
			want: `{"count":1,"next":null,"previous":null,"results":[` + customer(`{"full_name":"a"}`) + `]}`},
		{name: "CustomersWithoutCoupon", method: "GET", path: "/api/crm/customer/?coupon__exclude=1", token: "ro", status: 200,
			want: `{"count":0,"next":null,"previous":null,"results":[]}`},
		{name: "ErrReadOnlyCannotGrant", method: "POST", path: path + "1/grant/", token: "ro", status: 403,
			body: `[{"customer_id":1}]`, want: `{"detail":"You do not have permission to perform this action."}`},
	})
}
