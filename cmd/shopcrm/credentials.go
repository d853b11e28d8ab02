package main

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/heidian"
	"github.com/shopcrm/shopcrm/lingxing"
)

func newAppCmd(c *cli) *cobra.Command {
	cmd := &cobra.Command{Use: "app", Short: "Manage open API (Lingxing-compatible) apps"}
	var name, sids string
	var asJSON bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an app; prints its appId and appSecret (the secret is shown only once)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			list, err := parseSIDs(sids)
			if err != nil {
				return err
			}
			s, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			app, secret, err := createApp(cmd.Context(), s, name, list)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd, map[string]any{"appId": app.AppID, "appSecret": secret, "sids": app.SIDs})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "appId:     %s\nappSecret: %s\nsids:      %v (empty = all shops)\n", app.AppID, secret, app.SIDs)
			return nil
		},
	}
	create.Flags().StringVar(&name, "name", "", "app name (required)")
	create.Flags().StringVar(&sids, "sids", "", "comma-separated shops the app may see (default all)")
	create.Flags().BoolVar(&asJSON, "json", false, "print a JSON object")
	create.MarkFlagRequired("name")
	cmd.AddCommand(create)
	return cmd
}

func newClientCmd(c *cli) *cobra.Command {
	cmd := &cobra.Command{Use: "client", Short: "Manage REST API (Heidian-compatible) OAuth clients"}
	var name, scopes string
	var asJSON bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an OAuth client for the client credentials grant; prints client_id and client_secret once",
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			id, secret, hash, err := heidian.NewClientCredentials()
			if err != nil {
				return err
			}
			cl := &shopcrm.OAuthClient{ClientID: id, Name: name, SecretHash: hash, Scopes: splitScopes(scopes)}
			if err := s.CreateOAuthClient(cmd.Context(), cl); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd, map[string]any{"client_id": id, "client_secret": secret, "scopes": cl.Scopes})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "client_id:     %s\nclient_secret: %s\nscopes:        %s\n", id, secret, strings.Join(cl.Scopes, " "))
			return nil
		},
	}
	create.Flags().StringVar(&name, "name", "", "client name (required)")
	create.Flags().StringVar(&scopes, "scopes", "crm:read", "comma-separated scopes: crm:read, crm:write, read, write")
	create.Flags().BoolVar(&asJSON, "json", false, "print a JSON object")
	create.MarkFlagRequired("name")
	cmd.AddCommand(create)
	return cmd
}

func newTokenCmd(c *cli) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage REST API bearer tokens"}
	var scopes string
	var ttl time.Duration
	var asJSON bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a bearer token for the REST API; prints it once",
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			out, err := createToken(cmd, s, splitScopes(scopes), ttl)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd, out)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "access_token: %s\nscope:        %s\nexpires_at:   %s\n", out["access_token"], out["scope"], out["expires_at"])
			return nil
		},
	}
	create.Flags().StringVar(&scopes, "scopes", "crm:read", "comma-separated scopes: crm:read, crm:write, read, write")
	create.Flags().DurationVar(&ttl, "ttl", 365*24*time.Hour, "how long the token is valid")
	create.Flags().BoolVar(&asJSON, "json", false, "print a JSON object")
	cmd.AddCommand(create)
	return cmd
}

// createApp stores a new open-API app and returns it with its plain secret.
func createApp(ctx context.Context, s shopcrm.AppService, name string, sids []int64) (*shopcrm.App, string, error) {
	id, secret, hash, err := lingxing.NewAppCredentials()
	if err != nil {
		return nil, "", err
	}
	app := &shopcrm.App{AppID: id, Name: name, SecretHash: hash, SIDs: sids}
	return app, secret, s.CreateApp(ctx, app)
}

// createToken stores a new bearer token and returns what `token create --json` prints.
func createToken(cmd *cobra.Command, s shopcrm.OAuthService, scopes []string, ttl time.Duration) (map[string]string, error) {
	token, hash, err := heidian.NewToken()
	if err != nil {
		return nil, err
	}
	exp := time.Now().Add(ttl).UTC().Truncate(time.Second)
	if err := s.CreateOAuthToken(cmd.Context(), &shopcrm.OAuthToken{Hash: hash, Scopes: scopes, ExpiresAt: exp}); err != nil {
		return nil, err
	}
	return map[string]string{"access_token": token, "scope": strings.Join(scopes, " "), "expires_at": exp.Format(time.RFC3339)}, nil
}

func splitScopes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

func parseSIDs(s string) ([]int64, error) {
	var out []int64
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		v, err := strconv.ParseInt(part, 10, 64)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("--sids: %q is not a shop id", part)
		}
		out = append(out, v)
	}
	return out, nil
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
