package bench_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcrm/shopcrm/bench"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestWriteReports: of 5 orders, the i-th has 1 + i%3 items, and the item of order i shipped
// in two parcels is the one with (i + item) % 5 = 4: orders 0–4 ship 1, 1+1, 1+1+2, 1 and
// 2+1 parcels, 11 shipments rows; All Orders has one row per item, 9.
func TestWriteReports(t *testing.T) {
	dir := t.TempDir()
	for _, r := range []struct {
		write func(string, int) (int, error)
		name  string
		rows  int
	}{{bench.WriteShipments, "shipments.txt", 11}, {bench.WriteAllOrders, "all-orders.txt", 9}} {
		path := filepath.Join(dir, r.name)
		n, err := r.write(path, 5)
		if err != nil || n != r.rows {
			t.Fatalf("%s: %d rows, %v; want %d", r.name, n, err, r.rows)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if lines := strings.Count(string(data), "\n"); lines != r.rows+1 {
			t.Errorf("%s: %d lines, want a header and %d rows", r.name, lines, r.rows)
		}
	}
	lines, err := bench.ReadShipments(filepath.Join(dir, "shipments.txt"))
	if err != nil || len(lines) != 11 {
		t.Fatalf("read back %d shipments rows, %v; want 11", len(lines), err)
	}
	// The next month: orders 5–9, of 3, 1, 2, 3 and 1 items, of which order 8's second and
	// order 9's only item ship in two parcels: 12 rows, new order ids, the same one buyer.
	next := filepath.Join(dir, "shipments-2.txt")
	if n, err := bench.WriteNextShipments(next, 5); err != nil || n != 12 {
		t.Fatalf("next month: %d rows, %v; want 12", n, err)
	}
	later, err := bench.ReadShipments(next)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range later {
		for _, e := range lines {
			if l.OrderID == e.OrderID {
				t.Fatalf("order %s in both months", l.OrderID)
			}
		}
		if l.BuyerEmail != lines[0].BuyerEmail {
			t.Fatalf("next month's buyer %s, want %s", l.BuyerEmail, lines[0].BuyerEmail)
		}
	}
}

// TestRunImports runs `shopcrm bench import` small: a row of rates, one per engine, for
// each of the nine runs, the floor, and two rounds of the import beside the floor with
// their shares and median.
func TestRunImports(t *testing.T) {
	cfg := bench.ImportConfig{Orders: 300, Dir: t.TempDir(), Postgres: os.Getenv(storetest.PostgresEnv), Rounds: 2,
		Command: "shopcrm bench import"}
	var out, progress bytes.Buffer
	if err := bench.RunImports(context.Background(), cfg, &out, &progress); err != nil {
		t.Fatal(err)
	}
	report := out.String()
	if !strings.Contains(report, "FBA shipments of 720 rows (100 buyers), All Orders of 600 rows") {
		t.Errorf("report does not name the reports:\n%s", report)
	}
	head := "| rows/s | SQLite |"
	engines := 1
	if cfg.Postgres != "" {
		head += " PostgreSQL |"
		engines++
	}
	if !strings.Contains(report, head+"\n") {
		t.Errorf("no header %q:\n%s", head, report)
	}
	rows := regexp.MustCompile(`(?m)^\| ([^|]+) \|`+strings.Repeat(`\s*([0-9]+)\s*\|`, engines)+`$`).FindAllStringSubmatch(report, -1)
	if len(rows) != 9 {
		t.Fatalf("%d rows of rates, want 9:\n%s", len(rows), report)
	}
	for _, m := range rows {
		for _, v := range m[2:] {
			if n, _ := strconv.Atoi(v); n <= 0 {
				t.Errorf("%s: rate %s", m[1], v)
			}
		}
	}
	if rows[3][1] != "shipments of a second month, the first imported buyer by buyer" {
		t.Errorf("fourth run %q", rows[3][1])
	}
	if !regexp.MustCompile(`at \*\*[1-9][0-9]*\*\* rows/s`).MatchString(report) {
		t.Errorf("no floor:\n%s", report)
	}
	checkShares(t, report, cfg.Rounds)
	if entries, _ := os.ReadDir(cfg.Dir); len(entries) != 3 {
		t.Errorf("left %d files in the directory, want the three reports", len(entries))
	}
}

// checkShares checks the rounds table of a report: one row per round, each share the
// import's rate over the floor's, and the median of the shares below it.
func checkShares(t *testing.T, report string, rounds int) {
	t.Helper()
	rows := regexp.MustCompile(`(?m)^\| ([0-9]+) \| ([0-9]+) \| ([0-9]+) \| ([0-9.]+) \|$`).FindAllStringSubmatch(report, -1)
	if len(rows) != rounds {
		t.Fatalf("%d rounds, want %d:\n%s", len(rows), rounds, report)
	}
	var shares []float64
	for i, m := range rows {
		rate, _ := strconv.ParseFloat(m[2], 64)
		floor, _ := strconv.ParseFloat(m[3], 64)
		share, _ := strconv.ParseFloat(m[4], 64)
		if m[1] != strconv.Itoa(i+1) || rate <= 0 || floor <= 0 {
			t.Errorf("round row %q", m[0])
		}
		// The table rounds the rates to whole rows and the share to hundredths.
		if want := rate / floor; math.Abs(share-want) > 0.006+want/1000 {
			t.Errorf("round %s: share %v, want %.3f", m[1], share, want)
		}
		shares = append(shares, share)
	}
	med := regexp.MustCompile(`Median share of the floor: \*\*([0-9.]+)\*\*`).FindStringSubmatch(report)
	if med == nil {
		t.Fatalf("no median share:\n%s", report)
	}
	got, _ := strconv.ParseFloat(med[1], 64)
	if want := (shares[0] + shares[1]) / 2; math.Abs(got-want) > 0.011 {
		t.Errorf("median share %v, want %.3f (the mean of %v)", got, want, shares)
	}
}
