package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/shopcrm/shopcrm"
)

func newRatesCmd(c *cli) *cobra.Command {
	cmd := &cobra.Command{Use: "rates", Short: "Manage exchange rates (CNY per unit)"}
	var month, currency, rate string
	set := &cobra.Command{
		Use:   "set",
		Short: "Set your own rate for a month; figures use it from the next request on",
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := shopcrm.ParseRate(rate)
			if err != nil {
				return err
			}
			s, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.SetMyRate(cmd.Context(), month, currency, r); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s = %s CNY\n", month, currency, r)
			return nil
		},
	}
	set.Flags().StringVar(&month, "month", "", "month, YYYY-MM (required)")
	set.Flags().StringVar(&currency, "currency", "", "currency code, e.g. USD (required)")
	set.Flags().StringVar(&rate, "rate", "", "CNY per unit, e.g. 7.10 (required)")
	for _, f := range []string{"month", "currency", "rate"} {
		set.MarkFlagRequired(f)
	}
	cmd.AddCommand(set)
	return cmd
}
