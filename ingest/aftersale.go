package ingest

import (
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
)

// fbaReturn reads a line of the FBA customer returns report: one returned unit (or units)
// received at a fulfilment centre. The license plate number is unique per returned unit,
// so it is the natural key. Rows without one fall back to what identifies the return event
// (order, SKU, time, centre), numbered within the file when several rows share it: two
// units of one order received together are two returns, not one. The rows of one event
// share a time, so every report that holds one of them holds all, numbered alike, and
// overlapping reports still key each unit once.
func (b *builder) fbaReturn(r amazon.FBAReturn) error {
	id := "fbaret:" + r.LPN
	if r.LPN == "" {
		id = b.nth("fbaret:" + strings.Join([]string{r.OrderID, r.SKU, r.ReturnDate.UTC().Format(time.RFC3339), r.FulfillmentCenterID}, ":"))
	}
	return b.afterSale(&shopcrm.AfterSale{
		ItemIdentifier:      id,
		SID:                 b.shop.SID,
		OrderNumber:         r.OrderID,
		Type:                shopcrm.AfterSaleReturn,
		SKU:                 r.SKU,
		ASIN:                r.ASIN,
		Quantity:            int64(r.Quantity),
		Reason:              r.Reason,
		Time:                r.ReturnDate,
		DataUpdateTime:      r.ReturnDate,
		Status:              r.Status,
		Currency:            b.shop.Currency,
		LPN:                 r.LPN,
		BuyerNote:           r.CustomerComments,
		InventoryAttributes: r.DetailedDisposition,
	}, r.Line)
}

// mfnReturn reads a line of the merchant-fulfilled returns report. A return the buyer is
// sent a replacement for is an exchange (SPEC §1), not a return.
func (b *builder) mfnReturn(r amazon.MFNReturn) error {
	rma := r.AmazonRMAID
	if rma == "" {
		rma = r.MerchantRMAID
	}
	key := rma
	if key == "" {
		key = r.ReturnRequestDate.UTC().Format(time.RFC3339)
	}
	typ := shopcrm.AfterSaleReturn
	if strings.EqualFold(r.Resolution, "Replacement") {
		typ = shopcrm.AfterSaleExchange
	}
	upd := r.ReturnRequestDate
	if r.ReturnDeliveryDate.After(upd) {
		upd = r.ReturnDeliveryDate
	}
	return b.afterSale(&shopcrm.AfterSale{
		ItemIdentifier: "mfnret:" + r.OrderID + ":" + r.MerchantSKU + ":" + key,
		SID:            b.shop.SID,
		OrderNumber:    r.OrderID,
		Type:           typ,
		SKU:            r.MerchantSKU,
		ASIN:           r.ASIN,
		Quantity:       int64(r.ReturnQuantity),
		Reason:         r.ReturnReason,
		Time:           r.ReturnRequestDate,
		DataUpdateTime: upd,
		Status:         r.ReturnRequestStatus,
		Currency:       b.currency(r.Currency),
		RMA:            rma,
		Carrier:        r.ReturnCarrier,
		Waybill:        r.TrackingID,
	}, r.Line)
}
