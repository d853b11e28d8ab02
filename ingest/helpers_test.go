package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
)

// figures is the part of a customer_figures row the tests check, keyed by e-mail (customer
// ids depend on insertion order, which differs between engines and runs).
type figures struct {
	Email                      string
	SID, Orders, Units, Amount int64
	Currency                   string
	RefundOrders, RefundUnits  int64
	ReturnOrders, ReturnUnits  int64
	ExchangeOrders             int64
	Feedback, FeedbackBad      int64
	First, Last                string
}

func readFigures(t testing.TB, s *sqlstore.Store) []figures {
	t.Helper()
	rows, err := s.DB().Query(`SELECT email_key, sid, orders, units, amount, currency, refund_orders, refund_units,
		return_orders, return_units, exchange_orders, feedback_count, feedback_bad, first_purchase, last_purchase
		FROM customer_figures_expanded ORDER BY email_key, sid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []figures
	for rows.Next() {
		var f figures
		if err := rows.Scan(&f.Email, &f.SID, &f.Orders, &f.Units, &f.Amount, &f.Currency, &f.RefundOrders, &f.RefundUnits,
			&f.ReturnOrders, &f.ReturnUnits, &f.ExchangeOrders, &f.Feedback, &f.FeedbackBad, &f.First, &f.Last); err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustShop(t testing.TB, s *sqlstore.Store, sid int64, marketplace string) {
	t.Helper()
	err := s.CreateShop(context.Background(), &shopcrm.Shop{SID: sid, Name: "Shop " + marketplace, Marketplace: marketplace})
	if err != nil {
		t.Fatal(err)
	}
}

// writeFile writes text to a file name in dir and returns its path.
func writeFile(t testing.TB, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
