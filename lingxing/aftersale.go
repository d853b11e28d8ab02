package lingxing

import (
	"cmp"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

type afterSaleRequest struct {
	SID       flexString      `json:"sid"`
	StartDate string          `json:"start_date"`
	EndDate   string          `json:"end_date"`
	DateType  flexString      `json:"date_type"`
	DataType  flexString      `json:"data_type"` // the document's own example spells it so
	AfterType flexString      `json:"after_type"`
	Offset    flexString      `json:"offset"`
	Length    flexString      `json:"length"`
	OrderIDs  json.RawMessage `json:"amazon_order_id_list"`
}

// orderIDList reads amazon_order_id_list: a JSON array of strings (or numbers), or one
// comma-separated string as some clients send lists; blanks and repeats are dropped.
func orderIDList(raw json.RawMessage) ([]string, error) {
	var list []flexString
	if err := json.Unmarshal(raw, &list); err != nil {
		var one flexString
		if json.Unmarshal(raw, &one) != nil || (len(raw) > 0 && (raw[0] == '{' || raw[0] == 't' || raw[0] == 'f')) {
			return nil, invalid("amazon_order_id_list", "must be an array of order ids")
		}
		for _, v := range strings.Split(string(one), ",") {
			list = append(list, flexString(v))
		}
	}
	var out []string
	for _, v := range list {
		if v := strings.TrimSpace(string(v)); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// Limits of the after-sale list.
const (
	afterSaleDefaultLength = 1000
	afterSaleMaxLength     = 5000
	afterSaleMaxOrderIDs   = 50
)

// afterSaleList serves POST /erp/sc/routing/amzod/order/afterSaleList.
func (s *Server) afterSaleList(ctx context.Context, app *shopcrm.App, body []byte) (any, int, error) {
	var req afterSaleRequest
	if err := json.Unmarshal(orEmpty(body), &req); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, 0, invalid(te.Field, "must be a %s, got a JSON %s", te.Type, te.Value)
		}
		return nil, 0, invalid("body", "must be a JSON object with the documented fields: %v", err)
	}
	f, err := s.afterSaleFilter(ctx, app, &req)
	if err != nil {
		return nil, 0, err
	}
	recs, total, err := s.AfterSales.FindAfterSaleOrders(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]afterSaleRecord, len(recs))
	for i, r := range recs {
		out[i] = showAfterSale(r)
	}
	return out, total, nil
}

// afterSaleFilter validates the request, naming every bad field at once. start_date and
// end_date stay calendar days (midnight UTC): the store turns them into instants in each
// selected shop's own zone, since one request may span shops in several zones.
func (s *Server) afterSaleFilter(ctx context.Context, app *shopcrm.App, req *afterSaleRequest) (shopcrm.AfterSaleFilter, error) {
	var fe shopcrm.FieldErrors
	var f shopcrm.AfterSaleFilter
	for _, d := range []struct {
		field, v string
		dst      *time.Time
	}{{"start_date", req.StartDate, &f.Start}, {"end_date", req.EndDate, &f.End}} {
		if d.v = strings.TrimSpace(d.v); d.v == "" {
			fe.Add(d.field, "required, as YYYY-MM-DD")
			continue
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			fe.Add(d.field, "must be a date as YYYY-MM-DD, got %q", d.v)
		}
		*d.dst = t
	}
	// The range is left-closed, right-open: start = end is valid and selects nothing.
	if !f.Start.IsZero() && !f.End.IsZero() && f.End.Before(f.Start) {
		fe.Add("end_date", "must not be before start_date")
	}
	field, dt := "date_type", req.DateType
	if dt == "" {
		field, dt = "data_type", req.DataType
	}
	var err error
	if f.DateType, err = dt.int(field, shopcrm.AfterSaleByTime); err != nil || f.DateType < 1 || f.DateType > 3 {
		fe.Add(field, "must be 1 (after-sale time), 2 (purchase time) or 3 (update time), got %q", string(dt))
	}
	for _, part := range strings.Split(string(req.AfterType), ",") {
		switch part = strings.TrimSpace(part); part {
		case "":
		case "1", "2", "3":
			if t := int(part[0] - '0'); !slices.Contains(f.Types, t) {
				f.Types = append(f.Types, t)
			}
		default:
			fe.Add("after_type", "must be a comma list of 1 (refund), 2 (return), 3 (exchange), got %q", part)
		}
	}
	if f.Offset, err = req.Offset.int("offset", 0); err != nil || f.Offset < 0 {
		fe.Add("offset", "must be a non-negative integer, got %q", string(req.Offset))
	}
	if f.Limit, err = req.Length.int("length", afterSaleDefaultLength); err != nil || f.Limit < 1 || f.Limit > afterSaleMaxLength {
		fe.Add("length", "must be 1 to %d, got %q", afterSaleMaxLength, string(req.Length))
	}
	if len(req.OrderIDs) > 0 && string(req.OrderIDs) != "null" {
		if f.OrderNumbers, err = orderIDList(req.OrderIDs); err != nil {
			fe = append(fe, shopcrm.ErrorFields(err)...)
		}
	}
	if len(f.OrderNumbers) > afterSaleMaxOrderIDs {
		fe.Add("amazon_order_id_list", "at most %d order ids, got %d", afterSaleMaxOrderIDs, len(f.OrderNumbers))
	}
	sids, err := parseSIDs("sid", string(req.SID))
	if err == nil {
		sids, err = s.ScopeSIDs(ctx, app, "sid", sids)
	}
	if err != nil {
		fe = append(fe, shopcrm.ErrorFields(err)...)
	}
	f.SIDs = sids
	return f, fe.Err()
}

// afterSaleRecord is one element of data. id is the smallest id of the listed items (the
// list's tie-breaker; Lingxing calls it non-unique), correlation_id the order's id (0 while
// the order is not imported, as is_mcf_order, which Lingxing documents 0 as its default).
type afterSaleRecord struct {
	ID                            int64           `json:"id"`
	AmazonOrderID                 string          `json:"amazon_order_id"`
	SID                           int64           `json:"sid"`
	ASIN                          string          `json:"asin"`
	MSKU                          string          `json:"msku"`
	CorrelationID                 int64           `json:"correlation_id"`
	PurchaseTime                  string          `json:"purchase_time"`
	DealTime                      string          `json:"deal_time"`
	GmtModified                   string          `json:"gmt_modified"`
	IntervalDays                  int             `json:"interval_days"`
	IsMCFOrder                    int             `json:"is_mcf_order"`
	SellerCountry                 string          `json:"seller_country"`
	DeliveryType                  string          `json:"delivery_type"`
	OrderTotalAmount              string          `json:"order_total_amount"`
	OrderTotalAmountCurrencyCode  string          `json:"order_total_amount_currency_code"`
	OrderTotalAmountNumber        string          `json:"order_total_amount_number"`
	TotalRefundAmount             string          `json:"total_refund_amount"`
	TotalRefundAmountCurrencyCode string          `json:"total_refund_amount_currency_code"`
	TotalRefundAmountNumber       string          `json:"total_refund_amount_number"`
	TotalRefundCost               string          `json:"total_refund_cost"`
	TotalRefundCostCurrencyCode   string          `json:"total_refund_cost_currency_code"`
	TotalRefundCostNumber         string          `json:"total_refund_cost_number"`
	AfterTypeTag                  []string        `json:"after_type_tag"`
	ItemList                      []afterSaleItem `json:"item_list"`
}

type moneyDetail struct {
	Type   string `json:"type"`
	Amount string `json:"amount"`
}

type afterSaleItem struct {
	SmallImageURL       string        `json:"small_image_url"`
	ItemName            string        `json:"item_name"`
	LocalSKU            string        `json:"local_sku"`
	LocalName           string        `json:"local_name"`
	ASIN                string        `json:"asin"`
	ASINURL             string        `json:"asin_url"`
	MSKU                string        `json:"msku"`
	AfterType           string        `json:"after_type"`
	AfterQuantity       int64         `json:"after_quantity"`
	AfterReason         string        `json:"after_reason"`
	AfterTime           string        `json:"after_time"`
	AfterInterval       string        `json:"after_interval"`
	DataUpdateTime      string        `json:"data_update_time"`
	RefundAmount        string        `json:"refund_amount"`
	RefundAmountDetails []moneyDetail `json:"refund_amount_details"`
	RefundCost          string        `json:"refund_cost"`
	RefundCostDetails   []moneyDetail `json:"refund_cost_details"`
	RefundCurrencyIcon  string        `json:"refund_currency_icon"`
	ReturnStatus        string        `json:"return_status"`
	InventoryAttributes string        `json:"inventory_attributes"`
	LPNNumber           string        `json:"lpn_number"`
	BuyersNote          string        `json:"buyers_note"`
	RMAOrderNumber      string        `json:"rma_order_number"`
	Carriers            string        `json:"carriers"`
	WaybillNumber       string        `json:"waybill_number"`
	ExchangeOrderNumber string        `json:"exchange_order_number"`
	MD5                 string        `json:"md5"`
	MD5New              string        `json:"md5_new"`
	ItemIdentifier      string        `json:"item_identifier"`
	MD5V2               string        `json:"md5_v2"`
	OrderDateYear       int           `json:"orderDateYear"`
	RowIndex            int           `json:"row_index"`
}

// amazonDomains are the store fronts of the asin_url.
var amazonDomains = map[string]string{"US": "amazon.com", "CA": "amazon.ca", "MX": "amazon.com.mx", "UK": "amazon.co.uk",
	"DE": "amazon.de", "FR": "amazon.fr", "IT": "amazon.it", "ES": "amazon.es", "NL": "amazon.nl", "SE": "amazon.se",
	"PL": "amazon.pl", "JP": "amazon.co.jp", "AU": "amazon.com.au", "IN": "amazon.in", "AE": "amazon.ae"}

func md5hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// showAfterSale writes a record as Lingxing prints it: every documented field present,
// times in the shop's zone, money with the currency symbol.
func showAfterSale(r *shopcrm.AfterSaleOrder) afterSaleRecord {
	loc, marketplace, currency := time.UTC, "", ""
	rec := afterSaleRecord{ID: r.ID, AfterTypeTag: []string{}, ItemList: []afterSaleItem{}}
	if r.Shop != nil {
		loc, marketplace, currency = r.Shop.Location(), r.Shop.Marketplace, r.Shop.Currency
		rec.SID, rec.SellerCountry = r.Shop.SID, r.Shop.Name+" "+r.Shop.Country
	}
	var purchase time.Time
	if o := r.Order; o != nil {
		rec.AmazonOrderID, rec.CorrelationID, purchase = o.Number, o.ID, o.PurchaseTime
		rec.DeliveryType, rec.IsMCFOrder = deliveryType(o.Fulfilment), 1
		if o.IsMCF() {
			rec.IsMCFOrder = 2
		}
		currency = cmp.Or(o.Currency, currency)
	}
	if len(r.Items) > 0 {
		first := r.Items[0]
		rec.AmazonOrderID = cmp.Or(rec.AmazonOrderID, first.OrderNumber)
		if rec.SID == 0 {
			rec.SID = first.SID
		}
		if r.Order == nil {
			currency = cmp.Or(first.Currency, currency)
		}
	}
	sym := shopcrm.CurrencySymbol(currency)
	var refund, cost shopcrm.Amount
	var deal, modified time.Time
	tags := map[int]bool{}
	for _, it := range r.Items {
		tags[it.Type] = true
		if it.Time.After(deal) {
			deal = it.Time
		}
		if it.DataUpdateTime.After(modified) {
			modified = it.DataUpdateTime
		}
		refund += it.RefundAmount()
		cost += it.RefundCost()
		rec.ItemList = append(rec.ItemList, showAfterSaleItem(it, purchase, loc, marketplace, cmp.Or(it.Currency, currency)))
	}
	if len(rec.ItemList) > 0 { // the parent shows its first item, as Lingxing's example does
		rec.MSKU, rec.ASIN = rec.ItemList[0].MSKU, rec.ItemList[0].ASIN
	}
	for _, t := range []int{shopcrm.AfterSaleRefund, shopcrm.AfterSaleReturn, shopcrm.AfterSaleExchange} {
		if tags[t] {
			rec.AfterTypeTag = append(rec.AfterTypeTag, shopcrm.AfterSaleTypeNames[t])
		}
	}
	rec.PurchaseTime, rec.DealTime, rec.GmtModified = localText(purchase.In(loc)), localText(deal.In(loc)), localText(modified.In(loc))
	rec.IntervalDays = intervalDays(purchase, deal)
	rec.OrderTotalAmount, rec.OrderTotalAmountCurrencyCode, rec.OrderTotalAmountNumber = r.OrderTotal.WithSymbol(sym), sym, r.OrderTotal.String()
	rec.TotalRefundAmount, rec.TotalRefundAmountCurrencyCode, rec.TotalRefundAmountNumber = refund.WithSymbol(sym), sym, refund.String()
	rec.TotalRefundCost, rec.TotalRefundCostCurrencyCode, rec.TotalRefundCostNumber = cost.WithSymbol(sym), sym, cost.String()
	return rec
}

func showAfterSaleItem(it *shopcrm.AfterSaleItem, purchase time.Time, loc *time.Location, marketplace, currency string) afterSaleItem {
	out := afterSaleItem{ItemName: it.Title, ASIN: it.ASIN, MSKU: it.SKU, AfterType: shopcrm.AfterSaleTypeNames[it.Type],
		AfterQuantity: it.Quantity, AfterReason: it.Reason, AfterTime: localText(it.Time.In(loc)), DataUpdateTime: localText(it.DataUpdateTime.In(loc)),
		AfterInterval: strconv.Itoa(intervalDays(purchase, it.Time)) + "天", RefundAmountDetails: []moneyDetail{},
		RefundCostDetails: []moneyDetail{}, ReturnStatus: it.Status, InventoryAttributes: it.InventoryAttributes,
		LPNNumber: it.LPN, BuyersNote: it.BuyerNote, RMAOrderNumber: it.RMA, Carriers: it.Carrier, WaybillNumber: it.Waybill,
		ExchangeOrderNumber: it.ExchangeOrderNumber, ItemIdentifier: it.ItemIdentifier, MD5V2: md5hex(it.ItemIdentifier),
		// md5 and md5_new are deprecated upstream; they stay stable per item.
		MD5: md5hex("md5:" + it.ItemIdentifier), MD5New: md5hex("md5_new:" + it.ItemIdentifier), RowIndex: it.RowIndex}
	if !purchase.IsZero() {
		out.OrderDateYear = purchase.In(loc).Year()
	} else if !it.Time.IsZero() {
		out.OrderDateYear = it.Time.In(loc).Year()
	}
	if p := it.Product; p != nil {
		out.SmallImageURL, out.LocalSKU, out.LocalName = p.SmallImageURL, p.LocalSKU, p.LocalName
		out.ItemName = cmp.Or(out.ItemName, p.Title)
		out.ASIN = cmp.Or(out.ASIN, p.ASIN)
	}
	if d := amazonDomains[marketplace]; d != "" && out.ASIN != "" {
		out.ASINURL = "https://www." + d + "/dp/" + out.ASIN
	}
	sym := shopcrm.CurrencySymbol(currency)
	if len(it.AmountDetails) > 0 {
		out.RefundAmount, out.RefundCurrencyIcon = it.RefundAmount().WithSymbol(sym), sym
		for _, d := range it.AmountDetails {
			out.RefundAmountDetails = append(out.RefundAmountDetails, moneyDetail{d.Type, d.Amount.WithSymbol(sym)})
		}
	}
	if len(it.CostDetails) > 0 {
		out.RefundCost = it.RefundCost().WithSymbol(sym)
		for _, d := range it.CostDetails {
			out.RefundCostDetails = append(out.RefundCostDetails, moneyDetail{d.Type, d.Amount.WithSymbol(sym)})
		}
	}
	return out
}

// deliveryType prints the fulfilment channel as Lingxing does; reports also say AFN/MFN.
func deliveryType(f string) string {
	switch strings.ToUpper(f) {
	case "AFN", "AMAZON", shopcrm.FulfilmentFBA:
		return shopcrm.FulfilmentFBA
	case "MFN", "MERCHANT", shopcrm.FulfilmentFBM:
		return shopcrm.FulfilmentFBM
	}
	return f
}

// intervalDays counts the days from purchase to the after-sale event, a started day counting
// whole: Lingxing's example shows 10 for 9 days and 9 minutes.
func intervalDays(purchase, at time.Time) int {
	if purchase.IsZero() || at.IsZero() || !at.After(purchase) {
		return 0
	}
	return int(math.Ceil(at.Sub(purchase).Hours() / 24))
}
