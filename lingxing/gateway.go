package lingxing

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/lingxing/sign"
)

// gateway checks what every business request must carry, in the order the real gateway
// answers: missing params, app, token, sign, sign age, then the bucket. Only then does the
// handler run, with the app in its context.
func (s *Server) gateway(h businessHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		token, appID, ts, sig := q.Get("access_token"), q.Get("app_key"), q.Get("timestamp"), q.Get("sign")
		if token == "" || appID == "" || ts == "" || sig == "" {
			writeGateway(w, errMissingParam)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.writeError(w, invalid("body", "request body larger than %d bytes (1 MiB)", MaxBodyBytes))
				return
			}
			s.writeError(w, invalid("body", "unreadable request body"))
			return
		}
		ctx := r.Context()
		app, err := s.Apps.FindAppByID(ctx, appID)
		if shopcrm.ErrorCode(err) == shopcrm.ENOTFOUND {
			writeGateway(w, errAppNotExist)
			return
		} else if err != nil {
			s.writeError(w, err)
			return
		}
		if ge, err := s.checkAccess(ctx, appID, token); err != nil {
			s.writeError(w, err)
			return
		} else if ge != nil {
			writeGateway(w, *ge)
			return
		}
		if ok, err := sign.VerifyRequest(appID, sig, q, body); err != nil {
			s.writeError(w, invalid("body", "%v", err))
			return
		} else if !ok {
			writeGateway(w, errSign)
			return
		}
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || s.Now().Sub(time.Unix(sec, 0)).Abs() > SignValidity {
			writeGateway(w, errSignExpired)
			return
		}
		release, err := s.take(ctx, app, r.URL.Path, s.Capacity)
		if shopcrm.ErrorCode(err) == shopcrm.ERATELIMITED {
			writeGateway(w, errTooFrequent)
			return
		} else if err != nil {
			s.writeError(w, err)
			return
		}
		defer release()
		data, total, err := h(withApp(ctx, app), app, body)
		if err != nil {
			s.writeError(w, err)
			return
		}
		s.writeData(w, data, total)
	})
}

// checkAccess compares the token with the app's live one in constant time: a token that is
// not the live one was retired by a newer one (or never issued), hence "not match".
func (s *Server) checkAccess(ctx context.Context, appID, token string) (*gatewayError, error) {
	live, err := s.Apps.FindAppToken(ctx, appID)
	if shopcrm.ErrorCode(err) == shopcrm.ENOTFOUND {
		return &errTokenExpired, nil
	} else if err != nil {
		return nil, err
	}
	h := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(h[:], live.AccessHash) != 1 {
		return &errTokenMismatch, nil
	}
	if !s.Now().Before(live.AccessExpiresAt) {
		return &errTokenExpired, nil
	}
	return nil, nil
}

// capacity is the app's own capacity for the path, or the default.
func (s *Server) capacity(app *shopcrm.App, path string, def int) int {
	if app != nil {
		if c, ok := app.Capacities[path]; ok && c > 0 {
			return c
		}
	}
	return def
}

// take takes a token of the (app, path) bucket. A bucket failure (Redis down) is an internal
// error, not a 3001008: clients retry throttling, and retrying would not help.
func (s *Server) take(ctx context.Context, app *shopcrm.App, path string, def int) (func(), error) {
	if s.Unlimited {
		return func() {}, nil
	}
	release, err := s.Bucket.Take(ctx, app.AppID+" "+path, s.capacity(app, path, def), BucketLease)
	if err != nil && shopcrm.ErrorCode(err) != shopcrm.ERATELIMITED {
		s.Logger.Error("token bucket", "err", err)
		return nil, shopcrm.Errorf(shopcrm.EINTERNAL, "token bucket unavailable")
	}
	return release, err
}

// ScopeSIDs returns the shops a request may see: the requested ones, each of which must exist
// and be allowed to the app, or the app's shops when none are requested (nil = every shop).
// field names the request field in the error ("sid" or "sids").
func (s *Server) ScopeSIDs(ctx context.Context, app *shopcrm.App, field string, requested []int64) ([]int64, error) {
	if len(requested) == 0 {
		return app.SIDs, nil
	}
	shops, _, err := s.Shops.FindShops(ctx, shopcrm.ShopFilter{SIDs: requested})
	if err != nil {
		return nil, err
	}
	known := make(map[int64]bool, len(shops))
	for _, sh := range shops {
		known[sh.SID] = true
	}
	var fe shopcrm.FieldErrors
	for _, sid := range requested {
		if !known[sid] || !app.AllowsShop(sid) {
			fe.Add(field, "shop %d does not exist or is not authorised for this app", sid)
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return requested, nil
}

// parseSIDs reads "1,2,3" (or a JSON number) into shop ids.
func parseSIDs(field, v string) ([]int64, error) {
	var out []int64
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 {
			return nil, invalid(field, "%q is not a shop id", part)
		}
		out = append(out, id)
	}
	return out, nil
}
