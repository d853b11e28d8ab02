package sqlstore

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/singleflight"
)

// countCacheSize bounds the kept counts; a full cache starts over.
const countCacheSize = 4096

// countCache keeps the totals of customer list filters under the data version they were
// counted at. A client paging through a segment of a million customers asks for the same
// total with every page, and counting is most of a page's time; the rows of a page are a
// short range of an index.
type countCache struct {
	mu      sync.Mutex
	version string
	counts  map[string]int
	// Requests that miss together count once: after a commit, every client paging the
	// same segment would otherwise count it at the same moment.
	flight singleflight.Group
}

// count runs the counting query, or answers from an earlier run at the current version.
// version is the store's data version, read before the query.
func (c *countCache) count(ctx context.Context, s *Store, version, query string, args []any) (int, error) {
	key := query + fmt.Sprintf("%#v", args) // Go syntax: adjacent strings must not run together
	c.mu.Lock()
	n, ok := c.counts[key]
	if c.version != version {
		ok = false
	}
	c.mu.Unlock()
	if ok {
		return n, nil
	}
	v, err, _ := c.flight.Do(version+"\x00"+key, func() (any, error) {
		var n int // counted for every waiter, so not cut short when the first one leaves
		err := s.read.QueryRowContext(context.WithoutCancel(ctx), query, args...).Scan(&n)
		return n, err
	})
	if err != nil {
		return 0, err
	}
	n = v.(int)
	c.mu.Lock()
	if c.version != version || len(c.counts) >= countCacheSize {
		c.version, c.counts = version, map[string]int{}
	}
	c.counts[key] = n
	c.mu.Unlock()
	return n, nil
}
