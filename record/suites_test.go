package record_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

const allocRuns = 100

// protectedSuites are the record protections the record layer must carry:
// both AEAD families and CBC in both MAC orders.
var protectedSuites = []struct {
	name string
	etm  bool
}{
	{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", false},
	{"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", false},
	{"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", false},
	{"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", false},
	{"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", true},
}

func suiteLabel(name string, etm bool) string {
	if etm {
		return name + "+EtM"
	}
	return name
}

// TestProtectedRecords runs a protected exchange for every kind of suite:
// sizes up to the largest record, then tampering, then steady-state
// allocations.
func TestProtectedRecords(t *testing.T) {
	sizes := []int{1, 15, 16, 17, 1000, record.MaxPlaintext - 1, record.MaxPlaintext, record.MaxPlaintext + 1, 50000}
	for _, s := range protectedSuites {
		t.Run(suiteLabel(s.name, s.etm), func(t *testing.T) {
			var wire bytes.Buffer
			w := record.NewConn(nil, &wire)
			w.SetWriteVersion(record.VersionTLS12)
			w.SetWritePending(newProtection(t, s.name, s.etm))
			require.NoError(t, w.ChangeWriteCipherSpec())
			var want []byte
			for _, n := range sizes {
				data := bytes.Repeat([]byte{byte(n)}, n)
				want = append(want, data...)
				_, err := w.WriteRecord(record.TypeApplicationData, data)
				require.NoError(t, err)
			}
			for _, r := range splitRecords(t, wire.Bytes()) {
				assert.LessOrEqual(t, len(r.payload), record.MaxCiphertext)
			}

			r := readerConn(wire.Bytes())
			r.SetReadVersion(record.VersionTLS12)
			typ, _, err := r.ReadMessage()
			require.NoError(t, err)
			require.Equal(t, record.TypeChangeCipherSpec, typ)
			r.SetReadPending(newProtection(t, s.name, s.etm))
			require.NoError(t, r.ChangeReadCipherSpec())
			var got []byte
			for {
				_, msg, err := r.ReadMessage()
				if err != nil {
					assert.Equal(t, io.ErrUnexpectedEOF, err)
					break
				}
				got = append(got, msg...)
			}
			assert.Equal(t, want, got)

			// Tampering anywhere in the fragment is bad_record_mac.
			recs := splitRecords(t, wire.Bytes())
			first := recs[1] // recs[0] is the CCS
			for _, at := range []int{0, len(first.payload) / 2, len(first.payload) - 1} {
				mangled := bytes.Clone(first.payload)
				mangled[at] ^= 0x80
				r := readerConn(tls12(record.TypeApplicationData, mangled))
				r.SetReadPending(newProtection(t, s.name, s.etm))
				require.NoError(t, r.ChangeReadCipherSpec())
				_, _, err := r.ReadMessage()
				ae := alertOf(t, err)
				assert.Equal(t, record.AlertBadRecordMAC, ae.Description, "byte %d flipped", at)
				assert.ErrorIs(t, err, cipher.ErrBadRecordMAC)
			}
		})
	}
}

// TestProtectedSteadyStateAllocs: once a connection is set up, neither
// reading nor writing application data may allocate, whatever the suite.
func TestProtectedSteadyStateAllocs(t *testing.T) {
	data := bytes.Repeat([]byte("y"), 1400)
	for _, s := range protectedSuites {
		t.Run(suiteLabel(s.name, s.etm), func(t *testing.T) {
			var wire bytes.Buffer
			w := record.NewConn(nil, &wire)
			w.SetWritePending(newProtection(t, s.name, s.etm))
			require.NoError(t, w.ChangeWriteCipherSpec())
			for i := 0; i < allocRuns+1; i++ {
				_, err := w.WriteRecord(record.TypeApplicationData, data)
				require.NoError(t, err)
			}
			w = record.NewConn(nil, io.Discard)
			w.SetWritePending(newProtection(t, s.name, s.etm))
			require.NoError(t, w.ChangeWriteCipherSpec())
			assert.Zero(t, testing.AllocsPerRun(allocRuns, func() {
				if _, err := w.WriteRecord(record.TypeApplicationData, data); err != nil {
					t.Fatal(err)
				}
			}), "write")

			r := readerConn(wire.Bytes())
			_, _, err := r.ReadMessage()
			require.NoError(t, err)
			r.SetReadPending(newProtection(t, s.name, s.etm))
			require.NoError(t, r.ChangeReadCipherSpec())
			assert.Zero(t, testing.AllocsPerRun(allocRuns, func() {
				if _, msg, err := r.ReadMessage(); err != nil || len(msg) != len(data) {
					t.Fatal(err, len(msg))
				}
			}), "read")
		})
	}
}
