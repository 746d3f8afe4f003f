package handshake

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
)

// VerifyConnection sees on both sides, full handshake or resumption, what
// ConnectionState will say once the handshake ends: the same version,
// suite, ALPN and extensions (only HandshakeComplete is still false).
func TestVerifyConnectionSeesSettledState(t *testing.T) {
	pki := loadTestPKI(t)
	var clientSaw, serverSaw []ConnectionState
	clientConfig := pki.clientConfig()
	clientConfig.NextProtos = []string{"h2", "http/1.1"}
	clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
	clientConfig.VerifyConnection = func(state ConnectionState) error {
		clientSaw = append(clientSaw, state)
		return nil
	}
	serverConfig := pki.serverConfig()
	serverConfig.NextProtos = []string{"http/1.1"}
	serverConfig.VerifyConnection = func(state ConnectionState) error {
		serverSaw = append(serverSaw, state)
		return nil
	}

	for i, wantResumed := range []bool{false, true} {
		client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
		require.NoError(t, clientErr)
		require.NoError(t, serverErr)
		require.Len(t, clientSaw, i+1)
		require.Len(t, serverSaw, i+1)
		for _, side := range []struct {
			name  string
			saw   ConnectionState
			final ConnectionState
		}{
			{"client", clientSaw[i], client.ConnectionState()},
			{"server", serverSaw[i], server.ConnectionState()},
		} {
			assert.Equal(t, wantResumed, side.final.DidResume, side.name)
			assert.False(t, side.saw.HandshakeComplete, side.name)
			assert.Equal(t, side.final.Version, side.saw.Version, side.name)
			assert.Equal(t, side.final.DidResume, side.saw.DidResume, side.name)
			assert.Equal(t, side.final.CipherSuite, side.saw.CipherSuite, side.name)
			assert.Equal(t, side.final.ServerName, side.saw.ServerName, side.name)
			assert.Equal(t, "http/1.1", side.saw.NegotiatedProtocol, side.name)
			assert.Equal(t, side.final.ExtendedMasterSecret, side.saw.ExtendedMasterSecret, side.name)
			assert.Equal(t, side.final.EncryptThenMAC, side.saw.EncryptThenMAC, side.name)
			assert.Equal(t, side.final.PeerCertificates, side.saw.PeerCertificates, side.name)
		}
		client.Close()
		server.Close()
	}
}
