package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrkConnections is the load the REST issue names for single-customer reads.
const wrkConnections = 64

// Wrk drives GET requests over the paths in turn with wrk, the C load generator, from its
// own process: the Go client shares the two cores with the server and caps throughput below
// what the server serves. ok is false when wrk is not installed.
func Wrk(ctx context.Context, base, token string, paths []string, d time.Duration) (r Result, ok bool, err error) {
	bin, err := exec.LookPath("wrk")
	if err != nil {
		return r, false, nil
	}
	script, err := os.CreateTemp("", "shopcrm-wrk-*.lua")
	if err != nil {
		return r, true, err
	}
	defer os.Remove(script.Name())
	// The paths come as one long string: a table constructor of 200 000 strings is over
	// LuaJIT's limit of constants per function.
	fmt.Fprintf(script, `local paths = {}
for p in string.gmatch([[%s]], "[^\n]+") do paths[#paths + 1] = p end
local n = 0
wrk.headers["Authorization"] = "Bearer %s"
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
`, strings.Join(paths, "\n"), token)
	script.Close()
	secs := max(1, int(d.Seconds()))
	out, err := exec.CommandContext(ctx, bin, "-t2", fmt.Sprintf("-c%d", wrkConnections), fmt.Sprintf("-d%ds", secs),
		"--latency", "-s", script.Name(), base).CombinedOutput()
	if err != nil {
		return r, true, fmt.Errorf("wrk: %v: %s", err, out)
	}
	r, err = parseWrk(string(out))
	r.Shape, r.Concurrency = "GET customer by id (wrk)", wrkConnections
	return r, true, err
}

var (
	wrkPercentile = regexp.MustCompile(`(?m)^[ \t]+(50|90|99)%[ \t]+(\S+)`)
	wrkMax        = regexp.MustCompile(`(?m)^[ \t]+Latency[ \t]+\S+[ \t]+\S+[ \t]+(\S+)`)
	wrkRequests   = regexp.MustCompile(`(?m)^\s+(\d+) requests in`)
	wrkRate       = regexp.MustCompile(`(?m)^Requests/sec:\s+(\S+)`)
	wrkErrors     = regexp.MustCompile(`(?m)^\s+Non-2xx or 3xx responses: (\d+)`)
)

// parseWrk reads the summary wrk prints with --latency.
func parseWrk(out string) (Result, error) {
	var r Result
	for _, m := range wrkPercentile.FindAllStringSubmatch(out, -1) {
		d, err := wrkDuration(m[2])
		if err != nil {
			return r, err
		}
		switch m[1] {
		case "50":
			r.P50 = d
		case "90":
			r.P90 = d
		case "99":
			r.P99 = d
		}
	}
	if m := wrkMax.FindStringSubmatch(out); m != nil {
		r.Max, _ = wrkDuration(m[1])
	}
	if m := wrkRequests.FindStringSubmatch(out); m != nil {
		r.Requests, _ = strconv.Atoi(m[1])
	}
	if m := wrkRate.FindStringSubmatch(out); m != nil {
		r.Throughput, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := wrkErrors.FindStringSubmatch(out); m != nil {
		r.Errors, _ = strconv.Atoi(m[1])
		r.FirstError = "non-2xx responses"
	}
	if r.Requests == 0 || r.P50 == 0 {
		return r, fmt.Errorf("wrk printed no summary: %s", out)
	}
	return r, nil
}

// wrkDuration reads wrk's units (us, ms, s, m).
func wrkDuration(s string) (time.Duration, error) {
	if strings.HasSuffix(s, "us") {
		s = strings.TrimSuffix(s, "us") + "µs"
	}
	return time.ParseDuration(s)
}
