package sqlstore

import "context"

// LastCustomerID returns the highest customer id the store holds, 0 when it holds none.
func (s *Store) LastCustomerID(ctx context.Context) (int64, error) {
	var last int64
	err := s.readAhead().QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM customers`).Scan(&last)
	return last, err
}

// CustomerIDs returns the ids of the stored customers among the buyers with these e-mail
// addresses, keyed by the addresses as given. An import spools a report's rows by where
// their buyers are stored, so that each of its transactions touches neighbouring pages
// (ingest/bybuyer_places.go).
func (s *Store) CustomerIDs(ctx context.Context, emails []string) (map[string]int64, error) {
	db := s.readAhead()
	ids := make(map[string]int64, len(emails))
	given := make(map[string][]string, len(emails)) // key → the addresses that fold to it
	keys := make([]string, 0, len(emails))
	for _, e := range emails {
		k := buyerKey(e)
		if k == "" {
			continue
		}
		if _, ok := given[k]; !ok {
			keys = append(keys, k)
		}
		given[k] = append(given[k], e)
	}
	for len(keys) > 0 {
		n := min(len(keys), 4096)
		in, arg := s.inStrings(1, keys[:n])
		rows, err := db.QueryContext(ctx, `SELECT email_key, id FROM customers WHERE email_key IN (`+in+`)`, arg)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			var id int64
			if err := rows.Scan(&k, &id); err != nil {
				rows.Close()
				return nil, err
			}
			for _, e := range given[k] {
				ids[e] = id
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		keys = keys[n:]
	}
	return ids, nil
}
