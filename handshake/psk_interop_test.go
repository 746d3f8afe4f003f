package handshake

// Pre-shared keys (RFC 4279 PSK, RFC 5489 ECDHE_PSK) against OpenSSL, both
// directions, every PSK suite: `openssl s_client -psk` to our server and
// our client to `openssl s_server -psk -nocert`; and RFC 4279, 2's two
// answers to an unknown identity as OpenSSL sees them.

import (
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/record"
)

var interopPSK = []byte("glasstls interop pre-shared key!")

// pskServerConfig is a server with no certificate at all: one identity,
// "client1".
func pskServerConfig() *Config {
	return &Config{
		PSKIdentityHint: "glasstls",
		PSKLookup: func(identity string) ([]byte, error) {
			if identity == "client1" {
				return interopPSK, nil
			}
			return nil, ErrUnknownPSKIdentity
		},
	}
}

func pskSuiteList() []*cipher.Suite {
	var suites []*cipher.Suite
	for _, s := range cipher.Suites() {
		if s.Auth == cipher.AuthPSK {
			suites = append(suites, s)
		}
	}
	return suites
}

func TestOpenSSLPSKClientToOurServer(t *testing.T) {
	interop.RequireOpenSSL(t)
	port, results := echoServer(t, pskServerConfig())
	for _, suite := range pskSuiteList() {
		t.Run(suite.OpenSSLName, func(t *testing.T) {
			out, err := interop.RunOpenSSLClient(t, port, "hello psk\n", opensslTimeout,
				"-tls1_2", "-cipher", suite.OpenSSLName, "-psk", hex.EncodeToString(interopPSK),
				"-psk_identity", "client1", "-ign_eof")
			require.NoError(t, err, out)
			require.NoError(t, <-results)
			assert.Contains(t, out, "Cipher is "+suite.OpenSSLName)
			assert.Contains(t, out, "PSK identity: client1")
			assert.Contains(t, out, "hello psk", "the echo came back")
		})
	}
}

// RFC 4279, 2: a wrong key and, by default, an unknown identity both end in
// decrypt_error; with RevealUnknownPSKIdentity the unknown identity gets
// unknown_psk_identity.
func TestOpenSSLPSKClientRefused(t *testing.T) {
	interop.RequireOpenSSL(t)
	for _, tt := range []struct {
		name, identity, key string
		reveal              bool
		wantAlert           record.AlertDescription
		wantText            string // as s_client prints the alert
	}{
		{"wrong key", "client1", "00112233", false, record.AlertDecryptError, "alert decrypt error"},
		{"unknown identity, hidden", "mallory", hex.EncodeToString(interopPSK), false, record.AlertDecryptError, "alert decrypt error"},
		{"unknown identity, revealed", "mallory", hex.EncodeToString(interopPSK), true, record.AlertUnknownPSKIdentity, "alert unknown psk identity"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			config := pskServerConfig()
			config.RevealUnknownPSKIdentity = tt.reveal
			port, results := echoServer(t, config)
			out, err := interop.RunOpenSSLClient(t, port, "", opensslTimeout,
				"-tls1_2", "-cipher", "PSK-AES128-GCM-SHA256", "-psk", tt.key, "-psk_identity", tt.identity)
			require.Error(t, err, out)
			requireAlert(t, <-results, tt.wantAlert, false)
			assert.Contains(t, out, tt.wantText)
		})
	}
}

func TestOurPSKClientToOpenSSLServer(t *testing.T) {
	interop.RequireOpenSSL(t)
	_, port := interop.StartOpenSSLServer(t, "-tls1_2", "-nocert", "-psk", hex.EncodeToString(interopPSK),
		"-psk_identity", "client1", "-psk_hint", "from openssl", "-cipher", "PSK:@SECLEVEL=0", "-rev")
	for _, suite := range pskSuiteList() {
		t.Run(suite.OpenSSLName, func(t *testing.T) {
			// No ServerName: a PSK client needs none, and offers only the
			// PSK suites.
			config := &Config{PSKIdentity: "client1", PSK: interopPSK, CipherSuites: []uint16{suite.ID}}
			conn, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), config)
			require.NoError(t, err)
			defer conn.Close()
			assert.Equal(t, suite.ID, conn.ConnectionState().CipherSuite)
			assert.Equal(t, "client1", conn.ConnectionState().PSKIdentity)
			assert.Empty(t, conn.ConnectionState().PeerCertificates)
			_ = conn.SetDeadline(time.Now().Add(opensslTimeout))
			_, err = conn.Write([]byte("psk\n"))
			require.NoError(t, err)
			assert.Equal(t, "ksp", readLine(t, conn))
		})
	}
	// The wrong key: OpenSSL's server does not translate, as RFC 4279, 2
	// and glasstls do, the Finished record that fails to open into
	// decrypt_error; it answers bad_record_mac.
	config := &Config{PSKIdentity: "client1", PSK: []byte("the wrong key"), CipherSuites: []uint16{0x00A8}}
	_, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), config)
	requireAlert(t, err, record.AlertBadRecordMAC, true)
}
