package sqlstore

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
)

// FuzzJoinedOrder: an order joined as SQLite joins joinedOrderText parses back to itself,
// and an order with the separator in any of its texts is refused, to be read column by
// column. A customer id of 0 stands for none (NULL).
func FuzzJoinedOrder(f *testing.F) {
	f.Add(int64(1), "111-2222222-3333333", int64(7), "a@example.com", "Ann", int64(1700000000), int64(1700003600),
		"Shipped", "FBA", "Amazon.com", "USD", "")
	f.Add(int64(3), "111-\x1f", int64(0), "", "", int64(0), int64(-1), "", "", "", "", "SAVE\x1f10")
	f.Fuzz(func(t *testing.T, sid int64, number string, customer int64, email, name string, bought, updated int64,
		status, fulfilment, channel, currency, coupon string) {
		cid := ""
		var want shopcrm.Order
		if customer != 0 {
			cid = strconv.FormatInt(customer, 10)
			want.CustomerID = &customer
		}
		want.SID, want.Number, want.BuyerEmail, want.BuyerName = sid, number, email, name
		want.PurchaseTime, want.UpdatedTime = fromUnix(bought), fromUnix(updated)
		want.Status, want.Fulfilment, want.SalesChannel, want.Currency, want.CouponCode = status, fulfilment, channel, currency, coupon
		text := strings.Join([]string{strconv.FormatInt(sid, 10), number, cid, email, name, strconv.FormatInt(bought, 10),
			strconv.FormatInt(updated, 10), status, fulfilment, channel, currency, coupon}, joinSep)
		var got shopcrm.Order
		ok := parseJoinedOrder(text, &got)
		if strings.Contains(number+email+name+status+fulfilment+channel+currency+coupon, joinSep) {
			if ok {
				t.Fatalf("an order holding the separator parsed as %+v", got)
			}
			return
		}
		if !ok || idOf(got.CustomerID) != idOf(want.CustomerID) || (got.CustomerID == nil) != (want.CustomerID == nil) {
			t.Fatalf("customer %v, %v; want %v", got.CustomerID, ok, want.CustomerID)
		}
		got.CustomerID, want.CustomerID = nil, nil
		if !got.PurchaseTime.Equal(want.PurchaseTime) || !got.UpdatedTime.Equal(want.UpdatedTime) {
			t.Fatalf("times %v, %v; want %v, %v", got.PurchaseTime, got.UpdatedTime, want.PurchaseTime, want.UpdatedTime)
		}
		got.PurchaseTime, got.UpdatedTime, want.PurchaseTime, want.UpdatedTime = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if got.SID != want.SID || got.Number != want.Number || got.BuyerEmail != want.BuyerEmail || got.BuyerName != want.BuyerName ||
			got.Status != want.Status || got.Fulfilment != want.Fulfilment || got.SalesChannel != want.SalesChannel ||
			got.Currency != want.Currency || got.CouponCode != want.CouponCode {
			t.Fatalf("parsed %+v; want %+v", got, want)
		}
	})
}
