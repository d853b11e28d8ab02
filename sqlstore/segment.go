package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/shopcrm/shopcrm"
)

const segmentSelect = `SELECT s.id, s.title, s.created_at, s.updated_at,
	(SELECT count(*) FROM segment_members m WHERE m.segment_id = s.id) FROM segments s`

// CreateSegment adds a segment without members.
func (s *Store) CreateSegment(ctx context.Context, seg *shopcrm.Segment) error {
	if err := seg.Validate(); err != nil {
		return err
	}
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO segments (title, created_at, updated_at) VALUES ($1,$2,$2) RETURNING id`,
			seg.Title, now).Scan(&seg.ID)
	})
	seg.CustomersCount, seg.CreatedAt, seg.UpdatedAt = 0, fromUnix(now), fromUnix(now)
	return err
}

// FindSegmentByID returns a segment with its member count.
func (s *Store) FindSegmentByID(ctx context.Context, id int64) (*shopcrm.Segment, error) {
	return findSegment(ctx, s.read, id)
}

func findSegment(ctx context.Context, q querier, id int64) (*shopcrm.Segment, error) {
	seg, err := scanSegment(q.QueryRowContext(ctx, segmentSelect+` WHERE s.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("segment", id)
	}
	return seg, err
}

// FindSegments returns a page of segments in id order and how many there are.
func (s *Store) FindSegments(ctx context.Context, offset, limit int) ([]*shopcrm.Segment, int, error) {
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM segments`).Scan(&total); err != nil {
		return nil, 0, err
	}
	var args []any
	rows, err := s.read.QueryContext(ctx, segmentSelect+` ORDER BY s.id`+s.limitClause(offset, limit, 1, &args), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*shopcrm.Segment{}
	for rows.Next() {
		seg, err := scanSegment(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, seg)
	}
	return out, total, rows.Err()
}

// UpdateSegment renames a segment.
func (s *Store) UpdateSegment(ctx context.Context, id int64, title string) (*shopcrm.Segment, error) {
	if err := (&shopcrm.Segment{Title: title}).Validate(); err != nil {
		return nil, err
	}
	var seg *shopcrm.Segment
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE segments SET title = $1, updated_at = $2 WHERE id = $3`, title, s.now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("segment", id)
		}
		seg, err = findSegment(ctx, tx, id)
		return err
	})
	return seg, err
}

// DeleteSegment removes a segment and its memberships; the customers stay.
func (s *Store) DeleteSegment(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM segments WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("segment", id)
		}
		return nil
	})
}

// AddSegmentCustomers adds members. Every id must name a customer, else nothing is added;
// members already there are skipped.
func (s *Store) AddSegmentCustomers(ctx context.Context, id int64, customerIDs []int64) error {
	ids := uniqueIDs(customerIDs)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "segments", "segment", id); err != nil {
			return err
		}
		if err := checkCustomersExist(ctx, tx, ids); err != nil {
			return err
		}
		n, err := addMembers(ctx, tx, "segment_members", "segment_id", id, ids)
		if err != nil || n == 0 {
			return err
		}
		return touchSegment(ctx, tx, id, s.now())
	})
}

// RemoveSegmentCustomers removes members; ids that are not members are ignored.
func (s *Store) RemoveSegmentCustomers(ctx context.Context, id int64, customerIDs []int64) error {
	ids := uniqueIDs(customerIDs)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "segments", "segment", id); err != nil {
			return err
		}
		var removed int64
		for rest := ids; len(rest) > 0; {
			n := min(len(rest), memberChunk)
			res, err := tx.ExecContext(ctx, `DELETE FROM segment_members WHERE segment_id = $1 AND customer_id IN (`+
				placeholders(2, n)+`)`, append([]any{id}, int64Args(rest[:n])...)...)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			removed += k
			rest = rest[n:]
		}
		if removed == 0 {
			return nil
		}
		return touchSegment(ctx, tx, id, s.now())
	})
}

// touchSegment records that the membership changed.
func touchSegment(ctx context.Context, tx *sql.Tx, id, now int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE segments SET updated_at = $1 WHERE id = $2`, now, id)
	return err
}

// FindSegmentCustomers lists up to limit members (all when limit <= 0) in id order, without
// their segments; an unknown segment has none.
func (s *Store) FindSegmentCustomers(ctx context.Context, id int64, limit int) ([]*shopcrm.Customer, error) {
	cs, _, err := s.findCustomers(ctx, s.read, shopcrm.CustomerFilter{Segment: &id, Limit: limit,
		WithoutTotal: true, WithoutExpanded: true})
	return cs, err
}

func scanSegment(r scanner) (*shopcrm.Segment, error) {
	var seg shopcrm.Segment
	var created, updated int64
	if err := r.Scan(&seg.ID, &seg.Title, &created, &updated, &seg.CustomersCount); err != nil {
		return nil, err
	}
	seg.CreatedAt, seg.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &seg, nil
}
