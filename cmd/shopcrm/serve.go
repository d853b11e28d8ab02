package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/heidian"
	"github.com/shopcrm/shopcrm/sqlstore"
)

type serveOptions struct {
	addr        string
	redisURL    string
	demo        bool
	demoBuyers  int
	unlimited   bool
	segmentCap  int
	storeReads  int
	cpuProfile  string
	pprofAddr   string
	readyWriter func(addr string) // tests learn the port here
}

func newServeCmd(c *cli) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the Lingxing-compatible open API and the Heidian-compatible REST API",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd, c, o)
		},
	}
	cmd.Flags().StringVar(&o.addr, "addr", ":8080", "address to listen on")
	cmd.Flags().StringVar(&o.redisURL, "redis", "", "Redis URL (redis://host:6379/0) for token buckets shared by several server processes")
	cmd.Flags().BoolVar(&o.demo, "demo", false, "fill the database with demo data first and print credentials to try the APIs")
	cmd.Flags().IntVar(&o.demoBuyers, "demo-buyers", 10000, "buyers in the demo data set (with --demo)")
	cmd.Flags().BoolVar(&o.unlimited, "unlimited", false, "lift the open API token buckets (for benchmarks)")
	cmd.Flags().IntVar(&o.segmentCap, "segment-customers", 1000, "customers embedded in a REST segment representation")
	cmd.Flags().IntVar(&o.storeReads, "store-reads", 0, "REST customer reads let through to the database at once, the rest queued in arrival order (default: its read connections, at most 2 × cores)")
	cmd.Flags().StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of serving to this file (go tool pprof reads it)")
	cmd.Flags().StringVar(&o.pprofAddr, "pprof-addr", "", "serve Go's profiles (/debug/pprof/) on this address, e.g. 127.0.0.1:6060; unauthenticated, so keep it on loopback")
	return cmd
}

func serve(cmd *cobra.Command, c *cli, o *serveOptions) error {
	ctx := cmd.Context()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	store, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	floor := raiseHeapFloor()
	defer runtime.KeepAlive(floor)
	if o.demo {
		if err := runDemo(cmd, store, o.demoBuyers, 1); err != nil {
			return err
		}
		if err := printTryIt(cmd, store, o.addr); err != nil {
			return err
		}
	}
	open, err := openAPI(ctx, store, o, log)
	if err != nil {
		return err
	}
	rest := (&heidian.Server{Customers: store, Segments: store, Coupons: store, OAuth: store, Versions: store,
		SegmentCustomerCap: o.segmentCap, Logger: log, StoreConcurrency: storeReads(store, o.storeReads)}).Handler()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := store.DB().PingContext(r.Context()); err != nil {
			http.Error(w, `{"status":"unavailable"}`, http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	mux.Handle("/api/crm/", rest)
	mux.Handle("/oauth/", rest)
	mux.Handle("/", open)

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 3 * time.Minute, IdleTimeout: 2 * time.Minute}
	log.Info("shopcrm serving", "addr", ln.Addr().String(), "db", describeDB(store))
	if o.readyWriter != nil {
		o.readyWriter(ln.Addr().String())
	}
	stopProfile, err := startCPUProfile(o.cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	if o.pprofAddr != "" {
		stopPprof, err := servePprof(o.pprofAddr, log)
		if err != nil {
			return err
		}
		defer stopPprof()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func describeDB(s *sqlstore.Store) string {
	if s.IsPostgres() {
		return "postgres"
	}
	return "sqlite"
}

// printTryIt creates an open-API app and a REST token for a first look and prints them with
// example requests.
func printTryIt(cmd *cobra.Command, s *sqlstore.Store, addr string) error {
	app, secret, err := createApp(cmd.Context(), s, "demo", nil)
	if err != nil {
		return err
	}
	tok, err := createToken(cmd, s, []string{"crm:read", "crm:write"}, 30*24*time.Hour)
	if err != nil {
		return err
	}
	host := addr
	if len(host) > 0 && host[0] == ':' {
		host = "localhost" + host
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "\nOpen API app (Lingxing-compatible): appId %s appSecret %s\n", app.AppID, secret)
	fmt.Fprintf(out, "REST API bearer token (Heidian-compatible): %s\n\n", tok["access_token"])
	fmt.Fprintf(out, "Try:\n  curl -H 'Authorization: Bearer %s' 'http://%s/api/crm/customer/?page=1'\n", tok["access_token"], host)
	fmt.Fprintf(out, "  curl -X POST 'http://%s/api/auth-server/oauth/access-token?appId=%s&appSecret=%s'\n\n", host, app.AppID, urlQueryEscape(secret))
	return nil
}

var _ shopcrm.OAuthService = (*sqlstore.Store)(nil)

// storeReads is how many REST customer reads run at once. By default no more than the store
// has connections, nor than twice the cores: on PostgreSQL beside the server on 2 cores, 32
// at once served 20 % more segment pages but put the 99th percentile of single customers at
// 32 clients at 387–478 ms, against 73–78 ms with 4 (docs/BENCHMARKS.md).
func storeReads(store *sqlstore.Store, flag int) int {
	if flag > 0 {
		return flag
	}
	return min(store.ReadConns(), 2*runtime.GOMAXPROCS(0))
}
