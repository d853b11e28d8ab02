package heidian_test

import (
	"context"
	"testing"
	"time"

	_ "time/tzdata" // Asia/Shanghai on machines without a zone database

	"github.com/shopcrm/shopcrm"
)

func TestCustomerAPI(t *testing.T) {
	e := newEnv(t)
	const path = "/api/crm/customer/"
	first := customer(`{"mobile":"13000000000","full_name":"test","gender":"male","email":"xxxxxxxxx@163.com",
		"note":"test","accepts_marketing":true}`)
	e.run(t, []call{
		{name: "CreateSeedBody", method: "POST", path: path, token: "rw", status: 201, want: first,
			body: `{"mobile":13000000000,"full_name":"test","gender":"male","email":"xxxxxxxxx@163.com","birthday":null,
				"note":"test","accepts_marketing":true,"referral_code":"","tags":[],"id":77,"statistics":{},"nonsense":1}`},
		{name: "Get", method: "GET", path: path + "1/", token: "rw", status: 200, want: first},
		{name: "CreateSecond", method: "POST", path: path, token: "rw", status: 201,
			body: `{"mobile":"13821761807","full_name":"Xindong Ding","birthday":"1986-05-24","referral_code":"R1",
				"tags":["vip"],"addresses":[{"full_name":"X","city":"Tianjin","is_default":true}],
				"profile":{"source_name":"pos"},"metafields":[{"namespace":"n","key":"k","value":1}]}`,
			want: customer(`{"id":2,"mobile":"13821761807","full_name":"Xindong Ding","birthday":"1986-05-24",
				"referral_code":"R1","tags":["vip"],"addresses":[{"full_name":"X","mobile":"","country":"","province":"",
				"city":"Tianjin","district":"","address1":"","address2":"","zip":"","is_default":true}],
				"profile":{"source_name":"pos","campaign_name":"","campaign_source":"","campaign_medium":"",
				"campaign_content":"","campaign_term":""},"metafields":[{"namespace":"n","key":"k","value":1}]}`)},
		{name: "ErrEmailTaken", method: "POST", path: path, token: "rw", status: 400, body: `{"email":"XXXXXXXXX@163.com"}`,
			want: `{"email":["customer with this email already exists."]}`},
		{name: "ErrReferralCodeTaken", method: "POST", path: path, token: "rw", status: 400, body: `{"referral_code":"R1"}`,
			want: `{"referral_code":["customer with this referral code already exists."]}`},
		{name: "ErrEveryField", method: "POST", path: path, token: "rw", status: 400,
			body: `{"gender":"robot","birthday":"24/05/1986","email":"nope","mobile":true,"tags":"x",
				"accepts_marketing":"maybe","addresses":[1],"profile":[],"referrer":"abc","full_name":{}}`,
			want: `{"gender":["\"robot\" is not a valid choice."],
				"birthday":["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
				"email":["Enter a valid email address."],"mobile":["Not a valid string."],
				"tags":["Expected a list of items but got type \"str\"."],"accepts_marketing":["Must be a valid boolean."],
				"addresses":["Invalid data. Expected a dictionary of address fields."],
				"profile":["Invalid data. Expected a dictionary, but got list."],
				"referrer":["Incorrect type. Expected pk value, received str."],"full_name":["Not a valid string."]}`},
		{name: "ErrBirthdayNotADate", method: "POST", path: path, token: "rw", status: 400, body: `{"birthday":"1986-02-30"}`,
			want: `{"birthday":["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}`},
		{name: "ErrMobileTooLong", method: "POST", path: path, token: "rw", status: 400, body: `{"mobile":"123456789012345678901234567890123"}`,
			want: `{"mobile":["Ensure this field has no more than 32 characters."]}`},
		{name: "ErrUnknownReferrer", method: "POST", path: path, token: "rw", status: 400, body: `{"referrer":99}`,
			want: `{"referrer":["Invalid pk \"99\" - object does not exist."]}`},
		{name: "ErrNotJSON", method: "POST", path: path, token: "rw", status: 400, body: `{"email":`},
		{name: "ErrNotObject", method: "POST", path: path, token: "rw", status: 400, body: `[1]`,
			want: `{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}`},
		{name: "Patch", method: "PATCH", path: path + "1/", token: "rw", status: 200, body: `{"note":"patched","referrer":2}`,
			want: customer(`{"mobile":"13000000000","full_name":"test","gender":"male","email":"xxxxxxxxx@163.com",
				"note":"patched","accepts_marketing":true,"referrer":2}`)},
		{name: "ErrPatchSelfReferrer", method: "PATCH", path: path + "1/", token: "rw", status: 400, body: `{"referrer":1}`,
			want: `{"referrer":["Invalid pk \"1\" - object does not exist."]}`},
		{name: "ErrPatchEmailTaken", method: "PATCH", path: path + "2/", token: "rw", status: 400, body: `{"email":"xxxxxxxxx@163.com"}`,
			want: `{"email":["customer with this email already exists."]}`},
		{name: "PutKeepsOmittedFields", method: "PUT", path: path + "1/", token: "rw", status: 200,
			body: `{"full_name":"put","mobile":13100000000,"accepts_marketing":false,"birthday":"2000-01-01"}`,
			want: customer(`{"mobile":"13100000000","full_name":"put","gender":"male","email":"xxxxxxxxx@163.com",
				"note":"patched","referrer":2,"birthday":"2000-01-01"}`)},
		{name: "ErrPutInvalid", method: "PUT", path: path + "1/", token: "rw", status: 400, body: `{"gender":"x"}`,
			want: `{"gender":["\"x\" is not a valid choice."]}`},
		{name: "ErrPutNotFound", method: "PUT", path: path + "99/", token: "rw", status: 404, body: `{}`, want: `{"detail":"Not found."}`},
		{name: "ErrPatchNotFound", method: "PATCH", path: path + "99/", token: "rw", status: 404, body: `{}`, want: `{"detail":"Not found."}`},
		{name: "ErrGetNotFound", method: "GET", path: path + "99/", token: "rw", status: 404, want: `{"detail":"Not found."}`},
		{name: "ErrGetBadID", method: "GET", path: path + "abc/", token: "rw", status: 404, want: `{"detail":"Not found."}`},
		{name: "Delete", method: "DELETE", path: path + "2/", token: "rw", status: 204},
		{name: "GetDeleted", method: "GET", path: path + "2/", token: "rw", status: 404, want: `{"detail":"Not found."}`},
		{name: "ReferrerCleared", method: "GET", path: path + "1/", token: "rw", status: 200,
			want: customer(`{"mobile":"13100000000","full_name":"put","gender":"male","email":"xxxxxxxxx@163.com",
				"note":"patched","birthday":"2000-01-01"}`)},
		{name: "ErrDeleteNotFound", method: "DELETE", path: path + "2/", token: "rw", status: 404, want: `{"detail":"Not found."}`},
	})
}

func TestCustomerStatisticsJSON(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.store.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
		t.Fatal(err)
	}
	paid := time.Date(2024, 4, 2, 3, 4, 5, 0, time.UTC)
	for i, at := range []time.Time{paid.Add(-time.Hour), paid} {
		_, err := e.store.UpsertOrders(ctx, []*shopcrm.Order{{SID: 1, Number: "112-" + string(rune('0'+i)),
			BuyerEmail: "Buyer@example.com", BuyerName: "Buyer", PurchaseTime: at, Status: "Shipped",
			SalesChannel: "Amazon.com", Currency: "USD",
			Items: []shopcrm.OrderItem{{SKU: "S", Quantity: 1, Price: shopcrm.Amount(1000 + 1001*int64(i))}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	e.run(t, []call{
		{name: "Referred", method: "POST", path: "/api/crm/customer/", token: "rw", status: 201, body: `{"referrer":1}`},
		{name: "Statistics", method: "GET", path: "/api/crm/customer/1/", token: "ro", status: 200,
			want: customer(`{"email":"Buyer@example.com","full_name":"Buyer","profile":{"source_name":"amazon",
				"campaign_name":"","campaign_source":"","campaign_medium":"","campaign_content":"","campaign_term":""},
				"statistics":{"last_order_id":2,"last_order_paid_at":"2024-04-02T11:04:05+08:00","abandoned_checkouts":0,
				"orders":2,"paid_orders":2,"total_spent":"30.01","average_order_price":"15.01","visits":0,
				"visits_per_day":"0.00","customers_referred":1,"total_spent_of_referred":"0.00",
				"preferred_device":"","location":""}}`)},
	})
}
