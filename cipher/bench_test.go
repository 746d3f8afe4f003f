package cipher

import (
	"crypto/rand"
	"testing"
)

// benchCases are one suite per bulk cipher, plus the CBC variants whose
// cost differs (SHA-256 MAC, encrypt-then-MAC).
func benchCases(b *testing.B) []protectionCase {
	return []protectionCase{
		{"AES-128-GCM", mustSuite(b, "ECDHE-RSA-AES128-GCM-SHA256"), false},
		{"AES-256-GCM", mustSuite(b, "ECDHE-RSA-AES256-GCM-SHA384"), false},
		{"ChaCha20-Poly1305", mustSuite(b, "ECDHE-RSA-CHACHA20-POLY1305"), false},
		{"AES-128-CBC-SHA1", mustSuite(b, "ECDHE-RSA-AES128-SHA"), false},
		{"AES-256-CBC-SHA1", mustSuite(b, "ECDHE-RSA-AES256-SHA"), false},
		{"AES-128-CBC-SHA256", mustSuite(b, "ECDHE-RSA-AES128-SHA256"), false},
		{"AES-128-CBC-SHA1-EtM", mustSuite(b, "ECDHE-RSA-AES128-SHA"), true},
	}
}

const benchRecordSize = 16 << 10

func BenchmarkSeal(b *testing.B) {
	for _, c := range benchCases(b) {
		b.Run(c.name, func(b *testing.B) {
			p, err := c.suite.NewProtection(testKeys(c.suite, 1), c.etm, rand.Reader)
			if err != nil {
				b.Fatal(err)
			}
			plaintext := make([]byte, benchRecordSize)
			out := make([]byte, 0, benchRecordSize+p.MaxOverhead())
			b.SetBytes(benchRecordSize)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := p.Seal(out, uint64(i), typeApplicationData, versionTLS12, plaintext); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOpen(b *testing.B) {
	for _, c := range benchCases(b) {
		b.Run(c.name, func(b *testing.B) {
			sealer, opener := newTestProtection(b, c), newTestProtection(b, c)
			sealed, err := sealer.Seal(nil, 0, typeApplicationData, versionTLS12, make([]byte, benchRecordSize))
			if err != nil {
				b.Fatal(err)
			}
			work := make([]byte, len(sealed))
			b.SetBytes(benchRecordSize)
			b.ReportAllocs()
			for b.Loop() {
				copy(work, sealed) // Open decrypts in place
				if _, err := opener.Open(work[:0], 0, typeApplicationData, versionTLS12, work); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
