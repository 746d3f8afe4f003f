package cipher

import (
	"bytes"
	"crypto/rand"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	typeApplicationData = 23
	typeHandshake       = 22
	versionTLS12        = 0x0303
)

var roundTripSizes = []int{0, 1, 15, 16, 17, 31, 32, 33, 100, 1000, 4096, 1 << 14}

func TestRoundTrip(t *testing.T) {
	for _, c := range allProtectionCases() {
		t.Run(c.name, func(t *testing.T) {
			sealer := newTestProtection(t, c)
			opener := newTestProtection(t, c)
			for i, size := range roundTripSizes {
				seq := uint64(i) * 0x0101010101
				plaintext := pattern(size, byte(i))
				sealed, err := sealer.Seal(nil, seq, typeApplicationData, versionTLS12, plaintext)
				require.NoError(t, err)
				assert.LessOrEqual(t, len(sealed), size+sealer.MaxOverhead(), "size %d", size)
				assert.Greater(t, len(sealed), size, "a sealed record always grows")
				if size >= 16 {
					assert.NotContains(t, string(sealed), string(plaintext[:16]), "plaintext visible")
				}

				// Into a fresh buffer.
				got, err := opener.Open(nil, seq, typeApplicationData, versionTLS12, bytes.Clone(sealed))
				require.NoError(t, err, "size %d", size)
				assert.Equal(t, plaintext, nonNil(got), "size %d", size)

				// In place: dst is fragment[:0].
				frag := bytes.Clone(sealed)
				got, err = opener.Open(frag[:0], seq, typeApplicationData, versionTLS12, frag)
				require.NoError(t, err)
				assert.Equal(t, plaintext, nonNil(got))
				if size > 0 {
					// Anywhere inside fragment (see Protection.Open).
					assert.True(t, &frag[0] == &got[0] || inexactOverlap(frag, got), "in-place open must reuse the fragment")
				}

				// Appending after existing bytes.
				got, err = opener.Open([]byte("prefix"), seq, typeApplicationData, versionTLS12, bytes.Clone(sealed))
				require.NoError(t, err)
				assert.Equal(t, append([]byte("prefix"), plaintext...), got)
			}
		})
	}
}

// nonNil turns a nil slice into an empty one so assert.Equal compares
// contents only.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func TestSealAppendsAndReusesCapacity(t *testing.T) {
	for _, c := range allProtectionCases() {
		t.Run(c.name, func(t *testing.T) {
			p := newTestProtection(t, c)
			plaintext := pattern(50, 7)
			header := []byte{typeApplicationData, 3, 3, 0, 0}
			buf := make([]byte, 5, 5+50+p.MaxOverhead())
			copy(buf, header)
			sealed, err := p.Seal(buf, 9, typeApplicationData, versionTLS12, plaintext)
			require.NoError(t, err)
			assert.Equal(t, header, sealed[:5], "Seal must append, keeping dst")
			assert.Same(t, &buf[0], &sealed[0], "Seal must reuse dst's capacity")

			opened, err := newTestProtection(t, c).Open(nil, 9, typeApplicationData, versionTLS12, sealed[5:])
			require.NoError(t, err)
			assert.Equal(t, plaintext, opened)
		})
	}
}

// TestSealInPlace seals a plaintext that sits in dst's spare capacity,
// where the record layer might have assembled it.
func TestSealInPlace(t *testing.T) {
	for _, c := range allProtectionCases() {
		t.Run(c.name, func(t *testing.T) {
			p := newTestProtection(t, c)
			want := pattern(300, 3)
			for _, offset := range []int{0, 5, 8, 16, 40} {
				buf := make([]byte, 1000)
				copy(buf[offset:], want)
				sealed, err := p.Seal(buf[:0], 1, typeApplicationData, versionTLS12, buf[offset:offset+len(want)])
				require.NoError(t, err)
				got, err := newTestProtection(t, c).Open(nil, 1, typeApplicationData, versionTLS12, sealed)
				require.NoError(t, err, "offset %d", offset)
				assert.Equal(t, want, got, "offset %d", offset)
			}
		})
	}
}

// TestTamper flips every bit position class of every byte of a sealed
// fragment and changes each pseudo-header field: all must fail with
// exactly ErrBadRecordMAC.
func TestTamper(t *testing.T) {
	for _, c := range allProtectionCases() {
		t.Run(c.name, func(t *testing.T) {
			sealer := newTestProtection(t, c)
			opener := newTestProtection(t, c)
			const seq = 42
			for _, size := range []int{0, 40} {
				sealed, err := sealer.Seal(nil, seq, typeApplicationData, versionTLS12, pattern(size, 1))
				require.NoError(t, err)
				_, err = opener.Open(nil, seq, typeApplicationData, versionTLS12, bytes.Clone(sealed))
				require.NoError(t, err, "untampered record must open")

				for i := range sealed {
					for _, flip := range []byte{0x01, 0x80, 0xff} {
						frag := bytes.Clone(sealed)
						frag[i] ^= flip
						got, err := opener.Open(nil, seq, typeApplicationData, versionTLS12, frag)
						assert.Equal(t, ErrBadRecordMAC, err, "byte %d ^ %#x", i, flip)
						assert.Nil(t, got)
					}
				}
				for n := 0; n < len(sealed); n++ {
					_, err := opener.Open(nil, seq, typeApplicationData, versionTLS12, bytes.Clone(sealed[:n]))
					assert.Equal(t, ErrBadRecordMAC, err, "truncated to %d", n)
				}
				for _, extra := range [][]byte{{0}, bytes.Repeat([]byte{0}, 16)} {
					_, err := opener.Open(nil, seq, typeApplicationData, versionTLS12, append(bytes.Clone(sealed), extra...))
					assert.Equal(t, ErrBadRecordMAC, err, "extended by %d", len(extra))
				}

				wrong := []struct {
					name        string
					seq         uint64
					contentType uint8
					version     uint16
				}{
					{"seq+1", seq + 1, typeApplicationData, versionTLS12},
					{"seq-1", seq - 1, typeApplicationData, versionTLS12},
					{"seq high bit", seq | 1<<63, typeApplicationData, versionTLS12},
					{"type", seq, typeHandshake, versionTLS12},
					{"version", seq, typeApplicationData, 0x0302},
				}
				for _, w := range wrong {
					_, err := opener.Open(nil, w.seq, w.contentType, w.version, bytes.Clone(sealed))
					assert.Equal(t, ErrBadRecordMAC, err, w.name)
				}
			}
		})
	}
}

// TestWrongKeys: a record sealed under one direction's keys does not open
// under the other's.
func TestWrongKeys(t *testing.T) {
	for _, c := range allProtectionCases() {
		t.Run(c.name, func(t *testing.T) {
			sealer := newTestProtection(t, c)
			other, err := c.suite.NewProtection(testKeys(c.suite, 2), c.etm, newDetReader("x"))
			require.NoError(t, err)
			sealed, err := sealer.Seal(nil, 0, typeApplicationData, versionTLS12, []byte("hello"))
			require.NoError(t, err)
			_, err = other.Open(nil, 0, typeApplicationData, versionTLS12, sealed)
			assert.Equal(t, ErrBadRecordMAC, err)
		})
	}
}

// TestEncryptThenMACIsDifferentWireFormat: the two CBC modes are not
// interchangeable, so negotiating RFC 7366 must change what we send.
func TestEncryptThenMACIsDifferentWireFormat(t *testing.T) {
	s := mustSuite(t, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")
	mte, err := s.NewProtection(testKeys(s, 1), false, newDetReader("same"))
	require.NoError(t, err)
	etm, err := s.NewProtection(testKeys(s, 1), true, newDetReader("same"))
	require.NoError(t, err)
	a, err := mte.Seal(nil, 0, typeApplicationData, versionTLS12, []byte("hello"))
	require.NoError(t, err)
	b, err := etm.Seal(nil, 0, typeApplicationData, versionTLS12, []byte("hello"))
	require.NoError(t, err)
	assert.Equal(t, a[:16], b[:16], "same IV from the same rand")
	assert.NotEqual(t, a, b)
	// 5 + 20 + pad -> 32 encrypted bytes for MtE; 5 + pad -> 16 for EtM, plus MAC.
	assert.Len(t, a, 16+32)
	assert.Len(t, b, 16+16+20)
	_, err = mte.Open(nil, 0, typeApplicationData, versionTLS12, b)
	assert.Equal(t, ErrBadRecordMAC, err)
	_, err = etm.Open(nil, 0, typeApplicationData, versionTLS12, a)
	assert.Equal(t, ErrBadRecordMAC, err)
}

func TestCBCSealPropagatesRandError(t *testing.T) {
	s := mustSuite(t, "AES128-SHA")
	p, err := s.NewProtection(testKeys(s, 1), false, errReader{})
	require.NoError(t, err)
	_, err = p.Seal(nil, 0, typeApplicationData, versionTLS12, []byte("x"))
	assert.Error(t, err)
}

func TestCBCExplicitIVIsFresh(t *testing.T) {
	s := mustSuite(t, "AES128-SHA256")
	p, err := s.NewProtection(testKeys(s, 1), false, newDetReader("ivs"))
	require.NoError(t, err)
	a, err := p.Seal(nil, 0, typeApplicationData, versionTLS12, []byte("same"))
	require.NoError(t, err)
	b, err := p.Seal(nil, 0, typeApplicationData, versionTLS12, []byte("same"))
	require.NoError(t, err)
	assert.NotEqual(t, a[:16], b[:16], "each record gets its own IV (RFC 5246, 6.2.3.2)")
	assert.NotEqual(t, a[16:], b[16:])
}

func TestMaxOverhead(t *testing.T) {
	tests := []struct {
		name string
		etm  bool
		want int
	}{
		{"ECDHE-RSA-AES128-GCM-SHA256", false, 8 + 16},
		{"ECDHE-RSA-AES256-GCM-SHA384", false, 8 + 16},
		{"ECDHE-RSA-CHACHA20-POLY1305", false, 16},
		{"ECDHE-RSA-AES128-SHA", false, 16 + 20 + 16},
		{"ECDHE-RSA-AES128-SHA", true, 16 + 20 + 16},
		{"AES128-SHA256", false, 16 + 32 + 16},
	}
	for _, tt := range tests {
		s := mustSuite(t, tt.name)
		p, err := s.NewProtection(testKeys(s, 1), tt.etm, newDetReader(""))
		require.NoError(t, err)
		assert.Equal(t, tt.want, p.MaxOverhead(), tt.name)
		// The bound is reached: some plaintext length needs every byte of it.
		most := 0
		for n := 0; n < 64; n++ {
			sealed, err := p.Seal(nil, 0, typeApplicationData, versionTLS12, make([]byte, n))
			require.NoError(t, err)
			most = max(most, len(sealed)-n)
		}
		assert.Equal(t, tt.want, most, tt.name)
	}
}

func TestNewProtectionRejectsBadKeys(t *testing.T) {
	for _, s := range Suites() {
		good := testKeys(s, 1)
		bad := []Keys{
			{MACKey: good.MACKey, Key: good.Key[1:], IV: good.IV},
			{MACKey: good.MACKey, Key: good.Key, IV: append(bytes.Clone(good.IV), 0)},
			{MACKey: append(bytes.Clone(good.MACKey), 0), Key: good.Key, IV: good.IV},
			{},
		}
		for i, k := range bad {
			_, err := s.NewProtection(k, false, newDetReader(""))
			assert.Error(t, err, "%s case %d", s.Name, i)
		}
	}
	cbc := mustSuite(t, "AES128-SHA")
	_, err := cbc.NewProtection(testKeys(cbc, 1), false, nil)
	assert.Error(t, err, "CBC needs rand")
	gcm := mustSuite(t, "AES128-GCM-SHA256")
	_, err = gcm.NewProtection(testKeys(gcm, 1), false, nil)
	assert.NoError(t, err, "AEAD suites need no rand")
}

// TestNewProtectionCopiesKeys: wiping the key block after building the
// protection (as a careful handshake does) must not break it.
func TestNewProtectionCopiesKeys(t *testing.T) {
	for _, c := range allProtectionCases() {
		k := testKeys(c.suite, 1)
		p, err := c.suite.NewProtection(k, c.etm, newDetReader("r"))
		require.NoError(t, err)
		clear(k.Key)
		clear(k.IV)
		clear(k.MACKey)
		sealed, err := p.Seal(nil, 3, typeApplicationData, versionTLS12, []byte("data"))
		require.NoError(t, err)
		got, err := newTestProtection(t, c).Open(nil, 3, typeApplicationData, versionTLS12, sealed)
		require.NoError(t, err, c.name)
		assert.Equal(t, []byte("data"), got)
	}
}

func TestNullProtection(t *testing.T) {
	p := NullProtection()
	assert.Zero(t, p.MaxOverhead())
	for _, data := range [][]byte{nil, {}, []byte("ClientHello"), pattern(1<<14, 0)} {
		sealed, err := p.Seal([]byte{1}, 0, typeHandshake, versionTLS12, data)
		require.NoError(t, err)
		assert.Equal(t, append([]byte{1}, data...), sealed)
		opened, err := p.Open(nil, 99, typeHandshake, versionTLS12, sealed[1:])
		require.NoError(t, err)
		assert.Equal(t, nonNil(data), nonNil(opened))
	}
}

// TestZeroAllocs is the performance contract: no allocation per record
// once buffers are sized.
func TestZeroAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are meaningful only in a full run")
	}
	cases := []protectionCase{
		{"GCM", mustSuite(t, "ECDHE-RSA-AES128-GCM-SHA256"), false},
		{"ChaCha20", mustSuite(t, "ECDHE-RSA-CHACHA20-POLY1305"), false},
		{"CBC-SHA1", mustSuite(t, "ECDHE-RSA-AES128-SHA"), false},
		{"CBC-SHA256", mustSuite(t, "ECDHE-RSA-AES128-SHA256"), false},
		{"CBC-SHA1-EtM", mustSuite(t, "ECDHE-RSA-AES256-SHA"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// crypto/rand, as in production: the test reader allocates.
			sealer, err := c.suite.NewProtection(testKeys(c.suite, 1), c.etm, rand.Reader)
			require.NoError(t, err)
			opener := newTestProtection(t, c)
			plaintext := pattern(2000, 0)
			out := make([]byte, 0, len(plaintext)+sealer.MaxOverhead())
			sealed, err := sealer.Seal(out, 1, typeApplicationData, versionTLS12, plaintext)
			require.NoError(t, err)
			work := make([]byte, len(sealed))
			plain := make([]byte, 0, len(plaintext))

			sealAllocs := exactAllocs(allocRuns, func() {
				_, err = sealer.Seal(out, 1, typeApplicationData, versionTLS12, plaintext)
			})
			require.NoError(t, err)
			assert.Less(t, sealAllocs, allocSlack, "Seal")

			openAllocs := exactAllocs(allocRuns, func() {
				copy(work, sealed)
				_, err = opener.Open(plain, 1, typeApplicationData, versionTLS12, work)
			})
			require.NoError(t, err)
			assert.Less(t, openAllocs, allocSlack, "Open")

			inPlaceAllocs := exactAllocs(allocRuns, func() {
				copy(work, sealed)
				_, err = opener.Open(work[:0], 1, typeApplicationData, versionTLS12, work)
			})
			require.NoError(t, err)
			assert.Less(t, inPlaceAllocs, allocSlack, "Open in place")

			failAllocs := exactAllocs(allocRuns, func() {
				copy(work, sealed)
				work[len(work)-1] ^= 1
				_, err = opener.Open(plain, 1, typeApplicationData, versionTLS12, work)
			})
			require.Equal(t, ErrBadRecordMAC, err)
			assert.Less(t, failAllocs, allocSlack, "failed Open")
		})
	}
}

// allocRuns and allocSlack: the runtime and the test framework allocate
// now and then in the background, and the malloc counter is global, so a
// few stray allocations are tolerated; one allocation per record would
// count allocRuns.
const (
	allocRuns         = 1000
	allocSlack uint64 = 10
)

// exactAllocs counts every allocation over runs calls of f, after one
// warm-up call. Unlike testing.AllocsPerRun it does not round down, so one
// allocation every few records still shows.
func exactAllocs(runs int, f func()) uint64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	f()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs
}
