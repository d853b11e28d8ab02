package lingxing

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"

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
	// Base64 of 16 random bytes, like Lingxing's secrets, '+' and '/' included: clients must
	// URL-encode it, and the server's tolerance of an unencoded one gets exercised.
	secret = base64.StdEncoding.EncodeToString(b[13:])
	return string(id), secret, hashSecret(secret), nil
}

func hashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// newUUID returns a random token in the UUID text form Lingxing tokens have.
func newUUID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// tokenParams reads the token endpoints' parameters from a multipart or urlencoded body, the
// query string, or a JSON body: the official SDKs use the first three, guides the last.
func tokenParams(r *http.Request) url.Values {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		r.ParseMultipartForm(MaxBodyBytes)
	case "application/json":
		var m map[string]any
		json.NewDecoder(r.Body).Decode(&m)
		p := r.URL.Query()
		for k, v := range m {
			if s, ok := v.(string); ok {
				p.Set(k, s)
			}
		}
		return p
	default:
		r.ParseForm()
	}
	return r.Form
}

type tokenHandler func(w http.ResponseWriter, r *http.Request, p url.Values)

// limitToken puts a token endpoint behind the (appId, path) bucket.
func (s *Server) limitToken(h tokenHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := tokenParams(r)
		app := &shopcrm.App{AppID: p.Get("appId")}
		if found, err := s.Apps.FindAppByID(r.Context(), app.AppID); err == nil {
			app = found
		}
		release, err := s.take(r.Context(), app, r.URL.Path, s.TokenCapacity)
		if shopcrm.ErrorCode(err) == shopcrm.ERATELIMITED {
			writeGateway(w, errTooFrequent)
			return
		} else if err != nil {
			writeGateway(w, errInternal)
			return
		}
		defer release()
		h(w, r, p)
	}
}

func (s *Server) accessToken(w http.ResponseWriter, r *http.Request, p url.Values) {
	app, ok := s.findApp(w, r, p.Get("appId"))
	if !ok {
		return
	}
	// A secret sent unencoded in a query string arrives with '+' turned into ' '.
	secret := strings.ReplaceAll(p.Get("appSecret"), " ", "+")
	if subtle.ConstantTimeCompare(hashSecret(secret), app.SecretHash) != 1 {
		writeGateway(w, errSecret)
		return
	}
	mu := s.tokenLock(app.AppID)
	mu.Lock()
	defer mu.Unlock()
	s.issue(w, r, app.AppID, nil)
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request, p url.Values) {
	app, ok := s.findApp(w, r, p.Get("appId"))
	if !ok {
		return
	}
	// Check and replace under the app's lock, and replace only while the stored hash is the
	// one presented, so two requests with one refresh token cannot both succeed, in this
	// process or across servers sharing the store.
	mu := s.tokenLock(app.AppID)
	mu.Lock()
	defer mu.Unlock()
	live, err := s.Apps.FindAppToken(r.Context(), app.AppID)
	if err != nil && shopcrm.ErrorCode(err) != shopcrm.ENOTFOUND {
		s.Logger.Error("refresh token", "err", err)
		writeGateway(w, errInternal)
		return
	}
	h := sha256.Sum256([]byte(strings.TrimSpace(p.Get("refreshToken"))))
	if err != nil || len(live.RefreshHash) == 0 || subtle.ConstantTimeCompare(h[:], live.RefreshHash) != 1 {
		writeGateway(w, errRefreshInvalid)
		return
	}
	if !s.Now().Before(live.RefreshExpiresAt) {
		writeGateway(w, errRefreshExpired)
		return
	}
	s.issue(w, r, app.AppID, live.RefreshHash) // the refresh token just used is spent
}

func (s *Server) findApp(w http.ResponseWriter, r *http.Request, appID string) (*shopcrm.App, bool) {
	app, err := s.Apps.FindAppByID(r.Context(), appID)
	if shopcrm.ErrorCode(err) == shopcrm.ENOTFOUND || (err == nil && appID == "") {
		writeGateway(w, errAppNotExist)
		return nil, false
	} else if err != nil {
		s.Logger.Error("find app", "err", err)
		writeGateway(w, errInternal)
		return nil, false
	}
	return app, true
}

func (s *Server) tokenLock(appID string) *sync.Mutex {
	mu, _ := s.tokenLocks.LoadOrStore(appID, new(sync.Mutex))
	return mu.(*sync.Mutex)
}

// issue makes a new token pair for the app, retiring the previous one; with spent, only if
// the stored refresh token is still that one. Only hashes are stored: a copy of the
// database does not give away live tokens.
func (s *Server) issue(w http.ResponseWriter, r *http.Request, appID string, spent []byte) {
	access, refresh := newUUID(), newUUID()
	now := s.Now()
	t := &shopcrm.AppToken{AppID: appID, AccessHash: hashSecret(access), RefreshHash: hashSecret(refresh),
		AccessExpiresAt: now.Add(AccessTokenTTL), RefreshExpiresAt: now.Add(RefreshTokenTTL)}
	var err error
	if spent == nil {
		err = s.Apps.SetAppToken(r.Context(), t)
	} else {
		var ok bool
		if ok, err = s.Apps.ReplaceAppToken(r.Context(), spent, t); err == nil && !ok {
			writeGateway(w, errRefreshInvalid)
			return
		}
	}
	if err != nil {
		s.Logger.Error("issue token", "err", err)
		writeGateway(w, errInternal)
		return
	}
	writeJSON(w, gatewayReply{Code: "200", Msg: "OK", Data: tokenData{access, refresh, int(AccessTokenTTL.Seconds())}})
}

type tokenData struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
}
