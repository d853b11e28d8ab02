package main

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/shopcrm/shopcrm/lingxing"
	"github.com/shopcrm/shopcrm/redis"
	"github.com/shopcrm/shopcrm/sqlstore"
)

// openAPI builds the Lingxing-compatible API, with buckets in Redis when --redis is given.
func openAPI(ctx context.Context, store *sqlstore.Store, o *serveOptions, log *slog.Logger) (http.Handler, error) {
	srv := &lingxing.Server{Apps: store, Shops: store, Rates: store, Buyers: store, AfterSales: store,
		Logger: log, Unlimited: o.unlimited}
	if o.redisURL != "" {
		b, err := redis.Open(ctx, o.redisURL)
		if err != nil {
			return nil, err
		}
		srv.Bucket = b
	}
	if o.unlimited {
		log.Warn("open API token buckets lifted (--unlimited)")
	}
	// The customer list index takes seconds to load at a million buyers: do it before serving.
	if err := store.WarmBuyers(ctx); err != nil {
		return nil, err
	}
	return srv.Handler(), nil
}
