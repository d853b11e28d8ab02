package shopcrm

import (
	"context"
	"time"
)

// App is a client of the Lingxing-compatible open API. Its AppID is 16 bytes because it is
// the AES-128 key of the request sign.
type App struct {
	AppID      string         `json:"appId"`
	Name       string         `json:"name"`
	SecretHash []byte         `json:"-"`
	SIDs       []int64        `json:"sids"`       // empty = all shops
	Capacities map[string]int `json:"capacities"` // bucket capacity by path, overriding defaults
	CreatedAt  time.Time      `json:"created_at"`
}

// AllowsShop reports whether the app may see a shop.
func (a *App) AllowsShop(sid int64) bool {
	if len(a.SIDs) == 0 {
		return true
	}
	for _, s := range a.SIDs {
		if s == sid {
			return true
		}
	}
	return false
}

// AppToken is the one live access/refresh token pair of an app; both stored hashed.
type AppToken struct {
	AppID            string
	AccessHash       []byte
	RefreshHash      []byte
	AccessExpiresAt  time.Time
	RefreshExpiresAt time.Time
}

// AppService stores open-API apps and their tokens.
type AppService interface {
	CreateApp(ctx context.Context, app *App) error
	FindAppByID(ctx context.Context, appID string) (*App, error)
	// SetAppToken replaces the app's token pair: issuing a token retires the previous one.
	SetAppToken(ctx context.Context, t *AppToken) error
	FindAppToken(ctx context.Context, appID string) (*AppToken, error)
	// ReplaceAppToken replaces the app's token pair only while its refresh token still has
	// the hash spent, and reports whether it did: of two servers refreshing with one refresh
	// token, only one succeeds.
	ReplaceAppToken(ctx context.Context, spent []byte, t *AppToken) (bool, error)
}

// OAuthClient may obtain bearer tokens for the REST API with the client credentials grant.
type OAuthClient struct {
	ClientID   string    `json:"client_id"`
	Name       string    `json:"name"`
	SecretHash []byte    `json:"-"`
	Scopes     []string  `json:"scopes"`
	CreatedAt  time.Time `json:"created_at"`
}

// OAuthToken is a bearer token of the REST API, stored by the hash of its value.
type OAuthToken struct {
	Hash      []byte
	ClientID  string // empty for tokens made on the command line
	Scopes    []string
	ExpiresAt time.Time
}

// Scopes of the REST API.
var Scopes = map[string]bool{"crm:read": true, "crm:write": true, "read": true, "write": true}

// OAuthService stores REST API clients and tokens.
type OAuthService interface {
	CreateOAuthClient(ctx context.Context, c *OAuthClient) error
	FindOAuthClientByID(ctx context.Context, id string) (*OAuthClient, error)
	CreateOAuthToken(ctx context.Context, t *OAuthToken) error
	FindOAuthToken(ctx context.Context, hash []byte) (*OAuthToken, error)
}

// Bucket limits concurrent requests per key (an app and an API path): a request takes a
// token on arrival and gives it back by calling release, or the token returns by itself
// after lease. With none left Take returns an ERATELIMITED error.
type Bucket interface {
	Take(ctx context.Context, key string, capacity int, lease time.Duration) (release func(), err error)
}
