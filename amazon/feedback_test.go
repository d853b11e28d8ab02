package amazon_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm/amazon"
)

func TestFeedbackReader(t *testing.T) {
	tests := []struct {
		file, marketplace string
		want              []any
	}{
		{"feedback-us.tsv", "US", []any{
			amazon.Feedback{Line: 2, Date: utc("2022-07-18T00:00:00Z"), Rating: 1, Comments: "Arrived broken.",
				OrderID: "113-8871452-8288246", RaterEmail: "abc@marketplace.amazon.com"},
			amazon.Feedback{Line: 3, Date: utc("2022-07-04T00:00:00Z"), Rating: 3, Comments: `"OK" I guess`,
				Response: "Sorry to hear that!", OrderID: "113-0000000-0000001", RaterEmail: "def@marketplace.amazon.com"},
			rowErr(4, "date", `invalid date "13/01/22"`),
			rowErr(5, "rating", `invalid rating "7"`),
			amazon.Feedback{Line: 6, Date: utc("2022-01-05T00:00:00Z"), Rating: 2, Comments: "ISO date",
				OrderID: "D01-0000000-0000004"},
			rowErr(7, "order-id", "empty"),
			rowErr(8, "order-id", `not an Amazon order id: "Yes"`),
		}},
		// German header, seven columns (the seventh is ignored), Windows-1252.
		{"feedback-de.tsv", "de", []any{
			amazon.Feedback{Line: 2, Date: utc("2022-07-18T00:00:00Z"), Rating: 2, Comments: "Zu spät geliefert.",
				OrderID: "302-1111111-2222222", RaterEmail: "q@marketplace.amazon.de"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := amazon.NewFeedbackReader(open(t, tt.file), tt.marketplace)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, readAll(t, r.Next)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

// Each marketplace writes its own short date.
func TestFeedbackDates(t *testing.T) {
	tests := []struct {
		marketplace, date, want string // want "" means a RowError
	}{
		{"US", "03/05/21", "2021-03-05"},
		{"US", "3/5/2021", "2021-03-05"},
		{"UK", "05/03/21", "2021-03-05"},
		{"GB", "05/03/21", "2021-03-05"},
		{"FR", "31/12/99", "1999-12-31"},
		{"CA", "05/03/21", "2021-03-05"},
		{"DE", "05.03.21", "2021-03-05"},
		{"DE", "05.03.2021", "2021-03-05"},
		{"JP", "21/03/05", "2021-03-05"},
		{"SE", "2021-03-05", "2021-03-05"},
		{"IN", "2021-03-05T10:00:00+05:30", "2021-03-05"},
		{"US", "13/05/21", ""},
		{"UK", "05.03.21", ""},
		{"DE", "29.02.21", ""},
		{"JP", "21/3/5/1", ""},
		{"US", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.marketplace+" "+tt.date, func(t *testing.T) {
			r, err := amazon.NewFeedbackReader(strings.NewReader("a\tb\tc\td\te\tf\n"+tt.date+"\t3\t\t\t111-0000000-0000001\n"), tt.marketplace)
			if err != nil {
				t.Fatal(err)
			}
			f, err := r.Next()
			if tt.want == "" {
				if err == nil {
					t.Fatalf("read %v, want a RowError", f.Date)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Date.Format("2006-01-02"); got != tt.want {
				t.Errorf("date %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFeedbackReaderHeader(t *testing.T) {
	tests := []struct {
		name, header, marketplace, wantErr string
	}{
		{"OK", "Date\tRating\tComments\tResponse\tOrder ID\tRater Email", "US", ""},
		{"ErrFiveColumns", "Date\tRating\tComments\tOrder ID\tRater Email", "US", "5 columns"},
		{"ErrMarketplace", "Date\tRating\tComments\tResponse\tOrder ID\tRater Email", "XX", "XX"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := amazon.NewFeedbackReader(strings.NewReader(tt.header+"\n"), tt.marketplace)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatal(err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// Seller Central's Feedback Manager download has more columns than the report, the order id
// among them further right: read by its English names; in another language by position,
// where its rows fail the order-id check instead of storing a rating under "Yes".
func TestFeedbackManagerDownload(t *testing.T) {
	row := "07/18/22\t2\tLate.\tNo\tYes\tYes\t113-8871452-8288246\tabc@marketplace.amazon.com\tBuyer\tSorry!\n"
	tests := []struct {
		name, header string
		want         []any
	}{
		{"English", "Date\tRating\tComments\tArrived on Time\tItem as Described\tCustomer Service\tOrder ID\tRater Email\tRater Role\tYour Response\n",
			[]any{amazon.Feedback{Line: 2, Date: utc("2022-07-18T00:00:00Z"), Rating: 2, Comments: "Late.",
				Response: "Sorry!", OrderID: "113-8871452-8288246", RaterEmail: "abc@marketplace.amazon.com"}}},
		{"German", "Datum\tBewertung\tKommentare\tPünktlich\tWie beschrieben\tKundenservice\tBestellnummer\tE-Mail\tRolle\tIhre Antwort\n",
			[]any{rowErr(2, "order-id", `not an Amazon order id: "Yes"`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := amazon.NewFeedbackReader(strings.NewReader(tt.header+row), "US")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, readAll(t, r.Next)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}
