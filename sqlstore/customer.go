package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// customerWriteColumns are the columns a create or a full update writes, in the order of
// customerValues; created_at and updated_at follow.
const customerWriteColumns = `email_key, email, full_name, mobile, gender, birthday, note, accepts_marketing,
	tags, addresses, referral_code, referrer_id, level, points, total_points, metafields, profile,
	multipass_identifier, avatar`

const customerWriteArity = 19

// customerUpdate sets customerWriteColumns from $1… and updated_at; the id comes last.
var customerUpdate = func() string {
	set := strings.Fields(strings.ReplaceAll(customerWriteColumns, ",", " "))
	for i := range set {
		set[i] += " = " + placeholders(i+1, 1)
	}
	return `UPDATE customers SET ` + strings.Join(set, ", ") + `, updated_at = ` + placeholders(customerWriteArity+1, 1) +
		` WHERE id = ` + placeholders(customerWriteArity+2, 1)
}()

// customerValues returns the values of customerWriteColumns. Empty e-mails and referral
// codes are stored as NULL so that their UNIQUE indexes ignore them.
func customerValues(c *shopcrm.Customer) ([]any, error) {
	var js [4][]byte
	for i, v := range []any{c.Tags, c.Addresses, c.Metafields, c.Profile} {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, shopcrm.Errorf(shopcrm.EINVALID, "customer: %v", err)
		}
		js[i] = b
	}
	return []any{nullIfEmpty(strings.ToLower(c.Email)), c.Email, c.FullName, c.Mobile, c.Gender, c.Birthday, c.Note,
		boolInt(c.AcceptsMarketing), string(js[0]), string(js[1]), nullIfEmpty(c.ReferralCode), c.ReferrerID, c.Level,
		c.Points, c.TotalPoints, string(js[2]), string(js[3]), c.MultipassIdentifier, c.Avatar}, nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// boolInt stores booleans as 0/1: the column is an integer on both engines.
func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// CreateCustomer adds a customer. A taken e-mail or referral code is a conflict naming the field.
func (s *Store) CreateCustomer(ctx context.Context, c *shopcrm.Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	vals, err := customerValues(c)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkCustomerRefs(ctx, tx, 0, c); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO customers (`+customerWriteColumns+`, created_at, updated_at)
			VALUES (`+placeholders(1, customerWriteArity+2)+`) ON CONFLICT DO NOTHING RETURNING id`,
			append(vals, now, now)...).Scan(&c.ID)
		if errors.Is(err, sql.ErrNoRows) {
			// Taken between the check and the insert (PostgreSQL, concurrent writers).
			return customerConflict(ctx, tx, 0, c, true)
		}
		return err
	})
	if err != nil {
		return err
	}
	c.CreatedAt, c.UpdatedAt = fromUnix(now), fromUnix(now)
	c.Segments, c.Statistics = []shopcrm.SegmentRef{}, shopcrm.CustomerStatistics{}
	return nil
}

// ReplaceCustomer writes every field of c (PUT) and reloads it with its segments and statistics.
func (s *Store) ReplaceCustomer(ctx context.Context, c *shopcrm.Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.writeCustomer(ctx, tx, c) }); err != nil {
		return err
	}
	got, err := s.FindCustomerByID(ctx, c.ID)
	if err != nil {
		return err
	}
	*c = *got
	return nil
}

// UpdateCustomer changes the fields set in upd (PATCH) and returns the customer as stored.
func (s *Store) UpdateCustomer(ctx context.Context, id int64, upd shopcrm.CustomerUpdate) (*shopcrm.Customer, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		c, err := scanCustomer(tx.QueryRowContext(ctx, customerSelectBare+` WHERE c.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("customer", id)
		} else if err != nil {
			return err
		}
		upd.Apply(c)
		if err := c.Validate(); err != nil {
			return err
		}
		return s.writeCustomer(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return s.FindCustomerByID(ctx, id)
}

// writeCustomer overwrites the stored row of c.ID.
func (s *Store) writeCustomer(ctx context.Context, tx *sql.Tx, c *shopcrm.Customer) error {
	vals, err := customerValues(c)
	if err != nil {
		return err
	}
	if err := checkCustomerRefs(ctx, tx, c.ID, c); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, customerUpdate, append(vals, s.now(), c.ID)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("customer", c.ID)
	}
	// The Lingxing list searches and sorts the figures rows by these keys; keep them in step,
	// touching the rows only on a change because each update is logged for the buyer index.
	_, err = tx.ExecContext(ctx, `UPDATE customer_figures SET email_key = $1, name_key = $2
		WHERE customer_id = $3 AND (email_key <> $1 OR name_key <> $2)`,
		strings.ToLower(c.Email), strings.ToLower(c.FullName), c.ID)
	return err
}

// DeleteCustomer removes a customer. Its orders stay with customer_id cleared, its figures,
// memberships and grants go, and customers it referred lose their referrer rather than point
// at nothing. The orders and figures are cleared here, not by foreign keys, which PostgreSQL
// no longer has on them (postgres migration 00038); the DELETE comes first so that it waits
// for an import holding the customer (FOR KEY SHARE) and the statements after it see that
// import's orders.
func (s *Store) DeleteCustomer(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM customers WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("customer", id)
		}
		for _, q := range []string{
			`UPDATE customers SET referrer_id = NULL WHERE referrer_id = $1`,
			`UPDATE orders SET customer_id = NULL WHERE customer_id = $1`,
			`DELETE FROM customer_figures WHERE customer_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkCustomerRefs checks what a write of c (id 0 = new) needs from other rows: an existing
// referrer other than itself, and an e-mail and referral code no other customer holds.
func checkCustomerRefs(ctx context.Context, tx *sql.Tx, id int64, c *shopcrm.Customer) error {
	if r := c.ReferrerID; r != nil {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM customers WHERE id = $1`, *r).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) || *r == id {
			var fe shopcrm.FieldErrors
			fe.Add("referrer", `Invalid pk "%d" - object does not exist.`, *r)
			return fe.Err()
		} else if err != nil {
			return err
		}
	}
	return customerConflict(ctx, tx, id, c, false)
}

// customerConflict returns an ECONFLICT error naming the unique fields of c that another
// customer holds, nil when none does (or a bare conflict when always is set).
func customerConflict(ctx context.Context, q querier, id int64, c *shopcrm.Customer, always bool) error {
	email, code := nullIfEmpty(strings.ToLower(c.Email)), nullIfEmpty(c.ReferralCode)
	var fields []shopcrm.FieldError
	if email != nil || code != nil {
		rows, err := q.QueryContext(ctx, `SELECT coalesce(email_key = $1, false), coalesce(referral_code = $2, false)
			FROM customers WHERE (email_key = $1 OR referral_code = $2) AND id <> $3`, email, code, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		var emailTaken, codeTaken bool
		for rows.Next() {
			var e, r bool
			if err := rows.Scan(&e, &r); err != nil {
				return err
			}
			emailTaken, codeTaken = emailTaken || e, codeTaken || r
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if emailTaken {
			fields = append(fields, shopcrm.FieldError{Field: "email", Message: "customer with this email already exists."})
		}
		if codeTaken {
			fields = append(fields, shopcrm.FieldError{Field: "referral_code", Message: "customer with this referral code already exists."})
		}
	}
	if len(fields) == 0 && !always {
		return nil
	}
	return &shopcrm.Error{Code: shopcrm.ECONFLICT, Message: "customer already exists", Fields: fields}
}
