package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shopcrm/shopcrm/bench"
)

func newBenchCmd(c *cli) *cobra.Command {
	cfg := bench.Config{}
	var out string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure every API shape against its SQL floor on a database filled by `shopcrm demo`",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := c.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			app, secret, err := createApp(ctx, s, "bench", nil)
			if err != nil {
				return err
			}
			tok, err := createToken(cmd, s, []string{"crm:read"}, 24*time.Hour)
			if err != nil {
				return err
			}
			cfg.DB, cfg.AppID, cfg.AppSecret, cfg.Token = c.db, app.AppID, secret, tok["access_token"]
			cfg.Command = commandLine(os.Args[1:])
			base, pid := cfg.Addr, 0
			if base == "" {
				if cfg.Binary == "" {
					if cfg.Binary, err = os.Executable(); err != nil {
						return err
					}
				}
				srv, err := bench.StartServer(cfg.Binary, c.db, cfg.CPUProfile)
				if err != nil {
					return err
				}
				defer srv.Stop()
				base, pid = srv.URL, srv.PID()
			}
			w, closeOut, err := reportOut(cmd, out)
			if err != nil {
				return err
			}
			defer closeOut()
			return bench.Run(ctx, cfg, s, base, pid, w, cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&cfg.Addr, "addr", "", "base URL of a running server (its rate limits must be lifted); default: start one")
	cmd.Flags().DurationVar(&cfg.Duration, "duration", 20*time.Second, "longest time per shape and level")
	cmd.Flags().IntVar(&cfg.Requests, "requests", 200, "requests per shape at concurrency 1 (×10 at the high level)")
	cmd.Flags().IntVar(&cfg.Concurrency, "concurrency", 32, "the high concurrency level")
	cmd.Flags().BoolVar(&cfg.Full, "full", false, "every sort field and direction with every filter (384 customer-list shapes)")
	cmd.Flags().StringVar(&out, "out", "", "append the Markdown report to this file")
	cmd.Flags().StringSliceVar(&cfg.Only, "only", nil, "run only these APIs: customer, aftersale, rest")
	cmd.Flags().StringVar(&cfg.Match, "match", "", "run only the shapes whose name contains this text")
	cmd.Flags().BoolVar(&cfg.NoFloors, "no-floors", false, "time the APIs only, not their SQL floors and the naive query")
	cmd.Flags().StringVar(&cfg.CPUProfile, "cpuprofile", "", "have the started server write a CPU profile of the run to this file")
	cmd.AddCommand(newBenchImportCmd())
	return cmd
}

func newBenchImportCmd() *cobra.Command {
	cfg := bench.ImportConfig{}
	var out, profile string
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Measure import throughput: generated shipments and All Orders reports into fresh stores, beside the floor",
		Long: `Writes an FBA shipments and an All Orders report of the same orders, imports each into a
fresh store in every way shopcrm imports (buyer by buyer, in file order, in one transaction;
All Orders into an empty store and after the shipments), and prints rows per second beside
the floor: the same shipments rows written by plain multi-row INSERTs into SQLite, with nothing
looked up and no figures kept. SQLite always; PostgreSQL too with --postgres, in a new schema
per run that is dropped after it. Then it times SQLite's shipments import buyer by buyer and
the floor in turn, --rounds times, and prints the import's share of the floor in each round
and their median: a machine's speed drifts over minutes, and one sample of each, minutes
apart, can mislead. --db is not used.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Orders <= 0 {
				return fmt.Errorf("--orders must be positive")
			}
			if cfg.Dir == "" {
				dir, err := os.MkdirTemp("", "shopcrm-bench-import-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(dir)
				cfg.Dir = dir
			}
			cfg.Command = commandLine(os.Args[1:])
			w, closeOut, err := reportOut(cmd, out)
			if err != nil {
				return err
			}
			defer closeOut()
			floor := raiseHeapFloor() // as shopcrm import runs
			defer runtime.KeepAlive(floor)
			stop, err := startCPUProfile(profile)
			if err != nil {
				return err
			}
			defer stop()
			return bench.RunImports(cmd.Context(), cfg, w, cmd.ErrOrStderr())
		},
	}
	cmd.Flags().IntVar(&cfg.Orders, "orders", 500000, "orders per report (500 000 make about 1.2 million shipments rows)")
	cmd.Flags().StringVar(&cfg.Postgres, "postgres", "", "also measure PostgreSQL on this server (postgres:// URL)")
	cmd.Flags().IntVar(&cfg.Rounds, "rounds", 3, "times SQLite's shipments import buyer by buyer and the floor are timed in turn after the table (0: none)")
	cmd.Flags().StringVar(&cfg.Dir, "dir", "", "where to write the reports and SQLite stores (default: a temporary directory, removed after)")
	cmd.Flags().StringVar(&out, "out", "", "append the Markdown report to this file")
	cmd.Flags().StringVar(&profile, "cpuprofile", "", "write a CPU profile of every import and the floor to this file (scripts/pgo-profile merges it into the build's profile)")
	return cmd
}

// commandLine is how shopcrm was run, for a report: the password of a database URL given on
// the command line is shown as "xxxxx".
func commandLine(args []string) string {
	shown := make([]string, len(args))
	for i, a := range args {
		flag, value, ok := strings.Cut(a, "=")
		if !ok || !strings.HasPrefix(flag, "-") {
			flag, value = "", a
		}
		if u, err := url.Parse(value); err == nil && u.User != nil {
			if _, set := u.User.Password(); set {
				value = u.Redacted()
			}
		}
		if flag != "" {
			value = flag + "=" + value
		}
		shown[i] = value
	}
	return "shopcrm " + strings.Join(shown, " ")
}

// reportOut is where a bench report goes: standard output, and appended to the file out
// when it is set.
func reportOut(cmd *cobra.Command, out string) (io.Writer, func(), error) {
	if out == "" {
		return cmd.OutOrStdout(), func() {}, nil
	}
	f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintln(f)
	return io.MultiWriter(cmd.OutOrStdout(), f), func() { f.Close() }, nil
}
