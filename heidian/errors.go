package heidian

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcrm/shopcrm"
)

// detail is the DRF body of an error that concerns no single field.
type detail struct {
	Detail string `json:"detail"`
}

// errorStatus maps each shopcrm error code to its HTTP status and, where DRF has a fixed
// wording, its detail. Field errors are rendered apart (see fail).
var errorStatus = map[string]struct {
	status int
	detail string
}{
	shopcrm.EINVALID:      {http.StatusBadRequest, ""},
	shopcrm.ENOTFOUND:     {http.StatusNotFound, "Not found."},
	shopcrm.ECONFLICT:     {http.StatusConflict, ""},
	shopcrm.EUNAUTHORIZED: {http.StatusUnauthorized, "Invalid token."},
	shopcrm.EFORBIDDEN:    {http.StatusForbidden, "You do not have permission to perform this action."},
	shopcrm.ERATELIMITED:  {http.StatusTooManyRequests, "Request was throttled."},
	shopcrm.EINTERNAL:     {http.StatusInternalServerError, "A server error occurred."},
}

// fail writes err as DRF does. Field errors, uniqueness conflicts included (DRF's unique
// validators answer 400), become {"field": ["message", …]}.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeJSON(w, http.StatusRequestEntityTooLarge, detail{"Request body is too large."})
		return
	}
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		return // the client went away; nobody reads an answer, and nothing failed here
	}
	code := shopcrm.ErrorCode(err)
	if fields := shopcrm.ErrorFields(err); len(fields) > 0 && (code == shopcrm.EINVALID || code == shopcrm.ECONFLICT) {
		writeJSON(w, http.StatusBadRequest, fieldBody(fields))
		return
	}
	e, ok := errorStatus[code]
	if !ok {
		e = errorStatus[shopcrm.EINTERNAL]
	}
	msg := e.detail
	if msg == "" {
		msg = shopcrm.ErrorMessage(err)
	}
	if code == shopcrm.EINTERNAL {
		s.Logger.Error("heidian: internal error", "err", err, "method", r.Method, "path", r.URL.Path,
			"request_id", w.Header().Get("X-Request-Id"))
	}
	writeJSON(w, e.status, detail{msg})
}

// fieldBody groups field messages by field, in DRF's {"field": [messages]} shape.
func fieldBody(fields []shopcrm.FieldError) map[string][]string {
	body := make(map[string][]string, len(fields))
	for _, f := range fields {
		body[f.Field] = append(body[f.Field], f.Message)
	}
	return body
}

// invalid answers 400 naming the fields.
func (s *Server) invalid(w http.ResponseWriter, r *http.Request, fe shopcrm.FieldErrors) {
	s.fail(w, r, fe.Err())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"detail":"A server error occurred."}`)
	}
	writeBody(w, status, b)
}

// writeBody answers with encoded JSON.
func writeBody(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}
