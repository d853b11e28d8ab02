// Package redis keeps the open API token buckets in Redis, so that several shopcrm server
// processes sharing one database enforce one limit.
package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shopcrm/shopcrm"
)

// Bucket is a shopcrm.Bucket in Redis: per key a sorted set of leases scored by their expiry
// (Redis's clock), so a process that dies holding a token loses it when the lease ends.
type Bucket struct {
	client *goredis.Client
	prefix string
}

// New returns a bucket on the client; keys are prefixed with "shopcrm:bucket:".
func New(client *goredis.Client) *Bucket {
	return &Bucket{client: client, prefix: "shopcrm:bucket:"}
}

// Open connects to a redis:// URL and checks the connection.
func Open(ctx context.Context, url string) (*Bucket, error) {
	opt, err := goredis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	c := goredis.NewClient(opt)
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, err
	}
	return New(c), nil
}

// WithPrefix returns the bucket with its keys under another prefix (tests isolate themselves).
func (b *Bucket) WithPrefix(p string) *Bucket { return &Bucket{client: b.client, prefix: p} }

// Close closes the connection.
func (b *Bucket) Close() error { return b.client.Close() }

// take drops expired leases and adds one when fewer than the capacity are held, atomically.
var take = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
	return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
`)

// Take implements shopcrm.Bucket.
func (b *Bucket) Take(ctx context.Context, key string, capacity int, lease time.Duration) (func(), error) {
	id := make([]byte, 12)
	rand.Read(id)
	member := hex.EncodeToString(id)
	k := b.prefix + key
	ok, err := take.Run(ctx, b.client, []string{k}, capacity, lease.Milliseconds(), member).Int()
	if err != nil {
		return nil, err
	}
	if ok != 1 {
		return nil, shopcrm.Errorf(shopcrm.ERATELIMITED, "requests too frequently")
	}
	return func() {
		// Released even when the request's context is gone.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		b.client.ZRem(ctx, k, member)
	}, nil
}
