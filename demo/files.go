package demo

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/shopcrm/shopcrm/ingest"
)

// The headers Amazon writes (reference/amazon-report-formats.md): the demo files look like
// the real ones, unused columns left empty, so the import path is the one real files take.
var headers = map[ingest.Kind]string{
	ingest.FBAShipments: "amazon-order-id\tmerchant-order-id\tshipment-id\tshipment-item-id\tamazon-order-item-id\tmerchant-order-item-id\tpurchase-date\tpayments-date\tshipment-date\treporting-date\tbuyer-email\tbuyer-name\tbuyer-phone-number\tsku\tproduct-name\tquantity-shipped\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\tship-service-level\trecipient-name\tship-address-1\tship-address-2\tship-address-3\tship-city\tship-state\tship-postal-code\tship-country\tship-phone-number\tbill-address-1\tbill-address-2\tbill-address-3\tbill-city\tbill-state\tbill-postal-code\tbill-country\titem-promotion-discount\tship-promotion-discount\tcarrier\ttracking-number\testimated-arrival-date\tfulfillment-center-id\tfulfillment-channel\tsales-channel",
	ingest.AllOrders:    "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsales-channel\torder-channel\tship-service-level\tproduct-name\tsku\tasin\titem-status\tquantity\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\titem-promotion-discount\tship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\tpromotion-ids\tcpf\tis-business-order\tpurchase-order-number\tprice-designation\tsignature-confirmation-recommended",
	ingest.FBAReturns:   "return-date\torder-id\tsku\tasin\tfnsku\tproduct-name\tquantity\tfulfillment-center-id\tdetailed-disposition\treason\tstatus\tlicense-plate-number\tcustomer-comments",
	ingest.MFNReturns:   "Order ID\tOrder date\tReturn request date\tReturn request status\tAmazon RMA ID\tMerchant RMA ID\tLabel type\tLabel cost\tCurrency code\tReturn carrier\tTracking ID\tLabel to be paid by\tA-to-Z Claim\tIs prime\tASIN\tMerchant SKU\tItem Name\tReturn quantity\tReturn Reason\tIn policy\tReturn type\tResolution\tInvoice number\tReturn delivery date\tOrder Amount\tOrder quantity\tSafeT Action reason\tSafeT claim id\tSafeT claim state\tSafeT claim creation time\tSafeT claim reimbursement amount\tRefunded Amount",
	ingest.Settlement:   "settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\tcurrency\ttransaction-type\torder-id\tmerchant-order-id\tadjustment-id\tshipment-id\tmarketplace-name\tamount-type\tamount-description\tamount\tfulfillment-id\tposted-date\tposted-date-time\torder-item-code\tmerchant-order-item-id\tmerchant-adjustment-item-id\tsku\tquantity-purchased\tpromotion-id",
	ingest.Feedback:     "Date\tRating\tComments\tResponse\tOrder ID\tRater Email",
}

// tsv writes one report: values are set by column name, then the row is written.
type tsv struct {
	f    *os.File
	w    *bufio.Writer
	idx  map[string]int
	vals []string
}

func newTSV(path string, kind ingest.Kind) (*tsv, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	cols := strings.Split(headers[kind], "\t")
	t := &tsv{f: f, w: bufio.NewWriterSize(f, 64<<10), idx: make(map[string]int, len(cols)), vals: make([]string, len(cols))}
	for i, c := range cols {
		t.idx[c] = i
	}
	t.w.WriteString(headers[kind])
	t.w.WriteByte('\n')
	return t, nil
}

func (t *tsv) set(col, v string) {
	i, ok := t.idx[col]
	if !ok {
		panic("demo: no column " + col)
	}
	t.vals[i] = v
}

func (t *tsv) end() {
	for i, v := range t.vals {
		if i > 0 {
			t.w.WriteByte('\t')
		}
		t.w.WriteString(v)
		t.vals[i] = ""
	}
	t.w.WriteByte('\n')
}

func (t *tsv) close() error {
	if t.f == nil {
		return nil
	}
	if err := t.w.Flush(); err != nil {
		t.f.Close()
		return err
	}
	return t.f.Close()
}

// shopFiles are the files of one shop in one chunk, opened when first written.
type shopFiles struct {
	dir   string
	sid   int64
	tsvs  map[ingest.Kind]*tsv
	json  *os.File
	jw    *bufio.Writer
	jenc  *json.Encoder
	paths map[ingest.Kind]string
	err   error // the first write error, reported by close
}

func newShopFiles(dir string, sid int64) *shopFiles {
	return &shopFiles{dir: dir, sid: sid, tsvs: map[ingest.Kind]*tsv{}, paths: map[ingest.Kind]string{}}
}

func (s *shopFiles) path(kind ingest.Kind) string {
	ext := ".txt"
	if kind == ingest.OrdersNDJSON {
		ext = ".ndjson"
	}
	return filepath.Join(s.dir, fmt.Sprintf("%d-%s%s", s.sid, kind, ext))
}

// report returns the writer of a report, creating the file on first use.
func (s *shopFiles) report(kind ingest.Kind) *tsv {
	if t := s.tsvs[kind]; t != nil {
		return t
	}
	t, err := newTSV(s.path(kind), kind)
	if err != nil {
		// Remember the error for close and write the rows nowhere, so the generator needs
		// no error check per row.
		s.err = err
		t = &tsv{w: bufio.NewWriter(io.Discard), idx: map[string]int{}, vals: make([]string, 64)}
		for i, c := range strings.Split(headers[kind], "\t") {
			t.idx[c] = i
		}
	}
	s.tsvs[kind], s.paths[kind] = t, s.path(kind)
	return t
}

// ndjson writes one orders-ndjson line.
func (s *shopFiles) ndjson(v any) {
	if s.jenc == nil {
		f, err := os.Create(s.path(ingest.OrdersNDJSON))
		s.jw = bufio.NewWriter(io.Discard)
		if err != nil {
			s.err = err
		} else {
			s.json, s.jw = f, bufio.NewWriterSize(f, 64<<10)
		}
		s.jenc = json.NewEncoder(s.jw)
		s.jenc.SetEscapeHTML(false)
		s.paths[ingest.OrdersNDJSON] = s.path(ingest.OrdersNDJSON)
	}
	if err := s.jenc.Encode(v); err != nil && s.err == nil {
		s.err = err
	}
}

func (s *shopFiles) close() error {
	first := s.err
	for _, t := range s.tsvs {
		if err := t.close(); err != nil && first == nil {
			first = err
		}
	}
	if s.jw != nil {
		if err := s.jw.Flush(); err != nil && first == nil {
			first = err
		}
		if s.json != nil {
			if err := s.json.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}
