package heidian

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// customerFilter reads the list filters, naming every malformed one.
func customerFilter(r *http.Request) (shopcrm.CustomerFilter, error) {
	q := r.URL.Query()
	var fe shopcrm.FieldErrors
	f := shopcrm.CustomerFilter{
		ID:             queryInt(q, "id", &fe),
		IDs:            queryInts(q, "id__in", &fe),
		Coupon:         queryInt(q, "coupon", &fe),
		CouponExclude:  queryInt(q, "coupon__exclude", &fe),
		Segment:        queryInt(q, "segment", &fe),
		SegmentExclude: queryInt(q, "segment__exclude", &fe),
		Search:         strings.TrimSpace(q.Get("search")),
		OrderBy:        strings.TrimSpace(q.Get("ordering")), // the store names a bad one
	}
	return f, fe.Err()
}

// listCustomers is GET /api/crm/customer/.
func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request) {
	f, err := customerFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, ok := readPager(r.URL.Query())
	if !ok {
		invalidPage(w)
		return
	}
	f.Offset, f.Limit = p.offset(), p.size
	if err := s.queue.enter(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	cs, total, err := s.Customers.FindCustomers(r.Context(), f)
	s.queue.leave()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	results := make([]*customerJSON, len(cs))
	for i, c := range cs {
		results[i] = s.customerJSON(c)
	}
	writePage(w, r, p, total, results)
}

// getCustomer is GET /api/crm/customer/{id}/.
func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		notFound(w)
		return
	}
	version := ""
	if s.Versions != nil {
		v, err := s.Versions.DataVersion(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if body := s.customers.get(v, id); body != nil {
			writeBody(w, http.StatusOK, body)
			return
		}
		version = v
	}
	if err := s.queue.enter(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Customers.FindCustomerByID(r.Context(), id)
	s.queue.leave()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := json.Marshal(s.customerJSON(c))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if version != "" {
		s.customers.put(version, id, body, s.CustomerCacheBytes)
	}
	writeBody(w, http.StatusOK, body)
}

// readCustomer decodes a customer body; on failure it has answered the request.
func (s *Server) readCustomer(w http.ResponseWriter, r *http.Request) (shopcrm.CustomerUpdate, bool) {
	raw, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return shopcrm.CustomerUpdate{}, false
	}
	upd, fe := decodeCustomer(raw)
	if len(fe) > 0 {
		s.fail(w, r, validationErrors(upd, fe))
		return upd, false
	}
	return upd, true
}

// createCustomer is POST /api/crm/customer/.
func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) {
	upd, ok := s.readCustomer(w, r)
	if !ok {
		return
	}
	var c shopcrm.Customer
	upd.Apply(&c)
	if err := s.Customers.CreateCustomer(r.Context(), &c); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.customerJSON(&c))
}

// replaceCustomer is PUT /api/crm/customer/{id}/. As in DRF, fields the body leaves out
// keep their values (none is required); read-only fields cannot be set.
func (s *Server) replaceCustomer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		notFound(w)
		return
	}
	c, err := s.Customers.FindCustomerByID(r.Context(), id) // 404 before 400, as DRF
	if err != nil {
		s.fail(w, r, err)
		return
	}
	upd, ok := s.readCustomer(w, r)
	if !ok {
		return
	}
	upd.Apply(c)
	if err := s.Customers.ReplaceCustomer(r.Context(), c); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.customerJSON(c))
}

// patchCustomer is PATCH /api/crm/customer/{id}/.
func (s *Server) patchCustomer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		notFound(w)
		return
	}
	upd, ok := s.readCustomer(w, r)
	if !ok {
		return
	}
	c, err := s.Customers.UpdateCustomer(r.Context(), id, upd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.customerJSON(c))
}

// deleteCustomer is DELETE /api/crm/customer/{id}/; the customer's orders stay, unlinked.
func (s *Server) deleteCustomer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		notFound(w)
		return
	}
	if err := s.Customers.DeleteCustomer(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
