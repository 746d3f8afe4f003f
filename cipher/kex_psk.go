package cipher

import "fmt"

// Pre-shared keys (RFC 4279): client and server already share a secret,
// chosen out of band and named by an identity, and authenticate each other
// with it instead of with certificates. Plain PSK has no forward secrecy:
// whoever later learns the key can decrypt every recorded session made with
// it. ECDHE_PSK (RFC 5489) mixes a fresh ECDHE shared secret in, so a
// stolen key lets an attacker impersonate a side from then on but not read
// the past.

// MaxPSKLen bounds a pre-shared key: RFC 4279, 5.3 requires at least 64
// bytes to be supported; 1 KiB leaves room for any sensible key while the
// premaster secret still fits a handshake message comfortably.
const MaxPSKLen = 1024

// MaxPSKIdentityLen bounds a PSK identity: RFC 4279, 5.3 requires up to 128
// bytes to be supported; its wire field could take 65535.
const MaxPSKIdentityLen = 128

// PSKPreMasterSecret builds RFC 4279, 2's pre-master secret from the
// "other_secret" and the PSK:
//
//	struct {
//	    opaque other_secret<0..2^16-1>;
//	    opaque psk<0..2^16-1>;
//	};
//
// For plain PSK other_secret is N zero bytes, N the length of the PSK
// (RFC 4279, 2): the key alone decides the result. For ECDHE_PSK it is the
// ECDHE shared secret (RFC 5489, 2), so the result needs both.
func PSKPreMasterSecret(otherSecret, psk []byte) ([]byte, error) {
	if len(psk) == 0 || len(psk) > MaxPSKLen {
		return nil, fmt.Errorf("cipher: PSK of %d bytes; want 1 to %d", len(psk), MaxPSKLen)
	}
	if otherSecret == nil {
		otherSecret = make([]byte, len(psk))
	}
	preMasterSecret := make([]byte, 0, 2+len(otherSecret)+2+len(psk))
	preMasterSecret = append(preMasterSecret, byte(len(otherSecret)>>8), byte(len(otherSecret)))
	preMasterSecret = append(preMasterSecret, otherSecret...)
	preMasterSecret = append(preMasterSecret, byte(len(psk)>>8), byte(len(psk)))
	preMasterSecret = append(preMasterSecret, psk...)
	return preMasterSecret, nil
}
