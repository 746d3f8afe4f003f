package handshake

// Ed25519 against real peers: RFC 8410 certificates, and the ed25519
// signature scheme (RFC 8422, 5.1.3) in ServerKeyExchange and in
// CertificateVerify, in both roles, with crypto/tls in-process and with
// OpenSSL's s_client and s_server; x509verify checks the chains.

import (
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/record"
)

func TestEd25519CryptoTLSClientToOurServer(t *testing.T) {
	pki := loadTestPKI(t)
	clientRaw, serverRaw := tcpPair(t)
	goClient := tls.Client(clientRaw, &tls.Config{
		RootCAs: pki.goRoots(t), ServerName: "localhost", MaxVersion: tls.VersionTLS12,
		Certificates: []tls.Certificate{pki.goPair(t, "client-ed25519")},
	})
	server := Server(serverRaw, &Config{
		Certificates: []Certificate{pki.rsa, pki.loadPair(t, "server-ed25519")},
		CipherSuites: []uint16{0xC02B}, // ECDHE_ECDSA: the Ed25519 certificate, not the RSA one
		ClientAuth:   RequireAndVerifyClientCert,
		ClientCAs:    pki.roots,
	})
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	require.NoError(t, goClient.Handshake())
	require.NoError(t, <-errc)
	assert.Equal(t, x509.Ed25519, goClient.ConnectionState().PeerCertificates[0].PublicKeyAlgorithm)
	assert.Equal(t, Ed25519, server.ConnectionState().PeerSignatureScheme, "the client's CertificateVerify")
	assert.NotEmpty(t, server.ConnectionState().VerifiedChains, "x509verify accepted the Ed25519 client's chain")
	exchange(t, goClient, server)
}

func TestEd25519OurClientToCryptoTLSServer(t *testing.T) {
	pki := loadTestPKI(t)
	clientRaw, serverRaw := tcpPair(t)
	goServer := tls.Server(serverRaw, &tls.Config{
		Certificates: []tls.Certificate{pki.goPair(t, "server-ed25519")},
		MaxVersion:   tls.VersionTLS12,
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pki.goRoots(t),
	})
	config := pki.clientConfig()
	config.Certificates = []Certificate{pki.loadPair(t, "client-ed25519")}
	client := Client(clientRaw, config)
	errc := make(chan error, 1)
	go func() { errc <- goServer.Handshake() }()
	require.NoError(t, client.Handshake())
	require.NoError(t, <-errc)
	state := client.ConnectionState()
	assert.Equal(t, Ed25519, state.PeerSignatureScheme, "the server's ServerKeyExchange")
	assert.NotEmpty(t, state.VerifiedChains, "x509verify accepted the Ed25519 server's chain")
	assert.Equal(t, x509.Ed25519, goServer.ConnectionState().PeerCertificates[0].PublicKeyAlgorithm)
	exchange(t, client, goServer)
}

// `openssl s_client -sigalgs ed25519` with an Ed25519 client certificate
// against our server with an Ed25519 certificate.
func TestEd25519OpenSSLClientToOurServer(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	port, results := echoServer(t, &Config{
		Certificates: []Certificate{pki.rsa, pki.loadPair(t, "server-ed25519")},
		ClientAuth:   RequireAndVerifyClientCert,
		ClientCAs:    pki.roots,
	})
	out, err := interop.RunOpenSSLClient(t, port, "ed25519\n", opensslTimeout,
		"-tls1_2", "-sigalgs", "ed25519", "-cert", pki.file("client-ed25519.pem"), "-key", pki.file("client-ed25519-key.pem"),
		"-CAfile", pki.file("ca.pem"), "-servername", "localhost", "-verify_return_error", "-ign_eof")
	require.NoError(t, err, out)
	require.NoError(t, <-results)
	assert.Contains(t, out, "Peer signature type: ed25519")
	assert.Contains(t, out, "Verify return code: 0 (ok)")
	assert.Contains(t, out, "ed25519")
}

// Our client, with an Ed25519 client certificate, against `openssl
// s_server` with an Ed25519 certificate that verifies ours.
func TestEd25519OurClientToOpenSSLServer(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	_, port := interop.StartOpenSSLServer(t, "-tls1_2", "-cert", pki.file("server-ed25519.pem"),
		"-key", pki.file("server-ed25519-key.pem"), "-Verify", "1", "-CAfile", pki.file("ca.pem"), "-verify_return_error", "-rev")
	config := pki.clientConfig()
	config.Certificates = []Certificate{pki.loadPair(t, "client-ed25519")}
	conn, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), config)
	require.NoError(t, err)
	defer conn.Close()
	assert.Equal(t, Ed25519, conn.ConnectionState().PeerSignatureScheme)
	_ = conn.SetDeadline(time.Now().Add(opensslTimeout))
	_, err = conn.Write([]byte("ed\n"))
	require.NoError(t, err)
	assert.Equal(t, "de", readLine(t, conn))
}

// A client that does not offer ed25519 cannot be served with an Ed25519
// certificate alone: handshake_failure (RFC 5246, 7.4.1.4.1).
func TestEd25519NotOfferedNoCommonScheme(t *testing.T) {
	pki := loadTestPKI(t)
	clientConfig := pki.clientConfig()
	clientConfig.SignatureSchemes = []SignatureScheme{ECDSAWithP256AndSHA256, PSSWithSHA256}
	serverConfig := &Config{Certificates: []Certificate{pki.loadPair(t, "server-ed25519")}}
	_, _, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
	requireAlert(t, serverErr, record.AlertHandshakeFailure, false)
	requireAlert(t, clientErr, record.AlertHandshakeFailure, true)
}

// A server that signs its ServerKeyExchange with ed25519 although its
// certificate holds an ECDSA key is refused with illegal_parameter; with a
// key of its own but the certificate's name, decrypt_error.
func TestEd25519SignatureMustFitCertificate(t *testing.T) {
	pki := loadTestPKI(t)
	_, otherKey, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	for _, tt := range []struct {
		name  string
		cert  Certificate
		alert record.AlertDescription
	}{
		// The ECDSA certificate with an Ed25519 key that signs with ed25519.
		{"scheme does not fit the certificate", Certificate{Certificate: pki.ecdsa.Certificate, PrivateKey: otherKey}, record.AlertIllegalParameter},
		// The Ed25519 certificate with another Ed25519 key.
		{"another Ed25519 key", Certificate{Certificate: pki.loadPair(t, "server-ed25519").Certificate, PrivateKey: otherKey}, record.AlertDecryptError},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clientRaw, serverRaw := tcpPair(t)
			// A lying server: our own server code with the key check
			// bypassed (a Config check would refuse the mismatched pair).
			server := Server(serverRaw, &Config{Certificates: []Certificate{tt.cert}})
			server.config.sharedState().certificatesChecked.Store(&certificatesCheck{first: &server.config.Certificates[0], n: 1})
			go func() { _ = server.Handshake() }()
			client := Client(clientRaw, pki.clientConfig())
			_ = client.SetDeadline(time.Now().Add(10 * time.Second))
			requireAlert(t, client.Handshake(), tt.alert, false)
		})
	}
}
