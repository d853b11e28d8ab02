package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/redis"
)

// openBucket connects to SHOPCRM_TEST_REDIS; CI sets it, so a dead server fails there.
func openBucket(t *testing.T) *redis.Bucket {
	url := os.Getenv("SHOPCRM_TEST_REDIS")
	if url == "" {
		t.Skip("SHOPCRM_TEST_REDIS is not set")
	}
	b, err := redis.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("redis at %s: %v", url, err)
	}
	t.Cleanup(func() { b.Close() })
	p := make([]byte, 6)
	rand.Read(p)
	return b.WithPrefix("shopcrm:test:" + hex.EncodeToString(p) + ":")
}

func TestBucket(t *testing.T) {
	b := openBucket(t)
	ctx := context.Background()
	release, err := b.Take(ctx, "app /path", 1, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Take(ctx, "app /path", 1, time.Minute); shopcrm.ErrorCode(err) != shopcrm.ERATELIMITED {
		t.Fatalf("second take: %v, want rate limited", err)
	}
	if r, err := b.Take(ctx, "app /other", 1, time.Minute); err != nil {
		t.Fatalf("another path shares the bucket: %v", err)
	} else {
		r()
	}
	release()
	r2, err := b.Take(ctx, "app /path", 1, time.Minute)
	if err != nil {
		t.Fatalf("token did not come back on release: %v", err)
	}
	r2()
}

func TestBucketLeaseExpires(t *testing.T) {
	b := openBucket(t)
	ctx := context.Background()
	if _, err := b.Take(ctx, "k", 2, 150*time.Millisecond); err != nil { // never released: a crashed process
		t.Fatal(err)
	}
	if _, err := b.Take(ctx, "k", 2, 150*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Take(ctx, "k", 2, time.Minute); shopcrm.ErrorCode(err) != shopcrm.ERATELIMITED {
		t.Fatalf("third take within capacity 2: %v", err)
	}
	time.Sleep(250 * time.Millisecond)
	if _, err := b.Take(ctx, "k", 2, time.Minute); err != nil {
		t.Fatalf("leases did not expire: %v", err)
	}
}
