// Package client is a Go client of the Lingxing-compatible open API: it fetches and refreshes
// tokens, signs requests and decodes the business envelope. shopcrm's own tests and
// benchmarks use it, so the server is exercised the way a client sees it.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/shopcrm/shopcrm/lingxing/sign"
)

// Client talks to one server as one app.
type Client struct {
	BaseURL, AppID, AppSecret string
	HTTP                      *http.Client
	Now                       func() time.Time

	// Variants of real clients, for testing a server's tolerance.
	IncludeEmpty       bool // sign with empty values included ("k=")
	DoubleEncodeSign   bool // URL-encode the sign twice
	CommonParamsInBody bool // repeat access_token, app_key, timestamp in the JSON body

	mu                 sync.Mutex
	access, refreshTok string
}

// New returns a client; the token is fetched on first use.
func New(baseURL, appID, appSecret string) *Client {
	return &Client{BaseURL: baseURL, AppID: appID, AppSecret: appSecret, HTTP: http.DefaultClient, Now: time.Now}
}

// Envelope is a business reply, or a gateway reply (Code a string, Msg set).
type Envelope struct {
	Code         json.RawMessage `json:"code"`
	Message      string          `json:"message"`
	Msg          string          `json:"msg"`
	ErrorDetails []string        `json:"error_details"`
	RequestID    string          `json:"request_id"`
	ResponseTime string          `json:"response_time"`
	Data         json.RawMessage `json:"data"`
	Total        int             `json:"total"`
}

// CodeText returns the code as text: "0" for success, "2001006" for a gateway error.
func (e *Envelope) CodeText() string {
	var s string
	if json.Unmarshal(e.Code, &s) == nil {
		return s
	}
	return string(e.Code)
}

// Error is a reply whose code is not success.
type Error struct{ Envelope *Envelope }

func (e *Error) Error() string {
	return fmt.Sprintf("open api: code %s: %s%s %v", e.Envelope.CodeText(), e.Envelope.Message, e.Envelope.Msg, e.Envelope.ErrorDetails)
}

// Do sends a signed business request; body (may be nil) is sent as JSON and signed. A reply
// whose code is not 0 is an *Error; otherwise its data is decoded into out (when not nil).
// A token that expired (2001003) is renewed, with the refresh token when it still works,
// and the request sent once more.
func (c *Client) Do(ctx context.Context, method, path string, body any, out any) (*Envelope, error) {
	env, err := c.Raw(ctx, method, path, body)
	if err != nil {
		return nil, err
	}
	if env.CodeText() == "2001003" {
		if err := c.renew(ctx); err != nil {
			return env, err
		}
		if env, err = c.Raw(ctx, method, path, body); err != nil {
			return nil, err
		}
	}
	if env.CodeText() != "0" {
		return env, &Error{Envelope: env}
	}
	if out != nil {
		return env, json.Unmarshal(env.Data, out)
	}
	return env, nil
}

// Raw sends a signed business request and returns the envelope whatever its code.
func (c *Client) Raw(ctx context.Context, method, path string, body any) (*Envelope, error) {
	req, err := c.NewRequest(ctx, method, path, body)
	if err != nil {
		return nil, err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var env Envelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return nil, fmt.Errorf("open api %s: HTTP %d: %w", path, resp.StatusCode, err)
	}
	return &env, nil
}

// NewRequest builds a signed business request, fetching a token first when there is none.
// body (may be nil) is marshalled to a JSON object: the body of a POST, the query of a GET.
func (c *Client) NewRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	if a, _ := c.Tokens(); a == "" {
		if err := c.Token(ctx); err != nil {
			return nil, err
		}
	}
	access, _ := c.Tokens()
	ts := strconv.FormatInt(c.Now().Unix(), 10)
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	q := url.Values{}
	if method == http.MethodGet && raw != nil {
		// GET business params travel in the query, signed like the rest.
		p, err := sign.FromRequest(nil, raw)
		if err != nil {
			return nil, err
		}
		for k, v := range p {
			q.Set(k, v)
		}
		raw = nil
	}
	q.Set("access_token", access)
	q.Set("app_key", c.AppID)
	q.Set("timestamp", ts)
	params, err := sign.FromRequest(q, raw)
	if err != nil {
		return nil, err
	}
	sig, err := sign.Sign(c.AppID, sign.Canonical(params, !c.IncludeEmpty))
	if err != nil {
		return nil, err
	}
	if c.CommonParamsInBody && raw != nil {
		// As the PHP SDK: the common params repeated in the body, the timestamp a number.
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return nil, err
		}
		m["access_token"], m["app_key"], m["timestamp"] = access, c.AppID, json.Number(ts)
		raw, _ = json.Marshal(m)
	}
	if c.DoubleEncodeSign {
		sig = url.QueryEscape(sig)
	}
	q.Set("sign", sig)
	var rd io.Reader
	if raw != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path+"?"+q.Encode(), rd)
	if err != nil {
		return nil, err
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}
