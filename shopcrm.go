// Package shopcrm holds the domain of shopcrm: shops, customers, orders, after-sales,
// feedback, segments, coupons, exchange rates and API credentials, the filters that select
// them and the service interfaces that the storage engines implement. It imports no database,
// HTTP or file-format package.
package shopcrm

import "context"

// VersionService tells whether anything was committed since an earlier look, so that a
// server may keep what it read and answer from it while nothing changed.
type VersionService interface {
	// DataVersion returns a token equal to an earlier one only if nothing was committed in
	// between, by any process. Data read after the call is at least as new as the token.
	DataVersion(ctx context.Context) (string, error)
}
