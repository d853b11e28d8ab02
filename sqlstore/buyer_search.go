package sqlstore

import (
	"bytes"
	"runtime"
	"slices"
	"strings"
)

// Text filters of the customer list: a case-insensitive substring of the e-mail or the name.
const (
	searchNone = iota
	searchEmail
	searchName
)

// sig is a 64-bit signature of the byte pairs of a lower-case string. A string containing
// the needle has every bit of the needle's signature, so a scan tests the signature first
// and the bytes only of the few buyers that pass: about one in a thousand for a needle of a
// few letters.
//
// E-mails carry a second signature with another hash: the 15 hex digits of an Amazon buyer
// address set a fifth of the 64 bits, so a needle of one pair would pass a fifth of the
// buyers on one signature, and a twenty-fifth on two.
func sig(b []byte, mul uint32) uint64 {
	var s uint64
	for k := 0; k+1 < len(b); k++ {
		s |= 1 << ((uint32(b[k])<<8 | uint32(b[k+1])) * mul >> 26)
	}
	return s
}

const (
	sigMul  = 0x9E3779B1
	sigMul2 = 0x85EBCA77
)

// search returns the indexes of the live buyers whose e-mail or name contains the needle,
// ascending. E-mail signatures cover the part before the domain (every buyer of a
// marketplace shares the domain, whose pairs would set the same bits for all): a needle
// within a domain matches by domain, and one with '@' is filtered on its part before it.
// cachedSearch is search, kept until the buyers change: a client pages through the
// matches of one search, and every page would otherwise test each buyer again (a common
// surname matches 5 % of a million buyers). The eight latest searches are kept.
func (d *buyerData) cachedSearch(field int, needle []byte) []int32 {
	k := searchKey{field, string(needle)}
	d.viewMu.Lock()
	found, ok := d.searches[k]
	d.viewMu.Unlock()
	if ok {
		return found
	}
	found = d.search(field, needle)
	d.viewMu.Lock()
	if d.searches == nil || len(d.searches) >= 8 {
		d.searches = map[searchKey][]int32{}
	}
	d.searches[k] = found
	d.viewMu.Unlock()
	return found
}

func (d *buyerData) search(field int, needle []byte) []int32 {
	want, want2, sigs, sigs2 := sig(needle, sigMul), uint64(0), d.nameSig, d.nameSig
	var inDomain []bool // by domain: the needle lies within it
	if field == searchEmail {
		sigs, sigs2 = d.emailSig, d.emailSg2
		local := needle
		if at := bytes.IndexByte(needle, '@'); at >= 0 {
			local = needle[:at]
		}
		want, want2 = sig(local, sigMul), sig(local, sigMul2)
		inDomain = make([]bool, len(d.domains))
		any := false
		for k, dom := range d.domains {
			inDomain[k] = k > 0 && strings.Contains(dom, string(needle))
			any = any || inDomain[k]
		}
		if !any {
			inDomain = nil
		}
	}
	found := make([][]int32, runtime.GOMAXPROCS(0))
	parts(len(sigs), func(k, from, to int) {
		var out []int32
		for i, s := range sigs[from:to] {
			i += from
			if (s&want != want || sigs2[i]&want2 != want2) && inDomain == nil {
				continue
			}
			if (field == searchName && bytes.Contains(d.str(d.name[i]), needle) ||
				field == searchEmail && (inDomain != nil && inDomain[d.email[i].dom] || d.emailContains(d.email[i], needle))) &&
				d.home[i] != homeDead {
				out = append(out, int32(i))
			}
		}
		found[k] = out
	})
	return slices.Concat(found...)
}

// emailContains matches within the stored part or across the '@' before the domain.
func (d *buyerData) emailContains(r strRef, needle []byte) bool {
	local := d.str(r)
	if bytes.Contains(local, needle) {
		return true
	}
	if r.dom == 0 {
		return false
	}
	dom := d.domains[r.dom]
	for p, c := range needle {
		if c == '@' && bytes.HasSuffix(local, needle[:p]) && strings.HasPrefix(dom, string(needle[p+1:])) {
			return true
		}
	}
	return false
}
