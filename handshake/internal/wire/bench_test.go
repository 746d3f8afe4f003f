package wire

import (
	"os"
	"path/filepath"
	"testing"
)

// The OpenSSL ClientHello: 20 signature schemes, TLS 1.3 extensions that
// are read as opaque bytes, GREASE-free. Parse runs on every handshake;
// Describe only for a trace.

func BenchmarkParseClientHello(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "openssl_client_hello.bin"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDescribeClientHello(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "openssl_client_hello.bin"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Describe(data, 0)
	}
}
