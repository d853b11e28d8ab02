package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

type tokenReply struct {
	Code string `json:"code"`
	Msg  string `json:"msg"`
	Data *struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int    `json:"expires_in"`
	} `json:"data"`
}

// Token fetches a new token pair (retiring the app's previous one).
func (c *Client) Token(ctx context.Context) error {
	return c.tokenCall(ctx, "/api/auth-server/oauth/access-token", url.Values{"appId": {c.AppID}, "appSecret": {c.AppSecret}})
}

// Refresh renews the token pair with the refresh token.
func (c *Client) Refresh(ctx context.Context) error {
	c.mu.Lock()
	rt := c.refreshTok
	c.mu.Unlock()
	return c.tokenCall(ctx, "/api/auth-server/oauth/refresh", url.Values{"appId": {c.AppID}, "refreshToken": {rt}})
}

// renew refreshes the token pair, or fetches a new one when the refresh token is spent or
// expired (or there is none).
func (c *Client) renew(ctx context.Context) error {
	if _, rt := c.Tokens(); rt != "" {
		if err := c.Refresh(ctx); err == nil {
			return nil
		}
	}
	return c.Token(ctx)
}

// Tokens returns the current access and refresh tokens.
func (c *Client) Tokens() (access, refresh string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.access, c.refreshTok
}

// SetAccessToken replaces the access token (tests use a stale one).
func (c *Client) SetAccessToken(t string) {
	c.mu.Lock()
	c.access = t
	c.mu.Unlock()
}

func (c *Client) tokenCall(ctx context.Context, path string, q url.Values) error {
	// The query-string form the official SDKs use.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+path+"?"+q.Encode(), nil)
	if err != nil {
		return err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var tr tokenReply
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil {
		return err
	}
	if tr.Code != "200" || tr.Data == nil {
		code, _ := json.Marshal(tr.Code)
		return &Error{Envelope: &Envelope{Code: code, Msg: tr.Msg}}
	}
	c.mu.Lock()
	c.access, c.refreshTok = tr.Data.AccessToken, tr.Data.RefreshToken
	c.mu.Unlock()
	return nil
}
