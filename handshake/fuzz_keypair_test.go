package handshake

import (
	"crypto"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
)

// FuzzX509KeyPair feeds arbitrary PEM to X509KeyPair, the parser behind
// LoadX509KeyPair and the examples' -cert/-key flags: it must never panic,
// and whatever it accepts is a parsed leaf with the private key of that
// leaf's public key.
func FuzzX509KeyPair(f *testing.F) {
	dir := interop.TestdataDir(f)
	read := func(name string) []byte {
		data, err := os.ReadFile(dir + "/" + name)
		require.NoError(f, err)
		return data
	}
	rsaCert, rsaKey := read("server-rsa.pem"), read("server-rsa-key.pem")
	ecdsaCert, ecdsaKey := read("server-ecdsa.pem"), read("server-ecdsa-key.pem")
	f.Add(rsaCert, rsaKey)
	f.Add(ecdsaCert, ecdsaKey)
	f.Add(rsaCert, ecdsaKey)                                          // a key that is not the leaf's
	f.Add(read("server-rsa-pss.pem"), read("server-rsa-pss-key.pem")) // id-RSASSA-PSS (rsapss.go)
	f.Add(read("server-ed25519.pem"), read("server-ed25519-key.pem"))
	f.Add(append(append([]byte{}, ecdsaCert...), read("ca.pem")...), ecdsaKey)
	f.Add(rsaCert[:len(rsaCert)/2], rsaKey[:len(rsaKey)/2])
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"), []byte("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n"))

	f.Fuzz(func(t *testing.T, certPEM, keyPEM []byte) {
		cert, err := X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return
		}
		require.NotNil(t, cert.Leaf)
		require.NotEmpty(t, cert.Certificate)
		assert.Equal(t, cert.Leaf.Raw, cert.Certificate[0])
		signer, ok := cert.PrivateKey.(crypto.Signer)
		require.True(t, ok, "accepted a key that cannot sign: %T", cert.PrivateKey)
		pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
		require.True(t, ok)
		assert.True(t, pub.Equal(cert.Leaf.PublicKey), "accepted a key that is not the leaf's")
	})
}
