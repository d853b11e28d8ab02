package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm/lingxing/client"
	"github.com/shopcrm/shopcrm/redis"
)

// TestTwoServersShareBuckets runs two real `shopcrm serve --redis` processes on one database:
// a request in flight through either one holds the app's token for the path in both.
func TestTwoServersShareBuckets(t *testing.T) {
	redisURL := os.Getenv("SHOPCRM_TEST_REDIS")
	if redisURL == "" {
		t.Skip("SHOPCRM_TEST_REDIS is not set")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "crm.db")
	if _, err := run(t, "shop", "add", "--db", db, "--sid", "1", "--name", "US", "--marketplace", "US"); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, "app", "create", "--db", db, "--name", "erp", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var app struct{ AppID, AppSecret string }
	json.Unmarshal([]byte(out), &app)

	bin := buildShopcrm(t, dir)
	var urls []string
	for i := 0; i < 2; i++ {
		addr := freeAddr(t)
		cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--redis", redisURL)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
		waitHealthy(t, "http://"+addr)
		urls = append(urls, "http://"+addr)
	}
	ctx := context.Background()
	a := client.New(urls[0], app.AppID, app.AppSecret)
	if err := a.Token(ctx); err != nil {
		t.Fatal(err)
	}
	access, _ := a.Tokens()
	b := client.New(urls[1], app.AppID, app.AppSecret)
	b.SetAccessToken(access) // one store: a token issued by one process works on the other

	const path = "/erp/sc/data/seller/lists"
	for i, c := range []*client.Client{a, b} {
		if env, err := c.Raw(ctx, "GET", path, nil); err != nil || env.CodeText() != "0" {
			t.Fatalf("server %d: %+v %v", i, env, err)
		}
	}
	// Hold the token as a request in flight somewhere else would.
	bucket, err := redis.Open(ctx, redisURL)
	if err != nil {
		t.Fatal(err)
	}
	defer bucket.Close()
	release, err := bucket.Take(ctx, app.AppID+" "+path, 1, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []*client.Client{a, b} {
		if env, err := c.Raw(ctx, "GET", path, nil); err != nil || env.CodeText() != "3001008" {
			t.Fatalf("server %d while the token is held: %+v %v", i, env, err)
		}
	}
	release()
	for i, c := range []*client.Client{a, b} {
		if env, err := c.Raw(ctx, "GET", path, nil); err != nil || env.CodeText() != "0" {
			t.Fatalf("server %d after release: %+v %v", i, env, err)
		}
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

func waitHealthy(t *testing.T, base string) {
	for i := 0; i < 200; i++ {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not become healthy", base)
}
