package heidian

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// NewToken makes a bearer token from 32 random bytes and returns it with the SHA-256 hash
// the store keeps in its place.
func NewToken() (token string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashSecret(token), nil
}

// HashSecret is the SHA-256 of a client secret or token, as stored. The secrets carry 256
// random bits, so a fast hash suffices: there is nothing to guess by brute force.
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// NewClientCredentials makes a client id ("cl_" and 20 hex digits), a secret, and the hash
// of the secret to store.
func NewClientCredentials() (id, secret string, hash []byte, err error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", "", nil, err
	}
	secret, hash, err = NewToken()
	return "cl_" + hex.EncodeToString(b), secret, hash, err
}

type tokenReply struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// oauthError answers an RFC 6749 §5.2 error.
func oauthError(w http.ResponseWriter, status int, code string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
	}
	writeJSON(w, status, map[string]string{"error": code})
}

// issueToken is POST /oauth/token: the client credentials grant (RFC 6749 §4.4). The client
// authenticates with HTTP Basic or with client_id and client_secret in the form.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	form := r.PostForm
	switch grant := form.Get("grant_type"); {
	case grant == "":
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	case grant != "client_credentials":
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	id, secrets := form.Get("client_id"), []string{form.Get("client_secret")}
	if bid, bsecret, ok := r.BasicAuth(); ok {
		if form.Has("client_secret") || (id != "" && id != bid) {
			oauthError(w, http.StatusBadRequest, "invalid_request") // two ways of authenticating
			return
		}
		// §2.3.1 form-encodes id and secret before Basic; most clients skip that, so try both.
		id, secrets = bid, []string{bsecret}
		if uid, err := url.QueryUnescape(bid); err == nil {
			id = uid
		}
		if us, err := url.QueryUnescape(bsecret); err == nil && us != bsecret {
			secrets = append(secrets, us)
		}
	}
	client, err := s.authenticateClient(r, id, secrets)
	if err != nil {
		s.Logger.Error("heidian: oauth client lookup", "err", err)
		oauthError(w, http.StatusInternalServerError, "server_error")
		return
	} else if client == nil {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	scopes := client.Scopes
	if requested := strings.Fields(form.Get("scope")); len(requested) > 0 {
		scopes = nil
		for _, sc := range requested {
			if !slices.Contains(client.Scopes, sc) {
				oauthError(w, http.StatusBadRequest, "invalid_scope")
				return
			}
			if !slices.Contains(scopes, sc) {
				scopes = append(scopes, sc)
			}
		}
	}
	token, hash, err := NewToken()
	if err == nil {
		err = s.OAuth.CreateOAuthToken(r.Context(), &shopcrm.OAuthToken{Hash: hash, ClientID: client.ClientID,
			Scopes: scopes, ExpiresAt: s.Now().Add(s.TokenTTL)})
	}
	if err != nil {
		s.Logger.Error("heidian: oauth token", "err", err)
		oauthError(w, http.StatusInternalServerError, "server_error")
		return
	}
	writeJSON(w, http.StatusOK, tokenReply{AccessToken: token, TokenType: "Bearer",
		ExpiresIn: int64(s.TokenTTL.Seconds()), Scope: strings.Join(scopes, " ")})
}

// authenticateClient returns the client whose secret is one of secrets, nil when there is
// none. The hashes are compared in constant time, and an unknown client costs the same
// comparison, so timing tells nothing about ids or secrets.
func (s *Server) authenticateClient(r *http.Request, id string, secrets []string) (*shopcrm.OAuthClient, error) {
	if id == "" || secrets[0] == "" {
		return nil, nil
	}
	client, err := s.OAuth.FindOAuthClientByID(r.Context(), id)
	if shopcrm.ErrorCode(err) == shopcrm.ENOTFOUND {
		client, err = nil, nil
	} else if err != nil {
		return nil, err
	}
	want := make([]byte, sha256.Size)
	if client != nil {
		want = client.SecretHash
	}
	ok := 0
	for _, secret := range secrets {
		ok |= subtle.ConstantTimeCompare(HashSecret(secret), want)
	}
	if ok == 0 || client == nil {
		return nil, nil
	}
	return client, nil
}
