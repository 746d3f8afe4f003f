package cipher

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPSKPreMasterSecret: RFC 4279, 2's layout, for plain PSK (N zero
// bytes, then the key) and ECDHE_PSK (RFC 5489, 2: the ECDHE secret).
func TestPSKPreMasterSecret(t *testing.T) {
	got, err := PSKPreMasterSecret(nil, []byte{0xAA, 0xBB, 0xCC})
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 3, 0, 0, 0, 0, 3, 0xAA, 0xBB, 0xCC}, got)
	got, err = PSKPreMasterSecret([]byte{1, 2}, []byte{0xAA})
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 2, 1, 2, 0, 1, 0xAA}, got)
	_, err = PSKPreMasterSecret(nil, nil)
	assert.Error(t, err)
	_, err = PSKPreMasterSecret(nil, make([]byte, MaxPSKLen+1))
	assert.Error(t, err)
}
