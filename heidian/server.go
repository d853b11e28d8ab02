// Package heidian serves the Heidian-compatible shop CRM REST API: OAuth 2.0 client
// credentials tokens, bearer authentication with scopes, and the customer, segment and coupon
// endpoints with Django-REST-framework pages and errors.
package heidian

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/shopcrm/shopcrm"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 1 << 20

// Server holds the services behind the API. Set the fields, then call Handler once.
type Server struct {
	Customers shopcrm.CustomerService
	Segments  shopcrm.SegmentService
	Coupons   shopcrm.CouponService
	OAuth     shopcrm.OAuthService
	// Versions, when set, lets single-customer reads be answered from bodies kept while
	// nothing is committed (customer_cache.go).
	Versions shopcrm.VersionService

	Now                func() time.Time // default time.Now
	Location           *time.Location   // times are shown in it; default Asia/Shanghai
	SegmentCustomerCap int              // customers embedded in a segment; default 1000
	TokenTTL           time.Duration    // lifetime of tokens from /oauth/token; default 1 hour
	Logger             *slog.Logger     // internal errors; default slog.Default()
	CustomerCacheBytes int              // kept single-customer bodies, with Versions; default 16 MiB
	// StoreConcurrency bounds the customer reads running at once; the others queue in
	// arrival order (queue.go). Set it to the store's read connections; default
	// 2 × GOMAXPROCS.
	StoreConcurrency int

	tokens    tokenCache
	customers bodyCache
	queue     storeQueue
	idPrefix  string
	idCounter atomic.Uint64
}

// Handler returns the API, with the defaults of unset fields applied.
func (s *Server) Handler() http.Handler {
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Location == nil {
		s.Location = shopcrm.LoadLocation("Asia/Shanghai")
	}
	if s.SegmentCustomerCap <= 0 {
		s.SegmentCustomerCap = 1000
	}
	if s.TokenTTL <= 0 {
		s.TokenTTL = time.Hour
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.CustomerCacheBytes <= 0 {
		s.CustomerCacheBytes = defaultCustomerCacheBytes
	}
	s.queue = newStoreQueue(s.StoreConcurrency)
	b := make([]byte, 6)
	rand.Read(b)
	s.idPrefix = hex.EncodeToString(b) + "-"

	mux := http.NewServeMux()
	s.route(mux, "/oauth/token/", false, routes{"POST": s.issueToken})
	s.route(mux, "/api/crm/customer/", true, routes{"GET": s.listCustomers, "POST": s.createCustomer})
	s.route(mux, "/api/crm/customer/{id}/", true, routes{"GET": s.getCustomer, "PUT": s.replaceCustomer,
		"PATCH": s.patchCustomer, "DELETE": s.deleteCustomer})
	s.route(mux, "/api/crm/segment/", true, routes{"GET": s.listSegments, "POST": s.createSegment})
	s.route(mux, "/api/crm/segment/{id}/", true, routes{"GET": s.getSegment, "PUT": s.replaceSegment,
		"PATCH": s.patchSegment, "DELETE": s.deleteSegment})
	s.route(mux, "/api/crm/segment/{id}/segment_customer/", true, routes{"POST": s.addSegmentCustomers,
		"DELETE": s.removeSegmentCustomers})
	s.route(mux, "/api/crm/coupon/", true, routes{"GET": s.listCoupons, "POST": s.createCoupon})
	s.route(mux, "/api/crm/coupon/{id}/", true, routes{"GET": s.getCoupon})
	s.route(mux, "/api/crm/coupon/{id}/grant/", true, routes{"POST": s.grantCoupon})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, detail{"Not found."})
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", s.requestID(r))
		defer func() {
			if v := recover(); v != nil && v != http.ErrAbortHandler {
				s.Logger.Error("heidian: panic", "panic", v, "path", r.URL.Path)
				writeJSON(w, http.StatusInternalServerError, detail{"A server error occurred."})
			}
		}()
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		}
		mux.ServeHTTP(w, canonical(r))
	})
}

type routes map[string]http.HandlerFunc

// route registers the methods of one path and a JSON 405 for the others. API routes
// authenticate first (as DRF does), and need a read scope for GET, a write scope otherwise.
func (s *Server) route(mux *http.ServeMux, p string, api bool, rs routes) {
	allow := make([]string, 0, len(rs))
	for m, h := range rs {
		allow = append(allow, m)
		if api {
			h = s.authorize(m, h)
		}
		mux.Handle(m+" "+p+"{$}", h)
	}
	allowed := strings.Join(allow, ", ")
	var notAllowed http.HandlerFunc = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allowed)
		writeJSON(w, http.StatusMethodNotAllowed, detail{`Method "` + r.Method + `" not allowed.`})
	}
	if api {
		notAllowed = s.authorize("", notAllowed)
	}
	mux.Handle(p+"{$}", notAllowed)
}

// canonical cleans the path and gives it the trailing slash every route has, so that
// /api/crm/customer and /api/crm/customer/ are served alike; ServeMux would otherwise answer
// with a redirect, which clients follow as a GET even after a POST.
func canonical(r *http.Request) *http.Request {
	p := path.Clean("/" + r.URL.Path)
	if p != "/" {
		p += "/"
	}
	if p == r.URL.Path && r.URL.RawPath == "" {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path, u.RawPath = p, ""
	r2.URL = &u
	return r2
}

// requestID echoes a well-formed X-Request-Id of the client (so that its logs and ours
// meet) or makes one: a random per-process prefix and a counter, unique without a syscall.
func (s *Server) requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); id != "" && len(id) <= 128 && strings.Trim(id,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") == "" {
		return id
	}
	return s.idPrefix + strconv.FormatUint(s.idCounter.Add(1), 10)
}
