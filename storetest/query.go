package storetest

import (
	"testing"

	"github.com/shopcrm/shopcrm/sqlstore"
)

// Texts runs a query of one text column on the store and returns its rows in order.
func Texts(tb testing.TB, s *sqlstore.Store, query string) []string {
	tb.Helper()
	rows, err := s.DB().Query(query)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			tb.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}
