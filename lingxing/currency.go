package lingxing

import (
	"context"
	"encoding/json"
	"time"

	"github.com/shopcrm/shopcrm"
)

type currencyRow struct {
	Date       string `json:"date"`
	Code       string `json:"code"`
	Icon       string `json:"icon"`
	Name       string `json:"name"`
	RateOrg    string `json:"rate_org"`
	MyRate     string `json:"my_rate"`
	UpdateTime string `json:"update_time"`
}

var currencyNames = map[string]string{"CNY": "人民币", "USD": "美元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元",
	"CAD": "加拿大元", "MXN": "墨西哥比索", "AUD": "澳大利亚元", "SEK": "瑞典克朗", "PLN": "波兰兹罗提",
	"INR": "印度卢比", "AED": "阿联酋迪拉姆", "HKD": "港币"}

// currencyMonth serves POST /erp/sc/routing/finance/currency/currencyMonth {"date":"2024-05"}.
func (s *Server) currencyMonth(ctx context.Context, _ *shopcrm.App, body []byte) (any, int, error) {
	var req struct {
		Date string `json:"date"`
	}
	if err := json.Unmarshal(orEmpty(body), &req); err != nil {
		return nil, 0, invalid("body", "must be a JSON object")
	}
	if req.Date == "" {
		req.Date = s.Now().In(shanghai).Format("2006-01")
	}
	if !shopcrm.ValidMonth(req.Date) {
		return nil, 0, invalid("date", "must be a month as YYYY-MM")
	}
	rates, err := s.Rates.FindRates(ctx, req.Date)
	if err != nil {
		return nil, 0, err
	}
	rows := []currencyRow{{Date: req.Date, Code: "CNY", Icon: shopcrm.CurrencySymbol("CNY"), Name: currencyNames["CNY"],
		RateOrg: "1.0000", MyRate: "1.0000", UpdateTime: s.Now().In(shanghai).Format(time.DateTime)}}
	for _, r := range rates {
		mine := r.Effective()
		rows = append(rows, currencyRow{Date: req.Date, Code: r.Currency, Icon: shopcrm.CurrencySymbol(r.Currency),
			Name: currencyNames[r.Currency], RateOrg: r.Official.String(), MyRate: mine.String(), UpdateTime: rows[0].UpdateTime})
	}
	return rows, len(rows), nil
}

func orEmpty(body []byte) []byte {
	if len(body) == 0 {
		return []byte("{}")
	}
	return body
}
