package ingest

import (
	"context"
	"database/sql"
	"errors"
	"sort"

	"github.com/shopcrm/shopcrm"
)

// customerStore is what setting buyer mobiles needs. The ingest service has no way to pass
// a mobile with an order, so the importer looks the customer up and patches it.
type customerStore interface {
	DB() *sql.DB
	UpdateCustomer(ctx context.Context, id int64, upd shopcrm.CustomerUpdate) (*shopcrm.Customer, error)
}

// setMobiles gives the customers with these e-mails the mobile of their order when they
// have none yet: a number a seller typed in (over the REST API) always wins over an import.
func setMobiles(ctx context.Context, s Store, mobiles map[string]string) error {
	cs, ok := s.(customerStore)
	if !ok {
		return nil
	}
	emails := make([]string, 0, len(mobiles))
	for e := range mobiles {
		emails = append(emails, e)
	}
	sort.Strings(emails)
	for _, email := range emails {
		var id int64
		var mobile string
		err := cs.DB().QueryRowContext(ctx, `SELECT id, mobile FROM customers WHERE email_key = $1`, email).Scan(&id, &mobile)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && mobile != "") {
			continue
		}
		if err != nil {
			return err
		}
		m := mobiles[email]
		if _, err := cs.UpdateCustomer(ctx, id, shopcrm.CustomerUpdate{Mobile: &m}); err != nil {
			return err
		}
	}
	return nil
}
