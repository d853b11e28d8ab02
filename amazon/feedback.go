package amazon

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Feedback is one rating from the seller feedback report (GET_SELLER_FEEDBACK_DATA), which
// holds the neutral and negative ratings (1–3 stars).
type Feedback struct {
	Line       int
	Date       time.Time
	Rating     int // 1–5
	Comments   string
	Response   string
	OrderID    string
	RaterEmail string // relay address: links the feedback to a customer
}

const (
	fbDate = iota
	fbRating
	fbComments
	fbResponse
	fbOrderID
	fbRaterEmail
)

var feedbackColumns = []string{"date", "rating", "comments", "response", "order-id", "rater-email"}

// The report's header is localized per marketplace, so its six columns are taken by
// position. A header with more columns may be another file, the download of Seller
// Central's Feedback Manager, which puts ratings of delivery and service between the
// comments and the order id: its columns are found by their English names. Read by
// position instead (a localized download), its rows fail the order-id check rather than
// store a "Yes" as an order.
var feedbackSpec = &spec{
	names:      feedbackColumns,
	positional: true,
	wide: newSpec(feedbackColumns, map[string]string{
		"your-response": "response",
		"comment":       "comments",
		"rater-e-mail":  "rater-email",
		"order-number":  "order-id",
	}, "date", "rating", "order-id"),
}

// shortDate is the order of a marketplace's short date ("mdy" is 07/18/22) and its separator.
type shortDate struct {
	order string
	sep   byte
}

// feedbackDates is Amazon's short date per marketplace, as Airbyte's feedback
// transformer has it.
var feedbackDates = func() map[string]shortDate {
	m := map[string]shortDate{
		"US": {"mdy", '/'},
		"DE": {"dmy", '.'},
		"JP": {"ymd", '/'},
		"SE": {"ymd", '-'},
	}
	for _, mp := range strings.Fields("UK GB FR ES IT NL PL TR AE SA EG IN AU SG BR CA MX BE") {
		m[mp] = shortDate{"dmy", '/'}
	}
	return m
}()

// FeedbackReader reads the seller feedback report row by row.
type FeedbackReader struct {
	t      *table
	format shortDate
}

// NewFeedbackReader reads the header of a feedback report from the marketplace whose
// country code (US, UK, DE, JP…) decides how dates are written. The header must have at
// least six columns; only the first six are read.
func NewFeedbackReader(r io.Reader, marketplace string) (*FeedbackReader, error) {
	format, ok := feedbackDates[strings.ToUpper(strings.TrimSpace(marketplace))]
	if !ok {
		return nil, fmt.Errorf("amazon: feedback: unknown marketplace %q", marketplace)
	}
	t, err := newTable(r, feedbackSpec)
	if err != nil {
		return nil, err
	}
	return &FeedbackReader{t: t, format: format}, nil
}

// Offset is how far into the input the reader has got (see OrderReader.Offset).
func (r *FeedbackReader) Offset() int64 { return r.t.lr.offset() }

// Next returns the next row, a *RowError for a row it had to skip, or io.EOF.
func (r *FeedbackReader) Next() (Feedback, error) {
	t := r.t
	if err := t.next(); err != nil {
		return Feedback{}, err
	}
	v := t.vals
	f := Feedback{Line: t.line, Comments: v[fbComments], Response: v[fbResponse],
		OrderID: v[fbOrderID], RaterEmail: v[fbRaterEmail]}
	if d, ok := parseShortDate(v[fbDate], r.format); ok {
		f.Date = d
	} else {
		t.fail(fbDate, "invalid date "+strconv.Quote(v[fbDate]))
	}
	if f.OrderID == "" {
		t.fail(fbOrderID, "empty")
	} else if !isAmazonOrderID(f.OrderID) {
		t.fail(fbOrderID, "not an Amazon order id: "+strconv.Quote(f.OrderID))
	}
	if n, err := strconv.Atoi(v[fbRating]); err == nil && n >= 1 && n <= 5 {
		f.Rating = n
	} else {
		t.fail(fbRating, "invalid rating "+strconv.Quote(v[fbRating]))
	}
	if err := t.rowErr(); err != nil {
		return Feedback{}, err
	}
	return f, nil
}

// isAmazonOrderID reports whether s has the shape of an Amazon order id, 123-1234567-1234567
// (a digital order starts D01-): three letters or digits, then two runs of at least seven
// digits.
func isAmazonOrderID(s string) bool {
	a, rest, ok := strings.Cut(s, "-")
	if !ok || len(a) != 3 || strings.Trim(a, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return false
	}
	b, c, ok := strings.Cut(rest, "-")
	return ok && len(b) >= 7 && len(c) >= 7 && strings.Trim(b+c, "0123456789") == ""
}

// parseShortDate reads a date in the marketplace's short format; a two-digit year is
// 1969–2068 as in strptime. ISO dates (starting with a four-digit year) are accepted too.
func parseShortDate(s string, f shortDate) (time.Time, bool) {
	if _, _, ok := digits(s, 4, 4); ok {
		if t, ok := parseTime(s); ok {
			return t, true
		}
	}
	var n, w [3]int
	rest := s
	for i := range 3 {
		if i > 0 {
			if rest == "" || rest[0] != f.sep {
				return time.Time{}, false
			}
			rest = rest[1:]
		}
		v, r, ok := digits(rest, 1, 4)
		if !ok {
			return time.Time{}, false
		}
		n[i], w[i], rest = v, len(rest)-len(r), r
	}
	if rest != "" {
		return time.Time{}, false
	}
	var y, m, d, yw int
	switch f.order {
	case "mdy":
		m, d, y, yw = n[0], n[1], n[2], w[2]
	case "dmy":
		d, m, y, yw = n[0], n[1], n[2], w[2]
	default:
		y, m, d, yw = n[0], n[1], n[2], w[0]
	}
	switch yw {
	case 2:
		if y += 2000; y >= 2069 {
			y -= 100
		}
	case 4:
	default:
		return time.Time{}, false
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}
