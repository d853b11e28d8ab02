package heidian

import (
	"context"
	"crypto/sha256"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopcrm/shopcrm"
)

// Scopes that allow reading and writing (DRF's TokenHasReadWriteScope with Heidian's names).
var (
	readScopes  = []string{"crm:read", "read"}
	writeScopes = []string{"crm:write", "write"}
)

// authorize wraps h with bearer authentication and the scope the method needs ("" = any
// valid token, for 405 answers).
func (s *Server) authorize(method string, h http.HandlerFunc) http.HandlerFunc {
	need := writeScopes
	switch method {
	case "GET", "HEAD":
		need = readScopes
	case "":
		need = nil
	}
	return func(w http.ResponseWriter, r *http.Request) {
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") {
			unauthorized(w, "Authentication credentials were not provided.")
			return
		}
		token = strings.TrimSpace(token)
		scopes, err := s.tokenScopes(r.Context(), token)
		if err != nil {
			s.fail(w, r, err)
			return
		} else if scopes == nil {
			unauthorized(w, "Invalid token.")
			return
		}
		if need != nil && !slices.ContainsFunc(scopes, func(sc string) bool { return slices.Contains(need, sc) }) {
			writeJSON(w, http.StatusForbidden, detail{"You do not have permission to perform this action."})
			return
		}
		h(w, r)
	}
}

func unauthorized(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
	writeJSON(w, http.StatusUnauthorized, detail{msg})
}

// tokenCacheTTL bounds how long a looked-up token is trusted without asking the store: long
// enough to take the lookup off the hot path, short enough that a token removed from the
// store stops working soon after.
const (
	tokenCacheTTL  = 30 * time.Second
	tokenCacheSize = 10000
)

type cachedToken struct {
	scopes []string
	until  time.Time // min(now + tokenCacheTTL, token expiry)
}

type tokenCache struct {
	mu sync.RWMutex
	m  map[[sha256.Size]byte]cachedToken
}

// tokenScopes returns the scopes of a live token, nil for an unknown or expired one.
func (s *Server) tokenScopes(ctx context.Context, token string) ([]string, error) {
	if token == "" || strings.ContainsAny(token, " \t") {
		return nil, nil
	}
	hash := sha256.Sum256([]byte(token))
	now := s.Now()
	s.tokens.mu.RLock()
	c, ok := s.tokens.m[hash]
	s.tokens.mu.RUnlock()
	if ok && now.Before(c.until) {
		return c.scopes, nil
	}
	t, err := s.OAuth.FindOAuthToken(ctx, hash[:])
	if shopcrm.ErrorCode(err) == shopcrm.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if !now.Before(t.ExpiresAt) {
		return nil, nil
	}
	c = cachedToken{scopes: t.Scopes, until: now.Add(tokenCacheTTL)}
	if t.ExpiresAt.Before(c.until) {
		c.until = t.ExpiresAt
	}
	if c.scopes == nil {
		c.scopes = []string{}
	}
	s.tokens.mu.Lock()
	if s.tokens.m == nil || len(s.tokens.m) >= tokenCacheSize {
		s.tokens.m = make(map[[sha256.Size]byte]cachedToken) // crude but bounded
	}
	s.tokens.m[hash] = c
	s.tokens.mu.Unlock()
	return c.scopes, nil
}
