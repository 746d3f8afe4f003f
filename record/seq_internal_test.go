package record

import (
	"bytes"
	"errors"
	"io"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSequenceNumbersNeverWrap: RFC 5246, 6.1 forbids wrapping; both halves
// stop instead. Reaching 2^64 records for real is impossible in a test, so
// the counters are set directly.
func TestSequenceNumbersNeverWrap(t *testing.T) {
	var wire bytes.Buffer
	c := NewConn(nil, &wire)
	c.out.seq = math.MaxUint64 - 1
	_, err := c.WriteRecord(TypeApplicationData, []byte("last"))
	require.NoError(t, err)
	_, err = c.WriteRecord(TypeApplicationData, []byte("one too many"))
	var ae *AlertError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, AlertInternalError, ae.Description)
	n, again := c.WriteRecord(TypeApplicationData, []byte("x"))
	assert.Same(t, err, again)
	assert.Zero(t, n)

	// Two records went out, the second one not.
	r := NewConn(bytes.NewReader(append(bytes.Clone(wire.Bytes()), wire.Bytes()...)), io.Discard)
	r.in.seq = math.MaxUint64 - 1
	_, msg, err := r.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, []byte("last"), msg)
	_, _, err = r.ReadMessage()
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, AlertInternalError, ae.Description)
}

// TestReassemblyBufferStaysBounded: however the peer splits messages, the
// reassembly buffer never holds more than one maximal message and one
// record.
func TestReassemblyBufferStaysBounded(t *testing.T) {
	body := bytes.Repeat([]byte{1}, MaxHandshakeMessage)
	msg := append([]byte{11, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}, body...)
	stream := bytes.Repeat(msg, 3)
	var wire []byte
	// Records of an awkward size so message ends fall mid-record.
	for len(stream) > 0 {
		n := min(len(stream), MaxPlaintext-3)
		wire = append(wire, byte(TypeHandshake), 3, 3, byte(n>>8), byte(n))
		wire = append(wire, stream[:n]...)
		stream = stream[n:]
	}
	c := NewConn(bytes.NewReader(wire), io.Discard)
	for i := 0; i < 3; i++ {
		_, got, err := c.ReadMessage()
		require.NoError(t, err)
		assert.Equal(t, msg, got)
		bound := handshakeHeaderLen + MaxHandshakeMessage + MaxPlaintext
		assert.LessOrEqual(t, len(c.in.hs), bound)
		// append may round capacity up, but never runs away.
		assert.LessOrEqual(t, cap(c.in.hs), 2*bound)
	}
}
