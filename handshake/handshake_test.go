package handshake

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

func TestHandshakeEverySuite(t *testing.T) {
	pki := loadTestPKI(t)
	for _, suite := range cipher.Suites() {
		if suite.Auth == cipher.AuthPSK {
			continue // no certificate: psk_test.go and psk_interop_test.go
		}
		t.Run(suite.Name, func(t *testing.T) {
			clientConfig := pki.clientConfig()
			clientConfig.CipherSuites = []uint16{suite.ID}
			serverConfig := pki.serverConfig()
			serverConfig.CipherSuites = []uint16{suite.ID}

			client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
			require.NoError(t, clientErr)
			require.NoError(t, serverErr)

			cs, ss := client.ConnectionState(), server.ConnectionState()
			assert.Equal(t, suite.ID, cs.CipherSuite)
			assert.Equal(t, suite.ID, ss.CipherSuite)
			assert.Equal(t, VersionTLS12, cs.Version)
			assert.True(t, cs.ExtendedMasterSecret)
			assert.True(t, ss.ExtendedMasterSecret)
			assert.Equal(t, !suite.IsAEAD(), cs.EncryptThenMAC)
			assert.Equal(t, "localhost", ss.ServerName)
			require.NotEmpty(t, cs.VerifiedChains)
			switch suite.KeyExchange {
			case cipher.KeyExchangeDHE:
				assert.Equal(t, cipher.FFDHE2048, cs.CurveID, "the first default FFDHE group")
				assert.Equal(t, cipher.FFDHE2048, ss.CurveID)
				assert.Equal(t, PSSWithSHA256, cs.PeerSignatureScheme, "the scheme of ServerKeyExchange")
			case cipher.KeyExchangeECDHE:
				assert.Equal(t, cipher.CurveX25519, cs.CurveID, "the first default group")
				assert.Equal(t, cipher.CurveX25519, ss.CurveID)
				// Our own first choice for the certificate's key.
				want := PSSWithSHA256
				if suite.Auth == cipher.AuthECDSA {
					want = ECDSAWithP256AndSHA256
				}
				assert.Equal(t, want, cs.PeerSignatureScheme, "the scheme of ServerKeyExchange")
			default:
				assert.Zero(t, cs.CurveID, "RSA key exchange has no group")
				assert.Zero(t, ss.CurveID)
				assert.Zero(t, cs.PeerSignatureScheme, "RSA key exchange signs nothing")
			}
			assert.Zero(t, ss.PeerSignatureScheme, "no client certificate, no CertificateVerify")
			exchange(t, client, server)
		})
	}
}

// The peer signature scheme is the one the signer picked from what the
// verifier offered: narrowing the client's offer narrows the choice.
func TestPeerSignatureScheme(t *testing.T) {
	pki := loadTestPKI(t)
	for _, tt := range []struct {
		suite  uint16
		scheme SignatureScheme
	}{
		{0xC02F, PKCS1WithSHA384}, // ECDHE-RSA-AES128-GCM-SHA256
		{0xC02F, PSSWithSHA512},
		{0xC02B, ECDSAWithP384AndSHA384}, // ECDHE-ECDSA-AES128-GCM-SHA256, a P-256 key
	} {
		t.Run(tt.scheme.String(), func(t *testing.T) {
			clientConfig := pki.clientConfig()
			clientConfig.CipherSuites = []uint16{tt.suite}
			clientConfig.SignatureSchemes = []SignatureScheme{tt.scheme}
			client, server, clientErr, serverErr := handshakePair(t, clientConfig, pki.serverConfig())
			require.NoError(t, clientErr)
			require.NoError(t, serverErr)
			assert.Equal(t, tt.scheme, client.ConnectionState().PeerSignatureScheme)
			exchange(t, client, server)
		})
	}
}

func TestHandshakeEveryCurve(t *testing.T) {
	pki := loadTestPKI(t)
	for _, curve := range cipher.DefaultCurves() {
		t.Run(curve.String(), func(t *testing.T) {
			clientConfig := pki.clientConfig()
			clientConfig.CurvePreferences = []cipher.CurveID{curve}
			client, server, clientErr, serverErr := handshakePair(t, clientConfig, pki.serverConfig())
			require.NoError(t, clientErr)
			require.NoError(t, serverErr)
			assert.Equal(t, curve, client.ConnectionState().CurveID)
			assert.Equal(t, curve, server.ConnectionState().CurveID)
			exchange(t, client, server)
		})
	}
}

func TestHandshakeWithoutExtensions(t *testing.T) {
	pki := loadTestPKI(t)
	clientConfig := pki.clientConfig()
	clientConfig.DisableExtendedMasterSecret = true
	clientConfig.DisableEncryptThenMAC = true
	clientConfig.CipherSuites = []uint16{0xC013} // ECDHE-RSA-AES128-SHA (CBC)
	client, server, clientErr, serverErr := handshakePair(t, clientConfig, pki.serverConfig())
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	assert.False(t, client.ConnectionState().ExtendedMasterSecret)
	assert.False(t, server.ConnectionState().EncryptThenMAC)
	exchange(t, client, server)
}

func TestALPN(t *testing.T) {
	pki := loadTestPKI(t)
	clientConfig := pki.clientConfig()
	clientConfig.NextProtos = []string{"h2", "http/1.1"}
	serverConfig := pki.serverConfig()
	serverConfig.NextProtos = []string{"http/1.1"}
	client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	assert.Equal(t, "http/1.1", client.ConnectionState().NegotiatedProtocol)
	assert.Equal(t, "http/1.1", server.ConnectionState().NegotiatedProtocol)

	// RFC 7301, 3.2: nothing in common is no_application_protocol.
	serverConfig.NextProtos = []string{"spdy/3"}
	_, _, clientErr, serverErr = handshakePair(t, clientConfig, serverConfig)
	requireAlert(t, serverErr, record.AlertNoApplicationProtocol, false)
	requireAlert(t, clientErr, record.AlertNoApplicationProtocol, true)
}

func TestNoSharedCipherSuite(t *testing.T) {
	pki := loadTestPKI(t)
	clientConfig := pki.clientConfig()
	clientConfig.CipherSuites = []uint16{0xC02F} // ECDHE-RSA-AES128-GCM-SHA256
	serverConfig := pki.serverConfig()
	serverConfig.CipherSuites = []uint16{0xC030} // ECDHE-RSA-AES256-GCM-SHA384
	_, _, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
	requireAlert(t, serverErr, record.AlertHandshakeFailure, false)
	requireAlert(t, clientErr, record.AlertHandshakeFailure, true)
}

func TestUntrustedServer(t *testing.T) {
	pki := loadTestPKI(t)
	clientConfig := pki.clientConfig()
	clientConfig.ServerName = "other.example" // the certificate does not name it
	_, _, clientErr, serverErr := handshakePair(t, clientConfig, pki.serverConfig())
	requireAlert(t, clientErr, record.AlertBadCertificate, false)
	requireAlert(t, serverErr, record.AlertBadCertificate, true)
}

func TestMissingServerName(t *testing.T) {
	pki := loadTestPKI(t)
	clientRaw, _ := tcpPair(t)
	err := Client(clientRaw, &Config{RootCAs: pki.roots}).Handshake()
	require.ErrorContains(t, err, "ServerName")
}

// A peer that never answers: the context's deadline ends the handshake.
func TestHandshakeContextDeadline(t *testing.T) {
	pki := loadTestPKI(t)
	clientRaw, _ := tcpPair(t) // the server end never speaks
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := Client(clientRaw, pki.clientConfig()).HandshakeContext(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 10*time.Second)

	// The same through Config.HandshakeTimeout.
	clientRaw, _ = tcpPair(t)
	config := pki.clientConfig()
	config.HandshakeTimeout = 100 * time.Millisecond
	err = Client(clientRaw, config).Handshake()
	require.ErrorIs(t, err, context.DeadlineExceeded)
}
