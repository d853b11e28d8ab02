package heidian

import (
	"encoding/json"
	"net/http"

	"github.com/shopcrm/shopcrm"
)

// couponJSON is the coupon extension of the API; grants_count counts the customers that the
// coupon filter of the customer list selects.
type couponJSON struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Title       string `json:"title"`
	GrantsCount int    `json:"grants_count"`
	CreatedAt   string `json:"created_at"`
}

func (s *Server) couponJSON(c *shopcrm.Coupon) couponJSON {
	return couponJSON{ID: c.ID, Code: c.Code, Title: c.Title, GrantsCount: c.GrantsCount, CreatedAt: s.timeJSON(c.CreatedAt)}
}

// listCoupons is GET /api/crm/coupon/.
func (s *Server) listCoupons(w http.ResponseWriter, r *http.Request) {
	p, ok := readPager(r.URL.Query())
	if !ok {
		invalidPage(w)
		return
	}
	cs, total, err := s.Coupons.FindCoupons(r.Context(), p.offset(), p.size)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	results := make([]couponJSON, len(cs))
	for i, c := range cs {
		results[i] = s.couponJSON(c)
	}
	writePage(w, r, p, total, results)
}

// createCoupon is POST /api/crm/coupon/ with {"code", "title"}.
func (s *Server) createCoupon(w http.ResponseWriter, r *http.Request) {
	raw, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var c shopcrm.Coupon
	var fe shopcrm.FieldErrors
	for name, dst := range map[string]*string{"code": &c.Code, "title": &c.Title} {
		if v, ok := raw[name]; ok && (pyType(v) != "str" || json.Unmarshal(v, dst) != nil) {
			fe.Add(name, "Not a valid string.")
		}
	}
	if _, ok := raw["code"]; !ok {
		fe.Add("code", "This field is required.")
	}
	if err := fe.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Coupons.CreateCoupon(r.Context(), &c); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.couponJSON(&c))
}

// getCoupon is GET /api/crm/coupon/{id}/.
func (s *Server) getCoupon(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		notFound(w)
		return
	}
	s.writeCoupon(w, r, id)
}

func (s *Server) writeCoupon(w http.ResponseWriter, r *http.Request, id int64) {
	c, err := s.Coupons.FindCouponByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.couponJSON(c))
}

// grantCoupon is POST /api/crm/coupon/{id}/grant/ with [{"customer_id": N}, …]; granting
// twice is a no-op and an unknown customer fails the whole request.
func (s *Server) grantCoupon(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		notFound(w)
		return
	}
	ids, err := readCustomerIDs(r)
	if err == nil {
		err = s.Coupons.GrantCoupon(r.Context(), id, ids)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeCoupon(w, r, id)
}
