package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

const sample = `BenchmarkServerHandshake/RSA/glasstls-2   	100	 300 ns/op	 10 allocs/op
BenchmarkServerHandshake/RSA/cryptotls-2  	100	 200 ns/op	 20 allocs/op
BenchmarkServerHandshake/RSA/glasstls-2   	100	 100 ns/op	 10 allocs/op
BenchmarkServerHandshake/RSA/cryptotls-2  	100	 400 ns/op	 20 allocs/op
BenchmarkServerHandshake/RSA/glasstls-2   	100	 500 ns/op	 10 allocs/op
BenchmarkServerHandshake/RSA/cryptotls-2  	100	 300 ns/op	 20 allocs/op
BenchmarkSeal16K/GCM/raw-2                	100	 10 ns/op	 1000 MB/s
BenchmarkSeal16K/GCM/glasstls-2           	100	 10 ns/op	 800 MB/s
BenchmarkSeal16K/GCM/raw-2                	100	 10 ns/op	 500 MB/s
BenchmarkSeal16K/GCM/glasstls-2           	100	 10 ns/op	 900 MB/s
`

// TestTableSummaries: the median and the best run give different cells
// from the same runs, and the best is the least time but the most MB/s.
func TestTableSummaries(t *testing.T) {
	for _, tt := range []struct {
		name    string
		summary func(string, []float64) float64
		want    []string
	}{
		{"median", median, []string{
			"| ServerHandshake/RSA | ns/op | 300 | 300 (Go's crypto/tls) | 1.00 |",
			"| ServerHandshake/RSA | allocs/op | 10 | 20 (Go's crypto/tls) | 0.50 |",
			"| Seal16K/GCM | MB/s | 850 | 750 (raw AEAD) | 1.13 |",
		}},
		{"best", bestOf, []string{
			"| ServerHandshake/RSA | ns/op | 100 | 200 (Go's crypto/tls) | 0.50 |",
			"| Seal16K/GCM | MB/s | 900 | 1000 (raw AEAD) | 0.90 |",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			printTable(&out, parse([]byte(sample)), tt.summary)
			for _, line := range tt.want {
				assert.Contains(t, out.String(), line)
			}
			assert.NotContains(t, out.String(), "Seal16K/GCM | ns/op", "MB/s says it all")
		})
	}
}
