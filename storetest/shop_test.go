package storetest_test

import (
	"context"
	"testing"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

func TestShops(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		t.Run("OK", func(t *testing.T) {
			if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 7, Name: "Gadgets DE", Marketplace: "DE"}); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindShopByID(ctx, 7)
			if err != nil {
				t.Fatal(err)
			}
			if got.Currency != "EUR" || got.TimeZone != "Europe/Berlin" || got.Country != "德国" || got.Region != "EU" || got.Status != 1 {
				t.Fatalf("marketplace defaults not applied: %+v", got)
			}
		})
		t.Run("ErrSIDTaken", func(t *testing.T) {
			err := s.CreateShop(ctx, &shopcrm.Shop{SID: 7, Name: "again", Marketplace: "US"})
			if shopcrm.ErrorCode(err) != shopcrm.ECONFLICT {
				t.Fatalf("err = %v, want conflict", err)
			}
		})
		t.Run("ErrUnknownMarketplace", func(t *testing.T) {
			err := s.CreateShop(ctx, &shopcrm.Shop{SID: 8, Name: "x", Marketplace: "ZZ"})
			if f := shopcrm.ErrorFields(err); len(f) != 1 || f[0].Field != "marketplace" {
				t.Fatalf("err = %v, want a marketplace field error", err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := s.FindShopByID(ctx, 999); shopcrm.ErrorCode(err) != shopcrm.ENOTFOUND {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("List", func(t *testing.T) {
			s.CreateShop(ctx, &shopcrm.Shop{SID: 3, Name: "US shop", Marketplace: "US"})
			shops, n, err := s.FindShops(ctx, shopcrm.ShopFilter{})
			if err != nil || n != 2 || shops[0].SID != 3 || shops[1].SID != 7 {
				t.Fatalf("FindShops = %v, %d, %v", shops, n, err)
			}
			shops, n, _ = s.FindShops(ctx, shopcrm.ShopFilter{SIDs: []int64{7}})
			if n != 1 || shops[0].Name != "Gadgets DE" {
				t.Fatalf("filtered = %v", shops)
			}
		})
	})
}

func TestApps(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "a", Marketplace: "US"})
		t.Run("OK", func(t *testing.T) {
			app := &shopcrm.App{AppID: "ak_0123456789abc", Name: "erp", SecretHash: []byte{1, 2, 3}, SIDs: []int64{1}}
			if err := s.CreateApp(ctx, app); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindAppByID(ctx, "ak_0123456789abc")
			if err != nil || got.Name != "erp" || len(got.SIDs) != 1 || got.SIDs[0] != 1 || string(got.SecretHash) != "\x01\x02\x03" {
				t.Fatalf("got %+v, %v", got, err)
			}
		})
		t.Run("ErrUnknownShop", func(t *testing.T) {
			err := s.CreateApp(ctx, &shopcrm.App{AppID: "ak_0123456789abd", Name: "x", SecretHash: []byte{1}, SIDs: []int64{42}})
			if f := shopcrm.ErrorFields(err); len(f) != 1 || f[0].Field != "sids" {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("TokenReplaced", func(t *testing.T) {
			for _, h := range []string{"first", "second"} {
				if err := s.SetAppToken(ctx, &shopcrm.AppToken{AppID: "ak_0123456789abc", AccessHash: []byte(h), RefreshHash: []byte("r" + h)}); err != nil {
					t.Fatal(err)
				}
			}
			tok, err := s.FindAppToken(ctx, "ak_0123456789abc")
			if err != nil || string(tok.AccessHash) != "second" || string(tok.RefreshHash) != "rsecond" {
				t.Fatalf("token = %+v, %v", tok, err)
			}
		})
		t.Run("TokenReplacedOnce", func(t *testing.T) {
			// Two refreshes presenting the same spent refresh hash: the second must fail.
			next := &shopcrm.AppToken{AppID: "ak_0123456789abc", AccessHash: []byte("third"), RefreshHash: []byte("rthird")}
			if ok, err := s.ReplaceAppToken(ctx, []byte("rsecond"), next); !ok || err != nil {
				t.Fatalf("first replace = %v, %v; want true", ok, err)
			}
			late := &shopcrm.AppToken{AppID: "ak_0123456789abc", AccessHash: []byte("fourth"), RefreshHash: []byte("rfourth")}
			if ok, err := s.ReplaceAppToken(ctx, []byte("rsecond"), late); ok || err != nil {
				t.Fatalf("second replace = %v, %v; want false", ok, err)
			}
			tok, err := s.FindAppToken(ctx, "ak_0123456789abc")
			if err != nil || string(tok.AccessHash) != "third" || string(tok.RefreshHash) != "rthird" {
				t.Fatalf("token = %+v, %v", tok, err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := s.FindAppByID(ctx, "ak_nope00000000"); shopcrm.ErrorCode(err) != shopcrm.ENOTFOUND {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

func TestOAuth(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		t.Run("OK", func(t *testing.T) {
			c := &shopcrm.OAuthClient{ClientID: "cid", Name: "pos", SecretHash: []byte("h"), Scopes: []string{"crm:read", "write"}}
			if err := s.CreateOAuthClient(ctx, c); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindOAuthClientByID(ctx, "cid")
			if err != nil || len(got.Scopes) != 2 || got.Scopes[1] != "write" {
				t.Fatalf("got %+v, %v", got, err)
			}
			tok := &shopcrm.OAuthToken{Hash: []byte("tokhash"), ClientID: "cid", Scopes: []string{"read"}, ExpiresAt: s.Now().Add(3600e9)}
			if err := s.CreateOAuthToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
			gt, err := s.FindOAuthToken(ctx, []byte("tokhash"))
			if err != nil || gt.ClientID != "cid" || gt.Scopes[0] != "read" || gt.ExpiresAt.Unix() != tok.ExpiresAt.Unix() {
				t.Fatalf("token %+v, %v", gt, err)
			}
		})
		t.Run("ErrUnknownScope", func(t *testing.T) {
			err := s.CreateOAuthClient(ctx, &shopcrm.OAuthClient{ClientID: "x", SecretHash: []byte("h"), Scopes: []string{"admin"}})
			if f := shopcrm.ErrorFields(err); len(f) != 1 || f[0].Field != "scopes" {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("ErrTokenNotFound", func(t *testing.T) {
			if _, err := s.FindOAuthToken(ctx, []byte("nope")); shopcrm.ErrorCode(err) != shopcrm.ENOTFOUND {
				t.Fatalf("err = %v", err)
			}
		})
	})
}
