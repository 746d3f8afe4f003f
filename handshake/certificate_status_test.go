package handshake

import (
	"crypto/tls"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
)

// testOCSPStaple stands in for a DER OCSP response: glasstls carries the
// bytes without parsing them.
var testOCSPStaple = []byte{0x30, 0x03, 0x0a, 0x01, 0x00}

// stapledServerConfig is pki's server with testOCSPStaple on both
// certificates.
func stapledServerConfig(pki *testPKI) *Config {
	cfg := pki.serverConfig()
	for i := range cfg.Certificates {
		cfg.Certificates[i].OCSPStaple = testOCSPStaple
	}
	return cfg
}

// TestOCSPStaplingOursToOurs: the response reaches the client (and its
// VerifyConnection) only if the client asked and the server has one, and
// a resumed connection reports the full handshake's response again.
func TestOCSPStaplingOursToOurs(t *testing.T) {
	pki := loadTestPKI(t)
	tests := []struct {
		name    string
		request bool
		staple  bool
		want    []byte
	}{
		{"asked and stapled", true, true, testOCSPStaple},
		{"asked, nothing to staple", true, false, nil},
		{"not asked", false, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			serverConfig := pki.serverConfig()
			if tt.staple {
				serverConfig = stapledServerConfig(pki)
			}
			clientConfig := pki.clientConfig()
			clientConfig.RequestOCSPStaple = tt.request
			clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
			var seen [][]byte
			clientConfig.VerifyConnection = func(cs ConnectionState) error {
				seen = append(seen, cs.OCSPResponse)
				return nil
			}

			for _, wantResumed := range []bool{false, true} {
				client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
				require.NoError(t, clientErr)
				require.NoError(t, serverErr)
				cs := client.ConnectionState()
				require.Equal(t, wantResumed, cs.DidResume)
				assert.Equal(t, tt.want, cs.OCSPResponse, "resumed: %v", wantResumed)
				assert.Empty(t, server.ConnectionState().OCSPResponse, "a server has no peer response")
				exchange(t, client, server)
			}
			assert.Equal(t, [][]byte{tt.want, tt.want}, seen, "VerifyConnection sees the response, full and resumed")
		})
	}
}

// TestOCSPStaplingCryptoTLS: our server staples to crypto/tls's client
// (which always asks), and our client reads crypto/tls's staple.
func TestOCSPStaplingCryptoTLS(t *testing.T) {
	pki := loadTestPKI(t)
	t.Run("crypto/tls client, our server", func(t *testing.T) {
		clientRaw, serverRaw := tcpPair(t)
		goClient := tls.Client(clientRaw, &tls.Config{RootCAs: pki.goRoots(t), ServerName: "localhost", MaxVersion: tls.VersionTLS12})
		server := Server(serverRaw, stapledServerConfig(pki))
		errc := make(chan error, 1)
		go func() { errc <- server.Handshake() }()
		require.NoError(t, goClient.Handshake())
		require.NoError(t, <-errc)
		assert.Equal(t, testOCSPStaple, goClient.ConnectionState().OCSPResponse)
		exchange(t, goClient, server)
	})
	t.Run("our client, crypto/tls server", func(t *testing.T) {
		for _, request := range []bool{true, false} {
			clientRaw, serverRaw := tcpPair(t)
			certs := pki.goCertificates(t)
			for i := range certs {
				certs[i].OCSPStaple = testOCSPStaple
			}
			goServer := tls.Server(serverRaw, &tls.Config{Certificates: certs, MaxVersion: tls.VersionTLS12})
			clientConfig := pki.clientConfig()
			clientConfig.RequestOCSPStaple = request
			client := Client(clientRaw, clientConfig)
			errc := make(chan error, 1)
			go func() { errc <- goServer.Handshake() }()
			require.NoError(t, client.Handshake())
			require.NoError(t, <-errc)
			if request {
				assert.Equal(t, testOCSPStaple, client.ConnectionState().OCSPResponse)
			} else {
				assert.Empty(t, client.ConnectionState().OCSPResponse)
			}
			exchange(t, client, goServer)
		}
	})
}
