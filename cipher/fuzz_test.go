package cipher

import (
	"bytes"
	"testing"
)

// fuzzCases are the protections the fuzz targets attack: one of each
// record format.
func fuzzCases(t testing.TB) []protectionCase {
	return []protectionCase{
		{"GCM", mustSuite(t, "ECDHE-RSA-AES128-GCM-SHA256"), false},
		{"ChaCha20", mustSuite(t, "ECDHE-RSA-CHACHA20-POLY1305"), false},
		{"CBC-SHA1", mustSuite(t, "ECDHE-RSA-AES128-SHA"), false},
		{"CBC-SHA256", mustSuite(t, "ECDHE-ECDSA-AES128-SHA256"), false},
		{"CBC-SHA256-EtM", mustSuite(t, "ECDHE-ECDSA-AES128-SHA256"), true},
	}
}

// FuzzOpen feeds arbitrary fragments to Open for an AEAD and a CBC suite
// (both orders): it must never panic, and must reject anything it did not
// seal with ErrBadRecordMAC. The seeds include genuine records, so a
// mutation of one is a near miss rather than noise.
func FuzzOpen(f *testing.F) {
	for i, c := range fuzzCases(f) {
		p := newTestProtection(f, c)
		for _, size := range []int{0, 1, 16, 100} {
			sealed, err := p.Seal(nil, uint64(i), typeApplicationData, versionTLS12, pattern(size, 0))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(sealed, uint64(i))
			f.Add(sealed[:len(sealed)-1], uint64(i))
		}
	}
	f.Add([]byte{}, uint64(0))
	f.Add(bytes.Repeat([]byte{0xff}, 64), uint64(0))
	f.Fuzz(func(t *testing.T, fragment []byte, seq uint64) {
		for _, c := range fuzzCases(t) {
			p := newTestProtection(t, c)
			frag := bytes.Clone(fragment)
			got, err := p.Open(nil, seq, typeApplicationData, versionTLS12, frag)
			if err == nil {
				// Only a record sealed under this key opens (e.g. an
				// untouched seed); its plaintext is always shorter.
				if len(got) >= len(fragment) {
					t.Fatalf("%s: plaintext %d bytes from a %d-byte fragment", c.name, len(got), len(fragment))
				}
				continue
			}
			if err != ErrBadRecordMAC {
				t.Fatalf("%s: error %v, want ErrBadRecordMAC", c.name, err)
			}
			if got != nil {
				t.Fatalf("%s: failed Open returned data", c.name)
			}
		}
	})
}

// FuzzSealOpen: any plaintext survives a round trip under every format.
func FuzzSealOpen(f *testing.F) {
	f.Add([]byte{}, uint64(0), uint8(23))
	f.Add([]byte("hello"), uint64(1), uint8(22))
	f.Add(pattern(300, 0), uint64(1<<63), uint8(21))
	f.Fuzz(func(t *testing.T, plaintext []byte, seq uint64, contentType uint8) {
		for _, c := range fuzzCases(t) {
			sealed, err := newTestProtection(t, c).Seal(nil, seq, contentType, versionTLS12, plaintext)
			if err != nil {
				t.Fatal(err)
			}
			got, err := newTestProtection(t, c).Open(nil, seq, contentType, versionTLS12, sealed)
			if err != nil || !bytes.Equal(got, plaintext) {
				t.Fatalf("%s: round trip failed: %v", c.name, err)
			}
		}
	})
}
