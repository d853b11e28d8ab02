package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/shopcrm/shopcrm"
)

// parseSegmentIDs reads the segments column of a page (customerPageSQLite/PG): the ids,
// comma-separated, or "" for none. The titles are filled in by segmentTitles.
func parseSegmentIDs(src string, dst *[]shopcrm.SegmentRef) error {
	if src == "" {
		return nil
	}
	refs := make([]shopcrm.SegmentRef, 0, strings.Count(src, ",")+1)
	for f := range strings.SplitSeq(src, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return fmt.Errorf("segment id %q: %w", f, err)
		}
		refs = append(refs, shopcrm.SegmentRef{ID: id})
	}
	slices.SortFunc(refs, func(a, b shopcrm.SegmentRef) int { return cmp.Compare(a.ID, b.ID) })
	*dst = refs
	return nil
}

// segmentTitles names the segments of a page of customers, read as ids. The titles are
// kept under the data version the page was read at (none: read them afresh), so a page
// costs no query for them: a query of its own was a twentieth of a segment page's time. A
// segment deleted since the page was read is dropped from it.
func (s *Store) segmentTitles(ctx context.Context, q querier, version string, cs []*shopcrm.Customer) error {
	var ids []int64
	for _, c := range cs {
		for _, ref := range c.Segments {
			if !slices.Contains(ids, ref.ID) {
				ids = append(ids, ref.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	titles, missing := s.titles.lookup(version, ids)
	if len(missing) > 0 {
		read, err := s.readTitles(ctx, q, missing)
		if err != nil {
			return err
		}
		maps.Copy(titles, read)
		s.titles.store(version, read)
	}
	for _, c := range cs {
		kept := c.Segments[:0]
		for _, ref := range c.Segments {
			if title, ok := titles[ref.ID]; ok {
				ref.Title = title
				kept = append(kept, ref)
			}
		}
		c.Segments = kept
	}
	return nil
}

func (s *Store) readTitles(ctx context.Context, q querier, ids []int64) (map[int64]string, error) {
	query, args := segmentTitleQuery(s.pg, ids)
	rows, err := s.queryOn(ctx, q, true, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	titles := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, err
		}
		titles[id] = title
	}
	return titles, rows.Err()
}

// titleCache keeps segment titles under one data version; a new version starts it afresh.
type titleCache struct {
	mu      sync.Mutex
	version string
	titles  map[int64]string
}

// lookup returns the titles kept for ids at version, and the ids it has none for.
func (c *titleCache) lookup(version string, ids []int64) (map[int64]string, []int64) {
	found := make(map[int64]string, len(ids))
	if version == "" {
		return found, ids
	}
	var missing []int64
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if t, ok := c.titles[id]; ok && c.version == version {
			found[id] = t
		} else {
			missing = append(missing, id)
		}
	}
	return found, missing
}

func (c *titleCache) store(version string, titles map[int64]string) {
	if version == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || len(c.titles) >= titleCacheSize {
		c.version, c.titles = version, map[int64]string{}
	}
	maps.Copy(c.titles, titles)
}

// titleCacheSize bounds the kept titles: far more segments than a shop has.
const titleCacheSize = 4096

// segmentTitleQuery selects the titles of ids. On SQLite the list is padded to a power of
// two, so that the statements kept for it stay few.
func segmentTitleQuery(pg bool, ids []int64) (string, []any) {
	if pg {
		return `SELECT id, title FROM segments WHERE id = ANY($1::bigint[])`, []any{ids}
	}
	n := 1
	for n < len(ids) {
		n *= 2
	}
	args := make([]any, n)
	for i := range args {
		args[i] = ids[min(i, len(ids)-1)]
	}
	return `SELECT id, title FROM segments WHERE id IN (` + placeholders(1, n) + `)`, args
}
