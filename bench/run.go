package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm/lingxing/client"
	"github.com/shopcrm/shopcrm/sqlstore"
)

var httpClient = &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}, Timeout: time.Minute}

func drain(resp *http.Response) (int64, error) { return io.Copy(io.Discard, resp.Body) }

func dayUnix(day string) int64 {
	t, _ := time.Parse(time.DateOnly, day)
	return t.Unix()
}

// Config is what `shopcrm bench` was asked to do.
type Config struct {
	DB          string // as given to --db
	Addr        string // a running server's base URL; empty starts one
	Binary      string // the shopcrm binary that serves (default: this one)
	Requests    int    // per shape and concurrency level
	Duration    time.Duration
	Concurrency int // the high level; 1 is always measured
	Full        bool
	Only        []string // API groups to run: "customer", "aftersale", "rest"; empty = all
	Match       string   // run only the shapes (and wrk loads) whose name contains this
	Command     string
	AppID       string
	AppSecret   string
	Token       string
	CPUProfile  string // where the started server writes its CPU profile; empty = none
	NoFloors    bool   // skip the SQL floors and the naive query (API figures only)
}

// Server is a shopcrm serve process started for the run.
type Server struct {
	URL string
	cmd *exec.Cmd
}

// StartServer starts `shopcrm serve --unlimited` on a free loopback port, with a CPU
// profile written to cpuProfile when it is not empty.
func StartServer(binary, db, cpuProfile string) (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	args := []string{"serve", "--db", db, "--addr", addr, "--unlimited"}
	if cpuProfile != "" {
		args = append(args, "--cpuprofile", cpuProfile)
	}
	cmd := exec.Command(binary, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + addr, cmd: cmd}
	for i := 0; i < 1200; i++ { // the customer-list index loads before the port opens
		if resp, err := http.Get(s.URL + "/healthz"); err == nil {
			resp.Body.Close()
			return s, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.Stop()
	return nil, fmt.Errorf("server on %s did not start", addr)
}

// PID is the server's process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Stop ends the server.
func (s *Server) Stop() {
	s.cmd.Process.Signal(os.Interrupt)
	s.cmd.Wait()
}

// Run measures every shape at concurrency 1 (and the high level for some) against the server
// at base, with the floors timed from Go on the same database, and writes a Markdown report
// to out row by row, so a long run that is stopped keeps what it measured.
func Run(ctx context.Context, cfg Config, store *sqlstore.Store, base string, pid int, out, progress io.Writer) error {
	db := store.DB()
	d, err := Probe(ctx, db)
	if err != nil {
		return err
	}
	c := client.New(base, cfg.AppID, cfg.AppSecret)
	c.HTTP = httpClient
	if err := c.Token(ctx); err != nil {
		return err
	}
	want := func(g string) bool { return len(cfg.Only) == 0 || slices.Contains(cfg.Only, g) }
	var shapes []Shape
	if want("customer") {
		shapes = append(shapes, customerShapes(c, db, d, store.IsPostgres(), cfg.Full)...)
	}
	if want("aftersale") {
		shapes = append(shapes, afterSaleShapes(c, db, d)...)
	}
	if want("rest") {
		shapes = append(shapes, restShapes(base, cfg.Token, db, d)...)
	}

	if cfg.Match != "" {
		shapes = slices.DeleteFunc(shapes, func(s Shape) bool { return !strings.Contains(s.Name, cfg.Match) })
	}

	b := out
	engine := "SQLite (embedded)"
	if store.IsPostgres() {
		engine = "PostgreSQL"
	}
	fmt.Fprintf(b, "### %s, %d buyers, %s\n\n", engine, d.Customers, time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(b, "- machine: %s\n- data set: %d buyers with figures, %d orders, %d after-sale items\n", Machine(), d.Customers, d.Orders, d.AfterSales)
	if cfg.NoFloors {
		fmt.Fprintf(b, "- SQL floors and the naive query not timed in this run (`--no-floors`)\n")
	} else if want("customer") {
		drop, err := createFloorIndexes(ctx, db, store.IsPostgres())
		if err != nil {
			return fmt.Errorf("floor indexes: %w", err)
		}
		defer drop()
		fmt.Fprintf(b, "- the floors of the date sorts read indexes on customer_figures (sid, last_purchase) and (sid, first_purchase), and on the all-shops rows of buyers of one shop by (last_sid, …), that the bench builds for its run; shopcrm keeps none\n")
	}
	fmt.Fprintf(b, "- command: `%s`\n- open API token buckets lifted for the run (`serve --unlimited`); %d requests per shape and level (or %s), after %d warm-up requests\n\n",
		cfg.Command, cfg.Requests, cfg.Duration, warmup)
	fmt.Fprintf(b, "| API | shape | conc. | requests | p50 | p90 | p99 | max | req/s | floor p50 | p50 / floor | naive p50 |\n")
	fmt.Fprintf(b, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var peak int64
	for i, s := range shapes {
		levels := []int{1}
		if s.Concurrent && cfg.Concurrency > 1 {
			levels = append(levels, cfg.Concurrency)
		}
		// Floors that sort a million rows take seconds a call: they run for a quarter of the
		// shape's time, at least once, which is precision enough beside milliseconds.
		var floor Result
		if s.Floor != nil && !cfg.NoFloors {
			floor = Measure(ctx, "floor", 1, 0, 1, max(20, cfg.Requests/4), cfg.Duration/4, s.Floor)
		}
		naive := ""
		if s.Naive != nil && !cfg.NoFloors {
			nr := Measure(ctx, "naive", 1, 0, 1, 3, cfg.Duration, s.Naive)
			naive = ms(nr.P50)
		}
		for _, conc := range levels {
			n := cfg.Requests
			if conc > 1 {
				n = cfg.Requests * 10
			}
			r := Measure(ctx, s.Name, conc, warmup, n, n, cfg.Duration, s.Call)
			if r.Errors > 0 {
				return fmt.Errorf("%s: %d errors, first: %s", s.Name, r.Errors, r.FirstError)
			}
			ratio := ""
			if floor.P50 > 0 {
				ratio = fmt.Sprintf("%.2f", float64(r.P50)/float64(floor.P50))
			}
			fmt.Fprintf(b, "| %s | %s | %d | %d | %s | %s | %s | %s | %.0f | %s | %s | %s |\n", s.Group, s.Name, conc, r.Requests,
				ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max), r.Throughput, ms(floor.P50), ratio, naive)
		}
		if pid > 0 {
			peak = max(peak, PeakRSS(pid))
		}
		if progress != nil {
			fmt.Fprintf(progress, "\r%d/%d shapes", i+1, len(shapes))
		}
	}
	if progress != nil {
		fmt.Fprintln(progress)
	}
	if want("rest") {
		customers := func(ids []int64) []string {
			paths := make([]string, len(ids))
			for i, id := range ids {
				paths[i] = fmt.Sprintf("/api/crm/customer/%d/", id)
			}
			return paths
		}
		for _, load := range []struct {
			name  string
			paths []string
		}{
			{"GET customer by id, 1 000 customers, wrk -t2 from its own process", customers(d.CustomerIDs)},
			{fmt.Sprintf("GET customer by id, %d customers spread over all ids, wrk -t2", len(d.SpreadCustomerIDs)),
				customers(d.SpreadCustomerIDs)},
			{fmt.Sprintf("customers of segment %d, page 50, wrk -t2", d.SegmentID),
				[]string{fmt.Sprintf("/api/crm/customer/?segment=%d&page=50", d.SegmentID)}},
		} {
			if cfg.Match != "" && !strings.Contains(load.name, cfg.Match) {
				continue
			}
			r, ok, err := Wrk(ctx, base, cfg.Token, load.paths, max(cfg.Duration, 10*time.Second))
			switch {
			case err != nil:
				return err
			case !ok:
				fmt.Fprintf(b, "\n- wrk is not installed: the REST API was loaded by the Go client only\n")
			case r.Errors > 0:
				return fmt.Errorf("wrk: %d responses were not 200", r.Errors)
			default:
				fmt.Fprintf(b, "| REST | %s | %d | %d | %s | %s | %s | %s | %.0f |  |  |  |\n",
					load.name, r.Concurrency, r.Requests, ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max), r.Throughput)
			}
			if !ok {
				break
			}
		}
		if pid > 0 {
			peak = max(peak, PeakRSS(pid))
		}
	}
	_, err = fmt.Fprintf(b, "\n- server peak RSS: %s\n- database size: %s\n", mib(peak), mib(dbSize(ctx, store, cfg.DB)))
	return err
}

const warmup = 5

func ms(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}

func mib(n int64) string {
	if n <= 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}

func dbSize(ctx context.Context, s *sqlstore.Store, path string) int64 {
	if s.IsPostgres() {
		var n int64
		s.DB().QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
		return n
	}
	var total int64
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			total += fi.Size()
		}
	}
	return total
}
