package certgen

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
)

// KeyType selects the public-key algorithm of a generated key pair.
type KeyType int

const (
	// ECDSAP256 is an ECDSA key on NIST P-256 (secp256r1), the curve every
	// TLS 1.2 implementation with ECC support offers (RFC 4492, 5.1.1).
	ECDSAP256 KeyType = iota
	// RSA2048 is a 2048-bit RSA key, usable for both RSA key exchange and
	// signatures.
	RSA2048
	// The key types below exist to break the Web PKI's algorithm rules
	// (CA/Browser Forum Baseline Requirements, 6.1.5) or to show one that
	// is allowed there. The test PKI uses the two above, and P-521 and
	// Ed25519 for the leaves that show those in TLS (laterLeaves).

	// RSA1024 is a 1024-bit RSA key: too short for the Web PKI.
	RSA1024
	// ECDSAP224 is an ECDSA key on P-224: not a Web PKI curve.
	ECDSAP224
	// ECDSAP384 is an ECDSA key on P-384.
	ECDSAP384
	// ECDSAP521 is an ECDSA key on P-521.
	ECDSAP521
	// Ed25519 is an Ed25519 key (RFC 8410): not a Web PKI algorithm.
	Ed25519
)

// String names the key type for test and error messages.
func (k KeyType) String() string {
	switch k {
	case ECDSAP256:
		return "ECDSA-P256"
	case RSA2048:
		return "RSA-2048"
	case RSA1024:
		return "RSA-1024"
	case ECDSAP224:
		return "ECDSA-P224"
	case ECDSAP384:
		return "ECDSA-P384"
	case ECDSAP521:
		return "ECDSA-P521"
	case Ed25519:
		return "Ed25519"
	default:
		return fmt.Sprintf("KeyType(%d)", int(k))
	}
}

// GenerateKey makes a fresh private key of the given type using crypto/rand.
// Test keys do not need replayable randomness: the files are checked in and
// on-the-fly keys are never compared across runs.
func GenerateKey(k KeyType) (crypto.Signer, error) {
	switch k {
	case ECDSAP256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case RSA2048:
		return rsa.GenerateKey(rand.Reader, 2048)
	case RSA1024:
		return rsa.GenerateKey(rand.Reader, 1024)
	case ECDSAP224:
		return ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	case ECDSAP384:
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case ECDSAP521:
		return ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case Ed25519:
		_, key, err := ed25519.GenerateKey(rand.Reader)
		return key, err
	default:
		return nil, fmt.Errorf("certgen: unknown key type %v", k)
	}
}
