package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/shopcrm/shopcrm"
)

func validScopes(scopes []string) error {
	if len(scopes) == 0 {
		return &shopcrm.Error{Code: shopcrm.EINVALID, Message: "no scopes",
			Fields: []shopcrm.FieldError{{Field: "scopes", Message: "at least one of crm:read, crm:write, read, write"}}}
	}
	for _, sc := range scopes {
		if !shopcrm.Scopes[sc] {
			return &shopcrm.Error{Code: shopcrm.EINVALID, Message: "unknown scope",
				Fields: []shopcrm.FieldError{{Field: "scopes", Message: "unknown scope " + sc}}}
		}
	}
	return nil
}

// CreateOAuthClient stores a REST API client; its secret is already hashed.
func (s *Store) CreateOAuthClient(ctx context.Context, c *shopcrm.OAuthClient) error {
	if err := validScopes(c.Scopes); err != nil {
		return err
	}
	c.CreatedAt = s.Now().UTC().Truncate(1e9)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO oauth_clients (client_id, name, secret_hash, scopes, created_at)
			VALUES ($1,$2,$3,$4,$5)`, c.ClientID, c.Name, c.SecretHash, strings.Join(c.Scopes, " "), unix(c.CreatedAt))
		return err
	})
}

// FindOAuthClientByID returns a client.
func (s *Store) FindOAuthClientByID(ctx context.Context, id string) (*shopcrm.OAuthClient, error) {
	var c shopcrm.OAuthClient
	var scopes string
	var created int64
	err := s.read.QueryRowContext(ctx, `SELECT client_id, name, secret_hash, scopes, created_at FROM oauth_clients
		WHERE client_id = $1`, id).Scan(&c.ClientID, &c.Name, &c.SecretHash, &scopes, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("client", id)
	}
	c.Scopes, c.CreatedAt = strings.Fields(scopes), fromUnix(created)
	return &c, err
}

// CreateOAuthToken stores a bearer token by its hash.
func (s *Store) CreateOAuthToken(ctx context.Context, t *shopcrm.OAuthToken) error {
	if err := validScopes(t.Scopes); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		// Expired tokens go when new ones come, so the table never grows without bound.
		if _, err := tx.ExecContext(ctx, `DELETE FROM oauth_tokens WHERE expires_at < $1`, s.now()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO oauth_tokens (hash, client_id, scopes, expires_at) VALUES ($1,$2,$3,$4)`,
			t.Hash, t.ClientID, strings.Join(t.Scopes, " "), unix(t.ExpiresAt))
		return err
	})
}

// FindOAuthToken returns the token with the hash, expired or not: the caller decides.
func (s *Store) FindOAuthToken(ctx context.Context, hash []byte) (*shopcrm.OAuthToken, error) {
	var t shopcrm.OAuthToken
	var scopes string
	var exp int64
	err := s.read.QueryRowContext(ctx, `SELECT hash, client_id, scopes, expires_at FROM oauth_tokens WHERE hash = $1`,
		hash).Scan(&t.Hash, &t.ClientID, &scopes, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("token", "")
	}
	t.Scopes, t.ExpiresAt = strings.Fields(scopes), fromUnix(exp)
	return &t, err
}
