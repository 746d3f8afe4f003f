package cipher

import (
	"crypto/sha256"
	"errors"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFFDHEGroupsAreSafePrimes checks the transcribed primes against what
// RFC 7919 says of them: p and q = (p-1)/2 are both prime, p has the
// stated size, and its top and bottom 64 bits are all ones (RFC 7919,
// A: p = 2^b - 2^{b-64} + {[2^{b-130} e] + X} * 2^64 - 1). A digit
// mistyped anywhere would make p composite.
func TestFFDHEGroupsAreSafePrimes(t *testing.T) {
	for _, id := range DefaultFFDHEGroups() {
		t.Run(id.String(), func(t *testing.T) {
			g, ok := FFDHEGroup(id)
			require.True(t, ok)
			bits := map[CurveID]int{FFDHE2048: 2048, FFDHE3072: 3072, FFDHE4096: 4096}[id]
			assert.Equal(t, bits, g.P.BitLen())
			assert.True(t, g.P.ProbablyPrime(4), "p is prime")
			assert.True(t, g.Q.ProbablyPrime(4), "q = (p-1)/2 is prime")
			ones := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(1))
			assert.Equal(t, ones, new(big.Int).And(g.P, ones), "low 64 bits")
			assert.Equal(t, ones, new(big.Int).Rsh(g.P, uint(bits-64)), "high 64 bits")
			assert.Equal(t, int64(2), g.G.Int64())
			// g = 2 generates the order-q subgroup: 2^q = 1 mod p.
			assert.NoError(t, CheckDHEPublic(g, g.G))
			assert.True(t, id.IsFFDHE())
			gotID, ok := CurveByName(id.String())
			assert.True(t, ok)
			assert.Equal(t, id, gotID)
		})
	}
	// The first bytes of RFC 7919, A.1 as printed there.
	g, _ := FFDHEGroup(FFDHE2048)
	assert.Equal(t, "ffffffffffffffffadf85458a2bb4a9a", g.P.Text(16)[:32])
	assert.False(t, CurveX25519.IsFFDHE())
}

func TestDHEAgreement(t *testing.T) {
	for _, id := range DefaultFFDHEGroups() {
		t.Run(id.String(), func(t *testing.T) {
			group, _ := FFDHEGroup(id)
			client, err := GenerateDHEKey(newDetReader("client"), group)
			require.NoError(t, err)
			server, err := GenerateDHEKey(newDetReader("server"), group)
			require.NoError(t, err)
			assert.LessOrEqual(t, client.X.BitLen(), group.ExponentBits)

			clientPub, serverPub := DHEPublicKey(client), DHEPublicKey(server)
			assert.Len(t, clientPub, group.P.BitLen()/8, "padded to the length of p")
			a, err := DHESharedSecret(client, serverPub)
			require.NoError(t, err)
			b, err := DHESharedSecret(server, clientPub)
			require.NoError(t, err)
			assert.Equal(t, a, b)
			// Independently: Z = g^(xy) mod p.
			xy := new(big.Int).Mul(client.X, server.X)
			z := new(big.Int).Exp(group.G, xy, group.P)
			assert.Equal(t, z.Bytes(), a)
		})
	}
}

func TestGenerateDHEKeyDeterministic(t *testing.T) {
	group, _ := FFDHEGroup(FFDHE2048)
	a, err := GenerateDHEKey(newDetReader("seed"), group)
	require.NoError(t, err)
	b, err := GenerateDHEKey(newDetReader("seed"), group)
	require.NoError(t, err)
	assert.Equal(t, a.X, b.X)
	assert.Equal(t, DHEPublicKey(a), DHEPublicKey(b))
	assert.Equal(t, 225, group.ExponentBits, "RFC 7919, 5.2 and OpenSSL: 225 bits for ffdhe2048")

	// A source that only ever gives zeros gives X = 0 every time: refused.
	_, err = GenerateDHEKey(fixedReader{0}, group)
	assert.Error(t, err)
}

// TestDHESharedSecretStripsLeadingZeros takes a pair of keys whose Z
// starts with a zero byte and checks it is stripped (RFC 5246, 8.1.2).
// About one seed in 256 gives one; the search starts just before the first
// (seed 406) so the test stays fast, and still finds one if the key
// derivation changes.
func TestDHESharedSecretStripsLeadingZeros(t *testing.T) {
	group, _ := FFDHEGroup(FFDHE2048)
	server, err := GenerateDHEKey(newDetReader("server"), group)
	require.NoError(t, err)
	for i := 400; i < 400+4096; i++ {
		client, err := GenerateDHEKey(newDetReader("client"+string(rune(i))), group)
		require.NoError(t, err)
		z := new(big.Int).Exp(server.Y, client.X, group.P)
		full := z.FillBytes(make([]byte, 256))
		if full[0] != 0 {
			continue
		}
		got, err := DHESharedSecret(client, DHEPublicKey(server))
		require.NoError(t, err)
		assert.Less(t, len(got), 256)
		assert.NotEqual(t, byte(0), got[0], "no leading zero byte")
		assert.Equal(t, z.Bytes(), got)
		sum := sha256.Sum256(got)
		t.Logf("seed %d: Z has %d bytes; SHA-256 %x", i, len(got), sum[:4])
		return
	}
	t.Fatal("no Z with a leading zero byte in 4096 tries")
}

// TestDHEPeerValueChecks: RFC 7919, 5.1's 1 < Y < p-1 and the subgroup
// check. These are the values a hostile peer would send.
func TestDHEPeerValueChecks(t *testing.T) {
	group, _ := FFDHEGroup(FFDHE2048)
	priv, err := GenerateDHEKey(newDetReader("me"), group)
	require.NoError(t, err)
	pMinus1 := new(big.Int).Sub(group.P, big.NewInt(1))
	// A quadratic non-residue is outside the order-q subgroup: -2 mod p,
	// since 2 is a residue and -1 is not (p = 7 mod 8... and p = 3 mod 4).
	nonResidue := new(big.Int).Sub(group.P, big.NewInt(2))
	tests := map[string][]byte{
		"0":             {0},
		"1":             {1},
		"p-1":           pMinus1.Bytes(),
		"p":             group.P.Bytes(),
		"p+1":           new(big.Int).Add(group.P, big.NewInt(1)).Bytes(),
		"non-residue":   nonResidue.Bytes(),
		"empty":         {},
		"longer than p": make([]byte, 257),
	}
	for name, y := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := DHESharedSecret(priv, y)
			assert.True(t, errors.Is(err, ErrBadKeyShare), "%v", err)
		})
	}
	// Leading zeros on a valid value are fine (a padded encoding).
	other, _ := GenerateDHEKey(newDetReader("other"), group)
	_, err = DHESharedSecret(priv, append([]byte{}, other.Y.Bytes()...))
	assert.NoError(t, err)
}

func TestDHGroupFromParams(t *testing.T) {
	ffdhe3072, _ := FFDHEGroup(FFDHE3072)
	g, err := DHGroupFromParams(ffdhe3072.P.Bytes(), []byte{2})
	require.NoError(t, err)
	assert.Equal(t, FFDHE3072, g.ID, "recognised as the RFC 7919 group, so Q is known")
	assert.NotNil(t, g.Q)

	// A 1024-bit group (Oakley group 2, RFC 2409, 6.2): refused as weak.
	oakley2, _ := new(big.Int).SetString("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF", 16)
	_, err = DHGroupFromParams(oakley2.Bytes(), []byte{2})
	assert.True(t, errors.Is(err, ErrWeakDHGroup), "%v", err)

	// An unnamed 2048-bit group is accepted, without Q.
	custom := new(big.Int).Add(ffdhe3072.P, big.NewInt(0))
	custom.Rsh(custom, 1024) // 2048 bits, odd (the low bits of p are ones)
	g, err = DHGroupFromParams(custom.Bytes(), []byte{5})
	require.NoError(t, err)
	assert.Nil(t, g.Q)
	assert.Equal(t, "DH-2048", g.String())

	huge := make([]byte, MaxDHPrimeBits/8+1)
	huge[0], huge[len(huge)-1] = 1, 1
	for name, params := range map[string][2][]byte{
		"even p":     {new(big.Int).Lsh(big.NewInt(1), 2048).Bytes(), {2}},
		"g = 1":      {custom.Bytes(), {1}},
		"g = p-1":    {custom.Bytes(), new(big.Int).Sub(custom, big.NewInt(1)).Bytes()},
		"g = 0":      {custom.Bytes(), {0}},
		"huge prime": {huge, {2}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DHGroupFromParams(params[0], params[1])
			assert.True(t, errors.Is(err, ErrBadDHParams), "%v", err)
		})
	}
}
