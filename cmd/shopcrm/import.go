package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// importKinds are the report kinds `import` will take (SPEC §5).
var importKinds = []string{"amazon-fba-shipments", "amazon-all-orders", "amazon-fba-returns", "amazon-mfn-returns",
	"amazon-settlement", "amazon-feedback", "orders-ndjson"}

func newImportCmd(c *cli) *cobra.Command {
	var sid int64
	var kind string
	cmd := &cobra.Command{
		Use:   "import --sid SID --kind KIND FILE...",
		Short: "Import report files (not implemented yet)",
		RunE: func(cmd *cobra.Command, files []string) error {
			return errors.New("import is not implemented yet; `shopcrm demo` writes data through the store's ingest services")
		},
	}
	cmd.Flags().Int64Var(&sid, "sid", 0, "shop the files belong to")
	cmd.Flags().StringVar(&kind, "kind", "", "report kind")
	return cmd
}
