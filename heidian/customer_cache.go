package heidian

import "sync"

// defaultCustomerCacheBytes bounds the kept bodies of single customers: about 16 000
// customers of 1 KiB, a working set of hot customers without a noticeable share of memory.
const defaultCustomerCacheBytes = 16 << 20

// bodyCache keeps encoded customers under the data version they were read at. Every entry
// belongs to one version: when the version moves, the entries of the old one go at once,
// since any of them may be stale and telling which would cost what the cache saves.
type bodyCache struct {
	mu      sync.RWMutex
	version string
	bodies  map[int64][]byte
	size    int
}

func (c *bodyCache) get(version string, id int64) []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.version != version {
		return nil
	}
	return c.bodies[id]
}

// put keeps body, read after version was taken, within limit bytes. Entries are dropped at
// random (Go starts each map range at a random entry) to make room.
func (c *bodyCache) put(version string, id int64, body []byte, limit int) {
	if len(body) > limit/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || c.bodies == nil {
		c.version, c.bodies, c.size = version, map[int64][]byte{}, 0
	}
	if old, ok := c.bodies[id]; ok {
		c.size -= len(old)
	}
	for k, b := range c.bodies {
		if c.size+len(body) <= limit {
			break
		}
		delete(c.bodies, k)
		c.size -= len(b)
	}
	c.bodies[id] = body
	c.size += len(body)
}
