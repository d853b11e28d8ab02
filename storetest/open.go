// Package storetest opens fresh stores for tests and holds the conformance suite that every
// storage engine must pass.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopcrm/shopcrm/postgres"
	"github.com/shopcrm/shopcrm/sqlite"
	"github.com/shopcrm/shopcrm/sqlstore"
)

// PostgresEnv names the variable holding the URL of the PostgreSQL server tests use.
const PostgresEnv = "SHOPCRM_TEST_POSTGRES"

// MustOpen opens a fresh SQLite store in a temporary directory.
func MustOpen(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "shopcrm.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// MustOpenPostgres opens a store in a new schema of the server named by SHOPCRM_TEST_POSTGRES,
// dropped when the test ends. It skips the test when the variable is unset.
func MustOpenPostgres(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	s, _ := MustOpenPostgresURL(tb)
	return s
}

// MustOpenPostgresURL is MustOpenPostgres that also returns the URL of the fresh schema, for
// tests that start a server process on it.
func MustOpenPostgresURL(tb testing.TB) (*sqlstore.Store, string) {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skip(PostgresEnv + " is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("postgres at %s: %v", base, err)
	}
	tb.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, u.String()
}

// Engines runs fn as a subtest on a fresh store of each engine: SQLite always, PostgreSQL
// when SHOPCRM_TEST_POSTGRES is set.
func Engines(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, MustOpen(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, MustOpenPostgres(t)) })
}
