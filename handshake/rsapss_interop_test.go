package handshake

// RSASSA-PSS keys (id-RSASSA-PSS certificates, `openssl genpkey -algorithm
// RSA-PSS`) and the rsa_pss_pss_* schemes (RFC 8446, 4.2.3), both roles,
// against OpenSSL; crypto/tls has neither.

import (
	"crypto"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/record"
)

func TestRSAPSSKeyPairLoads(t *testing.T) {
	pki := loadTestPKI(t)
	pair := pki.loadPair(t, "server-rsa-pss")
	pub, ok := pair.Leaf.PublicKey.(*RSAPSSPublicKey)
	require.True(t, ok, "leaf key is %T", pair.Leaf.PublicKey)
	assert.Equal(t, 2048, pub.N.BitLen())
	signer := pair.PrivateKey.(crypto.Signer)
	assert.True(t, pub.Equal(signer.Public()))
	for _, s := range []SignatureScheme{PSSWithSHA256, PKCS1WithSHA256, ECDSAWithP256AndSHA256} {
		assert.False(t, schemeSupportedByKey(pub, s), "%v", s)
	}
	for _, s := range []SignatureScheme{PSSPSSWithSHA256, PSSPSSWithSHA384, PSSPSSWithSHA512} {
		assert.True(t, schemeSupportedByKey(pub, s), "%v", s)
	}
	// An rsaEncryption key does not make rsa_pss_pss_* signatures.
	assert.False(t, schemeSupportedByKey(pki.rsa.Leaf.PublicKey, PSSPSSWithSHA256))
	assert.False(t, keySuitsAuth(pub, mustSuite(t, 0x009C)), "no RSA key exchange with a PSS-only key")
	assert.True(t, keySuitsAuth(pub, mustSuite(t, 0xC02F)))
}

func mustSuite(t *testing.T, id uint16) *cipher.Suite {
	s, ok := cipher.SuiteByID(id)
	require.True(t, ok)
	return s
}

func TestRSAPSSOurClientToOurServer(t *testing.T) {
	pki := loadTestPKI(t)
	serverConfig := &Config{Certificates: []Certificate{pki.loadPair(t, "server-rsa-pss")}, ClientAuth: RequireAnyClientCert}
	clientConfig := pki.clientConfig()
	clientConfig.Certificates = []Certificate{pki.loadPair(t, "server-rsa-pss")}
	client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	assert.Equal(t, PSSPSSWithSHA256, client.ConnectionState().PeerSignatureScheme)
	assert.Equal(t, PSSPSSWithSHA256, server.ConnectionState().PeerSignatureScheme)
	assert.NotEmpty(t, client.ConnectionState().VerifiedChains, "x509verify accepts the chain of an id-RSASSA-PSS leaf")
	exchange(t, client, server)
}

// `openssl s_client -sigalgs rsa_pss_pss_sha256` against our server with
// the PSS certificate, presenting the PSS certificate as its own too.
func TestRSAPSSOpenSSLClientToOurServer(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	port, results := echoServer(t, &Config{
		Certificates: []Certificate{pki.loadPair(t, "server-rsa-pss")},
		ClientAuth:   RequireAnyClientCert,
	})
	out, err := interop.RunOpenSSLClient(t, port, "pss\n", opensslTimeout,
		"-tls1_2", "-sigalgs", "rsa_pss_pss_sha256:rsa_pss_pss_sha384", "-CAfile", pki.file("ca.pem"),
		"-cert", pki.file("server-rsa-pss.pem"), "-key", pki.file("server-rsa-pss-key.pem"),
		"-servername", "localhost", "-verify_return_error", "-ign_eof")
	require.NoError(t, err, out)
	require.NoError(t, <-results)
	assert.Contains(t, out, "Peer signature type: RSA-PSS")
	assert.Contains(t, out, "Verify return code: 0 (ok)")
	assert.Contains(t, out, "pss")
}

// A client that offers only rsa_pss_pss_* to a server whose key is
// rsaEncryption gets handshake_failure: no scheme in common.
func TestRSAPSSOnlyOfferedToRSAEncryptionKey(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	port, results := echoServer(t, &Config{Certificates: []Certificate{pki.rsa}})
	out, err := interop.RunOpenSSLClient(t, port, "", opensslTimeout,
		"-tls1_2", "-sigalgs", "rsa_pss_pss_sha256", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-servername", "localhost")
	require.Error(t, err, out)
	requireAlert(t, <-results, record.AlertHandshakeFailure, false)
	assert.Contains(t, out, "handshake failure")
}

// Our client against `openssl s_server` with the PSS certificate.
func TestRSAPSSOurClientToOpenSSLServer(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	_, port := interop.StartOpenSSLServer(t, "-tls1_2", "-cert", pki.file("server-rsa-pss.pem"),
		"-key", pki.file("server-rsa-pss-key.pem"), "-rev")
	conn, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), pki.clientConfig())
	require.NoError(t, err)
	defer conn.Close()
	scheme := conn.ConnectionState().PeerSignatureScheme
	assert.Contains(t, []SignatureScheme{PSSPSSWithSHA256, PSSPSSWithSHA384, PSSPSSWithSHA512}, scheme)
	_ = conn.SetDeadline(time.Now().Add(opensslTimeout))
	_, err = conn.Write([]byte("pss\n"))
	require.NoError(t, err)
	assert.Equal(t, "ssp", readLine(t, conn))
}
