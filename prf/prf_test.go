package prf

import (
	"crypto"
	"encoding/hex"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// The published TLS 1.2 PRF test vectors (label "test label"), full outputs.
var prfVectors = []struct {
	name   string
	hash   crypto.Hash
	secret string
	seed   string
	out    string
}{
	{
		name:   "SHA-256",
		hash:   crypto.SHA256,
		secret: "9bbe436ba940f017b17652849a71db35",
		seed:   "a0ba9f936cda311827a6f796ffd5198c",
		out: "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a" +
			"6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab" +
			"4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701" +
			"87347b66",
	},
	{
		name:   "SHA-384",
		hash:   crypto.SHA384,
		secret: "b80b733d6ceefcdc71566ea48e5567df",
		seed:   "cd665cf6a8447dd6ff8b27555edb7465",
		out: "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd" +
			"e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd" +
			"8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425" +
			"9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6" +
			"91c8f3a26854308d5eaa3be85e0990703d73e56f",
	},
}

func TestPRFPublishedVectors(t *testing.T) {
	for _, v := range prfVectors {
		t.Run(v.name, func(t *testing.T) {
			want := unhex(t, v.out)
			got := PRF(v.hash, unhex(t, v.secret), "test label", unhex(t, v.seed), len(want))
			assert.Equal(t, v.out, hex.EncodeToString(got))
		})
	}
}

func TestPRFVectorsMatchIssueText(t *testing.T) {
	// The issue quotes the lengths and the first/last bytes; guard against a typo in the table above.
	assert.Len(t, unhex(t, prfVectors[0].out), 100)
	assert.True(t, strings.HasSuffix(prfVectors[0].out, "87347b66"))
	assert.Len(t, unhex(t, prfVectors[1].out), 148)
	assert.True(t, strings.HasPrefix(prfVectors[1].out, "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"))
}

// openSSLPRF asks OpenSSL's TLS1-PRF KDF for the same output, as an oracle.
func openSSLPRF(t *testing.T, h crypto.Hash, secret []byte, label string, seed []byte, n int) []byte {
	t.Helper()
	openssl := interop.RequireOpenSSL(t)
	digest := map[crypto.Hash]string{crypto.SHA256: "SHA256", crypto.SHA384: "SHA384"}[h]
	out, err := exec.Command(openssl, "kdf", "-keylen", strconv.Itoa(n),
		"-kdfopt", "digest:"+digest,
		"-kdfopt", "hexsecret:"+hex.EncodeToString(secret),
		"-kdfopt", "seed:"+label,
		"-kdfopt", "hexseed:"+hex.EncodeToString(seed),
		"TLS1-PRF").CombinedOutput()
	require.NoError(t, err, string(out))
	return unhex(t, strings.ReplaceAll(strings.TrimSpace(string(out)), ":", ""))
}

func TestPRFAgainstOpenSSL(t *testing.T) {
	cases := []struct {
		hash crypto.Hash
		n    int
	}{
		{crypto.SHA256, 1}, {crypto.SHA256, 32}, {crypto.SHA256, 33}, {crypto.SHA256, 128},
		{crypto.SHA384, 48}, {crypto.SHA384, 49}, {crypto.SHA384, 200},
	}
	for i, c := range cases {
		secret := []byte(strings.Repeat("s", 20+i))
		seed := []byte(strings.Repeat("r", 64))
		want := openSSLPRF(t, c.hash, secret, LabelKeyExpansion, seed, c.n)
		got := PRF(c.hash, secret, LabelKeyExpansion, seed, c.n)
		assert.Equal(t, want, got, "hash %v n %d", c.hash, c.n)
	}
}

func TestMasterSecretAndKeyBlockAgainstOpenSSL(t *testing.T) {
	preMasterSecret := unhex(t, "0303"+strings.Repeat("ab", 46))
	clientRandom := unhex(t, strings.Repeat("01", 32))
	serverRandom := unhex(t, strings.Repeat("02", 32))

	masterSecret := MasterSecret(crypto.SHA256, preMasterSecret, clientRandom, serverRandom)
	require.Len(t, masterSecret, MasterSecretLen)
	assert.Equal(t, openSSLPRF(t, crypto.SHA256, preMasterSecret, LabelMasterSecret,
		append(append([]byte{}, clientRandom...), serverRandom...), 48), masterSecret)

	// AES_256_CBC_SHA256 needs the most key material: 2x32 MAC + 2x32 key, no IVs (RFC 5246, 6.3).
	kb := KeysFromMasterSecret(crypto.SHA256, masterSecret, clientRandom, serverRandom, 32, 32, 0)
	keyBlock := openSSLPRF(t, crypto.SHA256, masterSecret, LabelKeyExpansion,
		append(append([]byte{}, serverRandom...), clientRandom...), 128)
	assert.Equal(t, keyBlock[0:32], kb.ClientMACKey)
	assert.Equal(t, keyBlock[32:64], kb.ServerMACKey)
	assert.Equal(t, keyBlock[64:96], kb.ClientWriteKey)
	assert.Equal(t, keyBlock[96:128], kb.ServerWriteKey)
	assert.Empty(t, kb.ClientIV)
	assert.Empty(t, kb.ServerIV)
}

func TestKeyBlockSplitGCM(t *testing.T) {
	masterSecret := make([]byte, 48)
	cr, sr := make([]byte, 32), make([]byte, 32)
	sr[0] = 1
	// AES_128_GCM: no MAC keys, 16-byte keys, 4-byte implicit IVs (RFC 5288, 3).
	kb := KeysFromMasterSecret(crypto.SHA256, masterSecret, cr, sr, 0, 16, 4)
	whole := PRF(crypto.SHA256, masterSecret, LabelKeyExpansion, append(append([]byte{}, sr...), cr...), 40)
	assert.Empty(t, kb.ClientMACKey)
	assert.Equal(t, whole[0:16], kb.ClientWriteKey)
	assert.Equal(t, whole[16:32], kb.ServerWriteKey)
	assert.Equal(t, whole[32:36], kb.ClientIV)
	assert.Equal(t, whole[36:40], kb.ServerIV)
	// Appending to one part must not overwrite the next.
	_ = append(kb.ClientWriteKey, 0xff)
	assert.Equal(t, whole[16:32], kb.ServerWriteKey)
}

func TestExtendedMasterSecretAndVerifyData(t *testing.T) {
	pms := []byte(strings.Repeat("p", 32))
	sessionHash := []byte(strings.Repeat("h", 32))
	ems := ExtendedMasterSecret(crypto.SHA256, pms, sessionHash)
	assert.Equal(t, openSSLPRF(t, crypto.SHA256, pms, LabelExtendedMasterSecret, sessionHash, 48), ems)
	assert.NotEqual(t, MasterSecret(crypto.SHA256, pms, sessionHash[:16], sessionHash[16:]), ems)

	client := VerifyData(crypto.SHA384, ems, true, sessionHash)
	server := VerifyData(crypto.SHA384, ems, false, sessionHash)
	require.Len(t, client, VerifyDataLen)
	assert.NotEqual(t, client, server)
	assert.Equal(t, openSSLPRF(t, crypto.SHA384, ems, LabelClientFinished, sessionHash, 12), client)
	assert.Equal(t, openSSLPRF(t, crypto.SHA384, ems, LabelServerFinished, sessionHash, 12), server)
}

func TestCheckHash(t *testing.T) {
	assert.NoError(t, CheckHash(crypto.SHA256))
	assert.NoError(t, CheckHash(crypto.SHA384))
	assert.Error(t, CheckHash(crypto.SHA1))
}

func BenchmarkPRF48(b *testing.B) {
	secret := make([]byte, 48)
	seed := make([]byte, 64)
	for b.Loop() {
		PRF(crypto.SHA256, secret, LabelMasterSecret, seed, 48)
	}
}
