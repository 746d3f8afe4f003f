package handshake

import (
	"errors"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/record"
)

// TestConfigErrorsNamed: a Config that cannot work is reported as what it
// is, naming the certificate, by Listen and at the start of a handshake,
// not as "no cipher suite in common" or a decode_error at the peer.
func TestConfigErrorsNamed(t *testing.T) {
	pki := loadTestPKI(t)
	noKey := pki.rsa
	noKey.PrivateKey = nil
	wrongKey := pki.rsa
	wrongKey.PrivateKey = pki.ecdsa.PrivateKey
	noChain := pki.rsa
	noChain.Certificate, noChain.Leaf = nil, nil

	cases := []struct {
		name      string
		configure func(*Config)
		want      []string // substrings of the error
	}{
		{"nil PrivateKey", func(c *Config) { c.Certificates = []Certificate{noKey} },
			[]string{"Config.Certificates[0]", "CN=", "PrivateKey is nil"}},
		{"key of another certificate", func(c *Config) { c.Certificates = []Certificate{pki.ecdsa, wrongKey} },
			[]string{"Config.Certificates[1]", "CN=", "does not match the leaf"}},
		{"empty chain", func(c *Config) { c.Certificates = []Certificate{noChain} },
			[]string{"Config.Certificates[0]", "chain is empty"}},
		{"ClientAuth out of range", func(c *Config) { c.ClientAuth = RequireAndVerifyClientCert + 1 },
			[]string{"ClientAuth is 5"}},
		{"ClientAuth negative", func(c *Config) { c.ClientAuth = -1 },
			[]string{"ClientAuth is -1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			serverConfig := pki.serverConfig()
			tc.configure(serverConfig)

			ln, err := Listen("tcp", "127.0.0.1:0", serverConfig)
			if ln != nil {
				ln.Close()
			}
			require.Error(t, err, "Listen must refuse the Config")
			for _, want := range tc.want {
				assert.Contains(t, err.Error(), want)
			}

			// A server made without Listen says the same when its handshake
			// starts, and the client hears internal_error, not a
			// handshake_failure about cipher suites.
			_, _, clientErr, serverErr := handshakePair(t, pki.clientConfig(), serverConfig)
			require.Error(t, serverErr)
			for _, want := range tc.want {
				assert.Contains(t, serverErr.Error(), want)
			}
			requireAlert(t, serverErr, record.AlertInternalError, false)
			requireAlert(t, clientErr, record.AlertInternalError, true)
		})
	}

	t.Run("client certificate without its key", func(t *testing.T) {
		clientConfig := pki.clientConfig()
		clientConfig.Certificates = []Certificate{noKey}
		serverConfig := pki.serverConfig()
		serverConfig.ClientAuth = RequestClientCert
		_, _, clientErr, _ := handshakePair(t, clientConfig, serverConfig)
		require.Error(t, clientErr)
		assert.Contains(t, clientErr.Error(), "Config.Certificates[0]")
		assert.Contains(t, clientErr.Error(), "PrivateKey is nil")
	})

	t.Run("a good Config passes", func(t *testing.T) {
		serverConfig := pki.serverConfig()
		serverConfig.ClientAuth = RequireAndVerifyClientCert
		require.NoError(t, serverConfig.checkServerConfig())
		ln, err := Listen("tcp", "127.0.0.1:0", pki.serverConfig())
		require.NoError(t, err)
		ln.Close()
	})
}

// TestWriteAfterClose: like net.Conn and crypto/tls, a closed Conn says
// net.ErrClosed, so that a caller can tell its own Close from a failure.
func TestWriteAfterClose(t *testing.T) {
	pki := loadTestPKI(t)
	client, server, clientErr, serverErr := handshakePair(t, pki.clientConfig(), pki.serverConfig())
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)

	require.NoError(t, client.Close())
	_, err := client.Write([]byte("too late"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, net.ErrClosed), "Write after Close: %v", err)
	_, err = client.Read(make([]byte, 1))
	assert.True(t, errors.Is(err, net.ErrClosed), "Read after Close: %v", err)

	// CloseWrite is a half-close, not a Close: its error stays its own.
	require.NoError(t, server.CloseWrite())
	_, err = server.Write([]byte("after CloseWrite"))
	require.Error(t, err)
	assert.False(t, errors.Is(err, net.ErrClosed), "Write after CloseWrite: %v", err)
}
