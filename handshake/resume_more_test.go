package handshake

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
)

func TestResumptionFleetTicketKeys(t *testing.T) {
	pki := loadTestPKI(t)
	var shared, other [session.TicketKeySize]byte
	shared[0], other[0] = 1, 2
	tests := []struct {
		name       string
		keysB      [][session.TicketKeySize]byte
		wantResume bool
	}{
		{"B shares A's key", [][session.TicketKeySize]byte{shared}, true},
		{"B has A's key for opening only", [][session.TicketKeySize]byte{other, shared}, true},
		{"B has other keys", [][session.TicketKeySize]byte{other}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			serverA, serverB := pki.serverConfig(), pki.serverConfig()
			for _, c := range []*Config{serverA, serverB} {
				c.SessionIDCacheDisabled = true // only tickets cross servers
			}
			require.NoError(t, serverA.SetTicketKeys([][session.TicketKeySize]byte{shared}))
			require.NoError(t, serverB.SetTicketKeys(tt.keysB))
			clientConfig := pki.clientConfig()
			clientConfig.ClientSessionCache = session.NewLRUClientCache(0)

			clientResumed, _ := resumePair(t, clientConfig, serverA)
			require.False(t, clientResumed)
			clientResumed, serverResumed := resumePair(t, clientConfig, serverB)
			assert.Equal(t, tt.wantResume, clientResumed)
			assert.Equal(t, tt.wantResume, serverResumed)
		})
	}
}

func TestResumptionKeepsClientCertificate(t *testing.T) {
	pki := loadClientAuthPKI(t)
	for _, mode := range []string{"ticket", "session ID"} {
		t.Run(mode, func(t *testing.T) {
			serverConfig := pki.serverConfig()
			serverConfig.ClientAuth = RequireAndVerifyClientCert
			serverConfig.ClientCAs = pki.roots
			serverConfig.SessionTicketsDisabled = mode == "session ID"
			serverConfig.SessionIDCacheDisabled = mode == "ticket"
			clientConfig := pki.clientConfig()
			clientConfig.Certificates = []Certificate{pki.clientRSA}
			clientConfig.ClientSessionCache = session.NewLRUClientCache(0)

			for i := range 2 {
				client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
				require.NoError(t, clientErr)
				require.NoError(t, serverErr)
				ss := server.ConnectionState()
				assert.Equal(t, i > 0, ss.DidResume)
				require.Len(t, ss.PeerCertificates, 1, "the session remembers the client's chain")
				assert.Equal(t, pki.clientRSA.Certificate[0], ss.PeerCertificates[0].Raw)
				exchange(t, client, server)
			}
		})
	}
}

func TestResumptionNoCacheNoTicketExtension(t *testing.T) {
	// Without a ClientSessionCache the client neither offers nor asks for
	// anything, and the server still hands out a session ID (harmless).
	pki := loadTestPKI(t)
	clientResumed, serverResumed := resumePair(t, pki.clientConfig(), pki.serverConfig())
	assert.False(t, clientResumed)
	assert.False(t, serverResumed)
	clientResumed, serverResumed = resumePair(t, pki.clientConfig(), pki.serverConfig())
	assert.False(t, clientResumed)
	assert.False(t, serverResumed)
}
