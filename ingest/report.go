package ingest

import (
	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
)

// refund reads one refunded item of a V2 settlement file (the reader has grouped its
// consecutive Refund rows). Its key is the merchant adjustment item id, which Amazon keeps
// per refunded item; older files without it fall back to the adjustment id and SKU.
func (b *builder) refund(r amazon.Refund) error {
	id := "refund:" + r.OrderID + ":" + r.MerchantAdjustmentItemID
	if r.MerchantAdjustmentItemID == "" {
		id = "refund:" + r.OrderID + ":" + r.AdjustmentID + ":" + r.SKU
	}
	return b.afterSale(&shopcrm.AfterSale{
		ItemIdentifier: id,
		SID:            b.shop.SID,
		OrderNumber:    r.OrderID,
		Type:           shopcrm.AfterSaleRefund,
		SKU:            r.SKU,
		Quantity:       int64(r.Quantity),
		Time:           r.PostedDate,
		DataUpdateTime: r.PostedDate,
		Currency:       b.currency(r.Currency),
		AmountDetails:  details(r.AmountDetails),
		CostDetails:    details(r.CostDetails),
	}, r.Line)
}

func details(ds []amazon.Detail) []shopcrm.MoneyDetail {
	out := make([]shopcrm.MoneyDetail, len(ds))
	for i, d := range ds {
		out[i] = shopcrm.MoneyDetail{Type: d.Type, Amount: d.Amount}
	}
	return out
}

// feedbackRow reads one rating of the seller feedback report.
func (b *builder) feedbackRow(f amazon.Feedback) error {
	return b.feedback(&shopcrm.Feedback{SID: b.shop.SID, OrderNumber: f.OrderID, Rating: f.Rating, Date: f.Date,
		Comment: f.Comments, Response: f.Response, RaterEmail: f.RaterEmail}, f.Line)
}
