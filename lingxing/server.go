// Package lingxing serves the Lingxing-compatible open API: the token endpoints, the gateway
// every business request passes (sign, token, token bucket, shop scope) and the endpoints.
package lingxing

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/shopcrm/shopcrm"
)

// Defaults of the gateway.
const (
	BusinessCapacity = 1               // concurrent requests per app and business path
	TokenCapacity    = 100             // per app on the token endpoints
	BucketLease      = 2 * time.Minute // a token not given back returns by itself
	SignValidity     = 120 * time.Second
	AccessTokenTTL   = 7199 * time.Second
	RefreshTokenTTL  = 2 * time.Hour
	MaxBodyBytes     = 1 << 20
)

// Server holds the services behind the open API. Set the fields, then call Handler once.
type Server struct {
	Apps       shopcrm.AppService
	Shops      shopcrm.ShopService
	Rates      shopcrm.RateService
	Buyers     shopcrm.BuyerService
	AfterSales shopcrm.AfterSaleService
	Bucket     shopcrm.Bucket // default: in-process

	Now       func() time.Time // default time.Now
	Logger    *slog.Logger     // default slog.Default()
	Unlimited bool             // lift the buckets (benchmarks)

	mux *http.ServeMux
}

// Handler returns the API.
func (s *Server) Handler() http.Handler {
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.Bucket == nil {
		s.Bucket = NewMemoryBucket()
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST /api/auth-server/oauth/access-token", s.limitToken(s.accessToken))
	s.mux.HandleFunc("POST /api/auth-server/oauth/refresh", s.limitToken(s.refresh))
	s.business("GET /erp/sc/data/seller/lists", s.sellerList)
	s.business("POST /erp/sc/routing/finance/currency/currencyMonth", s.currencyMonth)
	s.business("POST /basicOpen/customerService/crm/customer/index", s.customerIndex)
	s.business("POST /erp/sc/routing/amzod/order/afterSaleList", s.afterSaleList)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		e := s.newEnvelope()
		e.Code, e.Message = 400, "服务不存在"
		writeJSON(w, e)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		s.mux.ServeHTTP(w, r)
	})
}

// businessHandler serves one endpoint for an authenticated app; body is the JSON body.
type businessHandler func(ctx context.Context, app *shopcrm.App, body []byte) (data any, total int, err error)

// business registers an endpoint behind the gateway.
func (s *Server) business(pattern string, h businessHandler) {
	s.mux.Handle(pattern, s.gateway(h))
}
