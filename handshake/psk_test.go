package handshake

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/session"
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

// TestPSKResumption: a PSK session resumes by session ID and by ticket,
// and both sides report its identity again; a session is not resumed under
// another client identity, nor once the server's PSKLookup no longer knows
// its identity (a revoked key must not live on in old sessions).
func TestPSKResumption(t *testing.T) {
	key := []byte("a sixteen byte k")
	lookup := func(known ...string) func(string) ([]byte, error) {
		return func(id string) ([]byte, error) {
			for _, k := range known {
				if id == k {
					return key, nil
				}
			}
			return nil, fmt.Errorf("no key for %q: %w", id, ErrUnknownPSKIdentity)
		}
	}
	handshake := func(t *testing.T, clientConfig, serverConfig *Config) (cs, ss ConnectionState) {
		t.Helper()
		client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
		require.NoError(t, clientErr)
		require.NoError(t, serverErr)
		exchange(t, client, server)
		return client.ConnectionState(), server.ConnectionState()
	}
	for _, tt := range []struct {
		name                  string
		suite                 uint16
		serverTicketsDisabled bool
		serverIDCacheDisabled bool
	}{
		{name: "PSK by session ID", suite: 0x00A8, serverTicketsDisabled: true},
		{name: "PSK by ticket", suite: 0x00A8, serverIDCacheDisabled: true},
		{name: "ECDHE_PSK by session ID", suite: 0xCCAC, serverTicketsDisabled: true},
		{name: "ECDHE_PSK by ticket", suite: 0xCCAC, serverIDCacheDisabled: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// ServerName names the cache entry (without it the key is the
			// server's address, a new port for every tcpPair).
			clientConfig := &Config{ServerName: "localhost", PSKIdentity: "client1", PSK: key, CipherSuites: []uint16{tt.suite},
				ClientSessionCache: session.NewLRUClientCache(0)}
			serverConfig := &Config{PSKLookup: lookup("client1", "client2"),
				SessionTicketsDisabled: tt.serverTicketsDisabled, SessionIDCacheDisabled: tt.serverIDCacheDisabled}

			cs, ss := handshake(t, clientConfig, serverConfig)
			require.False(t, cs.DidResume)
			cs, ss = handshake(t, clientConfig, serverConfig)
			assert.True(t, cs.DidResume, "the client resumes")
			assert.True(t, ss.DidResume, "the server resumes")
			assert.Equal(t, tt.suite, cs.CipherSuite)
			assert.Equal(t, "client1", cs.PSKIdentity)
			assert.Equal(t, "client1", ss.PSKIdentity, "the resumed connection still says who the client is")

			// Another identity on the client: its session is not offered.
			other := clientConfig.Clone()
			other.PSKIdentity = "client2"
			cs, ss = handshake(t, other, serverConfig)
			assert.False(t, cs.DidResume, "a session is not resumed under another identity")
			assert.False(t, ss.DidResume)
			assert.Equal(t, "client2", ss.PSKIdentity)

			// client2's session is in the cache now; client1 makes a new one.
			cs, _ = handshake(t, clientConfig, serverConfig)
			require.False(t, cs.DidResume)

			// The server forgets client1: no resumption, and the full
			// handshake fails as an unknown identity does.
			serverConfig.PSKLookup = lookup("client2")
			_, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
			require.Error(t, clientErr)
			assert.False(t, server.ConnectionState().DidResume)
			requireAlert(t, serverErr, record.AlertDecryptError, false) // the full handshake of an unknown identity
		})
	}
}
