package lingxing_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/lingxing"
	"github.com/shopcrm/shopcrm/lingxing/client"
	"github.com/shopcrm/shopcrm/redis"
	"github.com/shopcrm/shopcrm/sqlite"
)

// The environment of a server process started by TestTwoProcessesShareBucket.
const (
	procDB     = "SHOPCRM_TWOPROC_DB"
	procRedis  = "SHOPCRM_TWOPROC_REDIS"
	procPrefix = "SHOPCRM_TWOPROC_PREFIX"
)

// redisURL is the Redis of these tests; they skip when SHOPCRM_TEST_REDIS is unset.
func redisURL(t *testing.T) string {
	u := os.Getenv("SHOPCRM_TEST_REDIS")
	if u == "" || u == "off" {
		t.Skip("SHOPCRM_TEST_REDIS is not set")
	}
	return u
}

// Two server processes on one database and one Redis: concurrent requests of one app on
// one path through both get one token between them.
func TestTwoProcessesShareBucket(t *testing.T) {
	rurl := redisURL(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "shopcrm.db")
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US shop", Marketplace: "US"}); err != nil {
		t.Fatal(err)
	}
	id, secret, hash, err := lingxing.NewAppCredentials()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateApp(ctx, &shopcrm.App{AppID: id, Name: "t", SecretHash: hash}); err != nil {
		t.Fatal(err)
	}
	p := make([]byte, 6)
	rand.Read(p)
	prefix := "shopcrm:test:" + hex.EncodeToString(p) + ":"
	a := startServer(t, db, rurl, prefix)
	b := startServer(t, db, rurl, prefix)

	ca := client.New(a, id, secret)
	if err := ca.Token(ctx); err != nil {
		t.Fatal(err)
	}
	cb := clone(ca)
	cb.BaseURL = b

	// Simultaneous: exactly one served.
	start := make(chan struct{})
	results := make(chan string, 2)
	for _, c := range []*client.Client{ca, cb} {
		go func() { <-start; results <- code(c.Raw(ctx, "GET", sellers, nil)) }()
	}
	close(start)
	got := []string{<-results, <-results}
	if !(got[0] == "0" && got[1] == "3001008" || got[0] == "3001008" && got[1] == "0") {
		t.Fatalf("simultaneous requests: codes %v, want one 0 and one 3001008", got)
	}
	// In order: A holds the token while B asks; B gets it once A has answered.
	first := rawAsync(ctx, ca, "GET", sellers, nil)
	time.Sleep(300 * time.Millisecond) // A's request is in its handler by now (it takes 1 s)
	if got := code(cb.Raw(ctx, "GET", sellers, nil)); got != "3001008" {
		t.Fatalf("B while A holds the token: code %s", got)
	}
	if got := <-first; got != "0" {
		t.Fatalf("A: code %s", got)
	}
	if got := code(cb.Raw(ctx, "GET", sellers, nil)); got != "0" {
		t.Fatalf("B after A answered: code %s", got)
	}
}

// startServer runs this test binary as a server process (TestServeProcess) and returns its URL.
func startServer(t *testing.T, db, rurl, prefix string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), procDB+"="+db, procRedis+"="+rurl, procPrefix+"="+prefix)
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe() // the child exits when this closes, even if we die
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(out)
		for s.Scan() {
			if addr, ok := strings.CutPrefix(s.Text(), "LISTEN "); ok {
				line <- addr
				break
			}
		}
		io.Copy(io.Discard, out)
	}()
	select {
	case addr := <-line:
		return "http://" + addr
	case <-time.After(30 * time.Second):
		t.Fatal("server process did not start")
		return ""
	}
}

// slowShops makes the seller list take a second, so requests overlap across processes.
type slowShops struct{ shopcrm.ShopService }

func (s slowShops) FindShops(ctx context.Context, f shopcrm.ShopFilter) ([]*shopcrm.Shop, int, error) {
	time.Sleep(time.Second)
	return s.ShopService.FindShops(ctx, f)
}

// TestServeProcess is not a test: it is the server process of TestTwoProcessesShareBucket,
// serving the gateway with its buckets in Redis until its stdin closes.
func TestServeProcess(t *testing.T) {
	db := os.Getenv(procDB)
	if db == "" {
		t.Skip("server process of TestTwoProcessesShareBucket")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	bucket, err := redis.Open(ctx, os.Getenv(procRedis))
	if err != nil {
		t.Fatal(err)
	}
	srv := &lingxing.Server{Apps: st, Shops: slowShops{st}, Rates: st, Buyers: st, AfterSales: st,
		Bucket: bucket.WithPrefix(os.Getenv(procPrefix))}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go http.Serve(ln, srv.Handler())
	fmt.Println("LISTEN", ln.Addr())
	io.Copy(io.Discard, os.Stdin)
	ln.Close()
	st.Close()
}
