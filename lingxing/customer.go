package lingxing

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

// customerRow is one row of the customer list, every field of the Lingxing document.
type customerRow struct {
	BuyerEmail             string   `json:"buyer_email"`
	BuyerName              string   `json:"buyer_name"`
	SID                    []int64  `json:"sid"`
	Country                string   `json:"country"`
	OrderItems             int64    `json:"order_items"`
	Volume                 int64    `json:"volume"`
	Amount                 float64  `json:"amount"`
	PerCustomerTransaction float64  `json:"per_customer_transaction"`
	CurrencyIcon           string   `json:"currency_icon"`
	RefundNumber           int64    `json:"refund_number"`
	RefundSalesNumber      int64    `json:"refund_sales_number"`
	RefundRate             float64  `json:"refund_rate"`
	ReturnNumber           int64    `json:"return_number"`
	ReturnSalesNumber      int64    `json:"return_sales_number"`
	ReturnRate             float64  `json:"return_rate"`
	FeedbackNumber         int64    `json:"feedback_number"`
	SellerName             string   `json:"seller_name"`
	FeedbackBadNumber      int64    `json:"feedback_bad_number"`
	FeedbackRate           float64  `json:"feedback_rate"`
	FeedbackBadRate        float64  `json:"feedback_bad_rate"`
	FirstPurchaseDate      string   `json:"first_purchase_date"`
	LastPurchaseDate       string   `json:"last_purchase_date"`
	Remark                 string   `json:"remark"`
	Group                  []string `json:"group"`
}

// flexString accepts a JSON string or number ("17" or 17), as clients send either, and for
// lists an array of them ([1, 2] reads as "1,2").
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var items []flexString
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		parts := make([]string, len(items))
		for i, it := range items {
			parts[i] = string(it)
		}
		*f = flexString(strings.Join(parts, ","))
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		*f = flexString(s)
		return err
	}
	if string(b) == "null" {
		*f = ""
		return nil
	}
	*f = flexString(b)
	return nil
}

func (f flexString) int(field string, def int) (int, error) {
	if f == "" {
		return def, nil
	}
	v, err := strconv.Atoi(string(f))
	if err != nil {
		return 0, invalid(field, "must be an integer, got %q", string(f))
	}
	return v, nil
}

type customerRequest struct {
	SortField    string     `json:"sort_field"`
	SortType     string     `json:"sort_type"`
	DateField    flexString `json:"date_field"`
	StartDate    string     `json:"start_date"`
	EndDate      string     `json:"end_date"`
	CurrencyType flexString `json:"currency_type"`
	SearchField  string     `json:"search_field"`
	SearchValue  string     `json:"search_value"`
	Offset       flexString `json:"offset"`
	Length       flexString `json:"length"`
	SIDs         flexString `json:"sids"`
}

// customerIndex serves POST /basicOpen/customerService/crm/customer/index.
func (s *Server) customerIndex(ctx context.Context, app *shopcrm.App, body []byte) (any, int, error) {
	var req customerRequest
	if err := json.Unmarshal(orEmpty(body), &req); err != nil {
		return nil, 0, invalid("body", "must be a JSON object: %v", err)
	}
	f, err := s.buyerFilter(ctx, app, &req)
	if err != nil {
		return nil, 0, err
	}
	rows, total, err := s.Buyers.FindBuyers(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	shops, _, err := s.Shops.FindShops(ctx, shopcrm.ShopFilter{})
	if err != nil {
		return nil, 0, err
	}
	byID := map[int64]*shopcrm.Shop{}
	for _, sh := range shops {
		byID[sh.SID] = sh
	}
	list := make([]customerRow, len(rows))
	for i, r := range rows {
		list[i] = showBuyer(r, byID)
	}
	// data carries the total beside the list, and the envelope repeats it.
	return map[string]any{"list": list, "total": total}, total, nil
}

func (s *Server) buyerFilter(ctx context.Context, app *shopcrm.App, req *customerRequest) (shopcrm.BuyerFilter, error) {
	var fe shopcrm.FieldErrors
	f := shopcrm.BuyerFilter{SortField: req.SortField, DateField: string(req.DateField),
		SearchField: req.SearchField, SearchValue: req.SearchValue, SortDesc: true}
	switch strings.ToLower(req.SortType) {
	case "", "desc":
	case "asc":
		f.SortDesc = false
	default:
		fe.Add("sort_type", "must be asc or desc")
	}
	for _, d := range []struct {
		field, v string
		dst      *time.Time
	}{{"start_date", req.StartDate, &f.Start}, {"end_date", req.EndDate, &f.End}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			fe.Add(d.field, "must be a date as YYYY-MM-DD, got %q", d.v)
		}
		*d.dst = t
	}
	var err error
	if f.CurrencyType, err = req.CurrencyType.int("currency_type", 0); err != nil {
		fe = append(fe, shopcrm.ErrorFields(err)...)
	}
	if f.Offset, err = req.Offset.int("offset", 0); err != nil {
		fe = append(fe, shopcrm.ErrorFields(err)...)
	}
	if f.Limit, err = req.Length.int("length", 20); err != nil {
		fe = append(fe, shopcrm.ErrorFields(err)...)
	}
	sids, err := parseSIDs("sids", string(req.SIDs))
	if err == nil {
		sids, err = s.ScopeSIDs(ctx, app, "sids", sids)
	}
	if err != nil {
		fe = append(fe, shopcrm.ErrorFields(err)...)
	}
	f.SIDs = sids
	return f, fe.Err()
}

func showBuyer(r *shopcrm.BuyerRow, shops map[int64]*shopcrm.Shop) customerRow {
	var names, countries []string
	seen := map[string]bool{}
	for _, sid := range r.SIDs {
		if sh := shops[sid]; sh != nil {
			names = append(names, sh.Name)
			if !seen[sh.Country] {
				seen[sh.Country] = true
				countries = append(countries, sh.Country)
			}
		}
	}
	group := r.Segments
	if group == nil {
		group = []string{}
	}
	sids := r.SIDs
	if sids == nil {
		sids = []int64{}
	}
	return customerRow{
		BuyerEmail: r.Email, BuyerName: r.Name, SID: sids, Country: strings.Join(countries, ","),
		OrderItems: r.Orders, Volume: r.Units, Amount: r.Amount.Float(), PerCustomerTransaction: r.PerCustomerAmount.Float(),
		CurrencyIcon: shopcrm.CurrencySymbol(r.Currency), RefundNumber: r.RefundOrders, RefundSalesNumber: r.RefundUnits,
		RefundRate: r.RefundRate(), ReturnNumber: r.ReturnOrders, ReturnSalesNumber: r.ReturnUnits, ReturnRate: r.ReturnRate(),
		FeedbackNumber: r.FeedbackCount, SellerName: strings.Join(names, ","), FeedbackBadNumber: r.FeedbackBad,
		FeedbackRate: r.FeedbackRate(), FeedbackBadRate: r.FeedbackBadRate(),
		FirstPurchaseDate: localText(r.FirstPurchase), LastPurchaseDate: localText(r.LastPurchase),
		Remark: r.Remark, Group: group,
	}
}

func localText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateTime)
}
