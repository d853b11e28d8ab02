package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopcrm/shopcrm/sqlite"
)

// run executes the command line as a user would type it and returns what it printed.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func TestCreateCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "crm.db")
	if out, err := run(t, "shop", "add", "--db", db, "--sid", "3", "--name", "Gadgets UK", "--marketplace", "UK"); err != nil ||
		!strings.Contains(out, `shop 3 "Gadgets UK" added (UK, GBP, Europe/London)`) {
		t.Fatalf("shop add: %q, %v", out, err)
	}
	if _, err := run(t, "shop", "add", "--db", db, "--sid", "3", "--name", "again"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("duplicate shop: %v", err)
	}

	out, err := run(t, "app", "create", "--db", db, "--name", "erp", "--sids", "3", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var app struct {
		AppID     string  `json:"appId"`
		AppSecret string  `json:"appSecret"`
		SIDs      []int64 `json:"sids"`
	}
	if err := json.Unmarshal([]byte(out), &app); err != nil || len(app.AppID) != 16 || !strings.HasPrefix(app.AppID, "ak_") ||
		app.AppSecret == "" || len(app.SIDs) != 1 || app.SIDs[0] != 3 {
		t.Fatalf("app create: %q, %v", out, err)
	}
	if _, err := run(t, "app", "create", "--db", db, "--name", "x", "--sids", "9"); err == nil {
		t.Fatal("an app for an unknown shop was created")
	}

	out, err = run(t, "client", "create", "--db", db, "--name", "pos", "--scopes", "crm:read,crm:write", "--json")
	var client struct {
		ID     string   `json:"client_id"`
		Secret string   `json:"client_secret"`
		Scopes []string `json:"scopes"`
	}
	if err != nil || json.Unmarshal([]byte(out), &client) != nil || client.ID == "" || client.Secret == "" || len(client.Scopes) != 2 {
		t.Fatalf("client create: %q, %v", out, err)
	}

	out, err = run(t, "token", "create", "--db", db, "--scopes", "read", "--json")
	var tok map[string]string
	if err != nil || json.Unmarshal([]byte(out), &tok) != nil || tok["access_token"] == "" || tok["scope"] != "read" || tok["expires_at"] == "" {
		t.Fatalf("token create: %q, %v", out, err)
	}
	if _, err := run(t, "token", "create", "--db", db, "--scopes", "admin"); err == nil {
		t.Fatal("a token with an unknown scope was created")
	}

	// Secrets are stored hashed: the plain values printed above appear nowhere in the database.
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, secret := range []string{app.AppSecret, client.Secret, tok["access_token"]} {
		var n int
		s.DB().QueryRow(`SELECT (SELECT count(*) FROM apps WHERE secret_hash = $1 OR CAST(secret_hash AS TEXT) = $1)
			+ (SELECT count(*) FROM oauth_clients WHERE CAST(secret_hash AS TEXT) = $1)
			+ (SELECT count(*) FROM oauth_tokens WHERE CAST(hash AS TEXT) = $1)`, secret).Scan(&n)
		if n != 0 {
			t.Fatalf("a secret is stored in plain text")
		}
	}
}

func TestRatesSet(t *testing.T) {
	db := filepath.Join(t.TempDir(), "crm.db")
	out, err := run(t, "rates", "set", "--db", db, "--month", "2024-05", "--currency", "USD", "--rate", "7.10")
	if err != nil || strings.TrimSpace(out) != "2024-05 USD = 7.1000 CNY" {
		t.Fatalf("rates set: %q, %v", out, err)
	}
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rates, err := s.FindRates(context.Background(), "2024-07")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rates {
		if r.Currency == "USD" && (r.Month != "2024-05" || r.MyRate != 7_100_000) {
			t.Fatalf("USD in 2024-07 = %+v, want my_rate 7.10 from 2024-05", r)
		}
	}
	if _, err := run(t, "rates", "set", "--db", db, "--month", "2024-13", "--currency", "USD", "--rate", "7"); err == nil ||
		!strings.Contains(err.Error(), "month") {
		t.Fatalf("bad month: %v", err)
	}
}

func TestCommandLineHidesPasswords(t *testing.T) {
	got := commandLine([]string{"bench", "import", "--postgres", "postgres://u:secret@db:5432/x?sslmode=disable",
		"--db=postgres://v:hunter2@db/y", "--orders", "10"})
	want := "shopcrm bench import --postgres postgres://u:xxxxx@db:5432/x?sslmode=disable --db=postgres://v:xxxxx@db/y --orders 10"
	if got != want {
		t.Errorf("commandLine:\n got %s\nwant %s", got, want)
	}
}

// bench import --cpuprofile profiles the whole run: scripts/pgo-profile builds the binary's
// profile from that file.
func TestBenchImportProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "import.pprof")
	out, err := run(t, "bench", "import", "--orders", "300", "--dir", dir, "--cpuprofile", prof)
	if err != nil || !strings.Contains(out, "| All Orders in one transaction |") {
		t.Fatalf("bench import: %q, %v", out, err)
	}
	b, err := os.ReadFile(prof)
	// A CPU profile is a gzipped protocol buffer.
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("profile %s: %d bytes, %v", prof, len(b), err)
	}
}
