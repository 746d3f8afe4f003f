package certgen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func addTestdataSeeds(f *testing.F, suffix string) {
	for _, base := range TestPKIFiles() {
		data, err := os.ReadFile(filepath.Join(testdataDir, base+suffix))
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte{})
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
}

// FuzzParseCertPEM checks that arbitrary input gives a certificate or an
// error, never a panic, and that a result re-encodes to the same DER.
func FuzzParseCertPEM(f *testing.F) {
	addTestdataSeeds(f, ".pem")
	f.Fuzz(func(t *testing.T, data []byte) {
		cert, err := ParseCertPEM(data)
		if err != nil {
			assert.Nil(t, cert)
			return
		}
		again, err := ParseCertPEM(EncodeCertPEM(cert))
		require.NoError(t, err)
		assert.Equal(t, cert.Raw, again.Raw)
	})
}

// FuzzParseKeyPEM checks that arbitrary input gives a signer or an error,
// never a panic, and that a parsed key survives re-encoding.
func FuzzParseKeyPEM(f *testing.F) {
	addTestdataSeeds(f, "-key.pem")
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := ParseKeyPEM(data)
		if err != nil {
			assert.Nil(t, key)
			return
		}
		enc, err := EncodeKeyPEM(key)
		require.NoError(t, err)
		again, err := ParseKeyPEM(enc)
		require.NoError(t, err)
		assert.True(t, publicKeysEqual(key.Public(), again.Public()))
	})
}
