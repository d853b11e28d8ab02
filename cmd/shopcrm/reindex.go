package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func newReindexCmd(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Recompute every customer's figures from the stored orders, after-sales and feedback",
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			start := time.Now()
			if err := s.Reindex(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "figures recomputed in %s\n", time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
}
