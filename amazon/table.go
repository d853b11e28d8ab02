package amazon

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// RowError reports one row that could not be read. The reader that returned it has already
// moved past the row: log it and call Next again.
type RowError struct {
	Line   int    // 1-based physical line in the decoded file
	Field  string // column name as the reader knows it; empty for whole-row problems
	Reason string
}

func (e *RowError) Error() string {
	if e.Field == "" {
		return "line " + strconv.Itoa(e.Line) + ": " + e.Reason
	}
	return "line " + strconv.Itoa(e.Line) + ": " + e.Field + ": " + e.Reason
}

// spec describes the columns one report reader wants. Field ids are indexes into names.
type spec struct {
	names    []string          // canonical (normalized) names, by field id
	aliases  map[string]string // other normalized spellings → canonical name
	required []string
	byName   map[string]int
	// positional readers (feedback, whose header is localized) take the first len(names)
	// columns in order and ignore the header text.
	positional bool
	// wide, when set, reads a header with more named columns than a positional spec has
	// names by column name, when it finds the names (a different file with the same data).
	wide *spec
}

func newSpec(names []string, aliases map[string]string, required ...string) *spec {
	s := &spec{names: names, aliases: aliases, required: required, byName: make(map[string]int, len(names))}
	for i, n := range names {
		s.byName[n] = i
	}
	for _, n := range required {
		if _, ok := s.byName[n]; !ok {
			panic("amazon: required column " + n + " is not a field")
		}
	}
	return s
}

// normalizeHeader trims and lower-cases a header name and turns every run of spaces,
// underscores and hyphens into one hyphen, so "Merchant RMA ID", "merchant_rma_id" and
// "merchant-rma-id" are the same column.
func normalizeHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	var b strings.Builder
	sep := false
	for _, r := range h {
		if r == ' ' || r == '_' || r == '-' || r == '\u00a0' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

// table reads a tab-separated report: the header once, then one row per call to next.
// It keeps no per-row maps: pos maps a header position to a field id, and vals is reused.
type table struct {
	lr   *lineReader
	spec *spec
	pos  []int    // header position → field id, -1 for columns nobody reads
	last int      // positions ≥ last are never split out
	vals []string // current row by field id, trimmed; "" when absent
	line int      // line of the current row
	err  *RowError

	cols   int        // columns of the header
	ahead  []physLine // lines read ahead and not joined to a quoted row (quoted.go)
	quoted bool       // the current row was joined from several lines
}

func newTable(r io.Reader, sp *spec) (*table, error) {
	lr, err := newLineReader(r)
	if err != nil {
		return nil, err
	}
	t := &table{lr: lr, spec: sp, vals: make([]string, len(sp.names))}
	raw, _, err := t.nextLine()
	if err == io.EOF {
		return nil, errors.New("amazon: no header line")
	}
	if err != nil {
		return nil, err
	}
	header := strings.Split(raw, "\t")
	t.cols = len(header)
	if sp.positional && sp.wide != nil && nonEmpty(header) > len(sp.names) {
		// A wider file read by name when its names are known; by position otherwise, the
		// rows' own checks catching a file that is not the report.
		if pos, last, err := mapColumns(header, sp.wide); err == nil {
			t.pos, t.last = pos, last
			return t, nil
		}
	}
	if sp.positional {
		if len(header) < len(sp.names) {
			return nil, fmt.Errorf("amazon: header has %d columns, want %d", len(header), len(sp.names))
		}
		t.pos = make([]int, len(sp.names))
		for i := range t.pos {
			t.pos[i] = i
		}
		t.last = len(sp.names)
		return t, nil
	}
	if t.pos, t.last, err = mapColumns(header, sp); err != nil {
		return nil, err
	}
	return t, nil
}

// mapColumns finds the fields of sp in a header by name: pos maps each header position to
// a field id (-1 for columns nobody reads), and positions from last on hold none.
func mapColumns(header []string, sp *spec) (pos []int, last int, err error) {
	pos = make([]int, len(header))
	names := make([]string, len(header))
	seen := make([]bool, len(sp.names))
	for i := range header {
		names[i] = normalizeHeader(unquote(strings.TrimSpace(header[i])))
		pos[i] = -1
	}
	// Exact names first, aliases second: a file carrying both spellings keeps the canonical one.
	for pass := range 2 {
		for i, h := range names {
			if pass == 1 {
				h = sp.aliases[h]
			}
			id, ok := sp.byName[h]
			if !ok || seen[id] || pos[i] >= 0 {
				continue
			}
			pos[i], seen[id] = id, true
			last = max(last, i+1)
		}
	}
	var missing []string
	for _, n := range sp.required {
		if !seen[sp.byName[n]] {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, 0, fmt.Errorf("amazon: header lacks required column %s", strings.Join(missing, ", "))
	}
	return pos, last, nil
}

// nonEmpty counts the header's columns up to its last named one: Amazon pads some headers
// with empty columns.
func nonEmpty(header []string) int {
	n := 0
	for i, h := range header {
		if strings.TrimSpace(h) != "" {
			n = i + 1
		}
	}
	return n
}

// has reports whether the header carries the field.
func (t *table) has(id int) bool {
	for _, p := range t.pos {
		if p == id {
			return true
		}
	}
	return false
}

// rawLine returns the next physical line, without its line ending, and its number.
func (t *table) rawLine() (string, int, error) {
	if len(t.ahead) > 0 {
		l := t.ahead[0]
		t.ahead = t.ahead[1:]
		return l.text, l.line, nil
	}
	line, err := t.lr.readLine()
	if err != nil {
		return "", 0, err
	}
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
	}
	if n > 0 && line[n-1] == '\r' {
		n--
	}
	return string(line[:n]), t.lr.line, nil // one allocation per line; every field is a substring of it
}

// nextLine returns the next non-blank line and its number.
func (t *table) nextLine() (string, int, error) {
	for {
		line, n, err := t.rawLine()
		if err != nil {
			return "", 0, err
		}
		for i := 0; i < len(line); i++ {
			if b := line[i]; b != ' ' && b != '\t' && b != '\r' {
				return line, n, nil
			}
		}
	}
}

// next loads the next row into vals. Amazon files are unquoted and a stray '"' in a product
// name is literal, which encoding/csv would get wrong; so a quote only counts around a
// whole field, as a spreadsheet writes it (see unquote), or when it opens a field that
// goes on over the next lines (see joinQuoted), where it may hold tabs and line breaks.
func (t *table) next() error {
	s, line, err := t.nextLine()
	if err != nil {
		return err
	}
	t.line, t.err, t.quoted = line, nil, false
	clear(t.vals)
	s = t.joinQuoted(s)
	if t.quoted {
		splitQuoted(s, func(i int, f string) {
			if i < t.last {
				if id := t.pos[i]; id >= 0 {
					t.vals[id] = trim(f)
				}
			}
		})
		return nil
	}
	for i := 0; i < t.last; i++ {
		j := strings.IndexByte(s, '\t')
		f := s
		if j >= 0 {
			f = s[:j]
		}
		if id := t.pos[i]; id >= 0 {
			t.vals[id] = trim(f)
		}
		if j < 0 {
			break
		}
		s = s[j+1:]
	}
	return nil
}

// trim is strings.TrimSpace with a shortcut for the common field that needs none, and
// unquote after it.
func trim(f string) string {
	if f == "" || (f[0] > ' ' && f[0] < 0x80 && f[0] != '"' && f[len(f)-1] > ' ' && f[len(f)-1] < 0x80) {
		return f
	}
	return unquote(strings.TrimSpace(f))
}

// unquote undoes the quoting of a spreadsheet that saved a report again: "SKU ""A""" is
// SKU "A". Only a field wrapped in quotes whose inner quotes are all doubled is taken as
// quoted; any other quote is literal, as in the product names Amazon writes.
func unquote(f string) string {
	if len(f) < 2 || f[0] != '"' || f[len(f)-1] != '"' {
		return f
	}
	inner := f[1 : len(f)-1]
	if strings.Contains(strings.ReplaceAll(inner, `""`, ""), `"`) {
		return f
	}
	return strings.TrimSpace(strings.ReplaceAll(inner, `""`, `"`))
}

// rowErr returns the first field error of the row as an error, never a typed nil.
func (t *table) rowErr() error {
	if t.err == nil {
		return nil
	}
	return t.err
}
