package certgen

import (
	"crypto"
	"crypto/ecdsa"
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
)

// String names the key type for test and error messages.
func (k KeyType) String() string {
	switch k {
	case ECDSAP256:
		return "ECDSA-P256"
	case RSA2048:
		return "RSA-2048"
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
	default:
		return nil, fmt.Errorf("certgen: unknown key type %v", k)
	}
}
