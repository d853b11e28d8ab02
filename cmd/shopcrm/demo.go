package main

import (
	"fmt"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/shopcrm/shopcrm/demo"
	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
)

func newDemoCmd(c *cli) *cobra.Command {
	var buyers int
	var seed int64
	var profile string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Fill the database with a deterministic synthetic data set, imported as report files (the same seed gives the same data)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			floor := raiseHeapFloor()
			defer runtime.KeepAlive(floor)
			stop, err := startCPUProfile(profile)
			if err != nil {
				return err
			}
			defer stop()
			return runDemo(cmd, s, buyers, seed)
		},
	}
	cmd.Flags().IntVar(&buyers, "buyers", 10000, "number of buyers")
	cmd.Flags().Int64Var(&seed, "seed", 1, "random seed")
	cmd.Flags().StringVar(&profile, "cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof reads it)")
	return cmd
}

// runDemo generates the data set and prints what it created (serve --demo uses it too).
func runDemo(cmd *cobra.Command, s *sqlstore.Store, buyers int, seed int64) error {
	start := time.Now()
	sum, err := demo.Generate(cmd.Context(), s, demo.Options{Buyers: buyers, Seed: seed, Log: cmd.ErrOrStderr()})
	if err != nil {
		return err
	}
	printDemo(cmd, sum, seed, time.Since(start))
	return nil
}

func printDemo(cmd *cobra.Command, sum *demo.Summary, seed int64, took time.Duration) {
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "demo data (seed %d, %d buyers): %d shops (%d new), %d files imported, %d segments in %s\n",
		seed, sum.Buyers, sum.Shops, sum.ShopsCreated, sum.Files, sum.Segments, took.Round(time.Millisecond))
	for _, k := range ingest.Kinds {
		r := sum.Kinds[k]
		if r == nil {
			continue
		}
		fmt.Fprintf(out, "  %-22s %9d rows  %9d inserted  %9d updated  %9d unchanged  %8.1f s  %7.0f rows/s\n", k, r.Rows, r.Inserted,
			r.Updated, r.Unchanged, r.Took.Seconds(), float64(r.Rows)/max(r.Took.Seconds(), 1e-9))
	}
}
