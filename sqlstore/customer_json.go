package sqlstore

import (
	"encoding/json"
	"slices"
	"sync"

	"github.com/shopcrm/shopcrm"
)

// jsonMemo keeps the decoded values of the JSON texts customers share. Most profiles are
// one of a few ("amazon", "shop"), and every member of a segment carries much the same
// segment list, so a page of twenty customers decoded the same two texts twenty times:
// a tenth of the CPU of serving a segment page.
type jsonMemo[T any] struct {
	mu     sync.Mutex
	values map[string]T
}

// memoLimit bounds each memo; when full it starts afresh, which costs one decode per text.
const memoLimit = 512

func (m *jsonMemo[T]) decode(src string, dst *T) error {
	m.mu.Lock()
	v, ok := m.values[src]
	m.mu.Unlock()
	if ok {
		*dst = v
		return nil
	}
	if err := json.Unmarshal([]byte(src), dst); err != nil {
		return err
	}
	m.mu.Lock()
	if m.values == nil || len(m.values) >= memoLimit {
		m.values = map[string]T{}
	}
	m.values[src] = *dst
	m.mu.Unlock()
	return nil
}

var (
	profileMemo  jsonMemo[shopcrm.CustomerProfile]
	segmentsMemo jsonMemo[[]shopcrm.SegmentRef]
)

// decodeSegments decodes a segment list into a slice of the customer's own, so that no
// two customers share one backing array.
func decodeSegments(src string, dst *[]shopcrm.SegmentRef) error {
	var shared []shopcrm.SegmentRef
	if err := segmentsMemo.decode(src, &shared); err != nil {
		return err
	}
	*dst = slices.Clone(shared)
	return nil
}
