// Replaying a recorded handshake only works if the side being measured
// sends, byte for byte, what it sent while the flights were recorded: its
// random, its ECDHE key, its signatures, its RSA padding. Both libraries
// take all of that from Config.Rand, but Go 1.26 ignores the rand argument
// of crypto/ecdh, crypto/ecdsa and crypto/rsa by default and uses system
// randomness. This directive (it applies to this test binary only, not to
// the library or other tests) restores the pre-1.26 behaviour, so a fixed
// Config.Rand makes both libraries fully deterministic. TestReplayIsValid
// checks that it does.

//go:debug cryptocustomrand=1

package bench

import "time"

// fixedRand is the Config.Rand of every benchmark connection: each byte
// it returns is the same. A seeded stream would not do, because with
// cryptocustomrand=1 crypto/ecdsa, crypto/rsa and crypto/ecdh read one
// extra byte from a custom reader at random (randutil.MaybeReadByte, there
// so that nobody relies on their determinism), which shifts a stream but
// not a constant. Being constant, it needs no rewinding between
// iterations. The value is nonzero, so it is a valid P-256 scalar and valid
// PKCS#1 v1.5 padding.
type fixedRand byte

func (r fixedRand) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// benchTime is the clock both libraries see: inside the test PKI's
// validity (2025 to 2125), and the same at recording and at replay.
func benchTime() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
