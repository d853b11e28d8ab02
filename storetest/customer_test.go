package storetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// clock is a controllable Now for the store under test.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func useClock(s *sqlstore.Store) *clock {
	c := &clock{time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)}
	s.Now = c.now
	return c
}
func ptr[T any](v T) *T { return &v }
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if shopcrm.ErrorCode(err) != code {
		t.Fatalf("err = %v, want code %s", err, code)
	}
}

// wantFields checks the field names of an error, in order.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	var got []string
	for _, f := range shopcrm.ErrorFields(err) {
		got = append(got, f.Field)
	}
	if diff := cmp.Diff(fields, got); diff != "" {
		t.Fatalf("fields of %v (-want +got):\n%s", err, diff)
	}
}

func mustCustomer(t *testing.T, s *sqlstore.Store, c *shopcrm.Customer) *shopcrm.Customer {
	t.Helper()
	if err := s.CreateCustomer(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCustomerCreate(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clk := useClock(s)
		t.Run("OK", func(t *testing.T) {
			c := &shopcrm.Customer{Email: "Ann@Example.com", FullName: "Ann", Mobile: "13000000000", Gender: "female",
				Birthday: "1990-01-02", Note: "vip", AcceptsMarketing: true, Tags: []string{"a", "b"},
				Addresses:  []shopcrm.Address{{FullName: "Ann", City: "Shanghai", IsDefault: true}},
				Metafields: []shopcrm.Metafield{{Namespace: "ns", Key: "k", Value: []byte(`{"x":1}`)}},
				Level:      ptr("gold"), ReferralCode: "ANN1", Points: 5, TotalPoints: 9, MultipassIdentifier: ptr("mp")}
			mustCustomer(t, s, c)
			got, err := s.FindCustomerByID(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := *c
			want.Profile.SourceName = "unknown"
			want.CreatedAt, want.UpdatedAt = clk.t, clk.t
			want.Segments = []shopcrm.SegmentRef{}
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Fatalf("read back (-want +got):\n%s", diff)
			}
		})
		t.Run("Defaults", func(t *testing.T) {
			c := mustCustomer(t, s, &shopcrm.Customer{})
			got, _ := s.FindCustomerByID(ctx, c.ID)
			if got.Gender != "unknown" || got.Tags == nil || got.Addresses == nil || got.Metafields == nil ||
				got.Profile.SourceName != "unknown" || got.ReferrerID != nil || got.Level != nil {
				t.Fatalf("defaults: %+v", got)
			}
		})
		t.Run("EmptyEmailsAndCodesDoNotConflict", func(t *testing.T) {
			mustCustomer(t, s, &shopcrm.Customer{FullName: "no mail 1"})
			mustCustomer(t, s, &shopcrm.Customer{FullName: "no mail 2"})
		})
		t.Run("ErrEmailTaken", func(t *testing.T) {
			err := s.CreateCustomer(ctx, &shopcrm.Customer{Email: "ann@EXAMPLE.com"})
			wantCode(t, err, shopcrm.ECONFLICT)
			wantFields(t, err, "email")
		})
		t.Run("ErrReferralCodeTaken", func(t *testing.T) {
			err := s.CreateCustomer(ctx, &shopcrm.Customer{Email: "other@example.com", ReferralCode: "ANN1"})
			wantCode(t, err, shopcrm.ECONFLICT)
			wantFields(t, err, "referral_code")
			if msg := shopcrm.ErrorFields(err)[0].Message; msg != "customer with this referral code already exists." {
				t.Fatalf("message %q", msg)
			}
		})
		t.Run("ErrBothTaken", func(t *testing.T) {
			err := s.CreateCustomer(ctx, &shopcrm.Customer{Email: "ann@example.com", ReferralCode: "ANN1"})
			wantFields(t, err, "email", "referral_code")
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			err := s.CreateCustomer(ctx, &shopcrm.Customer{Email: "nope", Gender: "x", Birthday: "1990-13-01"})
			wantCode(t, err, shopcrm.EINVALID)
			wantFields(t, err, "email", "gender", "birthday")
		})
		t.Run("ErrUnknownReferrer", func(t *testing.T) {
			err := s.CreateCustomer(ctx, &shopcrm.Customer{ReferrerID: ptr(int64(9999))})
			wantCode(t, err, shopcrm.EINVALID)
			wantFields(t, err, "referrer")
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := s.FindCustomerByID(ctx, 9999)
			wantCode(t, err, shopcrm.ENOTFOUND)
		})
	})
}

func TestCustomerUpdate(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clk := useClock(s)
		a := mustCustomer(t, s, &shopcrm.Customer{Email: "a@example.com", FullName: "A", Note: "keep", ReferralCode: "A1"})
		b := mustCustomer(t, s, &shopcrm.Customer{Email: "b@example.com", FullName: "B"})
		t.Run("PatchOK", func(t *testing.T) {
			clk.advance(time.Minute)
			got, err := s.UpdateCustomer(ctx, a.ID, shopcrm.CustomerUpdate{FullName: ptr("Alice"), Tags: &[]string{"t"},
				ReferrerID: ptr(&b.ID)})
			if err != nil {
				t.Fatal(err)
			}
			if got.FullName != "Alice" || got.Note != "keep" || got.Email != "a@example.com" || len(got.Tags) != 1 ||
				*got.ReferrerID != b.ID || !got.UpdatedAt.Equal(clk.t) || !got.CreatedAt.Equal(a.CreatedAt) {
				t.Fatalf("patched: %+v", got)
			}
			if rb, _ := s.FindCustomerByID(ctx, b.ID); rb.Statistics.CustomersReferred != 1 {
				t.Fatalf("customers_referred = %d", rb.Statistics.CustomersReferred)
			}
		})
		t.Run("PatchClearsReferrer", func(t *testing.T) {
			var none *int64
			got, err := s.UpdateCustomer(ctx, a.ID, shopcrm.CustomerUpdate{ReferrerID: &none})
			if err != nil || got.ReferrerID != nil {
				t.Fatalf("got %+v, %v", got, err)
			}
		})
		t.Run("ErrEmailTaken", func(t *testing.T) {
			_, err := s.UpdateCustomer(ctx, b.ID, shopcrm.CustomerUpdate{Email: ptr("A@example.com")})
			wantCode(t, err, shopcrm.ECONFLICT)
			wantFields(t, err, "email")
		})
		t.Run("KeepOwnEmailAndCode", func(t *testing.T) {
			if _, err := s.UpdateCustomer(ctx, a.ID, shopcrm.CustomerUpdate{Email: ptr("A@example.com"), ReferralCode: ptr("A1")}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("ErrSelfReferrer", func(t *testing.T) {
			_, err := s.UpdateCustomer(ctx, a.ID, shopcrm.CustomerUpdate{ReferrerID: ptr(&a.ID)})
			wantFields(t, err, "referrer")
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			_, err := s.UpdateCustomer(ctx, a.ID, shopcrm.CustomerUpdate{Gender: ptr("robot")})
			wantFields(t, err, "gender")
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := s.UpdateCustomer(ctx, 9999, shopcrm.CustomerUpdate{Note: ptr("x")})
			wantCode(t, err, shopcrm.ENOTFOUND)
			wantCode(t, s.ReplaceCustomer(ctx, &shopcrm.Customer{ID: 9999}), shopcrm.ENOTFOUND)
		})
		t.Run("ReplaceOK", func(t *testing.T) {
			c := &shopcrm.Customer{ID: b.ID, Email: "b2@example.com", Gender: "male"}
			if err := s.ReplaceCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			if c.FullName != "" || c.Email != "b2@example.com" || !c.CreatedAt.Equal(b.CreatedAt) || c.Segments == nil {
				t.Fatalf("replaced: %+v", c)
			}
		})
		t.Run("ErrReplaceReferralCodeTaken", func(t *testing.T) {
			err := s.ReplaceCustomer(ctx, &shopcrm.Customer{ID: b.ID, ReferralCode: "A1"})
			wantFields(t, err, "referral_code")
		})
	})
}
