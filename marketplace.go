package shopcrm

import (
	"sync"
	"time"
)

// Marketplace holds the defaults a new shop takes from its marketplace code.
type Marketplace struct {
	Code          string
	TimeZone      string
	Currency      string
	Country       string // Lingxing's country name
	Region        string
	MarketplaceID string
}

// Marketplaces by code. SHOP is the seller's own web shop.
var Marketplaces = map[string]Marketplace{
	"US":   {"US", "America/Los_Angeles", "USD", "美国", "NA", "ATVPDKIKX0DER"},
	"CA":   {"CA", "America/Los_Angeles", "CAD", "加拿大", "NA", "A2EUQ1WTGCTBG2"},
	"MX":   {"MX", "America/Los_Angeles", "MXN", "墨西哥", "NA", "A1AM78C64UM0Y8"},
	"UK":   {"UK", "Europe/London", "GBP", "英国", "EU", "A1F83G8C2ARO7P"},
	"DE":   {"DE", "Europe/Berlin", "EUR", "德国", "EU", "A1PA6795UKMFR9"},
	"FR":   {"FR", "Europe/Paris", "EUR", "法国", "EU", "A13V1IB3VIYZZH"},
	"IT":   {"IT", "Europe/Rome", "EUR", "意大利", "EU", "APJ6JRA9NG5V4"},
	"ES":   {"ES", "Europe/Madrid", "EUR", "西班牙", "EU", "A1RKKUPIHCS9HS"},
	"NL":   {"NL", "Europe/Amsterdam", "EUR", "荷兰", "EU", "A1805IZSGTT6HS"},
	"SE":   {"SE", "Europe/Stockholm", "SEK", "瑞典", "EU", "A2NODRKZP88ZB9"},
	"PL":   {"PL", "Europe/Warsaw", "PLN", "波兰", "EU", "A1C3SOZRARQ6R3"},
	"JP":   {"JP", "Asia/Tokyo", "JPY", "日本", "FE", "A1VC38T7YXB528"},
	"AU":   {"AU", "Australia/Sydney", "AUD", "澳洲", "FE", "A39IBJ37TRP1C6"},
	"IN":   {"IN", "Asia/Kolkata", "INR", "印度", "EU", "A21TJRUUN4KGV"},
	"AE":   {"AE", "Asia/Dubai", "AED", "阿联酋", "EU", "A2VIGQ35RCS4UG"},
	"SHOP": {"SHOP", "Asia/Shanghai", "CNY", "中国", "CN", ""},
}

// CurrencySymbols are the icons Lingxing prints beside amounts.
var CurrencySymbols = map[string]string{
	"CNY": "￥", "USD": "$", "EUR": "€", "GBP": "￡", "JPY": "JP¥", "CAD": "CA$", "MXN": "Mex$",
	"AUD": "A$", "SEK": "kr", "PLN": "zł", "INR": "₹", "AED": "AED", "HKD": "HK$", "TRY": "₺",
}

// CurrencySymbol returns the icon of a currency code, or the code itself when unknown.
func CurrencySymbol(code string) string {
	if s, ok := CurrencySymbols[code]; ok {
		return s
	}
	return code
}

var locations sync.Map

// LoadLocation is time.LoadLocation with a cache (it reads the zone database each call)
// and UTC for an unknown or empty name.
func LoadLocation(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	locations.Store(name, l)
	return l
}
