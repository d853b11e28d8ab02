package heidian_test

import (
	"io"
	"net/http"
	"testing"
)

// BenchmarkGetCustomer times GET /api/crm/customer/{id}/ over real HTTP with keep-alive
// connections: token check, customer with statistics, segments, JSON. Req/s = 1e9 / ns/op.
func BenchmarkGetCustomer(b *testing.B) {
	e := newEnv(b)
	for _, body := range []string{`{"full_name":"a","email":"a@example.com","tags":["x"]}`, `{"referrer":1}`} {
		if status, _, _ := e.do("POST", "/api/crm/customer/", "rw", body); status != 201 {
			b.Fatal(status)
		}
	}
	e.do("POST", "/api/crm/segment/", "rw", `{"title":"s"}`)
	e.do("POST", "/api/crm/segment/1/segment_customer/", "rw", `[{"customer_id":1}]`)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	url, auth := e.srv.URL+"/api/crm/customer/1/", "Bearer "+e.tokens["ro"]
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Authorization", auth)
			res, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Fatal(res.StatusCode)
			}
		}
	})
}
