// Package lingxing serves the Lingxing-compatible open API: the token endpoints, the gateway
// every business request passes (sign, token, token bucket, shop scope) and the endpoints.
package lingxing

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
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
	Bucket     shopcrm.Bucket // default: in-process; a Redis one when several processes serve

	// Capacity of each business endpoint's bucket (default BusinessCapacity) and of the token
	// endpoints' (default TokenCapacity); App.Capacities overrides both per path.
	Capacity      int
	TokenCapacity int

	Now       func() time.Time // default time.Now
	Logger    *slog.Logger     // default slog.Default()
	Unlimited bool             // lift the buckets (benchmarks)

	mux        *http.ServeMux
	paths      map[string]bool // paths with a method fallback registered
	tokenLocks sync.Map        // appId → *sync.Mutex, serialising token issue per app
}

// Handler returns the API. Each business endpoint is one s.business line below and one file.
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
	if s.Capacity <= 0 {
		s.Capacity = BusinessCapacity
	}
	if s.TokenCapacity <= 0 {
		s.TokenCapacity = TokenCapacity
	}
	s.mux, s.paths = http.NewServeMux(), map[string]bool{}
	s.mux.HandleFunc("POST /api/auth-server/oauth/access-token", s.limitToken(s.accessToken))
	s.mux.HandleFunc("POST /api/auth-server/oauth/refresh", s.limitToken(s.refresh))
	s.business("GET /erp/sc/data/seller/lists", s.sellerList)
	s.business("POST /erp/sc/routing/finance/currency/currencyMonth", s.currencyMonth)
	s.business("POST /basicOpen/customerService/crm/customer/index", s.customerIndex)
	s.business("POST /erp/sc/routing/amzod/order/afterSaleList", s.afterSaleList, 2*runtime.GOMAXPROCS(0))
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeNoService(w, "")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		s.mux.ServeHTTP(w, r)
	})
}

// businessHandler serves one endpoint for an authenticated app; body is the JSON body (empty
// for GET). A total below zero leaves "total" out of the reply, as the seller list does.
type businessHandler func(ctx context.Context, app *shopcrm.App, body []byte) (data any, total int, err error)

// business registers an endpoint behind the gateway: pattern is "METHOD /path".
//
// A limit above zero bounds how many requests of the endpoint run at once; the rest wait
// their turn. The after-sale list builds pages of up to 5000 records: the work is CPU-bound,
// so running more at once than the cores can serve adds no throughput, only the pages in
// flight; queued in turn, 32 clients saw a p99 of 1.8 s instead of 3.8 s at 1 M buyers.
func (s *Server) business(pattern string, h businessHandler, limit ...int) {
	var handler http.Handler = s.gateway(h)
	if len(limit) > 0 && limit[0] > 0 {
		handler = oneOf(limit[0], handler)
	}
	s.mux.Handle(pattern, handler)
	// The same path with another method gets the JSON envelope clients parse, not the mux's
	// plain-text 405 (clients treat any HTTP status but 200 as a transport failure).
	method, path, _ := strings.Cut(pattern, " ")
	if !s.paths[path] {
		s.paths[path] = true
		s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			s.writeNoService(w, "method "+r.Method+" not allowed, use "+method)
		})
	}
}

// oneOf lets at most n requests through h at once; a request whose client gives up while
// waiting is dropped unanswered.
func oneOf(n int, h http.Handler) http.Handler {
	slots := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
		case <-r.Context().Done():
			return
		}
		defer func() { <-slots }()
		h.ServeHTTP(w, r)
	})
}

type appKey struct{}

// AppFromContext returns the app the gateway authenticated for a business request.
func AppFromContext(ctx context.Context) *shopcrm.App {
	app, _ := ctx.Value(appKey{}).(*shopcrm.App)
	return app
}

func withApp(ctx context.Context, app *shopcrm.App) context.Context {
	return context.WithValue(ctx, appKey{}, app)
}
