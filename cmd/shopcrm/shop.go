package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/shopcrm/shopcrm"
)

func newShopCmd(c *cli) *cobra.Command {
	cmd := &cobra.Command{Use: "shop", Short: "Manage shops"}
	var shop shopcrm.Shop
	var asJSON bool
	add := &cobra.Command{
		Use:   "add",
		Short: "Add a shop (an Amazon seller account in one marketplace, or the own shop)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.CreateShop(cmd.Context(), &shop); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd, shop)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "shop %d %q added (%s, %s, %s)\n", shop.SID, shop.Name, shop.Marketplace, shop.Currency, shop.TimeZone)
			return nil
		},
	}
	add.Flags().Int64Var(&shop.SID, "sid", 0, "shop id (required)")
	add.Flags().StringVar(&shop.Name, "name", "", "shop name (required)")
	add.Flags().StringVar(&shop.Marketplace, "marketplace", "US", "marketplace code: US, CA, MX, UK, DE, FR, IT, ES, NL, SE, PL, JP, AU, IN, AE or SHOP")
	add.Flags().StringVar(&shop.SellerID, "seller-id", "", "Amazon seller id")
	add.Flags().BoolVar(&asJSON, "json", false, "print the shop as JSON")
	add.MarkFlagRequired("sid")
	add.MarkFlagRequired("name")
	cmd.AddCommand(add)
	return cmd
}
