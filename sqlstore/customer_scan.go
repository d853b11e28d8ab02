package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// scanCustomer reads a row of customerColumns; its segments column is a JSON array or,
// from a page, a list of ids (parseSegmentIDs).
func scanCustomer(r scanner) (*shopcrm.Customer, error) {
	var c shopcrm.Customer
	var marketing, created, updated, amount, lastOrder, lastAt int64
	var tags, addrs, meta, profile, segments string
	var code, level, multipass sql.NullString
	var referrer sql.NullInt64
	st := &c.Statistics
	err := r.Scan(&c.ID, &c.Email, &c.FullName, &c.Mobile, &c.Gender, &c.Birthday, &c.Note, &marketing,
		&tags, &addrs, &code, &referrer, &level, &c.Points, &c.TotalPoints, &meta, &profile,
		&multipass, &c.Avatar, &created, &updated,
		&st.Orders, &amount, &st.Currency, &lastOrder, &lastAt, &st.CustomersReferred, &segments)
	if err != nil {
		return nil, err
	}
	c.AcceptsMarketing, c.ReferralCode = marketing != 0, code.String
	c.CreatedAt, c.UpdatedAt = fromUnix(created), fromUnix(updated)
	if referrer.Valid {
		c.ReferrerID = &referrer.Int64
	}
	if level.Valid {
		c.Level = &level.String
	}
	if multipass.Valid {
		c.MultipassIdentifier = &multipass.String
	}
	// Every paid order counts: the figures exclude cancelled ones already.
	st.PaidOrders, st.TotalSpent = st.Orders, shopcrm.Amount(amount)
	if lastOrder != 0 {
		st.LastOrderID = &lastOrder
	}
	if lastAt != 0 {
		t := fromUnix(lastAt)
		st.LastOrderPaidAt = &t
	}
	for _, j := range []struct {
		src string
		dst any
	}{{tags, &c.Tags}, {addrs, &c.Addresses}, {meta, &c.Metafields}} {
		if j.src == "[]" {
			continue // the usual value; the empty slices are set below
		}
		if err := json.Unmarshal([]byte(j.src), j.dst); err != nil {
			return nil, fmt.Errorf("customer %d: %w", c.ID, err)
		}
	}
	if err := profileMemo.decode(profile, &c.Profile); err != nil {
		return nil, fmt.Errorf("customer %d: profile: %w", c.ID, err)
	}
	switch {
	case segments == "[]":
	case !strings.HasPrefix(segments, "["):
		if err := parseSegmentIDs(segments, &c.Segments); err != nil {
			return nil, fmt.Errorf("customer %d: %w", c.ID, err)
		}
	default:
		if err := decodeSegments(segments, &c.Segments); err != nil {
			return nil, fmt.Errorf("customer %d: segments: %w", c.ID, err)
		}
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
	if c.Addresses == nil {
		c.Addresses = []shopcrm.Address{}
	}
	if c.Metafields == nil {
		c.Metafields = []shopcrm.Metafield{}
	}
	if c.Segments == nil {
		c.Segments = []shopcrm.SegmentRef{}
	}
	return &c, nil
}
