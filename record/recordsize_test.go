package record

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordSizes splits a stream of plaintext records into their lengths.
func recordSizes(t *testing.T, wire []byte) []int {
	var sizes []int
	for len(wire) > 0 {
		require.GreaterOrEqual(t, len(wire), RecordHeaderLen)
		n := int(wire[3])<<8 | int(wire[4])
		sizes = append(sizes, n)
		wire = wire[RecordHeaderLen+n:]
	}
	return sizes
}

func TestDynamicRecordSizing(t *testing.T) {
	perSegment := tcpMSSEstimate - RecordHeaderLen // NullProtection adds nothing
	tests := []struct {
		name    string
		dynamic bool
		typ     ContentType
		want    []int
	}{
		{"off", false, TypeApplicationData, []int{MaxPlaintext, 20000 - MaxPlaintext}},
		{"on", true, TypeApplicationData, []int{perSegment, 2 * perSegment, 3 * perSegment, 4 * perSegment, 5 * perSegment, 20000 - 15*perSegment}},
		{"handshake messages unaffected", true, TypeHandshake, []int{MaxPlaintext, 20000 - MaxPlaintext}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var wire bytes.Buffer
			c := NewConn(nil, &wire)
			c.SetDynamicRecordSizing(tt.dynamic)
			n, err := c.WriteRecord(tt.typ, make([]byte, 20000))
			require.NoError(t, err)
			require.Equal(t, 20000, n)
			assert.Equal(t, tt.want, recordSizes(t, wire.Bytes()))
		})
	}
}

// After recordSizeBoostThreshold bytes every record is full size again.
func TestDynamicRecordSizingBoost(t *testing.T) {
	var wire bytes.Buffer
	c := NewConn(nil, &wire)
	c.SetDynamicRecordSizing(true)
	_, err := c.WriteRecord(TypeApplicationData, make([]byte, recordSizeBoostThreshold))
	require.NoError(t, err)
	wire.Reset()
	_, err = c.WriteRecord(TypeApplicationData, make([]byte, 2*MaxPlaintext))
	require.NoError(t, err)
	assert.Equal(t, []int{MaxPlaintext, MaxPlaintext}, recordSizes(t, wire.Bytes()))
}
