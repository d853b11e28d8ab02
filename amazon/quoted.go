package amazon

import "strings"

// Old order reports wrap a product name that holds line breaks in quotes, so one row spans
// several physical lines:
//
//	111-…	"The Structure of Aikido:
//	Volume 1: …
//	Relationships (…, Vol 1)"	1	USD	19.49	…
//
// Amazon's current files are unquoted, and a product name may begin with a quote it never
// closes ("Deluxe mug). A row is therefore joined with the lines after it only when the
// quote closes within maxJoined lines at the end of a field, and the joined row has no more
// fields than the header; otherwise the quote is literal and the lines read ahead are rows
// of their own.
const maxJoined = 8

// physLine is a line read ahead while looking for the end of a quoted field.
type physLine struct {
	text string
	line int
}

// openQuote reports whether s ends inside a quoted field: a field that starts with '"' (after
// spaces) and is not closed by a single '"' later in s.
func openQuote(s string) bool {
	if strings.IndexByte(s, '"') < 0 {
		return false
	}
	quoted, start := false, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted:
			if c == '"' {
				if i+1 < len(s) && s[i+1] == '"' {
					i++
					continue
				}
				quoted = false
			}
		case c == '\t':
			start = true
		case c == '"' && start:
			quoted = true
			start = false
		case c != ' ':
			start = false
		}
	}
	return quoted
}

// closesAtFieldEnd reports whether the quote that openQuote left open in s closes right
// before a tab or the end of the line, as a quoted field does. s is a joined row that
// openQuote no longer finds open.
func closesAtFieldEnd(s string) bool {
	return splitQuoted(s, nil) >= 0
}

// splitQuoted splits a joined row into fields, a quoted field running to its closing quote
// across tabs and line ends, and calls field for each (field may be nil). It returns the
// number of fields, or -1 when a quoted field's closing quote is followed by more text.
func splitQuoted(s string, field func(i int, f string)) int {
	n := 0
	for {
		end := 0 // the field is s[:end]
		lead := len(s) - len(strings.TrimLeft(s, " "))
		if lead < len(s) && s[lead] == '"' {
			i := lead + 1
			for i < len(s) {
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						i += 2
						continue
					}
					break
				}
				i++
			}
			end = min(i+1, len(s))
			rest := s[end:]
			if t := strings.TrimLeft(rest, " \r"); t != "" && t[0] != '\t' {
				return -1
			}
			if j := strings.IndexByte(rest, '\t'); j >= 0 {
				end += j
			} else {
				end = len(s)
			}
		} else if j := strings.IndexByte(s, '\t'); j >= 0 {
			end = j
		} else {
			end = len(s)
		}
		if field != nil {
			field(n, s[:end])
		}
		n++
		if end == len(s) {
			return n
		}
		s = s[end+1:]
	}
}

// usedFields is the number of fields of a joined row up to its last non-empty one: Amazon
// rows often carry more trailing tabs than the header has columns.
func usedFields(s string) int {
	used := 0
	splitQuoted(s, func(i int, f string) {
		if strings.TrimSpace(f) != "" {
			used = i + 1
		}
	})
	return used
}

// joinQuoted returns the row that starts with first: first itself, or first joined with the
// lines after it when a quoted field spans them (see maxJoined). Lines read ahead and not
// joined are kept for the next rows.
func (t *table) joinQuoted(first string) string {
	if !openQuote(first) {
		return first
	}
	var taken []physLine
	row := first
	for len(taken) < maxJoined {
		text, line, err := t.rawLine()
		if err != nil {
			break // the error comes back once the lines read ahead are rows again
		}
		taken = append(taken, physLine{text, line})
		row += "\n" + text
		if len(row) > maxLine {
			break
		}
		if openQuote(row) {
			continue
		}
		if closesAtFieldEnd(row) && usedFields(row) <= t.cols {
			t.quoted = true
			return row
		}
		break
	}
	t.ahead = append(taken, t.ahead...)
	return first
}
