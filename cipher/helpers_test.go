package cipher

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// detReader is a deterministic byte stream, SHA-256(seed || counter), so
// tests can replay "random" choices.
type detReader struct {
	seed    string
	counter uint64
	buf     []byte
}

func newDetReader(seed string) *detReader { return &detReader{seed: seed} }

func (r *detReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.buf) == 0 {
			var block [sha256.Size]byte
			h := sha256.New()
			h.Write([]byte(r.seed))
			var c [8]byte
			binary.BigEndian.PutUint64(c[:], r.counter)
			h.Write(c[:])
			r.counter++
			r.buf = h.Sum(block[:0])
		}
		k := copy(p[n:], r.buf)
		r.buf = r.buf[k:]
		n += k
	}
	return n, nil
}

// fixedReader returns the same byte pattern forever; it never fails.
type fixedReader struct{ b byte }

func (r fixedReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.b
	}
	return len(p), nil
}

// errReader always fails.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, fmt.Errorf("rand is broken") }

// pattern returns n bytes start, start+1, ...
func pattern(n int, start byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}

// testKeys returns keys of the right lengths for s, distinct per label.
func testKeys(s *Suite, label byte) Keys {
	return Keys{
		MACKey: pattern(s.MACLen, label),
		Key:    pattern(s.KeyLen, label+0x40),
		IV:     pattern(s.FixedIVLen, label+0x80),
	}
}

// protectionCase is one configuration to run record tests over.
type protectionCase struct {
	name  string
	suite *Suite
	etm   bool
}

// allProtectionCases is every suite, and every CBC suite twice (RFC 5246
// MAC-then-encrypt and RFC 7366 encrypt-then-MAC).
func allProtectionCases() []protectionCase {
	var cases []protectionCase
	for _, s := range Suites() {
		cases = append(cases, protectionCase{s.Name, s, false})
		if !s.IsAEAD() {
			cases = append(cases, protectionCase{s.Name + "/EtM", s, true})
		}
	}
	return cases
}

// newTestProtection builds a protection with deterministic keys and IVs.
func newTestProtection(t testing.TB, c protectionCase) Protection {
	t.Helper()
	p, err := c.suite.NewProtection(testKeys(c.suite, 1), c.etm, newDetReader("iv:"+c.name))
	require.NoError(t, err)
	return p
}

// mustSuite fetches a suite by name.
func mustSuite(t testing.TB, name string) *Suite {
	t.Helper()
	s, ok := SuiteByName(name)
	require.True(t, ok, name)
	return s
}
