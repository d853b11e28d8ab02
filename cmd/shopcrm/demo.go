package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/shopcrm/shopcrm/demo"
	"github.com/shopcrm/shopcrm/sqlstore"
)

func newDemoCmd(c *cli) *cobra.Command {
	var buyers int
	var seed int64
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Fill the database with a deterministic synthetic data set (the same seed gives the same data)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			return runDemo(cmd, s, buyers, seed)
		},
	}
	cmd.Flags().IntVar(&buyers, "buyers", 10000, "number of buyers")
	cmd.Flags().Int64Var(&seed, "seed", 1, "random seed")
	return cmd
}

func runDemo(cmd *cobra.Command, s *sqlstore.Store, buyers int, seed int64) error {
	start := time.Now()
	sum, err := demo.Generate(cmd.Context(), s, demo.Options{Buyers: buyers, Seed: seed})
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "demo data (seed %d): %d shops, %d buyers, %d orders (%d new), %d after-sales, %d feedback, %d segments in %s\n",
		seed, sum.Shops, buyers, sum.Orders, sum.OrdersInserted, sum.AfterSales, sum.Feedback, sum.Segments, time.Since(start).Round(time.Millisecond))
	return nil
}
