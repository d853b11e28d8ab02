package sign

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
)

// Common are the query parameters every business request carries; a copy of them in the
// body (some SDKs send one) is ignored in favour of the query's.
var Common = []string{"access_token", "app_key", "timestamp"}

// FromRequest collects the signed params: the common query values plus every top-level field
// of the JSON body (which may be empty) and the other query values.
func FromRequest(query url.Values, body []byte) (Params, error) {
	p := Params{}
	if len(bytes.TrimSpace(body)) > 0 {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			return nil, errors.New("the body must be a JSON object")
		}
		for k, raw := range fields {
			v, err := ValueText(raw)
			if err != nil {
				return nil, err
			}
			p[k] = v
		}
	}
	for k, vs := range query {
		if k == "sign" || len(vs) == 0 {
			continue
		}
		p[k] = vs[0]
	}
	return p, nil
}

// ValueText renders one JSON value as it takes part in the sign.
func ValueText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case '[', '{':
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return "", err
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return "", err
		}
		return string(bytes.TrimRight(buf.Bytes(), "\n")), nil
	default: // numbers, true, false, null keep their JSON text
		return string(raw), nil
	}
}
