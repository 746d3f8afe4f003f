package cipher

import (
	"bytes"
	"crypto/aes"
	stdcipher "crypto/cipher"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/glasstls/glasstls/internal/interop"
)

// The known-answer tests rebuild each record format from the RFC text with
// crypto/cipher and crypto/hmac directly, independently of the package's
// code paths, and compare bytes.

// katHeader is seq_num || type || version || length, written out by hand.
func katHeader(seq uint64, contentType uint8, version uint16, length int) []byte {
	h := binary.BigEndian.AppendUint64(nil, seq)
	h = append(h, contentType, byte(version>>8), byte(version))
	return append(h, byte(length>>8), byte(length))
}

func TestKnownAnswerGCM(t *testing.T) {
	for _, name := range []string{"ECDHE-ECDSA-AES128-GCM-SHA256", "AES256-GCM-SHA384"} {
		t.Run(name, func(t *testing.T) {
			s := mustSuite(t, name)
			k := testKeys(s, 1)
			p, err := s.NewProtection(k, false, nil)
			require.NoError(t, err)

			const seq = 0x0102030405060708
			plaintext := []byte("GET / HTTP/1.1\r\n\r\n")
			got, err := p.Seal(nil, seq, typeApplicationData, versionTLS12, plaintext)
			require.NoError(t, err)

			// RFC 5288, 3: nonce = salt (4, from the key block) || explicit (8);
			// we choose explicit = seq_num.
			explicit := binary.BigEndian.AppendUint64(nil, seq)
			nonce := append(bytes.Clone(k.IV), explicit...)
			block, err := aes.NewCipher(k.Key)
			require.NoError(t, err)
			gcm, err := stdcipher.NewGCM(block)
			require.NoError(t, err)
			ad := katHeader(seq, typeApplicationData, versionTLS12, len(plaintext))
			want := gcm.Seal(bytes.Clone(explicit), nonce, plaintext, ad)

			assert.Equal(t, hex.EncodeToString(want), hex.EncodeToString(got))
			assert.Equal(t, explicit, got[:8], "explicit nonce is the sequence number")
		})
	}
}

// TestGCMAcceptsPeerChosenExplicitNonce: RFC 5288 lets the sender pick
// nonce_explicit (some stacks use a counter unrelated to seq_num, others
// random), so Open must use the bytes from the record.
func TestGCMAcceptsPeerChosenExplicitNonce(t *testing.T) {
	s := mustSuite(t, "ECDHE-RSA-AES128-GCM-SHA256")
	k := testKeys(s, 1)
	block, err := aes.NewCipher(k.Key)
	require.NoError(t, err)
	gcm, err := stdcipher.NewGCM(block)
	require.NoError(t, err)
	explicit := []byte{0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3}
	const seq = 5
	plaintext := []byte("peer's record")
	record := gcm.Seal(bytes.Clone(explicit), append(bytes.Clone(k.IV), explicit...), plaintext,
		katHeader(seq, typeApplicationData, versionTLS12, len(plaintext)))

	p, err := s.NewProtection(k, false, nil)
	require.NoError(t, err)
	got, err := p.Open(nil, seq, typeApplicationData, versionTLS12, record)
	require.NoError(t, err)
	assert.Equal(t, plaintext, got)
}

func TestKnownAnswerChaCha20Poly1305(t *testing.T) {
	s := mustSuite(t, "ECDHE-RSA-CHACHA20-POLY1305")
	k := testKeys(s, 1)
	p, err := s.NewProtection(k, false, nil)
	require.NoError(t, err)
	aead, err := chacha20poly1305.New(k.Key)
	require.NoError(t, err)

	plaintext := []byte("GET / HTTP/1.1\r\n\r\n")
	var prev []byte
	for _, seq := range []uint64{0, 1, 0x0102030405060708, 1<<64 - 1} {
		got, err := p.Seal(nil, seq, typeApplicationData, versionTLS12, plaintext)
		require.NoError(t, err)

		// RFC 7905, 2: the seq_num, left-padded to 12 bytes, XOR the IV.
		padded := append(make([]byte, 4), binary.BigEndian.AppendUint64(nil, seq)...)
		nonce := make([]byte, 12)
		for i := range nonce {
			nonce[i] = k.IV[i] ^ padded[i]
		}
		want := aead.Seal(nil, nonce, plaintext, katHeader(seq, typeApplicationData, versionTLS12, len(plaintext)))
		assert.Equal(t, hex.EncodeToString(want), hex.EncodeToString(got), "seq %#x", seq)
		assert.Len(t, got, len(plaintext)+16, "no explicit nonce on the wire")
		assert.NotEqual(t, prev, got, "nonce must change with seq")
		prev = got
	}
}

// buildMACThenEncrypt writes an RFC 5246, 6.2.3.2 record by hand, with any
// padding bytes the caller likes (valid or not) and optionally a MAC that
// is deliberately wrong.
func buildMACThenEncrypt(t *testing.T, newHash func() hash.Hash, k Keys, iv []byte, seq uint64, content, padding []byte) []byte {
	t.Helper()
	mac := hmac.New(newHash, k.MACKey)
	mac.Write(katHeader(seq, typeApplicationData, versionTLS12, len(content)))
	mac.Write(content)
	inner := append(append(bytes.Clone(content), mac.Sum(nil)...), padding...)
	require.Zero(t, len(inner)%16, "test bug: not block aligned")
	block, err := aes.NewCipher(k.Key)
	require.NoError(t, err)
	out := make([]byte, len(inner))
	stdcipher.NewCBCEncrypter(block, iv).CryptBlocks(out, inner)
	return append(bytes.Clone(iv), out...)
}

// buildEncryptThenMAC writes an RFC 7366 record by hand.
func buildEncryptThenMAC(t *testing.T, newHash func() hash.Hash, k Keys, iv []byte, seq uint64, content, padding []byte) []byte {
	t.Helper()
	inner := append(bytes.Clone(content), padding...)
	require.Zero(t, len(inner)%16, "test bug: not block aligned")
	block, err := aes.NewCipher(k.Key)
	require.NoError(t, err)
	ct := make([]byte, len(inner))
	stdcipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, inner)
	record := append(bytes.Clone(iv), ct...)
	mac := hmac.New(newHash, k.MACKey)
	mac.Write(katHeader(seq, typeApplicationData, versionTLS12, len(record)))
	mac.Write(record)
	return mac.Sum(record)
}

// minimalPadding is what Seal sends: padding_length+1 bytes of value
// padding_length, up to the next block boundary.
func minimalPadding(n int) []byte {
	l := 15 - n%16
	return bytes.Repeat([]byte{byte(l)}, l+1)
}

func TestKnownAnswerCBC(t *testing.T) {
	tests := []struct {
		name    string
		newHash func() hash.Hash
		etm     bool
	}{
		{"AES128-SHA", sha1.New, false},
		{"AES256-SHA", sha1.New, false},
		{"ECDHE-ECDSA-AES128-SHA256", sha256.New, false},
		{"AES128-SHA", sha1.New, true},
		{"ECDHE-RSA-AES128-SHA256", sha256.New, true},
	}
	for _, tt := range tests {
		s := mustSuite(t, tt.name)
		k := testKeys(s, 1)
		for _, size := range []int{0, 3, 12, 16, 100} {
			p, err := s.NewProtection(k, tt.etm, fixedReader{0xa5})
			require.NoError(t, err)
			const seq = 0x1122334455667788
			content := pattern(size, 0x30)
			got, err := p.Seal(nil, seq, typeApplicationData, versionTLS12, content)
			require.NoError(t, err)

			iv := bytes.Repeat([]byte{0xa5}, 16)
			var want []byte
			if tt.etm {
				want = buildEncryptThenMAC(t, tt.newHash, k, iv, seq, content, minimalPadding(size))
			} else {
				want = buildMACThenEncrypt(t, tt.newHash, k, iv, seq, content, minimalPadding(size+s.MACLen))
			}
			assert.Equal(t, hex.EncodeToString(want), hex.EncodeToString(got), "%s etm=%v size %d", tt.name, tt.etm, size)
		}
	}
}

// TestKnownAnswerCBCOpenSSL rebuilds a MAC-then-encrypt record with the
// openssl command line (HMAC with `openssl dgst`, CBC with `openssl enc`),
// a second implementation entirely outside Go.
func TestKnownAnswerCBCOpenSSL(t *testing.T) {
	openssl := interop.RequireOpenSSL(t) // under CI=true a missing openssl fails, never skips
	s := mustSuite(t, "ECDHE-RSA-AES128-SHA256")
	k := testKeys(s, 1)
	p, err := s.NewProtection(k, false, fixedReader{0x5a})
	require.NoError(t, err)
	const seq = 7
	content := []byte("hello, openssl")
	got, err := p.Seal(nil, seq, typeApplicationData, versionTLS12, content)
	require.NoError(t, err)

	run := func(stdin []byte, args ...string) []byte {
		cmd := exec.Command(openssl, args...)
		cmd.Stdin = bytes.NewReader(stdin)
		out, err := cmd.Output()
		require.NoError(t, err, strings.Join(args, " "))
		return out
	}
	mac := run(append(katHeader(seq, typeApplicationData, versionTLS12, len(content)), content...),
		"dgst", "-sha256", "-binary", "-mac", "HMAC", "-macopt", "hexkey:"+hex.EncodeToString(k.MACKey))
	require.Len(t, mac, 32)
	inner := append(append(bytes.Clone(content), mac...), minimalPadding(len(content)+32)...)
	iv := bytes.Repeat([]byte{0x5a}, 16)
	ct := run(inner, "enc", "-aes-128-cbc", "-nopad", "-K", hex.EncodeToString(k.Key), "-iv", hex.EncodeToString(iv))
	assert.Equal(t, hex.EncodeToString(append(iv, ct...)), hex.EncodeToString(got))
}
