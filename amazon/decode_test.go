package amazon_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"

	"github.com/shopcrm/shopcrm/amazon"
)

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Plain", "a\tb\nc\td\n", "a\tb\nc\td\n"},
		{"Empty", "", ""},
		{"BOM", "\xef\xbb\xbfsku\n", "sku\n"},
		{"OnlyBOM", "\xef\xbb\xbf", ""},
		{"NoFinalNewline", "a\nb", "a\nb"},
		{"CRLFKept", "a\r\nb\r\n", "a\r\nb\r\n"},
		// Line by line: the UTF-8 line stays, the Windows-1252 one is converted.
		{"Mixed", "Dupré\nDupr\xe9 \x80 \x9e\n", "Dupré\nDupré € ž\n"},
		{"Gzip", gz("\xef\xbb\xbfname\nOrl\xe9ans\n"), "name\nOrléans\n"},
		{"GzipEmpty", gz(""), ""},
		{"OneByte", "\x1f", "\x1f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decodeAll(t, iotest.OneByteReader(strings.NewReader(tt.in))); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			r, _ := amazon.Decode(strings.NewReader(tt.in))
			if err := iotest.TestReader(r, []byte(tt.want)); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	if _, err := amazon.Decode(strings.NewReader("\x1f\x8bnot gzip")); err == nil {
		t.Error("bad gzip header: no error")
	}
	full := gz(strings.Repeat("row\n", 1000))
	r, err := amazon.Decode(strings.NewReader(full[:len(full)-10]))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(r); err == nil {
		t.Error("truncated gzip: no error")
	}
}

// Offset ends at the size of the file, plain or gzipped, and never goes back.
func TestOffset(t *testing.T) {
	for _, file := range []string{"shipments.tsv", "shipments.tsv.gz"} {
		t.Run(file, func(t *testing.T) {
			fi, err := os.Stat(filepath.Join("testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			r, err := amazon.NewShipmentReader(open(t, file))
			if err != nil {
				t.Fatal(err)
			}
			last := r.Offset()
			for {
				_, err := r.Next()
				if err == io.EOF {
					break
				}
				if off := r.Offset(); off < last || off > fi.Size() {
					t.Fatalf("offset %d after %d (size %d)", off, last, fi.Size())
				}
				last = r.Offset()
			}
			if r.Offset() != fi.Size() {
				t.Errorf("offset at EOF %d, want %d", r.Offset(), fi.Size())
			}
		})
	}
	r, _ := amazon.NewOrderReader(strings.NewReader(allOrdersHeader + "x\n"))
	if got := r.Offset(); got != int64(len(allOrdersHeader)) {
		t.Errorf("offset after header %d, want %d", got, len(allOrdersHeader))
	}
}

// A row longer than the read buffer is read whole.
func TestLongLine(t *testing.T) {
	name := strings.Repeat("Ä", 300_000)
	in := "order-id\tsku\treturn-date\tquantity\tproduct-name\nO1\tS1\t2024-01-02\t1\t" + name + "\nO2\tS2\t2024-01-02\t1\tshort\n"
	r, err := amazon.NewFBAReturnReader(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, r.Next)
	if len(got) != 2 || got[0].(amazon.FBAReturn).ProductName != name || got[1].(amazon.FBAReturn).Line != 3 {
		t.Errorf("long line not read whole: %d items", len(got))
	}
}

func TestRowError(t *testing.T) {
	tests := []struct {
		err  amazon.RowError
		want string
	}{
		{amazon.RowError{Line: 12, Field: "item-price", Reason: `invalid amount "abc"`}, `line 12: item-price: invalid amount "abc"`},
		{amazon.RowError{Line: 3, Reason: "too long"}, "line 3: too long"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in, want string // want "" means invalid
	}{
		{"2022-07-18T18:52:47+00:00", "2022-07-18T18:52:47Z"},
		{"2022-07-18T18:52:47Z", "2022-07-18T18:52:47Z"},
		{"2020-12-20T23:39:07.915Z", "2020-12-20T23:39:07.915Z"},
		{"2022-07-18T18:52:47-07:00", "2022-07-19T01:52:47Z"},
		{"2022-07-18T18:52:47+0530", "2022-07-18T13:22:47Z"},
		{"2022-07-18T18:52", "2022-07-18T18:52:00Z"},
		{"2021-03-05 09:51:57 UTC", "2021-03-05T09:51:57Z"},
		{"2021-03-05 09:51:57 PST", "2021-03-05T17:51:57Z"},
		{"05.03.2021 09:51:57 UTC", "2021-03-05T09:51:57Z"},
		{"2021-03-05", "2021-03-05T00:00:00Z"},
		{"2021/03/05", "2021-03-05T00:00:00Z"},
		{"05.03.2021", "2021-03-05T00:00:00Z"},
		{"5.3.2021", "2021-03-05T00:00:00Z"},
		{"05-03-2021", "2021-03-05T00:00:00Z"},
		{"10-Jul-2025", "2025-07-10T00:00:00Z"},
		{"1-jul-2025", "2025-07-01T00:00:00Z"},
		{"29-Feb-2024", "2024-02-29T00:00:00Z"},
		{"29-Feb-2025", ""},
		{"31.04.2021", ""},
		{"2021-13-01", ""},
		{"2021-03-05T24:00:00Z", ""},
		{"2021-03-05T10:00:00 CET", ""},
		{"05/03/2021", ""},
		{"10-Jux-2025", ""},
		{"2021-03-05x", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := amazon.ParseTime(tt.in)
		if tt.want == "" {
			if ok {
				t.Errorf("%q: got %v, want invalid", tt.in, got)
			}
			continue
		}
		if !ok || !got.Equal(utc(tt.want)) || got.Location() != time.UTC {
			t.Errorf("%q: got %v %v, want %s", tt.in, got, ok, tt.want)
		}
	}
}

// Seller Central writes Amazon.co.jp files in Shift_JIS (Windows-31J): wrapped in Japanese,
// their lines that are not UTF-8 decode as such; unwrapped, the same bytes are Windows-1252.
func TestDecodeJapanese(t *testing.T) {
	sjis := func(s string) string {
		b, err := japanese.ShiftJIS.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	name := "山田 太郎\tマグカップ①～"
	for _, tt := range []struct {
		name, in, want string
	}{
		{"ShiftJIS", sjis(name) + "\n", name + "\n"},
		{"MixedWithUTF8", "ｻﾝﾌﾟﾙ\n" + sjis(name) + "\n", "ｻﾝﾌﾟﾙ\n" + name + "\n"},
		{"GzipBOM", gz("\xef\xbb\xbfbuyer-name\n" + sjis(name) + "\n"), "buyer-name\n" + name + "\n"},
		{"NotShiftJIS", "a\xffb\n", "a\ufffdb\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := decodeAll(t, amazon.Japanese(strings.NewReader(tt.in))); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if got := decodeAll(t, strings.NewReader(sjis(name)+"\n")); got == name+"\n" || !utf8.ValidString(got) {
		t.Errorf("without Japanese: %q, want Windows-1252 read as such", got)
	}
}

// decodeAll returns all Decode makes of r.
func decodeAll(t *testing.T, r io.Reader) string {
	t.Helper()
	d, err := amazon.Decode(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(got)
}
