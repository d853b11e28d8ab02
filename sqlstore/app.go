package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/shopcrm/shopcrm"
)

// CreateApp stores an open-API app; its secret is already hashed.
func (s *Store) CreateApp(ctx context.Context, app *shopcrm.App) error {
	if len(app.AppID) != 16 || len(app.SecretHash) == 0 {
		return shopcrm.Errorf(shopcrm.EINVALID, "app needs a 16-byte appId and a secret hash")
	}
	if app.SIDs == nil {
		app.SIDs = []int64{}
	}
	if app.Capacities == nil {
		app.Capacities = map[string]int{}
	}
	sids, _ := json.Marshal(app.SIDs)
	caps, _ := json.Marshal(app.Capacities)
	app.CreatedAt = s.Now().UTC().Truncate(1e9)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if len(app.SIDs) > 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM shops WHERE sid IN (`+placeholders(1, len(app.SIDs))+`)`,
				int64Args(app.SIDs)...).Scan(&n); err != nil {
				return err
			} else if n != len(app.SIDs) {
				return &shopcrm.Error{Code: shopcrm.EINVALID, Message: "unknown shop",
					Fields: []shopcrm.FieldError{{Field: "sids", Message: "every sid must name an existing shop"}}}
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO apps (app_id, name, secret_hash, sids, capacities, created_at)
			VALUES ($1,$2,$3,$4,$5,$6)`, app.AppID, app.Name, app.SecretHash, string(sids), string(caps), unix(app.CreatedAt))
		return err
	})
}

// FindAppByID returns an app.
func (s *Store) FindAppByID(ctx context.Context, appID string) (*shopcrm.App, error) {
	var app shopcrm.App
	var sids, caps string
	var created int64
	err := s.read.QueryRowContext(ctx, `SELECT app_id, name, secret_hash, sids, capacities, created_at
		FROM apps WHERE app_id = $1`, appID).Scan(&app.AppID, &app.Name, &app.SecretHash, &sids, &caps, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("app", appID)
	} else if err != nil {
		return nil, err
	}
	app.CreatedAt = fromUnix(created)
	if err := json.Unmarshal([]byte(sids), &app.SIDs); err != nil {
		return nil, err
	}
	return &app, json.Unmarshal([]byte(caps), &app.Capacities)
}

// SetAppToken replaces the app's one token pair.
func (s *Store) SetAppToken(ctx context.Context, t *shopcrm.AppToken) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO app_tokens (app_id, access_hash, refresh_hash, access_expires, refresh_expires)
			VALUES ($1,$2,$3,$4,$5) ON CONFLICT (app_id) DO UPDATE SET access_hash = excluded.access_hash,
			refresh_hash = excluded.refresh_hash, access_expires = excluded.access_expires, refresh_expires = excluded.refresh_expires`,
			t.AppID, t.AccessHash, t.RefreshHash, unix(t.AccessExpiresAt), unix(t.RefreshExpiresAt))
		return err
	})
}

// ReplaceAppToken replaces the app's token pair if its refresh hash is still spent; the
// condition and the write are one statement, so the check holds across processes.
func (s *Store) ReplaceAppToken(ctx context.Context, spent []byte, t *shopcrm.AppToken) (bool, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE app_tokens SET access_hash = $1, refresh_hash = $2, access_expires = $3,
			refresh_expires = $4 WHERE app_id = $5 AND refresh_hash = $6`,
			t.AccessHash, t.RefreshHash, unix(t.AccessExpiresAt), unix(t.RefreshExpiresAt), t.AppID, spent)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n == 1, err
}

// FindAppToken returns the app's live token pair.
func (s *Store) FindAppToken(ctx context.Context, appID string) (*shopcrm.AppToken, error) {
	var t shopcrm.AppToken
	var ae, re int64
	err := s.read.QueryRowContext(ctx, `SELECT app_id, access_hash, refresh_hash, access_expires, refresh_expires
		FROM app_tokens WHERE app_id = $1`, appID).Scan(&t.AppID, &t.AccessHash, &t.RefreshHash, &ae, &re)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("token of app", appID)
	}
	t.AccessExpiresAt, t.RefreshExpiresAt = fromUnix(ae), fromUnix(re)
	return &t, err
}
