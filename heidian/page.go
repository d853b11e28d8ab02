package heidian

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// Page sizes of every list (DRF PageNumberPagination with page_size_query_param).
const (
	defaultPageSize = 10
	maxPageSize     = 100
)

// page is DRF's paginated body.
type page struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  any     `json:"results"`
}

// pager is the page a list request asks for.
type pager struct {
	number, size int
}

func (p pager) offset() int { return (p.number - 1) * p.size }

// readPager reads page and page_size. As in DRF a bad page_size falls back to the default
// and a large one to the maximum, while a page that is not a positive number is invalid.
func readPager(q url.Values) (pager, bool) {
	p := pager{number: 1, size: defaultPageSize}
	if n, err := strconv.Atoi(q.Get("page_size")); err == nil && n > 0 {
		p.size = min(n, maxPageSize)
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, false
		}
		p.number = n
	}
	return p, true
}

func invalidPage(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, detail{"Invalid page."})
}

// writePage answers a page of results, or 404 for a page past the last (page 1 always exists).
func writePage(w http.ResponseWriter, r *http.Request, p pager, total int, results any) {
	if p.number > 1 && p.offset() >= total {
		invalidPage(w)
		return
	}
	body := page{Count: total, Results: results}
	if p.number*p.size < total {
		body.Next = pageURL(r, p.number+1)
	}
	if p.number > 1 {
		body.Previous = pageURL(r, p.number-1)
	}
	writeJSON(w, http.StatusOK, body)
}

// pageURL is the request's absolute URL with another page number; like DRF it drops the
// page parameter for page 1.
func pageURL(r *http.Request, number int) *string {
	q := r.URL.Query()
	if number == 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(number))
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	} else if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p // behind a TLS-terminating proxy
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	s := u.String()
	return &s
}

// pathID reads the {id} of the path; anything but a positive integer names nothing.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, detail{"Not found."})
}

// queryInt reads an optional integer query parameter, recording a DRF error when malformed.
func queryInt(q url.Values, name string, fe *shopcrm.FieldErrors) *int64 {
	v := q.Get(name)
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		fe.Add(name, "Enter a number.")
		return nil
	}
	return &n
}

// queryInts reads an optional comma-separated list of integers (id__in=1,2,3).
func queryInts(q url.Values, name string, fe *shopcrm.FieldErrors) []int64 {
	v := q.Get(name)
	if v == "" {
		return nil
	}
	parts := strings.Split(v, ",")
	ids := make([]int64, 0, len(parts))
	for _, p := range parts {
		n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil {
			fe.Add(name, "Enter a comma-separated list of numbers.")
			return nil
		}
		ids = append(ids, n)
	}
	return ids
}
