package lingxing

import (
	"context"
	"sync"
	"time"

	"github.com/shopcrm/shopcrm"
)

// MemoryBucket is the in-process token bucket: per key, a set of leases that end when
// released or when they expire.
type MemoryBucket struct {
	mu     sync.Mutex
	leases map[string]map[uint64]time.Time
	next   uint64
	now    func() time.Time
}

// NewMemoryBucket returns an empty bucket.
func NewMemoryBucket() *MemoryBucket {
	return &MemoryBucket{leases: map[string]map[uint64]time.Time{}, now: time.Now}
}

// Take implements shopcrm.Bucket.
func (b *MemoryBucket) Take(_ context.Context, key string, capacity int, lease time.Duration) (func(), error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	held := b.leases[key]
	for id, until := range held {
		if !now.Before(until) {
			delete(held, id)
		}
	}
	if len(held) >= capacity {
		return nil, shopcrm.Errorf(shopcrm.ERATELIMITED, "requests too frequently")
	}
	if held == nil {
		held = map[uint64]time.Time{}
		b.leases[key] = held
	}
	b.next++
	id := b.next
	held[id] = now.Add(lease)
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			delete(held, id)
			if len(held) == 0 && b.leases[key] != nil && len(b.leases[key]) == 0 {
				delete(b.leases, key)
			}
			b.mu.Unlock()
		})
	}, nil
}
