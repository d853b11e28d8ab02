package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/redis"
)

// testURL is the Redis the tests use: SHOPCRM_TEST_REDIS. Unset (a machine with only Go)
// skips; set but unreachable fails, so a broken CI Redis is not mistaken for a pass.
func testURL(t *testing.T) string {
	u := os.Getenv("SHOPCRM_TEST_REDIS")
	if u == "" || u == "off" {
		t.Skip("SHOPCRM_TEST_REDIS is not set")
	}
	return u
}

// openBucket connects and isolates the test under a random key prefix.
func openBucket(t *testing.T) *redis.Bucket {
	t.Helper()
	url := testURL(t)
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
	release() // twice is harmless
	r2, err := b.Take(ctx, "app /path", 1, time.Minute)
	if err != nil {
		t.Fatalf("token did not come back on release: %v", err)
	}
	r2()
}

func TestBucketLeaseExpires(t *testing.T) {
	b := openBucket(t)
	ctx := context.Background()
	// Never released: a crashed process.
	for range 2 {
		if _, err := b.Take(ctx, "k", 2, 150*time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Take(ctx, "k", 2, time.Minute); shopcrm.ErrorCode(err) != shopcrm.ERATELIMITED {
		t.Fatalf("third take within capacity 2: %v", err)
	}
	time.Sleep(250 * time.Millisecond)
	if _, err := b.Take(ctx, "k", 2, time.Minute); err != nil {
		t.Fatalf("leases did not expire: %v", err)
	}
}

// A short lease taken after a long one must not shorten the key's life and drop the long one.
func TestBucketMixedLeases(t *testing.T) {
	b := openBucket(t)
	ctx := context.Background()
	if _, err := b.Take(ctx, "k", 2, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Take(ctx, "k", 2, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(120 * time.Millisecond)
	if _, err := b.Take(ctx, "k", 2, time.Minute); err != nil {
		t.Fatalf("short lease did not end: %v", err)
	}
	if _, err := b.Take(ctx, "k", 2, time.Minute); shopcrm.ErrorCode(err) != shopcrm.ERATELIMITED {
		t.Fatalf("the long lease was lost: %v", err)
	}
}

// Many clients (separate connections, as separate processes would have) racing for a bucket
// of capacity 3: exactly 3 win.
func TestBucketConcurrent(t *testing.T) {
	b := openBucket(t)
	var wg sync.WaitGroup
	var won, lost atomic.Int32
	start := make(chan struct{})
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := b.Take(context.Background(), "race", 3, time.Minute)
			switch shopcrm.ErrorCode(err) {
			case "":
				won.Add(1)
			case shopcrm.ERATELIMITED:
				lost.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if won.Load() != 3 || lost.Load() != 37 {
		t.Fatalf("won %d lost %d, want 3 and 37", won.Load(), lost.Load())
	}
}

func TestBucketBadURL(t *testing.T) {
	testURL(t)
	if _, err := redis.Open(context.Background(), "redis://127.0.0.1:1/0"); err == nil {
		t.Fatal("no error for a closed port")
	}
}
