package sqlite

import (
	"context"
	"database/sql"
)

// MigrateTo moves the store's schema to version, down or up.
func MigrateTo(ctx context.Context, db *sql.DB, version int64) error {
	p, err := newMigrations(db)
	if err != nil {
		return err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	if version < current {
		_, err = p.DownTo(ctx, version)
	} else {
		_, err = p.UpTo(ctx, version)
	}
	return err
}

// MigrateUp moves the store's schema to the latest version.
func MigrateUp(ctx context.Context, db *sql.DB) error { return migrate(ctx, db) }
