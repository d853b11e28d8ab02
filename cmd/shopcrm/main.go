// Command shopcrm runs the shopcrm service and its administration commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	_ "time/tzdata" // shop time zones work on machines without a zone database

	"github.com/shopcrm/shopcrm/postgres"
	"github.com/shopcrm/shopcrm/sqlite"
	"github.com/shopcrm/shopcrm/sqlstore"
)

// cli holds the flags every subcommand shares.
type cli struct {
	db string
}

// openStore opens the database named by --db: a postgres:// URL or a SQLite file path.
func (c *cli) openStore(ctx context.Context) (*sqlstore.Store, error) {
	if strings.HasPrefix(c.db, "postgres://") || strings.HasPrefix(c.db, "postgresql://") {
		return postgres.Open(ctx, c.db)
	}
	return sqlite.Open(ctx, c.db)
}

func defaultDB() string {
	if v := os.Getenv("SHOPCRM_DB"); v != "" {
		return v
	}
	return "./shopcrm.db"
}

func newRootCmd() *cobra.Command {
	c := &cli{}
	root := &cobra.Command{
		Use:           "shopcrm",
		Short:         "Customer and after-sales service for e-commerce sellers",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&c.db, "db", defaultDB(), "database: a SQLite file path or a postgres:// URL (env SHOPCRM_DB)")
	root.AddCommand(newServeCmd(c), newImportCmd(c), newDemoCmd(c), newReindexCmd(c), newShopCmd(c),
		newAppCmd(c), newClientCmd(c), newTokenCmd(c), newRatesCmd(c), newBenchCmd(c))
	return root
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "shopcrm:", err)
		os.Exit(1)
	}
}
