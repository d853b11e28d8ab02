package heidian

import (
	"bytes"
	"testing"
)

func TestBodyCacheBounds(t *testing.T) {
	var c bodyCache
	body := bytes.Repeat([]byte("x"), 100)
	for id := range int64(100) {
		c.put("v1", id, body, 1600)
		if c.size > 1600 || c.size != 100*len(c.bodies) {
			t.Fatalf("after %d puts: size %d over %d entries", id+1, c.size, len(c.bodies))
		}
		if c.get("v1", id) == nil {
			t.Fatalf("entry %d not kept", id)
		}
	}
	if len(c.bodies) != 16 {
		t.Fatalf("%d entries kept, want 16", len(c.bodies))
	}
	c.put("v1", 99, body[:50], 1600) // a replaced entry gives its room back
	if c.size != 15*100+50 {
		t.Fatalf("size %d after replacing an entry", c.size)
	}
	if c.get("v2", 99) != nil {
		t.Fatal("entry served under another version")
	}
	c.put("v2", 1, body, 1600)
	if len(c.bodies) != 1 || c.get("v1", 99) != nil {
		t.Fatalf("entries of the old version kept: %d", len(c.bodies))
	}
	c.put("v2", 2, make([]byte, 101), 1600) // over a sixteenth of the limit
	if c.get("v2", 2) != nil {
		t.Fatal("oversized body kept")
	}
}
