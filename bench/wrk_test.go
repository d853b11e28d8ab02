package bench

import (
	"testing"
	"time"
)

func TestParseWrk(t *testing.T) {
	out := `Running 10s test @ http://127.0.0.1:8080
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.21ms    1.52ms  30.11ms   85.12%
    Req/Sec    10.12k     1.01k   12.00k    70.00%
  Latency Distribution
     50%  812.00us
     75%    3.80ms
     90%    4.90ms
     99%    1.20s
  201234 requests in 10.00s, 150.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:  20120.12
Transfer/sec:     15.00MB
`
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	want := Result{Requests: 201234, Errors: 3, FirstError: "non-2xx responses", P50: 812 * time.Microsecond,
		P90: 4900 * time.Microsecond, P99: 1200 * time.Millisecond, Max: 30110 * time.Microsecond, Throughput: 20120.12}
	if r != want {
		t.Fatalf("got %+v\nwant %+v", r, want)
	}
	if _, err := parseWrk("unable to connect to 127.0.0.1:8080 Connection refused"); err == nil {
		t.Fatal("no error for output without a summary")
	}
}
