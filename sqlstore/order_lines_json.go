package sqlstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/shopcrm/shopcrm"
)

// An order's lines live in its row, in the orders.lines column, as a JSON array with one
// array per line: [sku, asin, title, quantity, price, tax, status, promotion, parcels]
// (migration 00042). A row of order_items for each line was a third of the B-tree entries a
// shipments report row wrote, and the floor of the shipments import (the same rows written
// with nothing looked up) ran 98 000–121 000 rows/s with the lines in the order's row
// against 71 000–84 000 with a row each (docs/BENCHMARKS.md, 2026-12-07). JSON, because
// both engines read it: the order_items view gives SQL readers the lines as rows.
//
// The store writes the text itself (appendLines) and reads it with parseLines, which takes
// any JSON of that shape, as the migration's json_group_array or json_agg writes it.

// lineFields is how many values each line's array holds.
const lineFields = 9

// appendLines appends the JSON text of items to b.
func appendLines(b []byte, items []shopcrm.OrderItem) []byte {
	b = append(b, '[')
	for i := range items {
		it := &items[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendJSONString(b, it.SKU)
		b = append(b, ',')
		b = appendJSONString(b, it.ASIN)
		b = append(b, ',')
		b = appendJSONString(b, it.Title)
		b = append(b, ',')
		b = strconv.AppendInt(b, it.Quantity, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(it.Price), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(it.Tax), 10)
		b = append(b, ',')
		b = appendJSONString(b, it.Status)
		b = append(b, ',')
		b = appendJSONString(b, it.Promotion)
		b = append(b, ',')
		b = appendJSONString(b, it.Parcels)
		b = append(b, ']')
	}
	return append(b, ']')
}

// linesJSON is appendLines as a string, the form the drivers bind.
func linesJSON(items []shopcrm.OrderItem) string {
	return string(appendLines(make([]byte, 0, 96*len(items)+2), items))
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Control characters are escaped, so the text
// never holds the unit separator that joinedText splits on; invalid UTF-8 becomes U+FFFD,
// as encoding/json writes it (PostgreSQL's jsonb refuses invalid text).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i++
			start = i
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// storedLines reads the lines text of stored order id, naming the order when it cannot.
func storedLines(id int64, text string) ([]shopcrm.OrderItem, error) {
	items, err := parseLines(text)
	if err != nil {
		return nil, fmt.Errorf("order %d: %w", id, err)
	}
	return items, nil
}

// parseLines reads the lines of an orders.lines text; an empty text holds none.
func parseLines(s string) ([]shopcrm.OrderItem, error) {
	p := lineParser{s: s}
	if p.skipSpace(); p.i == len(s) {
		return nil, nil
	}
	var items []shopcrm.OrderItem
	if !p.eat('[') {
		return nil, p.fail()
	}
	if p.eat(']') {
		return items, p.end()
	}
	for {
		var it shopcrm.OrderItem
		var ints [3]int64
		strs := [...]*string{&it.SKU, &it.ASIN, &it.Title, &it.Status, &it.Promotion, &it.Parcels}
		if !p.eat('[') {
			return nil, p.fail()
		}
		for f := range lineFields {
			if f > 0 && !p.eat(',') {
				return nil, p.fail()
			}
			var ok bool
			switch {
			case f >= 3 && f <= 5:
				ints[f-3], ok = p.int()
			case f < 3:
				*strs[f], ok = p.str()
			default:
				*strs[f-3], ok = p.str()
			}
			if !ok {
				return nil, p.fail()
			}
		}
		if !p.eat(']') {
			return nil, p.fail()
		}
		it.Quantity, it.Price, it.Tax = ints[0], shopcrm.Amount(ints[1]), shopcrm.Amount(ints[2])
		items = append(items, it)
		if p.eat(']') {
			return items, p.end()
		}
		if !p.eat(',') {
			return nil, p.fail()
		}
	}
}

type lineParser struct {
	s string
	i int
}

func (p *lineParser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\n' || p.s[p.i] == '\t' || p.s[p.i] == '\r') {
		p.i++
	}
}

// eat consumes c, after any white space, if it comes next.
func (p *lineParser) eat(c byte) bool {
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *lineParser) int() (int64, bool) {
	p.skipSpace()
	start := p.i
	if p.i < len(p.s) && p.s[p.i] == '-' {
		p.i++
	}
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	v, err := strconv.ParseInt(p.s[start:p.i], 10, 64)
	return v, err == nil
}

// str reads a JSON string; one with escapes goes through encoding/json.
func (p *lineParser) str() (string, bool) {
	p.skipSpace()
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return "", false
	}
	start := p.i
	escaped := false
	for p.i++; p.i < len(p.s); p.i++ {
		switch p.s[p.i] {
		case '\\':
			escaped = true
			p.i++
		case '"':
			p.i++
			if !escaped {
				return p.s[start+1 : p.i-1], true
			}
			var v string
			err := json.Unmarshal([]byte(p.s[start:p.i]), &v)
			return v, err == nil
		}
	}
	return "", false
}

func (p *lineParser) end() error {
	if p.skipSpace(); p.i != len(p.s) {
		return p.fail()
	}
	return nil
}

func (p *lineParser) fail() error {
	return shopcrm.Errorf(shopcrm.EINTERNAL, "order lines: not a JSON array of lines at byte %d", p.i)
}

// LinesJSON is the text the store keeps items in as an order's lines (orders.lines), for
// whoever writes orders with SQL: the floors of `shopcrm bench import` do.
func LinesJSON(items []shopcrm.OrderItem) string { return linesJSON(items) }
