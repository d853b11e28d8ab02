package heidian

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/shopcrm/shopcrm"
)

// segmentJSON embeds the first members (up to SegmentCustomerCap, as the seed embeds them)
// and counts them all; the full list pages through GET /api/crm/customer/?segment=ID.
type segmentJSON struct {
	ID             int64        `json:"id"`
	Title          string       `json:"title"`
	Customers      []memberJSON `json:"customers"`
	CustomersCount int          `json:"customers_count"`
}

func (s *Server) segmentJSON(r *http.Request, seg *shopcrm.Segment) (*segmentJSON, error) {
	out := &segmentJSON{ID: seg.ID, Title: seg.Title, Customers: []memberJSON{}, CustomersCount: seg.CustomersCount}
	if seg.CustomersCount == 0 {
		return out, nil
	}
	cs, err := s.Segments.FindSegmentCustomers(r.Context(), seg.ID, s.SegmentCustomerCap)
	for _, c := range cs {
		out.Customers = append(out.Customers, s.memberJSON(c))
	}
	return out, err
}

// writeSegment answers the segment with the id as it is now.
func (s *Server) writeSegment(w http.ResponseWriter, r *http.Request, status int, id int64) {
	seg, err := s.Segments.FindSegmentByID(r.Context(), id)
	var out *segmentJSON
	if err == nil {
		out, err = s.segmentJSON(r, seg)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, status, out)
}

// listSegments is GET /api/crm/segment/.
func (s *Server) listSegments(w http.ResponseWriter, r *http.Request) {
	p, ok := readPager(r.URL.Query())
	if !ok {
		invalidPage(w)
		return
	}
	segs, total, err := s.Segments.FindSegments(r.Context(), p.offset(), p.size)
	results := make([]*segmentJSON, len(segs))
	for i := 0; err == nil && i < len(segs); i++ {
		results[i], err = s.segmentJSON(r, segs[i])
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writePage(w, r, p, total, results)
}

// readTitle reads {"title": …}; required says whether it must be there (POST, PUT).
func readTitle(r *http.Request, required bool) (*string, error) {
	raw, err := readObject(r)
	if err != nil {
		return nil, err
	}
	var fe shopcrm.FieldErrors
	v, ok := raw["title"]
	var title string
	switch {
	case !ok && required:
		fe.Add("title", "This field is required.")
	case !ok:
		return nil, nil
	case pyType(v) == "NoneType":
		fe.Add("title", "This field may not be null.")
	case pyType(v) != "str" || json.Unmarshal(v, &title) != nil:
		fe.Add("title", "Not a valid string.")
	}
	return &title, fe.Err()
}

// createSegment is POST /api/crm/segment/.
func (s *Server) createSegment(w http.ResponseWriter, r *http.Request) {
	title, err := readTitle(r, true)
	seg := &shopcrm.Segment{}
	if err == nil {
		seg.Title = *title
		err = s.Segments.CreateSegment(r.Context(), seg)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, &segmentJSON{ID: seg.ID, Title: seg.Title, Customers: []memberJSON{}})
}

// getSegment is GET /api/crm/segment/{id}/.
func (s *Server) getSegment(w http.ResponseWriter, r *http.Request) {
	if id, ok := pathID(r); ok {
		s.writeSegment(w, r, http.StatusOK, id)
	} else {
		notFound(w)
	}
}

func (s *Server) replaceSegment(w http.ResponseWriter, r *http.Request) { s.updateSegment(w, r, true) }
func (s *Server) patchSegment(w http.ResponseWriter, r *http.Request)   { s.updateSegment(w, r, false) }

// updateSegment is PUT (title required) and PATCH on /api/crm/segment/{id}/.
func (s *Server) updateSegment(w http.ResponseWriter, r *http.Request, put bool) {
	id, ok := pathID(r)
	if !ok {
		notFound(w)
		return
	}
	title, err := readTitle(r, put)
	if err == nil && title != nil {
		_, err = s.Segments.UpdateSegment(r.Context(), id, *title)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeSegment(w, r, http.StatusOK, id)
}

// deleteSegment is DELETE /api/crm/segment/{id}/; the members stay as customers.
func (s *Server) deleteSegment(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		notFound(w)
		return
	}
	if err := s.Segments.DeleteSegment(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// addSegmentCustomers is POST /api/crm/segment/{id}/segment_customer/ with
// [{"customer_id": N}, …]. Members already there stay; an unknown id fails the whole request.
func (s *Server) addSegmentCustomers(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		notFound(w)
		return
	}
	ids, err := readCustomerIDs(r)
	if err == nil {
		err = s.Segments.AddSegmentCustomers(r.Context(), id, ids)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeSegment(w, r, http.StatusOK, id)
}

// removeSegmentCustomers is DELETE /api/crm/segment/{id}/segment_customer/?customer__in=1,2.
func (s *Server) removeSegmentCustomers(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		notFound(w)
		return
	}
	q := r.URL.Query()
	var fe shopcrm.FieldErrors
	ids := queryInts(q, "customer__in", &fe)
	if !q.Has("customer__in") {
		fe.Add("customer__in", "This field is required.")
	}
	err := fe.Err()
	if err == nil {
		err = s.Segments.RemoveSegmentCustomers(r.Context(), id, ids)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeSegment(w, r, http.StatusOK, id)
}

// readCustomerIDs reads the [{"customer_id": N}, …] body of membership and grant requests.
func readCustomerIDs(r *http.Request) ([]int64, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(b, &items); err != nil {
		if !json.Valid(b) {
			return nil, shopcrm.Errorf(shopcrm.EINVALID, "JSON parse error - %v", err)
		}
		var fe shopcrm.FieldErrors
		fe.Add("non_field_errors", `Expected a list of items but got type "%s".`, pyType(b))
		return nil, fe.Err()
	}
	var fe shopcrm.FieldErrors
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		var obj map[string]json.RawMessage
		if json.Unmarshal(it, &obj) != nil || obj == nil {
			fe.Add("non_field_errors", "Invalid data. Expected a dictionary, but got %s.", pyType(it))
			continue
		}
		v, ok := obj["customer_id"]
		if !ok {
			fe.Add("customer_id", "This field is required.")
			continue
		}
		var text string
		if json.Unmarshal(v, &text) != nil {
			text = string(v)
		}
		id, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			fe.Add("customer_id", "A valid integer is required.")
			continue
		}
		ids = append(ids, id)
	}
	return ids, fe.Err()
}
