package handshake

// P-521 against real peers: the secp521r1 ECDHE group (RFC 8422, 5.1.1)
// and an ECDSA P-521 certificate signing with ecdsa_secp521r1_sha512
// (RFC 8422, 5.1.3), in both roles, with crypto/tls in-process and with
// OpenSSL's s_client and s_server. TLS 1.2 does not tie a hash to a curve
// (RFC 5246, 7.4.1.4.1), so a P-521 key may sign with SHA-256 if that is
// what the peer prefers; the tests offer only ecdsa_secp521r1_sha512 to see
// that one used.

import (
	"crypto/tls"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/internal/interop"
)

// loadPair loads one of the checked-in certificate/key pairs.
func (p *testPKI) loadPair(t testing.TB, base string) Certificate {
	t.Helper()
	pair, err := LoadX509KeyPair(p.file(base+".pem"), p.file(base+"-key.pem"))
	require.NoError(t, err)
	return pair
}

// goPair loads one of the checked-in pairs for crypto/tls.
func (p *testPKI) goPair(t testing.TB, base string) tls.Certificate {
	t.Helper()
	pair, err := tls.LoadX509KeyPair(p.file(base+".pem"), p.file(base+"-key.pem"))
	require.NoError(t, err)
	return pair
}

func TestP521CryptoTLSClientToOurServer(t *testing.T) {
	pki := loadTestPKI(t)
	clientRaw, serverRaw := tcpPair(t)
	goClient := tls.Client(clientRaw, &tls.Config{
		RootCAs: pki.goRoots(t), ServerName: "localhost", MaxVersion: tls.VersionTLS12,
		CurvePreferences: []tls.CurveID{tls.CurveP521},
		Certificates:     []tls.Certificate{pki.goPair(t, "server-ecdsa-p521")}, // as a client certificate
	})
	serverConfig := &Config{
		Certificates:     []Certificate{pki.loadPair(t, "server-ecdsa-p521")},
		ClientAuth:       RequireAnyClientCert,
		SignatureSchemes: []SignatureScheme{ECDSAWithP521AndSHA512},
	}
	server := Server(serverRaw, serverConfig)
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	require.NoError(t, goClient.Handshake())
	require.NoError(t, <-errc)
	assert.Equal(t, tls.CurveP521, goClient.ConnectionState().CurveID)
	assert.Equal(t, cipher.CurveP521, server.ConnectionState().CurveID)
	assert.Equal(t, ECDSAWithP521AndSHA512, server.ConnectionState().PeerSignatureScheme, "the client's CertificateVerify")
	exchange(t, goClient, server)
}

func TestP521OurClientToCryptoTLSServer(t *testing.T) {
	pki := loadTestPKI(t)
	clientRaw, serverRaw := tcpPair(t)
	goServer := tls.Server(serverRaw, &tls.Config{
		Certificates:     []tls.Certificate{pki.goPair(t, "server-ecdsa-p521")},
		CurvePreferences: []tls.CurveID{tls.CurveP521},
		MaxVersion:       tls.VersionTLS12,
		ClientAuth:       tls.RequireAnyClientCert,
	})
	config := pki.clientConfig()
	config.Certificates = []Certificate{pki.loadPair(t, "server-ecdsa-p521")}
	config.SignatureSchemes = []SignatureScheme{ECDSAWithP521AndSHA512}
	client := Client(clientRaw, config)
	errc := make(chan error, 1)
	go func() { errc <- goServer.Handshake() }()
	require.NoError(t, client.Handshake())
	require.NoError(t, <-errc)
	assert.Equal(t, cipher.CurveP521, client.ConnectionState().CurveID)
	assert.Equal(t, ECDSAWithP521AndSHA512, client.ConnectionState().PeerSignatureScheme)
	assert.Len(t, goServer.ConnectionState().PeerCertificates, 1, "the client's P-521 certificate")
	exchange(t, client, goServer)
}

// OpenSSL's client offering only secp521r1 and ecdsa_secp521r1_sha512 gets
// both from our server.
func TestP521OpenSSLClientToOurServer(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	config := &Config{Certificates: []Certificate{pki.rsa, pki.loadPair(t, "server-ecdsa-p521")}}
	port, results := echoServer(t, config)
	out, err := interop.RunOpenSSLClient(t, port, "p521\n", opensslTimeout,
		"-tls1_2", "-groups", "P-521", "-sigalgs", "ecdsa_secp521r1_sha512", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384",
		"-CAfile", pki.file("ca.pem"), "-servername", "localhost", "-verify_return_error", "-ign_eof")
	require.NoError(t, err, out)
	require.NoError(t, <-results)
	assert.Contains(t, out, "Server Temp Key: ECDH, secp521r1, 521 bits")
	assert.Contains(t, out, "Peer signature type: ECDSA")
	assert.Contains(t, out, "Peer signing digest: SHA512")
	assert.Contains(t, out, "Verify return code: 0 (ok)")
	assert.Contains(t, out, "p521")
}

// Our client against `openssl s_server` with a P-521 certificate that
// speaks only secp521r1.
func TestP521OurClientToOpenSSLServer(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	_, port := interop.StartOpenSSLServer(t, "-tls1_2", "-cert", pki.file("server-ecdsa-p521.pem"),
		"-key", pki.file("server-ecdsa-p521-key.pem"), "-groups", "P-521", "-rev")
	config := pki.clientConfig()
	config.SignatureSchemes = []SignatureScheme{ECDSAWithP521AndSHA512, PSSWithSHA256}
	conn, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), config)
	require.NoError(t, err)
	defer conn.Close()
	state := conn.ConnectionState()
	assert.Equal(t, cipher.CurveP521, state.CurveID)
	assert.Equal(t, ECDSAWithP521AndSHA512, state.PeerSignatureScheme)
	_ = conn.SetDeadline(time.Now().Add(opensslTimeout))
	_, err = conn.Write([]byte("p521\n"))
	require.NoError(t, err)
	assert.Equal(t, "125p", readLine(t, conn))
}
