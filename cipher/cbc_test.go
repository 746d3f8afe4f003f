package cipher

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"hash"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCBCCraftedPadding opens hand-built records whose MAC is correct but
// whose padding varies. Tampering tests cannot reach these cases: there a
// changed byte always breaks the MAC too.
func TestCBCCraftedPadding(t *testing.T) {
	hashes := []struct {
		suite   string
		newHash func() hash.Hash
	}{
		{"AES128-SHA", sha1.New},
		{"AES128-SHA256", sha256.New},
	}
	// The content length below makes content+MAC a whole number of blocks,
	// so every padding here is 16k bytes long.
	tests := []struct {
		name    string
		padding func(macLen, contentLen int) []byte
		ok      bool
	}{
		{"minimal", func(m, c int) []byte { return minimalPadding(c + m) }, true},
		{"one extra block", func(m, c int) []byte {
			l := 15 - (c+m)%16 + 16
			return bytes.Repeat([]byte{byte(l)}, l+1)
		}, true},
		{"255 bytes, the RFC maximum", func(m, c int) []byte {
			// 256 padding bytes total: needs (c+m)%16 == 0.
			return bytes.Repeat([]byte{255}, 256)
		}, true},
		{"first of 32 padding bytes wrong", func(m, c int) []byte {
			p := bytes.Repeat([]byte{31}, 32)
			p[0] ^= 1 // furthest from the length byte
			return p
		}, false},
		{"padding bytes differ from length", func(m, c int) []byte {
			return append(make([]byte, 15), 15)
		}, false},
		{"padding bytes one less than length", func(m, c int) []byte {
			return append(bytes.Repeat([]byte{14}, 15), 15)
		}, false},
		{"padding_length longer than the record", func(m, c int) []byte {
			p := minimalPadding(c + m)
			p[len(p)-1] = 200 // claims 201 bytes of padding in a short record
			return p
		}, false},
	}
	for _, h := range hashes {
		s := mustSuite(t, h.suite)
		k := testKeys(s, 1)
		contentLen := 48 - s.MACLen%16 // (content+MAC) % 16 == 0
		content := pattern(contentLen, 0x61)
		for _, tt := range tests {
			t.Run(h.suite+"/"+tt.name, func(t *testing.T) {
				padding := tt.padding(s.MACLen, contentLen)
				require.Zero(t, (contentLen+s.MACLen+len(padding))%16, "test bug")
				record := buildMACThenEncrypt(t, h.newHash, k, pattern(16, 0xee), 77, content, padding)
				p, err := s.NewProtection(k, false, newDetReader(""))
				require.NoError(t, err)
				got, err := p.Open(nil, 77, typeApplicationData, versionTLS12, record)
				if tt.ok {
					require.NoError(t, err)
					assert.Equal(t, content, got)
				} else {
					assert.Equal(t, ErrBadRecordMAC, err)
					assert.Nil(t, got)
				}
			})
		}
	}
}

// TestCBCCraftedMACFailsWithGoodPadding: valid padding, wrong MAC key.
func TestCBCCraftedMACFailsWithGoodPadding(t *testing.T) {
	s := mustSuite(t, "AES128-SHA")
	k := testKeys(s, 1)
	wrong := k
	wrong.MACKey = pattern(20, 0x99)
	content := []byte("twelve bytes")
	record := buildMACThenEncrypt(t, sha1.New, wrong, pattern(16, 1), 0, content, minimalPadding(len(content)+20))
	p, err := s.NewProtection(k, false, newDetReader(""))
	require.NoError(t, err)
	_, err = p.Open(nil, 0, typeApplicationData, versionTLS12, record)
	assert.Equal(t, ErrBadRecordMAC, err)
}

// TestEtMCraftedPadding: an authentic EtM record with malformed padding is
// still rejected after decryption, and long valid padding is accepted.
func TestEtMCraftedPadding(t *testing.T) {
	s := mustSuite(t, "ECDHE-RSA-AES128-SHA256")
	k := testKeys(s, 1)
	content := pattern(16, 0x41)
	tests := []struct {
		name    string
		padding []byte
		ok      bool
	}{
		{"minimal", minimalPadding(16), true},
		{"long", bytes.Repeat([]byte{47}, 48), true},
		{"bad byte", append([]byte{15, 14}, bytes.Repeat([]byte{15}, 14)...), false},
		{"length too big", append(bytes.Repeat([]byte{15}, 15), 40), false},
	}
	for _, tt := range tests {
		record := buildEncryptThenMAC(t, sha256.New, k, pattern(16, 3), 1, content, tt.padding)
		p, err := s.NewProtection(k, true, newDetReader(""))
		require.NoError(t, err)
		got, err := p.Open(nil, 1, typeApplicationData, versionTLS12, record)
		if tt.ok {
			require.NoError(t, err, tt.name)
			assert.Equal(t, content, got, tt.name)
		} else {
			assert.Equal(t, ErrBadRecordMAC, err, tt.name)
		}
	}
}

// naiveExtractPadding is the obvious branching version of extractPadding,
// as a reference for the constant-time one.
func naiveExtractPadding(payload []byte, macLen int) (toRemove, good int) {
	l := int(payload[len(payload)-1])
	if l+1+macLen > len(payload) {
		return 1, 0
	}
	for i := len(payload) - 1 - l; i < len(payload); i++ {
		if int(payload[i]) != l {
			return 1, 0
		}
	}
	return l + 1, 1
}

func TestExtractPadding(t *testing.T) {
	tests := []struct {
		name     string
		payload  []byte
		macLen   int
		toRemove int
		good     int
	}{
		{"zero padding", []byte{9, 9, 9, 0}, 0, 1, 1},
		{"two", []byte{9, 2, 2, 2}, 0, 3, 1},
		{"whole payload", []byte{3, 3, 3, 3}, 0, 4, 1},
		{"one too long", []byte{4, 4, 4, 4}, 0, 1, 0},
		{"mismatch", []byte{9, 2, 1, 2}, 0, 1, 0},
		{"leaves no room for MAC", []byte{0, 2, 2, 2}, 2, 1, 0},
		{"exactly room for MAC", []byte{0, 0, 1, 1}, 2, 2, 1},
		{"255", append([]byte{1}, bytes.Repeat([]byte{255}, 256)...), 1, 256, 1},
		{"255, one byte short", bytes.Repeat([]byte{255}, 256), 1, 1, 0},
	}
	for _, tt := range tests {
		toRemove, good := extractPadding(tt.payload, tt.macLen)
		assert.Equal(t, tt.toRemove, toRemove, tt.name)
		assert.Equal(t, tt.good, good, tt.name)
		nr, ng := naiveExtractPadding(tt.payload, tt.macLen)
		assert.Equal(t, [2]int{nr, ng}, [2]int{toRemove, good}, "naive disagrees: %s", tt.name)
	}
}

func FuzzExtractPadding(f *testing.F) {
	f.Add([]byte{0}, 0)
	f.Add([]byte{9, 2, 2, 2}, 0)
	f.Add(bytes.Repeat([]byte{255}, 300), 20)
	f.Add(append(pattern(32, 0), bytes.Repeat([]byte{15}, 16)...), 32)
	f.Fuzz(func(t *testing.T, payload []byte, macLen int) {
		if macLen < 0 || macLen > 64 || len(payload) < macLen+1 {
			return // the caller guarantees this
		}
		toRemove, good := extractPadding(payload, macLen)
		wantRemove, wantGood := naiveExtractPadding(payload, macLen)
		if toRemove != wantRemove || good != wantGood {
			t.Fatalf("extractPadding = %d,%d; naive = %d,%d", toRemove, good, wantRemove, wantGood)
		}
	})
}

func TestMACMatchesAt(t *testing.T) {
	var local [64]byte
	copy(local[:], pattern(20, 0xa0))
	payload := append(append(pattern(30, 0), pattern(20, 0xa0)...), bytes.Repeat([]byte{5}, 6)...)
	assert.Equal(t, 1, macMatchesAt(payload, 30, &local, 20))
	for _, n := range []int{0, 29, 31, 36} {
		assert.Equal(t, 0, macMatchesAt(payload, n, &local, 20), "n=%d", n)
	}
	for i := 30; i < 50; i++ {
		bad := bytes.Clone(payload)
		bad[i] ^= 0x10
		assert.Equal(t, 0, macMatchesAt(bad, 30, &local, 20), "flip %d", i)
	}
	// Bytes outside the MAC do not matter.
	other := bytes.Clone(payload)
	other[0], other[29], other[50] = 0xff, 0xff, 0xff
	assert.Equal(t, 1, macMatchesAt(other, 30, &local, 20))
}

// TestExtraHashLenEqualizesCompressions checks the Lucky13 arithmetic:
// for every record length and every padding a peer could use, the HMAC's
// inner hash makes the same number of compression calls, and the extra
// bytes fit the buffer.
func TestExtraHashLenEqualizesCompressions(t *testing.T) {
	for _, tc := range []struct {
		md     mdShape
		macLen int
	}{{mdSHA256, 20}, {mdSHA256, 32}, {mdSHA384, 48}} {
		md, macLen := tc.md, tc.macLen
		prefix := md.blockSize + 13
		for payloadLen := roundUp(macLen+1, 16); payloadLen <= 1024; payloadLen += 16 {
			longest := payloadLen - macLen - 1
			want := md.hashBlocks(prefix + longest)
			for toRemove := 1; toRemove <= min(256, payloadLen-macLen); toRemove++ {
				n := payloadLen - macLen - toRemove
				extra := md.extraHashLen(payloadLen, macLen, n)
				require.LessOrEqual(t, extra, maxExtraHash)
				require.GreaterOrEqual(t, extra, 0)
				// Compression calls: those Sum accounts for (on a copy of the
				// state), plus those the extra bytes trigger on the real state,
				// which still buffers (prefix+n)%blockSize bytes.
				got := md.hashBlocks(prefix+n) + ((prefix+n)%md.blockSize+extra)/md.blockSize
				require.Equal(t, want, got, "macLen %d payload %d n %d", macLen, payloadLen, n)
			}
		}
	}
	// The model of the hash: SHA-256 pads with 0x80 and an 8-byte length,
	// SHA-384 with 0x80 and a 16-byte length in 128-byte blocks.
	assert.Equal(t, 1, mdSHA256.hashBlocks(55))
	assert.Equal(t, 2, mdSHA256.hashBlocks(56))
	assert.Equal(t, 2, mdSHA256.hashBlocks(64))
	assert.Equal(t, 3, mdSHA256.hashBlocks(120))
	assert.Equal(t, 1, mdSHA384.hashBlocks(111))
	assert.Equal(t, 2, mdSHA384.hashBlocks(112))
	assert.Equal(t, 2, mdSHA384.hashBlocks(128))
}
