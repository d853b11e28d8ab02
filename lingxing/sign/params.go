package sign

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
)

// Common are the query parameters every business request carries. A copy of them in the
// body (the PHP and official Go SDKs send one) is ignored in favour of the query's.
var Common = []string{"access_token", "app_key", "timestamp"}

// FromRequest collects the signed params: every query value but the sign, and every
// top-level field of the JSON body (which may be empty) but the common ones.
func FromRequest(query url.Values, body []byte) (Params, error) {
	fields, err := bodyFields(body)
	if err != nil {
		return nil, err
	}
	p := Params{}
	for k, raw := range fields {
		if p[k], err = ValueText(raw); err != nil {
			return nil, err
		}
	}
	addQuery(p, query)
	return p, nil
}

// Variants returns the params as the clients seen in the wild render them: FromRequest's
// form first; then, where they differ, nested objects kept in the order and escapes the
// client sent (JS and PHP sign insertion order), and top-level nulls left out (one Python
// SDK). Each variant is then tried with empty values skipped and included.
func Variants(query url.Values, body []byte) ([]Params, error) {
	fields, err := bodyFields(body)
	if err != nil {
		return nil, err
	}
	sorted, sent, noNull := Params{}, Params{}, Params{}
	for k, raw := range fields {
		if sorted[k], err = ValueText(raw); err != nil {
			return nil, err
		}
		sent[k] = sorted[k]
		if raw[0] == '[' || raw[0] == '{' {
			var buf bytes.Buffer
			json.Compact(&buf, raw) // valid: ValueText decoded it
			sent[k] = buf.String()
		}
		if string(raw) != "null" {
			noNull[k] = sorted[k]
		}
	}
	out := []Params{sorted}
	for _, v := range []Params{sent, noNull} {
		if !slices.ContainsFunc(out, func(o Params) bool { return equal(o, v) }) {
			out = append(out, v)
		}
	}
	for _, p := range out {
		addQuery(p, query)
	}
	return out, nil
}

func equal(a, b Params) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// bodyFields splits a JSON object body into its top-level fields, the common ones dropped.
func bodyFields(body []byte) (map[string]json.RawMessage, error) {
	fields := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
			return nil, errors.New("the body must be a JSON object")
		}
	}
	for _, k := range Common {
		delete(fields, k)
	}
	for k, raw := range fields {
		fields[k] = bytes.TrimSpace(raw)
	}
	return fields, nil
}

func addQuery(p Params, query url.Values) {
	for k, vs := range query {
		if k != "sign" && len(vs) > 0 {
			p[k] = vs[0]
		}
	}
}

// ValueText renders one JSON value as it takes part in the sign: strings unquoted, numbers,
// true, false and null as their JSON text (never re-formatted: 20.0 stays 20.0), arrays and
// objects as compact JSON with object keys sorted and no HTML escaping.
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
	default:
		return string(raw), nil
	}
}
