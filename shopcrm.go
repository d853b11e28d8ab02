// Package shopcrm holds the domain of shopcrm: shops, customers, orders, after-sales,
// feedback, segments, coupons, exchange rates and API credentials, the filters that select
// them and the service interfaces that the storage engines implement. It imports no database,
// HTTP or file-format package.
package shopcrm
