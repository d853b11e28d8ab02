package heidian

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/shopcrm/shopcrm"
)

// readObject reads a JSON object body into its members. A body that is not JSON, or not an
// object, is a DRF error; err is then ready for fail.
func readObject(r *http.Request) (map[string]json.RawMessage, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return map[string]json.RawMessage{}, nil // DRF reads an empty body as no fields
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err == nil && raw != nil {
		return raw, nil
	} else if !json.Valid(b) {
		return nil, shopcrm.Errorf(shopcrm.EINVALID, "JSON parse error - %v", err)
	}
	var fe shopcrm.FieldErrors
	fe.Add("non_field_errors", "Invalid data. Expected a dictionary, but got %s.", pyType(b))
	return nil, fe.Err()
}

// pyType names the JSON type of v the way DRF's messages do.
func pyType(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "NoneType"
	}
	switch v[0] {
	case '"':
		return "str"
	case '{':
		return "dict"
	case '[':
		return "list"
	case 't', 'f':
		return "bool"
	case 'n':
		return "NoneType"
	}
	if bytes.ContainsAny(v, ".eE") {
		return "float"
	}
	return "int"
}

// customerReader decodes the writable fields of a customer body into a CustomerUpdate,
// recording a DRF message for each bad field; unknown fields are ignored.
type customerReader struct {
	raw map[string]json.RawMessage
	fe  shopcrm.FieldErrors
}

func decodeCustomer(raw map[string]json.RawMessage) (shopcrm.CustomerUpdate, shopcrm.FieldErrors) {
	d := &customerReader{raw: raw}
	u := shopcrm.CustomerUpdate{
		Mobile: d.str("mobile"), FullName: d.str("full_name"), Gender: d.str("gender"), Email: d.str("email"),
		Birthday: d.str("birthday"), Note: d.str("note"), ReferralCode: d.str("referral_code"),
		AcceptsMarketing: d.boolean("accepts_marketing"),
	}
	u.Tags = decodeList[string](d, "tags", "Not a valid string.")
	u.Addresses = decodeList[shopcrm.Address](d, "addresses", "Invalid data. Expected a dictionary of address fields.")
	u.Metafields = decodeList[shopcrm.Metafield](d, "metafields", "Invalid data. Expected a dictionary with namespace, key and value.")
	if v, ok := raw["profile"]; ok {
		var p shopcrm.CustomerProfile
		if pyType(v) != "dict" || json.Unmarshal(v, &p) != nil {
			d.fe.Add("profile", "Invalid data. Expected a dictionary, but got %s.", pyType(v))
		} else {
			u.Profile = &p
		}
	}
	if v, ok := raw["referrer"]; ok {
		var id *int64
		if pyType(v) != "NoneType" {
			n, err := strconv.ParseInt(string(bytes.Trim(v, `"`)), 10, 64)
			if err != nil {
				d.fe.Add("referrer", "Incorrect type. Expected pk value, received %s.", pyType(v))
			}
			id = &n
		}
		u.ReferrerID = &id
	}
	return u, d.fe
}

// str reads a text field. Like DRF's CharField it takes numbers as their text (a mobile sent
// as 13000000000 is "13000000000"); null means empty.
func (d *customerReader) str(name string) *string {
	v, ok := d.raw[name]
	if !ok {
		return nil
	}
	var s string
	switch pyType(v) {
	case "str":
		json.Unmarshal(v, &s)
	case "int":
		s = string(bytes.TrimSpace(v))
	case "NoneType":
	default:
		if name == "birthday" {
			d.fe.Add(name, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
		} else {
			d.fe.Add(name, "Not a valid string.")
		}
		return nil
	}
	return &s
}

// boolean reads a BooleanField, which also takes 0/1 and "true"/"false".
func (d *customerReader) boolean(name string) *bool {
	v, ok := d.raw[name]
	if !ok {
		return nil
	}
	switch string(bytes.TrimSpace(v)) {
	case "true", "1", `"true"`, `"True"`, `"1"`:
		b := true
		return &b
	case "false", "0", `"false"`, `"False"`, `"0"`:
		b := false
		return &b
	}
	d.fe.Add(name, "Must be a valid boolean.")
	return nil
}

// decodeList reads a list field whose items decode into T, else records itemMsg.
func decodeList[T any](d *customerReader, name, itemMsg string) *[]T {
	v, ok := d.raw[name]
	if !ok {
		return nil
	}
	if pyType(v) != "list" {
		d.fe.Add(name, `Expected a list of items but got type "%s".`, pyType(v))
		return nil
	}
	var items []json.RawMessage
	json.Unmarshal(v, &items)
	out := make([]T, 0, len(items))
	for _, it := range items {
		var t T
		if err := json.Unmarshal(it, &t); err != nil || pyType(it) == "NoneType" {
			d.fe.Add(name, "%s", itemMsg)
			return nil
		}
		out = append(out, t)
	}
	return &out
}

// validationErrors adds the domain's own checks of the customer that upd describes, so that
// a request with bad types and bad values is told about all of them at once.
func validationErrors(upd shopcrm.CustomerUpdate, fe shopcrm.FieldErrors) error {
	var c shopcrm.Customer
	upd.Apply(&c)
	return append(fe, shopcrm.ErrorFields(c.Validate())...).Err()
}
