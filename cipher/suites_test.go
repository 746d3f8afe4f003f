package cipher

import (
	"crypto"
	"crypto/tls"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSuiteTableAgainstGo checks every ID/name pair against crypto/tls's
// independent table, where it has the suite (it lacks the SHA-384 CBC ones).
func TestSuiteTableAgainstGo(t *testing.T) {
	for _, s := range Suites() {
		goName := tls.CipherSuiteName(s.ID)
		if strings.HasPrefix(goName, "0x") {
			// crypto/tls lacks the SHA-384 CBC suites and has no DHE or
			// PSK suites: it names them by number, and
			// TestSuiteTableRequired checks them against OpenSSL.
			assert.True(t, s.MAC == MACSHA384 || s.KeyExchange == KeyExchangeDHE || s.Auth == AuthPSK, "%s: crypto/tls lacks it", s.Name)
			continue
		}
		assert.Equal(t, goName, s.Name, "%#04x", s.ID)
	}
}

// TestSuiteTableRequired checks that the brief's list is present, with
// OpenSSL names as `openssl ciphers -V` prints them.
func TestSuiteTableRequired(t *testing.T) {
	want := map[uint16]string{
		0xC02B: "ECDHE-ECDSA-AES128-GCM-SHA256", 0xC02C: "ECDHE-ECDSA-AES256-GCM-SHA384",
		0xCCA9: "ECDHE-ECDSA-CHACHA20-POLY1305", 0xC009: "ECDHE-ECDSA-AES128-SHA",
		0xC00A: "ECDHE-ECDSA-AES256-SHA", 0xC023: "ECDHE-ECDSA-AES128-SHA256",
		0xC02F: "ECDHE-RSA-AES128-GCM-SHA256", 0xC030: "ECDHE-RSA-AES256-GCM-SHA384",
		0xCCA8: "ECDHE-RSA-CHACHA20-POLY1305", 0xC013: "ECDHE-RSA-AES128-SHA",
		0xC014: "ECDHE-RSA-AES256-SHA", 0xC027: "ECDHE-RSA-AES128-SHA256",
		0x009C: "AES128-GCM-SHA256", 0x009D: "AES256-GCM-SHA384",
		0x002F: "AES128-SHA", 0x0035: "AES256-SHA", 0x003C: "AES128-SHA256",
		0xC024: "ECDHE-ECDSA-AES256-SHA384", 0xC028: "ECDHE-RSA-AES256-SHA384",
		// Issue 20: finite-field DHE.
		0x009E: "DHE-RSA-AES128-GCM-SHA256", 0x009F: "DHE-RSA-AES256-GCM-SHA384",
		0xCCAA: "DHE-RSA-CHACHA20-POLY1305", 0x0067: "DHE-RSA-AES128-SHA256",
		0x006B: "DHE-RSA-AES256-SHA256", 0x0033: "DHE-RSA-AES128-SHA", 0x0039: "DHE-RSA-AES256-SHA",
		// Issue 20: pre-shared keys.
		0xCCAC: "ECDHE-PSK-CHACHA20-POLY1305", 0xC037: "ECDHE-PSK-AES128-CBC-SHA256",
		0xC035: "ECDHE-PSK-AES128-CBC-SHA", 0xC036: "ECDHE-PSK-AES256-CBC-SHA",
		0x00A8: "PSK-AES128-GCM-SHA256", 0x00A9: "PSK-AES256-GCM-SHA384", 0xCCAB: "PSK-CHACHA20-POLY1305",
		0x00AE: "PSK-AES128-CBC-SHA256", 0x008C: "PSK-AES128-CBC-SHA", 0x008D: "PSK-AES256-CBC-SHA",
	}
	require.Len(t, Suites(), len(want))
	for id, openssl := range want {
		s, ok := SuiteByID(id)
		if assert.True(t, ok, "%#04x", id) {
			assert.Equal(t, openssl, s.OpenSSLName)
		}
	}
}

// TestSuiteFieldsConsistent derives every field from the IANA name and
// compares, so a typo in one column shows up.
func TestSuiteFieldsConsistent(t *testing.T) {
	seenID := map[uint16]bool{}
	for _, s := range Suites() {
		t.Run(s.Name, func(t *testing.T) {
			assert.False(t, seenID[s.ID], "duplicate ID")
			seenID[s.ID] = true
			n := s.Name
			assert.Equal(t, n, s.String())

			switch {
			case strings.HasPrefix(n, "TLS_ECDHE_ECDSA_"):
				assert.Equal(t, KeyExchangeECDHE, s.KeyExchange)
				assert.Equal(t, AuthECDSA, s.Auth)
			case strings.HasPrefix(n, "TLS_ECDHE_RSA_"):
				assert.Equal(t, KeyExchangeECDHE, s.KeyExchange)
				assert.Equal(t, AuthRSA, s.Auth)
			case strings.HasPrefix(n, "TLS_ECDHE_PSK_"):
				assert.Equal(t, KeyExchangeECDHEPSK, s.KeyExchange)
				assert.Equal(t, AuthPSK, s.Auth)
			case strings.HasPrefix(n, "TLS_PSK_"):
				assert.Equal(t, KeyExchangePSK, s.KeyExchange)
				assert.Equal(t, AuthPSK, s.Auth)
			case strings.HasPrefix(n, "TLS_DHE_RSA_"):
				assert.Equal(t, KeyExchangeDHE, s.KeyExchange)
				assert.Equal(t, AuthRSA, s.Auth)
			case strings.HasPrefix(n, "TLS_RSA_"):
				assert.Equal(t, KeyExchangeRSA, s.KeyExchange)
				assert.Equal(t, AuthRSA, s.Auth)
			default:
				t.Errorf("unexpected key exchange in %s", n)
			}

			type bulkInfo struct {
				bulk          Bulk
				keyLen, ivLen int
			}
			var want bulkInfo
			switch {
			case strings.Contains(n, "_AES_128_GCM_"):
				want = bulkInfo{BulkAES128GCM, 16, 4}
			case strings.Contains(n, "_AES_256_GCM_"):
				want = bulkInfo{BulkAES256GCM, 32, 4}
			case strings.Contains(n, "_CHACHA20_POLY1305_"):
				want = bulkInfo{BulkChaCha20Poly1305, 32, 12}
			case strings.Contains(n, "_AES_128_CBC_"):
				want = bulkInfo{BulkAES128CBC, 16, 0}
			case strings.Contains(n, "_AES_256_CBC_"):
				want = bulkInfo{BulkAES256CBC, 32, 0}
			}
			assert.Equal(t, want, bulkInfo{s.Bulk, s.KeyLen, s.FixedIVLen})

			aead := strings.Contains(n, "_GCM_") || strings.Contains(n, "_POLY1305_")
			assert.Equal(t, aead, s.IsAEAD())
			switch {
			case aead:
				assert.Equal(t, MACAEAD, s.MAC)
				assert.Zero(t, s.MACLen)
			case strings.HasSuffix(n, "_SHA"):
				assert.Equal(t, MACSHA1, s.MAC)
				assert.Equal(t, 20, s.MACLen)
			case strings.HasSuffix(n, "_SHA256"):
				assert.Equal(t, MACSHA256, s.MAC)
				assert.Equal(t, 32, s.MACLen)
			case strings.HasSuffix(n, "_SHA384"):
				assert.Equal(t, MACSHA384, s.MAC)
				assert.Equal(t, 48, s.MACLen)
			}
			// RFC 5246, 5: the PRF uses SHA-256 unless the suite names another
			// hash; only the *_SHA384 suites do.
			if strings.HasSuffix(n, "_SHA384") {
				assert.Equal(t, crypto.SHA384, s.PRFHash)
			} else {
				assert.Equal(t, crypto.SHA256, s.PRFHash)
			}
		})
	}
}

// TestKeyBlockLength pins the RFC 5246, 6.3 key block size for a few
// suites: 2 * (mac_key + enc_key + fixed_iv).
func TestKeyBlockLength(t *testing.T) {
	tests := []struct {
		name string
		want int
	}{
		{"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 2 * (32 + 16)},
		{"TLS_RSA_WITH_AES_256_CBC_SHA", 2 * (20 + 32)},
		{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 2 * (16 + 4)},
		{"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 2 * (32 + 4)},
		{"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 2 * (32 + 12)},
	}
	for _, tt := range tests {
		s, ok := SuiteByName(tt.name)
		require.True(t, ok, tt.name)
		assert.Equal(t, tt.want, 2*(s.MACLen+s.KeyLen+s.FixedIVLen), tt.name)
	}
}

// TestPreferenceOrder checks the ordering rules stated in suites.go.
func TestPreferenceOrder(t *testing.T) {
	rank := func(s *Suite) (int, int) {
		fs := 2 // RSA key exchange: no forward secrecy
		switch s.KeyExchange {
		case KeyExchangeECDHE:
			fs = 0
		case KeyExchangeDHE:
			fs = 1
		case KeyExchangeECDHEPSK:
			fs = 3 // the PSK suites come last (they need a configured key), forward secret first
		case KeyExchangePSK:
			fs = 4
		}
		aead := 1
		if s.IsAEAD() {
			aead = 0
		}
		return fs, aead
	}
	all := Suites()
	for i := 1; i < len(all); i++ {
		pf, pa := rank(all[i-1])
		cf, ca := rank(all[i])
		assert.True(t, pf < cf || (pf == cf && pa <= ca), "%s ranked above %s", all[i-1], all[i])
	}
	// Within ECDHE AEAD: AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305.
	var bulks []Bulk
	for _, s := range all {
		if s.KeyExchange == KeyExchangeECDHE && s.IsAEAD() && s.Auth == AuthRSA {
			bulks = append(bulks, s.Bulk)
		}
	}
	assert.Equal(t, []Bulk{BulkAES128GCM, BulkAES256GCM, BulkChaCha20Poly1305}, bulks)
}

func TestDefaultSuites(t *testing.T) {
	def := DefaultSuites()
	var want []*Suite
	for _, s := range Suites() {
		// Off by default: the SHA-384 CBC suites, and CBC without ECDHE
		// (RSA key exchange, DHE).
		isSHA384CBC := s.MAC == MACSHA384
		offByDefault := (s.KeyExchange != KeyExchangeECDHE && !s.IsAEAD()) || isSHA384CBC || s.Auth == AuthPSK
		assert.Equal(t, !offByDefault, s.Default, s.Name)
		if s.Default {
			want = append(want, s)
		}
	}
	assert.Equal(t, want, def)
	assert.Len(t, def, 17)
}

func TestSuitesReturnsCopy(t *testing.T) {
	a := Suites()
	a[0], a[1] = a[1], a[0]
	assert.NotEqual(t, a[0], Suites()[0], "reordering the returned slice must not reorder the table")
}

func TestSuiteByName(t *testing.T) {
	tests := []struct {
		name   string
		wantID uint16
		ok     bool
	}{
		{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC02F, true},
		{"ECDHE-RSA-AES128-GCM-SHA256", 0xC02F, true},
		{"ecdhe-rsa-aes128-gcm-sha256", 0xC02F, true},
		{"tls_rsa_with_aes_128_cbc_sha", 0x002F, true},
		{"AES128-SHA", 0x002F, true}, // non-default, still selectable
		{"ECDHE-ECDSA-CHACHA20-POLY1305", 0xCCA9, true},
		{"TLS_RSA_WITH_RC4_128_SHA", 0, false},
		{"", 0, false},
		{"AES128", 0, false},
	}
	for _, tt := range tests {
		s, ok := SuiteByName(tt.name)
		assert.Equal(t, tt.ok, ok, tt.name)
		if ok {
			assert.Equal(t, tt.wantID, s.ID, tt.name)
		}
	}
}

func TestSuiteByID(t *testing.T) {
	s, ok := SuiteByID(0xCCA8)
	require.True(t, ok)
	assert.Equal(t, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", s.Name)
	same, _ := SuiteByID(0xCCA8)
	assert.Same(t, s, same, "lookups return the table's pointer")
	_, ok = SuiteByID(0x0000) // TLS_NULL_WITH_NULL_NULL is never negotiable
	assert.False(t, ok)
}

func TestEnumStrings(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{KeyExchangeRSA.String(), "RSA"},
		{KeyExchangeECDHE.String(), "ECDHE"},
		{KeyExchange(9).String(), "KeyExchange(9)"},
		{AuthRSA.String(), "RSA"},
		{AuthECDSA.String(), "ECDSA"},
		{Auth(0).String(), "Auth(0)"},
		{BulkAES128GCM.String(), "AES-128-GCM"},
		{BulkAES256GCM.String(), "AES-256-GCM"},
		{BulkChaCha20Poly1305.String(), "ChaCha20-Poly1305"},
		{BulkAES128CBC.String(), "AES-128-CBC"},
		{BulkAES256CBC.String(), "AES-256-CBC"},
		{Bulk(0).String(), "Bulk(0)"},
		{MACAEAD.String(), "AEAD"},
		{MACSHA1.String(), "HMAC-SHA1"},
		{MACSHA256.String(), "HMAC-SHA256"},
		{MAC(7).String(), "MAC(7)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got)
	}
}
