package lingxing

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// NewAppCredentials returns a new appId ("ak_" and 13 characters: 16 bytes, the AES-128 key
// of the sign), its secret, and the hash stored in place of the secret.
func NewAppCredentials() (appID, secret string, secretHash []byte, err error) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 13+16)
	if _, err := rand.Read(b); err != nil {
		return "", "", nil, err
	}
	id := []byte("ak_")
	for _, c := range b[:13] {
		id = append(id, alphabet[int(c)%len(alphabet)]) // 256 % 62 bias is harmless: ids are not secret
	}
	secret = base64.StdEncoding.EncodeToString(b[13:])
	h := sha256.Sum256([]byte(secret))
	return string(id), secret, h[:], nil
}

// newUUID returns a random token in the UUID text form Lingxing tokens have.
func newUUID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// formValue reads a parameter from a multipart or urlencoded body or the query string: the
// official SDKs send credentials in all three ways.
func formValue(r *http.Request, name string) string {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		r.ParseMultipartForm(MaxBodyBytes)
	}
	v := r.FormValue(name)
	return v
}

func (s *Server) limitToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		appID := formValue(r, "appId")
		app := &shopcrm.App{AppID: appID}
		if found, err := s.Apps.FindAppByID(r.Context(), appID); err == nil {
			app = found
		}
		release, ok := s.take(r, app, s.capacity(app, r.URL.Path, TokenCapacity))
		if !ok {
			writeGateway(w, errTooFrequent)
			return
		}
		defer release()
		h(w, r)
	}
}

func (s *Server) accessToken(w http.ResponseWriter, r *http.Request) {
	app, err := s.Apps.FindAppByID(r.Context(), formValue(r, "appId"))
	if err != nil {
		writeGateway(w, errAppNotExist)
		return
	}
	// A secret sent unencoded in a query string arrives with '+' turned into ' '.
	secret := strings.ReplaceAll(formValue(r, "appSecret"), " ", "+")
	h := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(h[:], app.SecretHash) != 1 {
		writeGateway(w, errSecret)
		return
	}
	s.issue(w, r, app.AppID)
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request) {
	appID := formValue(r, "appId")
	if _, err := s.Apps.FindAppByID(r.Context(), appID); err != nil {
		writeGateway(w, errAppNotExist)
		return
	}
	live, err := s.Apps.FindAppToken(r.Context(), appID)
	h := sha256.Sum256([]byte(formValue(r, "refreshToken")))
	if err != nil || len(live.RefreshHash) == 0 || subtle.ConstantTimeCompare(h[:], live.RefreshHash) != 1 {
		writeGateway(w, errRefreshInvalid)
		return
	}
	if !s.Now().Before(live.RefreshExpiresAt) {
		writeGateway(w, errRefreshExpired)
		return
	}
	s.issue(w, r, appID) // replaces the pair: the refresh token just used is spent
}

// issue makes a new token pair for the app, retiring the previous one.
func (s *Server) issue(w http.ResponseWriter, r *http.Request, appID string) {
	access, refresh := newUUID(), newUUID()
	ah, rh := sha256.Sum256([]byte(access)), sha256.Sum256([]byte(refresh))
	now := s.Now()
	err := s.Apps.SetAppToken(r.Context(), &shopcrm.AppToken{AppID: appID, AccessHash: ah[:], RefreshHash: rh[:],
		AccessExpiresAt: now.Add(AccessTokenTTL), RefreshExpiresAt: now.Add(RefreshTokenTTL)})
	if err != nil {
		s.Logger.Error("issue token", "err", err)
		writeJSON(w, gatewayReply{Code: "500", Msg: "internal error"})
		return
	}
	writeJSON(w, gatewayReply{Code: "200", Msg: "OK", Data: tokenData{access, refresh, int(AccessTokenTTL.Seconds())}})
}

type tokenData struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
}
