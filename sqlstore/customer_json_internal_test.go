package sqlstore

import (
	"fmt"
	"testing"

	"github.com/shopcrm/shopcrm"
)

// TestSegmentDecoding: a remembered segment list is handed out as a copy, and a page's id
// list comes back sorted, or as an error naming what is not an id.
func TestSegmentDecoding(t *testing.T) {
	const src = `[{"id":2,"title":"Repeat buyers"},{"id":5,"title":"VIP"}]`
	var a, b []shopcrm.SegmentRef
	if err := decodeSegments(src, &a); err != nil {
		t.Fatal(err)
	}
	a[0].Title = "changed"
	if err := decodeSegments(src, &b); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(b); got != "[{2 Repeat buyers} {5 VIP}]" {
		t.Fatalf("second decode %s: the first one's change leaked into the memo", got)
	}
	var ids []shopcrm.SegmentRef
	if err := parseSegmentIDs("7,3,12", &ids); err != nil || fmt.Sprint(ids) != "[{3 } {7 } {12 }]" {
		t.Fatalf("ids %v, %v", ids, err)
	}
	if err := parseSegmentIDs("3,x", &ids); err == nil {
		t.Fatal("3,x parsed")
	}
	var p shopcrm.CustomerProfile
	for i := range memoLimit + 2 {
		if err := profileMemo.decode(fmt.Sprintf(`{"source_name":"s%d"}`, i), &p); err != nil {
			t.Fatal(err)
		}
	}
	if p.SourceName != fmt.Sprintf("s%d", memoLimit+1) || len(profileMemo.values) > memoLimit {
		t.Fatalf("profile %+v, %d kept", p, len(profileMemo.values))
	}
}
