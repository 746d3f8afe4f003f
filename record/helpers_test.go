package record_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// rawRecord builds one unprotected record by hand, independently of the
// code under test, so that tests check the wire format and not just that
// both halves agree with each other.
func rawRecord(typ record.ContentType, version uint16, payload []byte) []byte {
	out := []byte{byte(typ), byte(version >> 8), byte(version), byte(len(payload) >> 8), byte(len(payload))}
	return append(out, payload...)
}

// tls12 builds an unprotected TLS 1.2 record.
func tls12(typ record.ContentType, payload []byte) []byte {
	return rawRecord(typ, record.VersionTLS12, payload)
}

// handshakeMessage builds msg_type + uint24 length + body (RFC 5246, 7.4).
func handshakeMessage(msgType byte, body []byte) []byte {
	n := len(body)
	return append([]byte{msgType, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

func concat(parts ...[]byte) []byte {
	return bytes.Join(parts, nil)
}

// repeat returns n copies of b concatenated.
func repeat(b []byte, n int) []byte {
	return bytes.Repeat(b, n)
}

// readerConn is a Conn whose transport delivers exactly b and then EOF.
func readerConn(b []byte) *record.Conn {
	return record.NewConn(bytes.NewReader(b), io.Discard)
}

// testSuite is an AEAD suite (RFC 5288): a real Protection, so MAC failures
// and sequence numbers actually matter.
const testSuite = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"

// newGCM returns a fresh AES-128-GCM protection with fixed keys; two calls
// give the two ends of one direction.
func newGCM(t testing.TB) cipher.Protection {
	t.Helper()
	return newProtection(t, testSuite, false)
}

// newProtection returns a protection for the named suite with fixed keys of
// the sizes the suite wants.
func newProtection(t testing.TB, suiteName string, encryptThenMAC bool) cipher.Protection {
	t.Helper()
	suite, ok := cipher.SuiteByName(suiteName)
	require.True(t, ok, "suite %s must exist", suiteName)
	keys := cipher.Keys{
		MACKey: bytes.Repeat([]byte{0x17}, suite.MACLen),
		Key:    bytes.Repeat([]byte{0x42}, suite.KeyLen),
		IV:     bytes.Repeat([]byte{0x99}, suite.FixedIVLen),
	}
	p, err := suite.NewProtection(keys, encryptThenMAC, constReader(7))
	require.NoError(t, err)
	return p
}

// constReader is an endless, allocation-free source of one byte value: CBC
// explicit IVs in tests need not be random.
type constReader byte

func (r constReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// alertOf extracts the *AlertError from err, failing the test if there is
// none.
func alertOf(t testing.TB, err error) *record.AlertError {
	t.Helper()
	var ae *record.AlertError
	require.True(t, errors.As(err, &ae), "want *AlertError, got %T: %v", err, err)
	return ae
}

// readAll calls ReadMessage until it fails and returns what it got.
func readAll(c *record.Conn) (types []record.ContentType, msgs [][]byte, err error) {
	for {
		typ, msg, err := c.ReadMessage()
		if err != nil {
			return types, msgs, err
		}
		types = append(types, typ)
		msgs = append(msgs, append([]byte(nil), msg...))
	}
}

// countingWriter records each Write call separately.
type countingWriter struct {
	writes [][]byte
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, append([]byte(nil), p...))
	return len(p), nil
}

func (w *countingWriter) all() []byte {
	return bytes.Join(w.writes, nil)
}

// splitRecords parses a stream of records into their headers' fields and
// payloads, failing on anything malformed.
type wireRecord struct {
	typ     record.ContentType
	version uint16
	payload []byte
}

func splitRecords(t testing.TB, b []byte) []wireRecord {
	t.Helper()
	var out []wireRecord
	for len(b) > 0 {
		require.GreaterOrEqual(t, len(b), record.RecordHeaderLen)
		n := int(b[3])<<8 | int(b[4])
		require.GreaterOrEqual(t, len(b), record.RecordHeaderLen+n)
		out = append(out, wireRecord{
			typ:     record.ContentType(b[0]),
			version: uint16(b[1])<<8 | uint16(b[2]),
			payload: b[record.RecordHeaderLen : record.RecordHeaderLen+n],
		})
		b = b[record.RecordHeaderLen+n:]
	}
	return out
}
