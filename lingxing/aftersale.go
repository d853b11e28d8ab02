package lingxing

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

type afterSaleRequest struct {
	SID       flexString `json:"sid"`
	StartDate string     `json:"start_date"`
	EndDate   string     `json:"end_date"`
	DateType  flexString `json:"date_type"`
	DataType  flexString `json:"data_type"` // the document's own example spells it so
	AfterType flexString `json:"after_type"`
	Offset    flexString `json:"offset"`
	Length    flexString `json:"length"`
	OrderIDs  []string   `json:"amazon_order_id_list"`
}

// afterSaleList serves POST /erp/sc/routing/amzod/order/afterSaleList.
func (s *Server) afterSaleList(ctx context.Context, app *shopcrm.App, body []byte) (any, int, error) {
	var req afterSaleRequest
	if err := json.Unmarshal(orEmpty(body), &req); err != nil {
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

func (s *Server) afterSaleFilter(ctx context.Context, app *shopcrm.App, req *afterSaleRequest) (shopcrm.AfterSaleFilter, error) {
	var fe shopcrm.FieldErrors
	f := shopcrm.AfterSaleFilter{OrderNumbers: req.OrderIDs}
	for _, d := range []struct {
		field, v string
		dst      *time.Time
	}{{"start_date", req.StartDate, &f.Start}, {"end_date", req.EndDate, &f.End}} {
		if d.v == "" {
			fe.Add(d.field, "required")
			continue
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			fe.Add(d.field, "must be a date as YYYY-MM-DD, got %q", d.v)
		}
		*d.dst = t
	}
	if !f.Start.IsZero() && !f.End.IsZero() && !f.End.After(f.Start) {
		fe.Add("end_date", "must be after start_date (the range is left-closed, right-open)")
	}
	dt := req.DateType
	if dt == "" {
		dt = req.DataType
	}
	var err error
	if f.DateType, err = dt.int("date_type", 1); err != nil || f.DateType < 1 || f.DateType > 3 {
		fe.Add("date_type", "must be 1, 2 or 3")
	}
	for _, part := range strings.Split(string(req.AfterType), ",") {
		switch strings.TrimSpace(part) {
		case "":
		case "1", "2", "3":
			f.Types = append(f.Types, int(part[0]-'0'))
		default:
			fe.Add("after_type", "must be a comma list of 1 (refund), 2 (return), 3 (exchange); got %q", part)
		}
	}
	if f.Offset, err = req.Offset.int("offset", 0); err != nil || f.Offset < 0 {
		fe.Add("offset", "must be a non-negative integer")
	}
	if f.Limit, err = req.Length.int("length", 1000); err != nil || f.Limit < 1 || f.Limit > 5000 {
		fe.Add("length", "must be 1 to 5000")
	}
	if len(f.OrderNumbers) > 50 {
		fe.Add("amazon_order_id_list", "at most 50 order ids, got %d", len(f.OrderNumbers))
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

func showAfterSale(r *shopcrm.AfterSaleOrder) afterSaleRecord {
	loc, currency, marketplace := time.UTC, "", ""
	rec := afterSaleRecord{ID: r.ID, AfterTypeTag: []string{}, ItemList: []afterSaleItem{}, IsMCFOrder: 1}
	if r.Shop != nil {
		loc, currency, marketplace = r.Shop.Location(), r.Shop.Currency, r.Shop.Marketplace
		rec.SID, rec.SellerCountry = r.Shop.SID, r.Shop.Name+" "+r.Shop.Country
	}
	var purchase time.Time
	if o := r.Order; o != nil {
		rec.AmazonOrderID, purchase, rec.DeliveryType, rec.CorrelationID = o.Number, o.PurchaseTime, o.Fulfilment, o.ID
		if o.Currency != "" {
			currency = o.Currency
		}
		if o.IsMCF() {
			rec.IsMCFOrder = 2
		}
	}
	sym := shopcrm.CurrencySymbol(currency)
	show := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format(time.DateTime)
	}
	rec.PurchaseTime = show(purchase)
	rec.OrderTotalAmount, rec.OrderTotalAmountCurrencyCode, rec.OrderTotalAmountNumber = r.OrderTotal.WithSymbol(sym), sym, r.OrderTotal.String()
	var refund, cost shopcrm.Amount
	var deal, modified time.Time
	tags := map[int]bool{}
	for _, it := range r.Items {
		if rec.AmazonOrderID == "" {
			rec.AmazonOrderID = it.OrderNumber
		}
		if rec.MSKU == "" {
			rec.MSKU, rec.ASIN = it.SKU, it.ASIN
		}
		tags[it.Type] = true
		if it.Time.After(deal) {
			deal = it.Time
		}
		if it.DataUpdateTime.After(modified) {
			modified = it.DataUpdateTime
		}
		refund += it.RefundAmount()
		cost += it.RefundCost()
		rec.ItemList = append(rec.ItemList, showAfterSaleItem(it, purchase, show, sym, marketplace))
	}
	for _, t := range []int{shopcrm.AfterSaleRefund, shopcrm.AfterSaleReturn, shopcrm.AfterSaleExchange} {
		if tags[t] {
			rec.AfterTypeTag = append(rec.AfterTypeTag, shopcrm.AfterSaleTypeNames[t])
		}
	}
	rec.DealTime, rec.GmtModified = show(deal), show(modified)
	rec.IntervalDays = intervalDays(purchase, deal)
	rec.TotalRefundAmount, rec.TotalRefundAmountCurrencyCode, rec.TotalRefundAmountNumber = refund.WithSymbol(sym), sym, refund.String()
	rec.TotalRefundCost, rec.TotalRefundCostCurrencyCode, rec.TotalRefundCostNumber = cost.WithSymbol(sym), sym, cost.String()
	return rec
}

func showAfterSaleItem(it *shopcrm.AfterSaleItem, purchase time.Time, show func(time.Time) string, sym, marketplace string) afterSaleItem {
	out := afterSaleItem{ItemName: it.Title, ASIN: it.ASIN, MSKU: it.SKU, AfterType: shopcrm.AfterSaleTypeNames[it.Type],
		AfterQuantity: it.Quantity, AfterReason: it.Reason, AfterTime: show(it.Time), DataUpdateTime: show(it.DataUpdateTime),
		AfterInterval: fmt.Sprintf("%d天", intervalDays(purchase, it.Time)), RefundAmountDetails: []moneyDetail{},
		RefundCostDetails: []moneyDetail{}, ReturnStatus: it.Status, InventoryAttributes: it.InventoryAttributes,
		LPNNumber: it.LPN, BuyersNote: it.BuyerNote, RMAOrderNumber: it.RMA, Carriers: it.Carrier, WaybillNumber: it.Waybill,
		ExchangeOrderNumber: it.ExchangeOrderNumber, ItemIdentifier: it.ItemIdentifier, MD5V2: md5hex(it.ItemIdentifier),
		MD5: md5hex("md5:" + it.ItemIdentifier), MD5New: md5hex("md5_new:" + it.ItemIdentifier), RowIndex: it.RowIndex}
	if !purchase.IsZero() {
		out.OrderDateYear = purchase.Year()
	}
	if p := it.Product; p != nil {
		out.SmallImageURL, out.LocalSKU, out.LocalName = p.SmallImageURL, p.LocalSKU, p.LocalName
		if out.ItemName == "" {
			out.ItemName = p.Title
		}
		if out.ASIN == "" {
			out.ASIN = p.ASIN
		}
	}
	if d := amazonDomains[marketplace]; d != "" && out.ASIN != "" {
		out.ASINURL = "https://www." + d + "/dp/" + out.ASIN
	}
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

// intervalDays counts whole days from purchase to the after-sale event.
func intervalDays(purchase, at time.Time) int {
	if purchase.IsZero() || at.IsZero() || at.Before(purchase) {
		return 0
	}
	return int(at.Sub(purchase).Hours() / 24)
}
