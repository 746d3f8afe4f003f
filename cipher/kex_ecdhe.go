package cipher

import (
	"crypto/ecdh"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"strings"
)

// CurveID is an IANA NamedCurve value (RFC 8422, 5.1.1), as carried in the
// supported_groups extension and in ServerKeyExchange.
type CurveID uint16

// The curves glasstls implements.
const (
	CurveP256   CurveID = 23 // secp256r1 (RFC 8422, 5.1.1)
	CurveP384   CurveID = 24 // secp384r1
	CurveP521   CurveID = 25 // secp521r1
	CurveX25519 CurveID = 29 // RFC 8422, 5.1.1; RFC 7748
)

// String returns "X25519", "P-256", "P-384" or "P-521".
func (c CurveID) String() string {
	switch c {
	case CurveX25519:
		return "X25519"
	case CurveP256:
		return "P-256"
	case CurveP384:
		return "P-384"
	case CurveP521:
		return "P-521"
	case FFDHE2048:
		return "ffdhe2048"
	case FFDHE3072:
		return "ffdhe3072"
	case FFDHE4096:
		return "ffdhe4096"
	}
	return fmt.Sprintf("CurveID(%d)", uint16(c))
}

// DefaultCurves returns the curves offered by default, most preferred
// first: X25519 (fast, and its formulas have no special cases to get
// wrong), then the NIST curves for peers that lack it, smallest first.
// P-521 comes last: it costs several times P-384 for a margin nobody
// needs, but some peers are configured to speak nothing else (crypto/tls
// and OpenSSL offer it by default too).
func DefaultCurves() []CurveID { return []CurveID{CurveX25519, CurveP256, CurveP384, CurveP521} }

// CurveByName looks a curve up by its common names: "X25519", "P-256"
// (also "prime256v1", "secp256r1"), "P-384" (also "secp384r1") or "P-521"
// (also "secp521r1"), or a finite-field group by its RFC 7919 name
// ("ffdhe2048"), ignoring case.
func CurveByName(name string) (CurveID, bool) {
	names := []struct {
		name  string
		curve CurveID
	}{
		{"X25519", CurveX25519},
		{"P-256", CurveP256}, {"prime256v1", CurveP256}, {"secp256r1", CurveP256},
		{"P-384", CurveP384}, {"secp384r1", CurveP384},
		{"P-521", CurveP521}, {"secp521r1", CurveP521},
		{"ffdhe2048", FFDHE2048}, {"ffdhe3072", FFDHE3072}, {"ffdhe4096", FFDHE4096},
	}
	for _, n := range names {
		if strings.EqualFold(n.name, name) {
			return n.curve, true
		}
	}
	return 0, false
}

// ErrBadKeyShare means the peer's ECDHE public value is malformed or
// unsafe. The handshake answers it with illegal_parameter (RFC 8422, 5.4
// and 5.11).
var ErrBadKeyShare = errors.New("cipher: bad ECDHE public key")

// curveParams says how a curve is used on the wire.
type curveParams struct {
	curve     ecdh.Curve
	scalarLen int  // bytes read from rand per private key attempt
	topMask   byte // ANDed into the first scalar byte: keeps only the bits the order has
	publicLen int  // wire length of a public value
}

func (c CurveID) params() (curveParams, bool) {
	switch c {
	case CurveX25519:
		return curveParams{curve: ecdh.X25519(), scalarLen: 32, topMask: 0xff, publicLen: 32}, true
	case CurveP256:
		// RFC 8422, 5.4: UncompressedPointRepresentation, 0x04 || X || Y.
		return curveParams{curve: ecdh.P256(), scalarLen: 32, topMask: 0xff, publicLen: 1 + 2*32}, true
	case CurveP384:
		return curveParams{curve: ecdh.P384(), scalarLen: 48, topMask: 0xff, publicLen: 1 + 2*48}, true
	case CurveP521:
		// 521 bits fill 66 bytes but for the top 7 bits of the first: a
		// coordinate is 66 bytes on the wire (RFC 8422, 5.4 pads it, SEC 1,
		// 2.3.5), and a scalar drawn as 528 random bits would exceed the
		// order 127 times in 128, so only the low bit of its first byte is
		// drawn.
		return curveParams{curve: ecdh.P521(), scalarLen: 66, topMask: 0x01, publicLen: 1 + 2*66}, true
	}
	return curveParams{}, false
}

// curveOf finds the CurveID of an ecdh curve.
func curveOf(c ecdh.Curve) (CurveID, bool) {
	for _, id := range DefaultCurves() {
		if p, _ := id.params(); p.curve == c {
			return id, true
		}
	}
	return 0, false
}

// maxKeyAttempts bounds the retry loop in GenerateECDHEKey. A uniformly
// random 256-bit string is out of range for P-256 with probability about
// 2^-32, so reaching this limit means rand is broken, not unlucky.
const maxKeyAttempts = 64

// GenerateECDHEKey makes an ephemeral key from rand *deterministically* (read bytes from rand and call
// ecdh.Curve.NewPrivateKey, retrying on an out-of-range scalar), because Go 1.26's GenerateKey ignores rand
// and glasstls must replay handshakes byte for byte from Config.Rand.
//
// For X25519 any 32 bytes are a valid private key (RFC 7748, 5 clamps
// them). For the NIST curves the bytes are a big-endian scalar that must
// lie in [1, n-1]; rejecting and redrawing keeps it uniform.
func GenerateECDHEKey(rand io.Reader, curve CurveID) (*ecdh.PrivateKey, error) {
	p, ok := curve.params()
	if !ok {
		return nil, fmt.Errorf("cipher: unsupported curve %v", curve)
	}
	buf := make([]byte, p.scalarLen)
	for range maxKeyAttempts {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return nil, err
		}
		buf[0] &= p.topMask
		if priv, err := p.curve.NewPrivateKey(buf); err == nil {
			return priv, nil
		}
	}
	return nil, fmt.Errorf("cipher: no valid %v scalar in %d attempts: broken random source", curve, maxKeyAttempts)
}

// ECDHEPublicKey is the wire form: 32 bytes for X25519, uncompressed point (0x04||X||Y) for the NIST curves (RFC 8422 5.4).
func ECDHEPublicKey(priv *ecdh.PrivateKey) []byte {
	return priv.PublicKey().Bytes()
}

// ECDHESharedSecret parses the peer's point (rejecting: wrong length, compressed/hybrid, off-curve, identity/infinity)
// and returns the premaster secret (X coordinate / X25519 output). An X25519 result of all zeros is rejected
// (RFC 7748 6.1, RFC 8422 5.11). Errors wrap ErrBadKeyShare (handshake maps it to illegal_parameter).
func ECDHESharedSecret(priv *ecdh.PrivateKey, peerPublic []byte) ([]byte, error) {
	id, ok := curveOf(priv.Curve())
	if !ok {
		return nil, fmt.Errorf("cipher: private key on unsupported curve %v", priv.Curve())
	}
	p, _ := id.params()
	if len(peerPublic) != p.publicLen {
		return nil, fmt.Errorf("%w: %v public value of %d bytes, want %d", ErrBadKeyShare, id, len(peerPublic), p.publicLen)
	}
	if id != CurveX25519 && peerPublic[0] != 0x04 {
		// RFC 8422, 5.1.2: compressed (0x02/0x03) and hybrid (0x06/0x07)
		// forms are deprecated and we never negotiate them; 0x00 would be
		// the point at infinity.
		return nil, fmt.Errorf("%w: %v point is not uncompressed (format byte %#02x)", ErrBadKeyShare, id, peerPublic[0])
	}
	// For the NIST curves NewPublicKey checks that X and Y are below the
	// field prime and satisfy the curve equation (RFC 8422, 5.11 requires
	// this validation), which also excludes the point at infinity: it has
	// no uncompressed encoding.
	peer, err := p.curve.NewPublicKey(peerPublic)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKeyShare, err)
	}
	// RFC 8422, 5.10: the premaster secret is the x-coordinate of the shared
	// point (NIST curves), or the X25519 function output.
	shared, err := priv.ECDH(peer)
	if err != nil {
		// crypto/ecdh refuses an all-zero X25519 output (a low-order peer
		// point); the check below states the rule where a reader sees it.
		return nil, fmt.Errorf("%w: %v", ErrBadKeyShare, err)
	}
	if id == CurveX25519 && subtle.ConstantTimeCompare(shared, make([]byte, len(shared))) == 1 {
		// RFC 7748, 6.1 and RFC 8422, 5.11: an all-zero result means the
		// peer sent a small-order point; abort.
		return nil, fmt.Errorf("%w: X25519 shared secret is all zeros", ErrBadKeyShare)
	}
	return shared, nil
}
