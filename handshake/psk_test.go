package handshake

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// pskConfigs are a client and a server that share one key, and no
// certificates.
func pskConfigs(identity string, key []byte) (client, server *Config) {
	client = &Config{PSKIdentity: identity, PSK: key}
	server = &Config{PSKLookup: func(id string) ([]byte, error) {
		if id == "client1" {
			return []byte("a sixteen byte k"), nil
		}
		return nil, fmt.Errorf("no key for %q: %w", id, ErrUnknownPSKIdentity)
	}}
	return client, server
}

func TestPSKEverySuite(t *testing.T) {
	for _, suite := range cipher.Suites() {
		if suite.Auth != cipher.AuthPSK {
			continue
		}
		t.Run(suite.Name, func(t *testing.T) {
			clientConfig, serverConfig := pskConfigs("client1", []byte("a sixteen byte k"))
			clientConfig.CipherSuites = []uint16{suite.ID}
			serverConfig.PSKIdentityHint = "glasstls test"
			client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
			require.NoError(t, clientErr)
			require.NoError(t, serverErr)
			cs, ss := client.ConnectionState(), server.ConnectionState()
			assert.Equal(t, suite.ID, cs.CipherSuite)
			assert.Equal(t, "client1", ss.PSKIdentity, "the server learns who the client is")
			assert.Equal(t, "client1", cs.PSKIdentity)
			assert.Empty(t, cs.PeerCertificates)
			if suite.KeyExchange == cipher.KeyExchangeECDHEPSK {
				assert.Equal(t, cipher.CurveX25519, ss.CurveID)
			} else {
				assert.Zero(t, ss.CurveID)
			}
			exchange(t, client, server)
		})
	}
}

// With a PSK and nothing else configured, the PSK suites come first.
func TestPSKByDefault(t *testing.T) {
	clientConfig, serverConfig := pskConfigs("client1", []byte("a sixteen byte k"))
	client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	assert.Equal(t, uint16(0xCCAC), client.ConnectionState().CipherSuite, "ECDHE_PSK first: forward secret")
	exchange(t, client, server)
}

// RFC 4279, 2: an unknown identity is hidden by default (decrypt_error at
// the client's Finished, as a wrong key), or answered with
// unknown_psk_identity if the server says so.
func TestPSKUnknownIdentity(t *testing.T) {
	for _, tt := range []struct {
		name      string
		identity  string
		key       string
		reveal    bool
		wantAlert record.AlertDescription
	}{
		{"wrong key", "client1", "not the right key", false, record.AlertDecryptError},
		{"unknown identity hidden", "mallory", "a sixteen byte k", false, record.AlertDecryptError},
		{"unknown identity revealed", "mallory", "a sixteen byte k", true, record.AlertUnknownPSKIdentity},
		{"wrong key, reveal on", "client1", "not the right key", true, record.AlertDecryptError},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clientConfig, serverConfig := pskConfigs(tt.identity, []byte(tt.key))
			serverConfig.RevealUnknownPSKIdentity = tt.reveal
			_, _, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
			requireAlert(t, serverErr, tt.wantAlert, false)
			requireAlert(t, clientErr, tt.wantAlert, true)
		})
	}
}
