package handshake

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testKeys are made once per test binary: RSA key generation is slow
// under -race.
type testKeys struct {
	rsa, rsa2, rsa1024 *rsa.PrivateKey
	p256, p256b        *ecdsa.PrivateKey
	p384, p521         *ecdsa.PrivateKey
}

var getTestKeys = sync.OnceValues(func() (*testKeys, error) {
	var k testKeys
	var err error
	if k.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, err
	}
	if k.rsa2, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, err
	}
	if k.rsa1024, err = rsa.GenerateKey(rand.Reader, 1024); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		key   **ecdsa.PrivateKey
		curve elliptic.Curve
	}{{&k.p256, elliptic.P256()}, {&k.p256b, elliptic.P256()}, {&k.p384, elliptic.P384()}, {&k.p521, elliptic.P521()}} {
		if *c.key, err = ecdsa.GenerateKey(c.curve, rand.Reader); err != nil {
			return nil, err
		}
	}
	return &k, nil
})

func keys(t *testing.T) *testKeys {
	t.Helper()
	k, err := getTestKeys()
	require.NoError(t, err)
	return k
}

// opaqueSigner hides the concrete key type, like a hardware key would.
type opaqueSigner struct{ signer crypto.Signer }

func (s opaqueSigner) Public() crypto.PublicKey { return s.signer.Public() }
func (s opaqueSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return s.signer.Sign(r, digest, opts)
}

func TestSignVerifyRoundTrip(t *testing.T) {
	k := keys(t)
	data := []byte("client_random + server_random + ServerECDHParams")
	tests := []struct {
		scheme SignatureScheme
		key    crypto.Signer
		// other is a key of the same kind that did not sign.
		other crypto.Signer
	}{
		{PKCS1WithSHA256, k.rsa, k.rsa2},
		{PKCS1WithSHA384, k.rsa, k.rsa2},
		{PKCS1WithSHA512, k.rsa, k.rsa2},
		{PKCS1WithSHA1, k.rsa, k.rsa2},
		{PSSWithSHA256, k.rsa, k.rsa2},
		{PSSWithSHA384, k.rsa, k.rsa2},
		{PSSWithSHA512, k.rsa, k.rsa2},
		{PSSWithSHA256, opaqueSigner{k.rsa}, k.rsa2},
		{ECDSAWithP256AndSHA256, k.p256, k.p256b},
		{ECDSAWithP256AndSHA256, opaqueSigner{k.p256}, k.p256b},
		{ECDSAWithP384AndSHA384, k.p384, k.p256},
		{ECDSAWithP521AndSHA512, k.p521, k.p256},
		{ECDSAWithSHA1, k.p256, k.p256b},
		{ECDSAWithSHA1, k.p384, k.p256b},
		// TLS 1.2 pairs no hash with a curve (RFC 5246, 7.4.1.4.1).
		{ECDSAWithP384AndSHA384, k.p256, k.p256b},
		{ECDSAWithP256AndSHA256, k.p384, k.p256},
		{ECDSAWithP521AndSHA512, k.p256, k.p256b},
		{Ed25519, ed25519.NewKeyFromSeed(make([]byte, 32)), ed25519.NewKeyFromSeed(append([]byte{1}, make([]byte, 31)...))},
		{Ed25519, opaqueSigner{ed25519.NewKeyFromSeed(make([]byte, 32))}, ed25519.NewKeyFromSeed(append([]byte{1}, make([]byte, 31)...))},
	}
	for _, tt := range tests {
		t.Run(tt.scheme.String(), func(t *testing.T) {
			sig, err := signHandshake(rand.Reader, tt.key, tt.scheme, data)
			require.NoError(t, err)
			pub := tt.key.Public()
			assert.NoError(t, verifyHandshake(pub, tt.scheme, data, sig))

			tampered := append([]byte(nil), data...)
			tampered[0] ^= 1
			assert.ErrorIs(t, verifyHandshake(pub, tt.scheme, tampered, sig), errBadSignature, "other data")

			badSig := append([]byte(nil), sig...)
			badSig[len(badSig)/2] ^= 1
			assert.ErrorIs(t, verifyHandshake(pub, tt.scheme, data, badSig), errBadSignature, "flipped bit")

			assert.Error(t, verifyHandshake(tt.other.Public(), tt.scheme, data, sig), "other key")
			assert.ErrorIs(t, verifyHandshake(pub, tt.scheme, data, nil), errBadSignature, "empty signature")
		})
	}
}

// TestSignaturesMatchTheStandard checks our signatures with the standard
// library's verifiers directly, with the parameters the RFCs fix: PSS salt
// as long as the hash, ECDSA in ASN.1 DER.
func TestSignaturesMatchTheStandard(t *testing.T) {
	k := keys(t)
	data := []byte("transcript")
	for _, tt := range []struct {
		scheme SignatureScheme
		hash   crypto.Hash
	}{{PSSWithSHA256, crypto.SHA256}, {PSSWithSHA384, crypto.SHA384}, {PSSWithSHA512, crypto.SHA512}} {
		sig, err := signHandshake(rand.Reader, k.rsa, tt.scheme, data)
		require.NoError(t, err)
		digest := hashData(tt.hash, data)
		assert.NoError(t, rsa.VerifyPSS(&k.rsa.PublicKey, tt.hash, digest, sig, &rsa.PSSOptions{SaltLength: tt.hash.Size()}), tt.scheme.String())
	}
	sig, err := signHandshake(rand.Reader, k.rsa, PKCS1WithSHA384, data)
	require.NoError(t, err)
	assert.NoError(t, rsa.VerifyPKCS1v15(&k.rsa.PublicKey, crypto.SHA384, hashData(crypto.SHA384, data), sig))

	sig, err = signHandshake(rand.Reader, k.p384, ECDSAWithP384AndSHA384, data)
	require.NoError(t, err)
	assert.True(t, ecdsa.VerifyASN1(&k.p384.PublicKey, hashData(crypto.SHA384, data), sig))

	// A PSS signature with a different salt length is refused (RFC 8446,
	// 4.2.3), even though it is a valid PSS signature.
	digest := hashData(crypto.SHA256, data)
	shortSalt, err := rsa.SignPSS(rand.Reader, k.rsa, crypto.SHA256, digest, &rsa.PSSOptions{SaltLength: 8})
	require.NoError(t, err)
	require.NoError(t, rsa.VerifyPSS(&k.rsa.PublicKey, crypto.SHA256, digest, shortSalt, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}), "control")
	assert.ErrorIs(t, verifyHandshake(&k.rsa.PublicKey, PSSWithSHA256, data, shortSalt), errBadSignature)
}

func TestSignatureSchemeMismatch(t *testing.T) {
	k := keys(t)
	data := []byte("data")
	pkcs1Sig, err := signHandshake(rand.Reader, k.rsa, PKCS1WithSHA256, data)
	require.NoError(t, err)
	p256Sig, err := signHandshake(rand.Reader, k.p256, ECDSAWithP256AndSHA256, data)
	require.NoError(t, err)

	signTests := []struct {
		name    string
		key     crypto.Signer
		scheme  SignatureScheme
		wantErr error
	}{
		{"RSA key, ECDSA scheme", k.rsa, ECDSAWithP256AndSHA256, errSchemeKeyMismatch},
		{"P-256 key, RSA scheme", k.p256, PKCS1WithSHA256, errSchemeKeyMismatch},
		{"P-256 key, PSS scheme", k.p256, PSSWithSHA256, errSchemeKeyMismatch},
		{"RSA-1024 key, PSS-SHA512", k.rsa1024, PSSWithSHA512, errSchemeKeyMismatch},
		{"unknown scheme", k.rsa, SignatureScheme(0x0101), errUnsupportedScheme},
		{"RSA key, Ed25519 scheme", k.rsa, Ed25519, errSchemeKeyMismatch},
		{"P-256 key, Ed25519 scheme", k.p256, Ed25519, errSchemeKeyMismatch},
		{"Ed25519 key, RSA scheme", ed25519.NewKeyFromSeed(make([]byte, 32)), PKCS1WithSHA256, errSchemeKeyMismatch},
		{"Ed25519 key, ECDSA scheme", ed25519.NewKeyFromSeed(make([]byte, 32)), ECDSAWithP256AndSHA256, errSchemeKeyMismatch},
	}
	for _, tt := range signTests {
		t.Run("sign/"+tt.name, func(t *testing.T) {
			sig, err := signHandshake(rand.Reader, tt.key, tt.scheme, data)
			assert.ErrorIs(t, err, tt.wantErr)
			assert.Nil(t, sig)
		})
	}

	verifyTests := []struct {
		name    string
		pub     crypto.PublicKey
		scheme  SignatureScheme
		sig     []byte
		wantErr error
	}{
		{"PKCS1 signature checked as PSS", &k.rsa.PublicKey, PSSWithSHA256, pkcs1Sig, errBadSignature},
		{"PKCS1 signature checked with other hash", &k.rsa.PublicKey, PKCS1WithSHA384, pkcs1Sig, errBadSignature},
		{"RSA key, ECDSA scheme", &k.rsa.PublicKey, ECDSAWithP256AndSHA256, p256Sig, errSchemeKeyMismatch},
		{"ECDSA key, RSA scheme", &k.p256.PublicKey, PKCS1WithSHA256, pkcs1Sig, errSchemeKeyMismatch},
		{"P-256 signature checked with SHA-384", &k.p256.PublicKey, ECDSAWithP384AndSHA384, p256Sig, errBadSignature},
		{"P-256 signature, P-384 key", &k.p384.PublicKey, ECDSAWithSHA1, p256Sig, errBadSignature},
		{"unknown scheme", &k.rsa.PublicKey, SignatureScheme(0x0000), pkcs1Sig, errUnsupportedScheme},
		{"private key passed as public", k.rsa, PKCS1WithSHA256, pkcs1Sig, errUnsupportedKey},
		{"nil key", nil, PKCS1WithSHA256, pkcs1Sig, errUnsupportedKey},
	}
	for _, tt := range verifyTests {
		t.Run("verify/"+tt.name, func(t *testing.T) {
			assert.ErrorIs(t, verifyHandshake(tt.pub, tt.scheme, data, tt.sig), tt.wantErr)
		})
	}
	// Ed25519 signs the message, not a digest: a signature over
	// SHA-512(data) does not pass for one over data (RFC 8422, 5.1.3).
	edKey := ed25519.NewKeyFromSeed(make([]byte, 32))
	overDigest := ed25519.Sign(edKey, hashData(crypto.SHA512, data))
	assert.ErrorIs(t, verifyHandshake(edKey.Public(), Ed25519, data, overDigest), errBadSignature)
	assert.NoError(t, verifyHandshake(edKey.Public(), Ed25519, data, ed25519.Sign(edKey, data)))
	// Controls: the signatures are good with the right scheme.
	assert.NoError(t, verifyHandshake(&k.rsa.PublicKey, PKCS1WithSHA256, data, pkcs1Sig))
	assert.NoError(t, verifyHandshake(&k.p256.PublicKey, ECDSAWithP256AndSHA256, data, p256Sig))
}

func TestSchemeSupportedByKey(t *testing.T) {
	k := keys(t)
	all := []SignatureScheme{PKCS1WithSHA256, PKCS1WithSHA384, PKCS1WithSHA512, PKCS1WithSHA1,
		PSSWithSHA256, PSSWithSHA384, PSSWithSHA512,
		ECDSAWithP256AndSHA256, ECDSAWithP384AndSHA384, ECDSAWithP521AndSHA512, ECDSAWithSHA1}
	tests := []struct {
		name string
		pub  crypto.PublicKey
		want []SignatureScheme
	}{
		{"RSA-2048", &k.rsa.PublicKey, []SignatureScheme{PKCS1WithSHA256, PKCS1WithSHA384, PKCS1WithSHA512, PKCS1WithSHA1, PSSWithSHA256, PSSWithSHA384, PSSWithSHA512}},
		// RFC 8017, 9.1.1: 128 bytes < 2*64+2, no room for PSS-SHA512.
		{"RSA-1024", &k.rsa1024.PublicKey, []SignatureScheme{PKCS1WithSHA256, PKCS1WithSHA384, PKCS1WithSHA512, PKCS1WithSHA1, PSSWithSHA256, PSSWithSHA384}},
		{"P-256", &k.p256.PublicKey, []SignatureScheme{ECDSAWithP256AndSHA256, ECDSAWithP384AndSHA384, ECDSAWithP521AndSHA512, ECDSAWithSHA1}},
		{"P-384", &k.p384.PublicKey, []SignatureScheme{ECDSAWithP256AndSHA256, ECDSAWithP384AndSHA384, ECDSAWithP521AndSHA512, ECDSAWithSHA1}},
		{"P-521", &k.p521.PublicKey, []SignatureScheme{ECDSAWithP256AndSHA256, ECDSAWithP384AndSHA384, ECDSAWithP521AndSHA512, ECDSAWithSHA1}},
		{"Ed25519", ed25519.PublicKey(make([]byte, 32)), []SignatureScheme{Ed25519}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []SignatureScheme
			for _, s := range append(all, 0x0807, 0x0000, 0xffff) {
				if schemeSupportedByKey(tt.pub, s) {
					got = append(got, s)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSignatureSchemeNames(t *testing.T) {
	tests := []struct {
		scheme SignatureScheme
		name   string
		hash   crypto.Hash
	}{
		{PKCS1WithSHA256, "rsa_pkcs1_sha256", crypto.SHA256},
		{PKCS1WithSHA384, "rsa_pkcs1_sha384", crypto.SHA384},
		{PKCS1WithSHA512, "rsa_pkcs1_sha512", crypto.SHA512},
		{PKCS1WithSHA1, "rsa_pkcs1_sha1", crypto.SHA1},
		{PSSWithSHA256, "rsa_pss_rsae_sha256", crypto.SHA256},
		{PSSWithSHA384, "rsa_pss_rsae_sha384", crypto.SHA384},
		{PSSWithSHA512, "rsa_pss_rsae_sha512", crypto.SHA512},
		{ECDSAWithP256AndSHA256, "ecdsa_secp256r1_sha256", crypto.SHA256},
		{ECDSAWithP384AndSHA384, "ecdsa_secp384r1_sha384", crypto.SHA384},
		{ECDSAWithP521AndSHA512, "ecdsa_secp521r1_sha512", crypto.SHA512},
		{ECDSAWithSHA1, "ecdsa_sha1", crypto.SHA1},
		{Ed25519, "ed25519", 0},
		{PSSPSSWithSHA256, "rsa_pss_pss_sha256", crypto.SHA256},
		{PSSPSSWithSHA384, "rsa_pss_pss_sha384", crypto.SHA384},
		{PSSPSSWithSHA512, "rsa_pss_pss_sha512", crypto.SHA512},
		{0x0808, "0x0808", 0},
		{0x0a0a, "0x0a0a", 0},
		{0, "0x0000", 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.name, tt.scheme.String())
		assert.Equal(t, tt.hash, schemeHash(tt.scheme), tt.name)
	}
	// The code points are RFC 5246's HashAlgorithm byte then
	// SignatureAlgorithm byte.
	assert.Equal(t, SignatureScheme(4<<8|1), PKCS1WithSHA256)
	assert.Equal(t, SignatureScheme(5<<8|3), ECDSAWithP384AndSHA384)
	assert.Equal(t, SignatureScheme(2<<8|3), ECDSAWithSHA1)
}

func TestDefaultSignatureSchemes(t *testing.T) {
	want := []SignatureScheme{ECDSAWithP256AndSHA256, ECDSAWithP384AndSHA384, Ed25519, PSSWithSHA256, PSSWithSHA384, PSSWithSHA512,
		PSSPSSWithSHA256, PSSPSSWithSHA384, PSSPSSWithSHA512,
		PKCS1WithSHA256, PKCS1WithSHA384, PKCS1WithSHA512, ECDSAWithP521AndSHA512}
	got := defaultSignatureSchemes()
	assert.Equal(t, want, got)
	for _, s := range got {
		assert.NotEqual(t, crypto.SHA1, schemeHash(s), "%v: no SHA-1 by default", s)
	}
	got[0] = 0
	assert.Equal(t, want, defaultSignatureSchemes(), "each call returns a fresh slice")
}

func TestSelectSignatureScheme(t *testing.T) {
	k := keys(t)
	tests := []struct {
		name    string
		pub     crypto.PublicKey
		ours    []SignatureScheme
		peer    []SignatureScheme
		want    SignatureScheme
		wantErr error
	}{
		{"RSA: our preference wins", &k.rsa.PublicKey, nil, []SignatureScheme{PKCS1WithSHA256, PSSWithSHA384, PSSWithSHA256}, PSSWithSHA256, nil},
		{"RSA: only PKCS1 in common", &k.rsa.PublicKey, nil, []SignatureScheme{ECDSAWithP256AndSHA256, PKCS1WithSHA512}, PKCS1WithSHA512, nil},
		{"RSA: explicit ours", &k.rsa.PublicKey, []SignatureScheme{PKCS1WithSHA256}, []SignatureScheme{PSSWithSHA256, PKCS1WithSHA256}, PKCS1WithSHA256, nil},
		{"RSA: peer sent no list (RFC 9155: no SHA-1)", &k.rsa.PublicKey, nil, nil, 0, errNoCommonScheme},
		{"RSA: peer sent no list, SHA-1 opted in", &k.rsa.PublicKey, []SignatureScheme{PSSWithSHA256, PKCS1WithSHA1}, nil, PKCS1WithSHA1, nil},
		{"RSA: peer offers only SHA-1", &k.rsa.PublicKey, nil, []SignatureScheme{PKCS1WithSHA1}, 0, errNoCommonScheme},
		{"RSA-1024: PSS-SHA512 skipped", &k.rsa1024.PublicKey, []SignatureScheme{PSSWithSHA512, PKCS1WithSHA512}, []SignatureScheme{PSSWithSHA512, PKCS1WithSHA512}, PKCS1WithSHA512, nil},
		{"P-256", &k.p256.PublicKey, nil, []SignatureScheme{PKCS1WithSHA256, ECDSAWithP384AndSHA384, ECDSAWithP256AndSHA256}, ECDSAWithP256AndSHA256, nil},
		{"P-256: peer sent no list (RFC 9155: no SHA-1)", &k.p256.PublicKey, nil, []SignatureScheme{}, 0, errNoCommonScheme},
		{"P-256: peer sent no list, SHA-1 opted in", &k.p256.PublicKey, []SignatureScheme{ECDSAWithP256AndSHA256, ECDSAWithSHA1}, nil, ECDSAWithSHA1, nil},
		{"P-384: only P-256's scheme offered, SHA-256 on P-384", &k.p384.PublicKey, nil, []SignatureScheme{ECDSAWithP256AndSHA256}, ECDSAWithP256AndSHA256, nil},
		{"P-384: own curve's hash first", &k.p384.PublicKey, nil, []SignatureScheme{ECDSAWithP256AndSHA256, ECDSAWithP384AndSHA384}, ECDSAWithP384AndSHA384, nil},
		{"P-256: only SHA-512 offered", &k.p256.PublicKey, nil, []SignatureScheme{PKCS1WithSHA256, ECDSAWithP521AndSHA512}, ECDSAWithP521AndSHA512, nil},
		{"P-256: only SHA-1 offered", &k.p256.PublicKey, nil, []SignatureScheme{ECDSAWithSHA1}, 0, errNoCommonScheme},
		{"P-384: our list without its own curve's scheme", &k.p384.PublicKey, []SignatureScheme{ECDSAWithP256AndSHA256}, []SignatureScheme{ECDSAWithP384AndSHA384, ECDSAWithP256AndSHA256}, ECDSAWithP256AndSHA256, nil},
		{"P-521", &k.p521.PublicKey, nil, []SignatureScheme{PSSWithSHA256, ECDSAWithP521AndSHA512}, ECDSAWithP521AndSHA512, nil},
		{"GREASE ignored", &k.p256.PublicKey, nil, []SignatureScheme{0x0a0a, ECDSAWithP256AndSHA256}, ECDSAWithP256AndSHA256, nil},
		{"Ed25519 key, peer sent no list", ed25519.PublicKey(make([]byte, 32)), nil, nil, 0, errNoCommonScheme},
		{"Ed25519 key", ed25519.PublicKey(make([]byte, 32)), nil, []SignatureScheme{ECDSAWithP256AndSHA256, Ed25519}, Ed25519, nil},
		{"Ed25519 key, ed25519 not offered", ed25519.PublicKey(make([]byte, 32)), nil, []SignatureScheme{ECDSAWithP256AndSHA256, PSSWithSHA256}, 0, errNoCommonScheme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := selectSignatureScheme(tt.pub, tt.ours, tt.peer)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
