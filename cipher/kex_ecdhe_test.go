package cipher

import (
	"bytes"
	"crypto/ecdh"
	"encoding/hex"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestECDHEAgreement(t *testing.T) {
	tests := []struct {
		curve     CurveID
		publicLen int
		secretLen int
	}{
		{CurveX25519, 32, 32},
		{CurveP256, 65, 32},
		{CurveP384, 97, 48},
		{CurveP521, 133, 66},
	}
	for _, tt := range tests {
		t.Run(tt.curve.String(), func(t *testing.T) {
			client, err := GenerateECDHEKey(newDetReader("client"), tt.curve)
			require.NoError(t, err)
			server, err := GenerateECDHEKey(newDetReader("server"), tt.curve)
			require.NoError(t, err)

			clientPub, serverPub := ECDHEPublicKey(client), ECDHEPublicKey(server)
			assert.Len(t, clientPub, tt.publicLen)
			if tt.curve != CurveX25519 {
				assert.Equal(t, byte(0x04), clientPub[0], "uncompressed point (RFC 8422, 5.4)")
			}
			assert.NotEqual(t, clientPub, serverPub)

			a, err := ECDHESharedSecret(client, serverPub)
			require.NoError(t, err)
			b, err := ECDHESharedSecret(server, clientPub)
			require.NoError(t, err)
			assert.Equal(t, a, b)
			assert.Len(t, a, tt.secretLen)

			// Cross-check with crypto/ecdh directly.
			peer, err := server.Curve().NewPublicKey(serverPub)
			require.NoError(t, err)
			direct, err := client.ECDH(peer)
			require.NoError(t, err)
			assert.Equal(t, direct, a)
		})
	}
}

func TestGenerateECDHEKeyDeterministic(t *testing.T) {
	for _, curve := range DefaultCurves() {
		a, err := GenerateECDHEKey(newDetReader("seed"), curve)
		require.NoError(t, err)
		b, err := GenerateECDHEKey(newDetReader("seed"), curve)
		require.NoError(t, err)
		c, err := GenerateECDHEKey(newDetReader("other seed"), curve)
		require.NoError(t, err)
		assert.Equal(t, a.Bytes(), b.Bytes(), "%v: same rand, same key", curve)
		assert.Equal(t, ECDHEPublicKey(a), ECDHEPublicKey(b))
		assert.NotEqual(t, a.Bytes(), c.Bytes(), "%v", curve)

		// The key is exactly the bytes read from rand (for P-521 with the
		// bits above the order's 521 cleared).
		scalarLen := map[CurveID]int{CurveX25519: 32, CurveP256: 32, CurveP384: 48, CurveP521: 66}[curve]
		raw := make([]byte, scalarLen)
		_, err = io.ReadFull(newDetReader("seed"), raw)
		require.NoError(t, err)
		if curve == CurveP521 {
			raw[0] &= 0x01
		}
		assert.Equal(t, raw, a.Bytes(), "%v", curve)
	}
}

// TestGenerateECDHEKeyRetries: an out-of-range scalar (all 0xff is above
// the group order of P-256 and P-384; all zero is zero) is discarded and
// the next bytes from rand are used.
func TestGenerateECDHEKeyRetries(t *testing.T) {
	for _, curve := range []CurveID{CurveP256, CurveP384, CurveP521} {
		p, _ := curve.params()
		good := pattern(p.scalarLen, 1)
		good[0] &= p.topMask
		for _, bad := range [][]byte{bytes.Repeat([]byte{0xff}, p.scalarLen), make([]byte, p.scalarLen)} {
			rand := io.MultiReader(bytes.NewReader(bad), bytes.NewReader(good))
			priv, err := GenerateECDHEKey(rand, curve)
			require.NoError(t, err)
			assert.Equal(t, good, priv.Bytes(), "%v", curve)
		}
		// A source that only ever yields invalid scalars ends in an error,
		// not a hang.
		_, err := GenerateECDHEKey(fixedReader{0xff}, curve)
		assert.Error(t, err, "%v", curve)
	}
	// Any 32 bytes are an X25519 key, even all 0xff.
	_, err := GenerateECDHEKey(fixedReader{0xff}, CurveX25519)
	assert.NoError(t, err)
}

func TestGenerateECDHEKeyErrors(t *testing.T) {
	_, err := GenerateECDHEKey(newDetReader(""), CurveID(30)) // X448: not implemented
	assert.Error(t, err)
	_, err = GenerateECDHEKey(errReader{}, CurveX25519)
	assert.Error(t, err)
	_, err = GenerateECDHEKey(bytes.NewReader(make([]byte, 10)), CurveP256)
	assert.Error(t, err, "short rand")
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

func TestECDHESharedSecretRejectsBadPoints(t *testing.T) {
	x25519, err := GenerateECDHEKey(newDetReader("a"), CurveX25519)
	require.NoError(t, err)
	p256, err := GenerateECDHEKey(newDetReader("b"), CurveP256)
	require.NoError(t, err)
	p384, err := GenerateECDHEKey(newDetReader("c"), CurveP384)
	require.NoError(t, err)

	goodP256 := ECDHEPublicKey(p256) // our own point is a valid peer point
	offCurve := bytes.Clone(goodP256)
	offCurve[64] ^= 1
	goodP384 := ECDHEPublicKey(p384)
	offCurve384 := bytes.Clone(goodP384)
	offCurve384[96] ^= 1
	compressed := append([]byte{0x02 | goodP256[64]&1}, goodP256[1:33]...)
	compressedPadded := append([]byte{0x02}, goodP256[1:]...) // right length, wrong format
	hybrid := append([]byte{0x06}, goodP256[1:]...)
	// Coordinates >= p: X = p (the P-256 field prime) is never reduced.
	xIsP := append(append([]byte{0x04}, mustHex(t, "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")...), goodP256[33:]...)

	tests := []struct {
		name string
		priv *ecdh.PrivateKey
		peer []byte
	}{
		{"P-256 off curve", p256, offCurve},
		{"P-256 all zero (not on the curve)", p256, append([]byte{0x04}, make([]byte, 64)...)},
		{"P-256 infinity encoding", p256, []byte{0x00}},
		{"P-256 compressed", p256, compressed},
		{"P-256 compressed format byte at full length", p256, compressedPadded},
		{"P-256 hybrid", p256, hybrid},
		{"P-256 X = p", p256, xIsP},
		{"P-256 too short", p256, goodP256[:64]},
		{"P-256 too long", p256, append(bytes.Clone(goodP256), 0)},
		{"P-256 empty", p256, nil},
		{"P-256 point sent to P-384", p384, goodP256},
		{"P-384 off curve", p384, offCurve384},
		{"X25519 all zero", x25519, make([]byte, 32)},
		// RFC 7748 small-order points: 1, and the order-8 point below; both
		// make the X25519 output all zeros.
		{"X25519 point 1", x25519, append([]byte{1}, make([]byte, 31)...)},
		{"X25519 order-8 point", x25519, mustHex(t, "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")},
		{"X25519 p-1", x25519, mustHex(t, "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")},
		{"X25519 too short", x25519, make([]byte, 31)},
		{"X25519 too long", x25519, append(ECDHEPublicKey(x25519), 0)},
		{"X25519 given a P-256 point", x25519, goodP256},
	}
	for _, tt := range tests {
		secret, err := ECDHESharedSecret(tt.priv, tt.peer)
		assert.ErrorIs(t, err, ErrBadKeyShare, tt.name)
		assert.Nil(t, secret, tt.name)
	}
	// The valid points themselves are accepted (so the failures above are
	// about the modifications).
	for _, ok := range []struct {
		priv *ecdh.PrivateKey
		peer []byte
	}{{p256, goodP256}, {p384, goodP384}, {x25519, ECDHEPublicKey(x25519)}} {
		_, err := ECDHESharedSecret(ok.priv, ok.peer)
		assert.NoError(t, err)
	}
}

// TestECDHESharedSecretP521: a P-521 coordinate is 66 bytes of which only
// 521 bits may be set; a coordinate at or above the field prime, a short
// point and a point off the curve are the peer's fault (illegal_parameter).
func TestECDHESharedSecretP521(t *testing.T) {
	priv, err := ecdh.P521().NewPrivateKey(append([]byte{1}, make([]byte, 65)...))
	require.NoError(t, err)
	good := ECDHEPublicKey(priv)
	require.Len(t, good, 133)
	_, err = ECDHESharedSecret(priv, good)
	require.NoError(t, err)

	aboveP := bytes.Clone(good)
	for i := 1; i < 67; i++ {
		aboveP[i] = 0xff // X >= p
	}
	offCurve := bytes.Clone(good)
	offCurve[132] ^= 1
	for name, bad := range map[string][]byte{"X above p": aboveP, "off the curve": offCurve, "short": good[:132]} {
		_, err := ECDHESharedSecret(priv, bad)
		assert.ErrorIs(t, err, ErrBadKeyShare, name)
	}
}

func TestCurveNames(t *testing.T) {
	tests := []struct {
		name string
		id   CurveID
		ok   bool
	}{
		{"X25519", CurveX25519, true},
		{"x25519", CurveX25519, true},
		{"P-256", CurveP256, true},
		{"prime256v1", CurveP256, true},
		{"secp256r1", CurveP256, true},
		{"p-256", CurveP256, true},
		{"P-384", CurveP384, true},
		{"secp384r1", CurveP384, true},
		{"P-521", CurveP521, true},
		{"secp521r1", CurveP521, true},
		{"X448", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		id, ok := CurveByName(tt.name)
		assert.Equal(t, tt.ok, ok, tt.name)
		assert.Equal(t, tt.id, id, tt.name)
	}
	assert.Equal(t, []CurveID{CurveX25519, CurveP256, CurveP384, CurveP521}, DefaultCurves())
	assert.Equal(t, CurveID(29), CurveX25519)
	assert.Equal(t, CurveID(23), CurveP256)
	assert.Equal(t, CurveID(24), CurveP384)
	assert.Equal(t, "X25519", CurveX25519.String())
	assert.Equal(t, "P-256", CurveP256.String())
	assert.Equal(t, "P-384", CurveP384.String())
	assert.Equal(t, "P-521", CurveP521.String())
	assert.Equal(t, "CurveID(30)", CurveID(30).String())
	for _, c := range DefaultCurves() {
		back, ok := CurveByName(c.String())
		assert.True(t, ok)
		assert.Equal(t, c, back)
	}
}
