package prf

import (
	"crypto"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The exporter's seed layout (RFC 5705, 4), checked with OpenSSL's
// TLS1-PRF as the oracle: randoms, then the context behind a 2-byte length,
// and no length at all without a context.
func TestExportKeyingMaterialAgainstOpenSSL(t *testing.T) {
	masterSecret := []byte(strings.Repeat("m", MasterSecretLen))
	clientRandom := []byte(strings.Repeat("c", RandomLen))
	serverRandom := []byte(strings.Repeat("s", RandomLen))
	randoms := append(append([]byte{}, clientRandom...), serverRandom...)
	tests := []struct {
		name    string
		hash    crypto.Hash
		context []byte
		seed    []byte // what the PRF must see after the label
		length  int
	}{
		{"no context", crypto.SHA256, nil, randoms, 32},
		{"empty context", crypto.SHA256, []byte{}, append(append([]byte{}, randoms...), 0, 0), 32},
		{"context", crypto.SHA256, []byte("ctx"), append(append([]byte{}, randoms...), 0, 3, 'c', 't', 'x'), 20},
		{"SHA-384, long output", crypto.SHA384, []byte("ctx"), append(append([]byte{}, randoms...), 0, 3, 'c', 't', 'x'), 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExportKeyingMaterial(tt.hash, masterSecret, clientRandom, serverRandom, "EXPERIMENTAL test", tt.context, tt.length)
			require.NoError(t, err)
			assert.Equal(t, openSSLPRF(t, tt.hash, masterSecret, "EXPERIMENTAL test", tt.seed, tt.length), got)
		})
	}
}

func TestExportKeyingMaterialRefuses(t *testing.T) {
	secret := make([]byte, MasterSecretLen)
	random := make([]byte, RandomLen)
	for _, label := range []string{LabelMasterSecret, LabelExtendedMasterSecret, LabelKeyExpansion, LabelClientFinished, LabelServerFinished} {
		_, err := ExportKeyingMaterial(crypto.SHA256, secret, random, random, label, nil, 16)
		assert.ErrorIs(t, err, ErrReservedLabel, label)
	}
	_, err := ExportKeyingMaterial(crypto.SHA256, secret, random, random, "x", make([]byte, 1<<16), 16)
	assert.ErrorIs(t, err, ErrContextTooLong)
	out, err := ExportKeyingMaterial(crypto.SHA256, secret, random, random, "x", make([]byte, 1<<16-1), 16)
	assert.NoError(t, err, "the longest context that fits")
	assert.Len(t, out, 16)
	_, err = ExportKeyingMaterial(crypto.SHA256, secret, random, random, "x", nil, -1)
	assert.ErrorIs(t, err, ErrBadLength)
	out, err = ExportKeyingMaterial(crypto.SHA256, secret, random, random, "x", nil, 0)
	assert.NoError(t, err)
	assert.Empty(t, out)
}
