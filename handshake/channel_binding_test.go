package handshake

import (
	"crypto/tls"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
)

// tls-unique (RFC 5929, 3): both ends agree, it is the first Finished, a
// resumption with the extended master secret gets its own, and one
// without gets none.
func TestTLSUnique(t *testing.T) {
	pki := loadTestPKI(t)
	serverConfig := pki.serverConfig()
	clientConfig := pki.clientConfig()
	clientConfig.ClientSessionCache = session.NewLRUClientCache(4)

	client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	full := client.ConnectionState().TLSUnique
	require.Len(t, full, 12, "verify_data is 12 bytes")
	assert.Equal(t, full, server.ConnectionState().TLSUnique)

	client, server, clientErr, serverErr = handshakePair(t, clientConfig, serverConfig)
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	require.True(t, client.ConnectionState().DidResume)
	resumed := client.ConnectionState().TLSUnique
	require.Len(t, resumed, 12)
	assert.Equal(t, resumed, server.ConnectionState().TLSUnique)
	assert.NotEqual(t, full, resumed)

	// Without the extended master secret a resumption has no tls-unique.
	clientConfig = pki.clientConfig()
	clientConfig.ClientSessionCache = session.NewLRUClientCache(4)
	clientConfig.DisableExtendedMasterSecret = true
	for i := range 2 {
		client, _, clientErr, _ = handshakePair(t, clientConfig, serverConfig)
		require.NoError(t, clientErr)
		assert.Equal(t, i == 1, client.ConnectionState().DidResume)
		assert.Equal(t, i == 0, client.ConnectionState().TLSUnique != nil)
	}
}

// crypto/tls computes the same tls-unique as our server.
func TestTLSUniqueMatchesCryptoTLS(t *testing.T) {
	pki := loadTestPKI(t)
	clientRaw, serverRaw := tcpPair(t)
	goClient := tls.Client(clientRaw, &tls.Config{RootCAs: pki.goRoots(t), ServerName: "localhost", MaxVersion: tls.VersionTLS12})
	server := Server(serverRaw, pki.serverConfig())
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	require.NoError(t, goClient.Handshake())
	require.NoError(t, <-errc)
	assert.Equal(t, goClient.ConnectionState().TLSUnique, server.ConnectionState().TLSUnique)
}

func TestVerifyHostnameAndOCSPResponse(t *testing.T) {
	pki := loadTestPKI(t)
	serverConfig := pki.serverConfig()
	serverConfig.Certificates[0].OCSPStaple = []byte("staple")
	serverConfig.Certificates[1].OCSPStaple = []byte("staple")
	clientConfig := pki.clientConfig()
	clientConfig.RequestOCSPStaple = true

	clientRaw, serverRaw := tcpPair(t)
	client := Client(clientRaw, clientConfig)
	assert.Error(t, client.VerifyHostname("localhost"), "before the handshake")
	assert.Nil(t, client.OCSPResponse())
	server := Server(serverRaw, serverConfig)
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	require.NoError(t, client.Handshake())
	require.NoError(t, <-errc)

	assert.NoError(t, client.VerifyHostname("localhost"))
	assert.NoError(t, client.VerifyHostname("www.glasstls.test"))
	assert.NoError(t, client.VerifyHostname("127.0.0.1"))
	assert.Error(t, client.VerifyHostname("other.example"))
	assert.Error(t, server.VerifyHostname("localhost"), "a server has no verified server chain")
	assert.Equal(t, []byte("staple"), client.OCSPResponse())
	assert.Nil(t, server.OCSPResponse())

	// A resumed connection checks its session's certificate.
	clientConfig = pki.clientConfig()
	clientConfig.ClientSessionCache = session.NewLRUClientCache(4)
	resumingServer := pki.serverConfig()
	for i := range 2 {
		resumed, _, clientErr, _ := handshakePair(t, clientConfig, resumingServer)
		require.NoError(t, clientErr)
		require.Equal(t, i == 1, resumed.ConnectionState().DidResume)
		assert.NoError(t, resumed.VerifyHostname("localhost"))
		assert.Error(t, resumed.VerifyHostname("other.example"))
	}

	// Not verified, nothing to check against.
	insecure, _, clientErr, _ := handshakePair(t, &Config{InsecureSkipVerify: true}, pki.serverConfig())
	require.NoError(t, clientErr)
	assert.Error(t, insecure.VerifyHostname("localhost"))
}
