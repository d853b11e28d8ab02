package amazon

import (
	"strings"
	"time"
)

// parseTime reads the date formats Amazon reports use and returns the instant in UTC:
//
//	2022-07-18T18:52:47+00:00, 2020-12-20T23:39:07.915Z   ISO-8601 (orders, shipments, returns)
//	2021-03-05 09:51:57 UTC, 05.03.2021 09:51:57 UTC     settlement dates (US, EU)
//	2021-03-05, 05.03.2021, 05-03-2021                   dates (settlement, UI exports)
//	10-Jul-2025                                          merchant-fulfilled returns
//
// A date without a zone is taken as UTC. It is hand-written rather than a loop over
// time.Parse layouts because the All Orders file has two dates on every one of its rows.
func parseTime(s string) (time.Time, bool) {
	y, mo, d, rest, ok := parseDay(s)
	if !ok {
		return time.Time{}, false
	}
	var h, mi, sec, nsec, off int
	if rest != "" {
		if rest[0] != 'T' && rest[0] != ' ' {
			return time.Time{}, false
		}
		if h, mi, sec, nsec, rest, ok = parseClock(rest[1:]); !ok {
			return time.Time{}, false
		}
		if off, ok = parseZone(rest); !ok {
			return time.Time{}, false
		}
	}
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, nsec, time.UTC)
	return t.Add(-time.Duration(off) * time.Second), true
}

// parseDay reads the date part: YYYY-MM-DD, YYYY/MM/DD, D.M.YYYY, D-M-YYYY or D-Mon-YYYY.
// Day-first with slashes is left out on purpose: it cannot be told from US month-first.
func parseDay(s string) (y, m, d int, rest string, ok bool) {
	if y, rest, ok = digits(s, 4, 4); ok {
		if rest == "" || (rest[0] != '-' && rest[0] != '/') {
			return 0, 0, 0, "", false
		}
		sep := rest[0]
		if m, rest, ok = digits(rest[1:], 2, 2); !ok || rest == "" || rest[0] != sep {
			return 0, 0, 0, "", false
		}
		d, rest, ok = digits(rest[1:], 2, 2)
		return y, m, d, rest, ok
	}
	if d, rest, ok = digits(s, 1, 2); !ok || rest == "" || (rest[0] != '.' && rest[0] != '-') {
		return 0, 0, 0, "", false
	}
	sep := rest[0]
	rest = rest[1:]
	if sep == '-' && len(rest) >= 3 && rest[0] > '9' {
		if m = monthNumber(rest[:3]); m == 0 {
			return 0, 0, 0, "", false
		}
		rest = rest[3:]
	} else if m, rest, ok = digits(rest, 1, 2); !ok {
		return 0, 0, 0, "", false
	}
	if rest == "" || rest[0] != sep {
		return 0, 0, 0, "", false
	}
	y, rest, ok = digits(rest[1:], 4, 4)
	return y, m, d, rest, ok
}

// parseClock reads HH:MM[:SS[.fraction]].
func parseClock(s string) (h, m, sec, nsec int, rest string, ok bool) {
	if h, rest, ok = digits(s, 2, 2); !ok || rest == "" || rest[0] != ':' {
		return 0, 0, 0, 0, "", false
	}
	if m, rest, ok = digits(rest[1:], 2, 2); !ok {
		return 0, 0, 0, 0, "", false
	}
	if rest == "" || rest[0] != ':' {
		return h, m, 0, 0, rest, true
	}
	if sec, rest, ok = digits(rest[1:], 2, 2); !ok {
		return 0, 0, 0, 0, "", false
	}
	if rest != "" && (rest[0] == '.' || rest[0] == ',') {
		frac, r, ok := digits(rest[1:], 1, 9)
		if !ok {
			return 0, 0, 0, 0, "", false
		}
		for range 9 - (len(rest) - 1 - len(r)) {
			frac *= 10
		}
		nsec, rest = frac, r
	}
	return h, m, sec, nsec, rest, true
}

// parseZone reads what follows the clock and returns the offset east of UTC in seconds.
// Settlement files name the zone ("UTC", older US ones "PST"); the rest use offsets.
func parseZone(s string) (int, bool) {
	s = strings.TrimPrefix(s, " ")
	switch s {
	case "", "Z", "UTC", "GMT":
		return 0, true
	case "PST":
		return -8 * 3600, true
	case "PDT":
		return -7 * 3600, true
	}
	if s[0] != '+' && s[0] != '-' {
		return 0, false
	}
	h, rest, ok := digits(s[1:], 2, 2)
	if !ok || h > 23 {
		return 0, false
	}
	m := 0
	if rest != "" {
		if m, rest, ok = digits(strings.TrimPrefix(rest, ":"), 2, 2); !ok || rest != "" || m > 59 {
			return 0, false
		}
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

// digits reads between min and max ASCII digits.
func digits(s string, min, max int) (n int, rest string, ok bool) {
	i := 0
	for ; i < len(s) && i < max && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n, s[i:], i >= min
}

var monthNames = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

func monthNumber(s string) int {
	for i, n := range monthNames {
		if strings.EqualFold(s, n) {
			return i + 1
		}
	}
	return 0
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
