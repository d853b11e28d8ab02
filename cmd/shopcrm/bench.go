package main

import (
	"fmt"
	"io"
	"os"
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
			cfg.Command = "shopcrm " + strings.Join(os.Args[1:], " ")
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
			var w io.Writer = cmd.OutOrStdout()
			if out != "" {
				f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
				if err != nil {
					return err
				}
				defer f.Close()
				fmt.Fprintln(f)
				w = io.MultiWriter(w, f)
			}
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
	return cmd
}
