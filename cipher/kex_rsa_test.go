package cipher

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	return key
}

// opaqueDecrypter hides the *rsa.PrivateKey type, the way an HSM-backed
// crypto.Decrypter would, to exercise the generic path.
type opaqueDecrypter struct{ key *rsa.PrivateKey }

func (o opaqueDecrypter) Public() crypto.PublicKey { return o.key.Public() }
func (o opaqueDecrypter) Decrypt(r io.Reader, msg []byte, opts crypto.DecrypterOpts) ([]byte, error) {
	return o.key.Decrypt(r, msg, opts)
}

// expectedFallback is what DecryptRSAPreMasterSecret returns on failure
// when rand is newDetReader(seed): client_version || R, R being rand's
// first 46 bytes (RFC 5246, 7.4.7.1 step 1).
func expectedFallback(t *testing.T, seed string, clientVersion uint16) []byte {
	t.Helper()
	r := make([]byte, 46)
	_, err := io.ReadFull(newDetReader(seed), r)
	require.NoError(t, err)
	return append([]byte{byte(clientVersion >> 8), byte(clientVersion)}, r...)
}

func TestNewRSAPreMasterSecret(t *testing.T) {
	pms, err := NewRSAPreMasterSecret(newDetReader("pms"), 0x0303)
	require.NoError(t, err)
	assert.Equal(t, expectedFallback(t, "pms", 0x0303), pms, "version || 46 bytes from rand")
	assert.Len(t, pms, PreMasterSecretLen)

	_, err = NewRSAPreMasterSecret(errReader{}, 0x0303)
	assert.Error(t, err)
	_, err = NewRSAPreMasterSecret(bytes.NewReader(make([]byte, 45)), 0x0303)
	assert.Error(t, err, "short rand")
}

func TestRSAKeyExchange(t *testing.T) {
	key := testRSAKey(t)
	pms, err := NewRSAPreMasterSecret(newDetReader("client"), 0x0303)
	require.NoError(t, err)
	encrypted, err := EncryptRSAPreMasterSecret(rand.Reader, &key.PublicKey, pms)
	require.NoError(t, err)
	assert.Len(t, encrypted, key.Size())

	// RSA padding from crypto/rsa, for crafting bad messages.
	encryptRaw := func(m []byte) []byte {
		c, err := rsa.EncryptPKCS1v15(rand.Reader, &key.PublicKey, m)
		require.NoError(t, err)
		return c
	}
	// A ciphertext whose plaintext is not PKCS#1 v1.5 formatted: raw RSA
	// of a value starting 0x00 0x01 (signature padding) instead of 0x00 0x02.
	badPadding := func() []byte {
		em := make([]byte, key.Size())
		em[1] = 0x01
		copy(em[2:], bytes.Repeat([]byte{0xff}, key.Size()-3-48))
		copy(em[key.Size()-48:], pms)
		m := new(big.Int).SetBytes(em)
		c := new(big.Int).Exp(m, big.NewInt(int64(key.E)), key.N)
		return c.FillBytes(make([]byte, key.Size()))
	}()
	wrongVersion := bytes.Clone(pms)
	wrongVersion[1] = 0x02 // client sent TLS 1.1 inside, but offered 1.2

	decrypters := map[string]crypto.Decrypter{"*rsa.PrivateKey": key, "opaque Decrypter": opaqueDecrypter{key}}
	for dname, priv := range decrypters {
		t.Run(dname, func(t *testing.T) {
			got, err := DecryptRSAPreMasterSecret(newDetReader("server"), priv, encrypted, 0x0303)
			require.NoError(t, err)
			assert.Equal(t, pms, got, "round trip")

			failures := []struct {
				name       string
				ciphertext []byte
			}{
				{"wrong version", encryptRaw(wrongVersion)},
				{"bad padding", badPadding},
				{"47-byte message", encryptRaw(pms[:47])},
				{"49-byte message", encryptRaw(append(bytes.Clone(pms), 0))},
				{"empty message", encryptRaw(nil)},
				{"short ciphertext", encrypted[:len(encrypted)-1]},
				{"long ciphertext", append(bytes.Clone(encrypted), 0)},
				{"empty ciphertext", nil},
				{"ciphertext above the modulus", bytes.Repeat([]byte{0xff}, key.Size())},
			}
			want := expectedFallback(t, "server", 0x0303)
			for _, f := range failures {
				got, err := DecryptRSAPreMasterSecret(newDetReader("server"), priv, f.ciphertext, 0x0303)
				require.NoError(t, err, "%s: failure must not be reported (Bleichenbacher)", f.name)
				assert.Len(t, got, PreMasterSecretLen, f.name)
				assert.NotEqual(t, pms, got, f.name)
				assert.Equal(t, want, got, "%s: deterministic rand gives the fallback", f.name)
			}

			// A fresh rand gives a fresh fallback.
			other, err := DecryptRSAPreMasterSecret(newDetReader("other"), priv, badPadding, 0x0303)
			require.NoError(t, err)
			assert.NotEqual(t, want, other)
		})
	}

	// The offered version, not the negotiated one, is checked.
	pms10, err := NewRSAPreMasterSecret(newDetReader("c"), 0x0301)
	require.NoError(t, err)
	enc10, err := EncryptRSAPreMasterSecret(rand.Reader, &key.PublicKey, pms10)
	require.NoError(t, err)
	got, err := DecryptRSAPreMasterSecret(newDetReader("s"), key, enc10, 0x0301)
	require.NoError(t, err)
	assert.Equal(t, pms10, got)
	got, err = DecryptRSAPreMasterSecret(newDetReader("s"), key, enc10, 0x0303)
	require.NoError(t, err)
	assert.Equal(t, expectedFallback(t, "s", 0x0303), got, "version rollback detected")
}

func TestRSAKeyExchangeErrors(t *testing.T) {
	key := testRSAKey(t)
	_, err := EncryptRSAPreMasterSecret(rand.Reader, &key.PublicKey, make([]byte, 47))
	assert.Error(t, err)

	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	_, err = DecryptRSAPreMasterSecret(newDetReader(""), notRSA{ecKey}, make([]byte, 256), 0x0303)
	assert.Error(t, err, "a non-RSA key is a programming error")

	_, err = DecryptRSAPreMasterSecret(errReader{}, key, make([]byte, 256), 0x0303)
	assert.Error(t, err, "no randomness, no safe fallback")
}

// notRSA is a Decrypter whose public key is ECDSA.
type notRSA struct{ key *ecdsa.PrivateKey }

func (n notRSA) Public() crypto.PublicKey { return n.key.Public() }
func (notRSA) Decrypt(io.Reader, []byte, crypto.DecrypterOpts) ([]byte, error) {
	panic("must not be called")
}
