package handshake

// Interop with Go's crypto/tls, in-process, both directions. crypto/tls is
// only a peer and a yardstick here: library code never imports it.

import (
	"crypto/tls"
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// goSuites are the suites of our table that crypto/tls also implements.
func goSuites() map[uint16]bool {
	ids := map[uint16]bool{}
	for _, s := range tls.CipherSuites() {
		ids[s.ID] = true
	}
	for _, s := range tls.InsecureCipherSuites() {
		ids[s.ID] = true
	}
	return ids
}

func (p *testPKI) goCertificates(t testing.TB) []tls.Certificate {
	var certs []tls.Certificate
	for _, name := range []string{"server-rsa", "server-ecdsa"} {
		c, err := tls.LoadX509KeyPair(p.file(name+".pem"), p.file(name+"-key.pem"))
		require.NoError(t, err)
		certs = append(certs, c)
	}
	return certs
}

func (p *testPKI) goRoots(t testing.TB) *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.caCert(t))
	return pool
}

func TestCryptoTLSClientToOurServer(t *testing.T) {
	pki := loadTestPKI(t)
	supported := goSuites()
	for _, suite := range cipher.Suites() {
		if !supported[suite.ID] {
			continue
		}
		t.Run(suite.Name, func(t *testing.T) {
			clientRaw, serverRaw := tcpPair(t)
			goClient := tls.Client(clientRaw, &tls.Config{
				RootCAs:      pki.goRoots(t),
				ServerName:   "localhost",
				CipherSuites: []uint16{suite.ID},
				MaxVersion:   tls.VersionTLS12,
			})
			serverConfig := pki.serverConfig()
			serverConfig.CipherSuites = []uint16{suite.ID}
			server := Server(serverRaw, serverConfig)

			errc := make(chan error, 1)
			go func() { errc <- server.Handshake() }()
			require.NoError(t, goClient.Handshake())
			require.NoError(t, <-errc)
			assert.Equal(t, suite.ID, goClient.ConnectionState().CipherSuite)
			assert.True(t, goClient.ConnectionState().DidResume == false)
			assert.Equal(t, uint16(goClient.ConnectionState().CurveID), uint16(server.ConnectionState().CurveID), "the same ECDHE group (0 for RSA key exchange)")
			exchange(t, goClient, server)
		})
	}
}

func TestOurClientToCryptoTLSServer(t *testing.T) {
	pki := loadTestPKI(t)
	supported := goSuites()
	for _, suite := range cipher.Suites() {
		if !supported[suite.ID] {
			continue
		}
		t.Run(suite.Name, func(t *testing.T) {
			clientRaw, serverRaw := tcpPair(t)
			goServer := tls.Server(serverRaw, &tls.Config{
				Certificates: pki.goCertificates(t),
				CipherSuites: []uint16{suite.ID},
				MaxVersion:   tls.VersionTLS12,
			})
			clientConfig := pki.clientConfig()
			clientConfig.CipherSuites = []uint16{suite.ID}
			client := Client(clientRaw, clientConfig)

			errc := make(chan error, 1)
			go func() { errc <- goServer.Handshake() }()
			require.NoError(t, client.Handshake())
			require.NoError(t, <-errc)
			assert.Equal(t, suite.ID, client.ConnectionState().CipherSuite)
			// crypto/tls speaks RFC 7627 too.
			assert.True(t, client.ConnectionState().ExtendedMasterSecret)
			assert.Equal(t, uint16(goServer.ConnectionState().CurveID), uint16(client.ConnectionState().CurveID), "the same ECDHE group (0 for RSA key exchange)")
			exchange(t, client, goServer)
		})
	}
}

// A client that offers TLS 1.3 too gets TLS 1.2 from glasstls.
func TestCryptoTLS13ClientGetsTLS12(t *testing.T) {
	pki := loadTestPKI(t)
	clientRaw, serverRaw := tcpPair(t)
	goClient := tls.Client(clientRaw, &tls.Config{RootCAs: pki.goRoots(t), ServerName: "localhost"})
	server := Server(serverRaw, pki.serverConfig())
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	require.NoError(t, goClient.Handshake())
	require.NoError(t, <-errc)
	assert.Equal(t, uint16(tls.VersionTLS12), goClient.ConnectionState().Version)
	exchange(t, goClient, server)
}

// A client whose best version is TLS 1.1 gets protocol_version.
func TestOldClientGetsProtocolVersion(t *testing.T) {
	pki := loadTestPKI(t)
	clientRaw, serverRaw := tcpPair(t)
	goClient := tls.Client(clientRaw, &tls.Config{
		RootCAs: pki.goRoots(t), ServerName: "localhost",
		MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11,
	})
	server := Server(serverRaw, pki.serverConfig())
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	clientErr := goClient.Handshake()
	require.Error(t, clientErr)
	assert.Contains(t, clientErr.Error(), "protocol version")
	requireAlert(t, <-errc, record.AlertProtocolVersion, false)
}

// Our client refuses a server that picks an older version.
func TestOldServerGetsProtocolVersion(t *testing.T) {
	pki := loadTestPKI(t)
	clientRaw, serverRaw := tcpPair(t)
	goServer := tls.Server(serverRaw, &tls.Config{
		Certificates: pki.goCertificates(t),
		MinVersion:   tls.VersionTLS10, MaxVersion: tls.VersionTLS11,
	})
	errc := make(chan error, 1)
	go func() { errc <- goServer.Handshake() }()
	clientErr := Client(clientRaw, pki.clientConfig()).Handshake()
	serverErr := <-errc
	require.Error(t, serverErr)
	// crypto/tls answers with a TLS 1.1 ServerHello; we refuse it ourselves.
	requireAlert(t, clientErr, record.AlertProtocolVersion, false)
	// crypto/tls then complains about our alert's record version (0x0301,
	// as for a ClientHello), not about the alert itself: that is its business.
}
