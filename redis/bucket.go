// Package redis keeps the open API token buckets in Redis, so that several shopcrm server
// processes in front of one database enforce one limit.
package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shopcrm/shopcrm"
)

// DefaultPrefix is put before every bucket key.
const DefaultPrefix = "shopcrm:bucket:"

// Bucket is a shopcrm.Bucket in Redis: per key a sorted set of leases scored by their expiry
// on Redis's clock (not the servers'), so processes whose clocks differ agree, and a process
// that dies holding a token loses it when the lease ends.
type Bucket struct {
	client *goredis.Client
	prefix string
}

var _ shopcrm.Bucket = (*Bucket)(nil)

// NewBucket returns a bucket on the client, its keys under DefaultPrefix.
func NewBucket(client *goredis.Client) *Bucket {
	return &Bucket{client: client, prefix: DefaultPrefix}
}

// Open connects to a redis:// URL and checks the connection, so a wrong URL fails at start
// rather than on the first request.
func Open(ctx context.Context, url string) (*Bucket, error) {
	opt, err := goredis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis url: %w", err)
	}
	c := goredis.NewClient(opt)
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("redis at %s: %w", opt.Addr, err)
	}
	return NewBucket(c), nil
}

// WithPrefix returns the bucket with its keys under another prefix (tests isolate themselves).
func (b *Bucket) WithPrefix(p string) *Bucket { return &Bucket{client: b.client, prefix: p} }

// Close closes the connection.
func (b *Bucket) Close() error { return b.client.Close() }

// takeScript drops expired leases and adds one when fewer than the capacity are held, in one
// step so two processes cannot both see a free slot. The key lives as long as its longest
// lease, so an abandoned bucket disappears by itself.
// KEYS[1] bucket; ARGV[1] capacity, ARGV[2] lease ms, ARGV[3] lease id.
var takeScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
	return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(last[2]) - now))
return 1
`)

// Take implements shopcrm.Bucket.
func (b *Bucket) Take(ctx context.Context, key string, capacity int, lease time.Duration) (func(), error) {
	if capacity < 1 {
		return nil, shopcrm.Errorf(shopcrm.ERATELIMITED, "requests too frequently")
	}
	id := make([]byte, 12)
	rand.Read(id)
	member := hex.EncodeToString(id)
	k := b.prefix + key
	ms := max(lease.Milliseconds(), 1)
	ok, err := takeScript.Run(ctx, b.client, []string{k}, capacity, ms, member).Int()
	if err != nil {
		return nil, shopcrm.Errorf(shopcrm.EINTERNAL, "token bucket: %v", err)
	}
	if ok != 1 {
		return nil, shopcrm.Errorf(shopcrm.ERATELIMITED, "requests too frequently")
	}
	return func() {
		// Released even when the request's context is gone; removing a lease twice is a no-op.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		b.client.ZRem(ctx, k, member)
	}, nil
}
