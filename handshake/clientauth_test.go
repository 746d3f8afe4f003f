package handshake

// Client authentication (RFC 5246, 7.4.4, 7.4.6, 7.4.8), our client against
// our server: every ClientAuth mode with every kind of client, then one
// test per way a client certificate can be wrong.

import (
	"crypto/ecdsa"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
)

func TestClientAuthEveryMode(t *testing.T) {
	pki := loadClientAuthPKI(t)
	clients := []struct {
		name string
		// config makes the client; cert is what it sends when asked (nil: nothing).
		config  func() *Config
		cert    *Certificate
		trusted bool
	}{
		{"no certificate", pki.clientConfig, nil, false},
		{"RSA", func() *Config {
			c := pki.clientConfig()
			c.Certificates = []Certificate{pki.clientRSA}
			return c
		}, &pki.clientRSA, true},
		{"ECDSA", func() *Config {
			c := pki.clientConfig()
			c.Certificates = []Certificate{pki.clientECDSA}
			return c
		}, &pki.clientECDSA, true},
		{"untrusted", func() *Config { return pki.clientConfigWith(&pki.untrusted) }, &pki.untrusted, false},
	}
	for _, m := range clientAuthModes() {
		for _, cl := range clients {
			t.Run(m.name+"/"+cl.name, func(t *testing.T) {
				client, server, clientErr, serverErr := handshakePair(t, cl.config(), pki.serverConfigFor(m.mode))

				sent := cl.cert != nil && m.mode != NoClientCert
				var wantAlert record.AlertDescription
				switch {
				case !sent && modeRequires(m.mode):
					// RFC 5246, 7.4.6: no certificate where one is required.
					wantAlert = record.AlertHandshakeFailure
				case sent && !cl.trusted && modeVerifies(m.mode):
					wantAlert = record.AlertUnknownCA
				}
				if wantAlert != 0 {
					requireAlert(t, serverErr, wantAlert, false)
					requireAlert(t, clientErr, wantAlert, true)
					return
				}
				require.NoError(t, clientErr)
				require.NoError(t, serverErr)

				state := server.ConnectionState()
				if !sent {
					assert.Empty(t, state.PeerCertificates)
					assert.Empty(t, state.VerifiedChains)
				} else {
					require.Len(t, state.PeerCertificates, 1)
					assert.Equal(t, cl.cert.Certificate[0], state.PeerCertificates[0].Raw)
					// The client's first default scheme for its key.
					wantScheme := PSSWithSHA256
					if _, isECDSA := state.PeerCertificates[0].PublicKey.(*ecdsa.PublicKey); isECDSA {
						wantScheme = ECDSAWithP256AndSHA256
					}
					assert.Equal(t, wantScheme, state.PeerSignatureScheme, "the scheme of CertificateVerify")
					if modeVerifies(m.mode) {
						// The verified client chain: leaf up to the test root.
						require.Len(t, state.VerifiedChains, 1)
						chain := state.VerifiedChains[0]
						assert.Equal(t, cl.cert.Certificate[0], chain[0].Raw)
						assert.Equal(t, pki.caCert(t).Raw, chain[len(chain)-1].Raw)
					} else {
						assert.Empty(t, state.VerifiedChains, "mode %s verifies nothing", m.name)
					}
				}
				exchange(t, client, server)
			})
		}
	}
}

// Each way a client certificate can be wrong gets the alert RFC 5246,
// 7.2.2 names for it, sent by the server and seen by the client.
func TestClientAuthBadCertificates(t *testing.T) {
	pki := loadClientAuthPKI(t)
	withKey := func(chain Certificate, key Certificate) *Certificate {
		return &Certificate{Certificate: chain.Certificate, PrivateKey: key.PrivateKey}
	}
	tests := []struct {
		name string
		cert *Certificate
		want record.AlertDescription
	}{
		{"untrusted CA", &pki.untrusted, record.AlertUnknownCA},
		{"expired", &pki.expired, record.AlertCertificateExpired},
		{"no clientAuth EKU", &pki.serverOnly, record.AlertUnsupportedCertificate},
		// The client signs CertificateVerify with a key that is not its
		// certificate's: the signature does not verify (RFC 5246, 7.4.8).
		{"RSA certificate, other RSA key", withKey(pki.clientRSA, pki.rsa), record.AlertDecryptError},
		{"ECDSA certificate, other ECDSA key", withKey(pki.clientECDSA, pki.ecdsa), record.AlertDecryptError},
		// An RSA signature cannot come from an ECDSA certificate at all.
		{"ECDSA certificate, RSA key", withKey(pki.clientECDSA, pki.rsa), record.AlertIllegalParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, clientErr, serverErr := handshakePair(t, pki.clientConfigWith(tt.cert), pki.serverConfigFor(RequireAndVerifyClientCert))
			requireAlert(t, serverErr, tt.want, false)
			requireAlert(t, clientErr, tt.want, true)
		})
	}
}

// A proven but unverified certificate is still checked for possession:
// RequireAnyClientCert accepts any chain, never a wrong key.
func TestClientAuthRequireAnyStillChecksCertificateVerify(t *testing.T) {
	pki := loadClientAuthPKI(t)
	cert := &Certificate{Certificate: pki.untrusted.Certificate, PrivateKey: pki.clientECDSA.PrivateKey}
	_, _, clientErr, serverErr := handshakePair(t, pki.clientConfigWith(cert), pki.serverConfigFor(RequireAnyClientCert))
	requireAlert(t, serverErr, record.AlertDecryptError, false)
	requireAlert(t, clientErr, record.AlertDecryptError, true)
}

// The CertificateRequest names our CA, both certificate types and the
// schemes we verify; the client picks the one certificate that fits.
func TestClientAuthCertificateRequest(t *testing.T) {
	pki := loadClientAuthPKI(t)
	var info *CertificateRequestInfo
	clientConfig := pki.clientConfig()
	clientConfig.GetClientCertificate = func(i *CertificateRequestInfo) (*Certificate, error) {
		info = i
		return &pki.clientECDSA, nil
	}
	_, _, clientErr, serverErr := handshakePair(t, clientConfig, pki.serverConfigFor(RequireAndVerifyClientCert))
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	require.NotNil(t, info)
	assert.Equal(t, [][]byte{pki.caCert(t).RawSubject}, info.AcceptableCAs)
	assert.ElementsMatch(t, []uint8{wire.CertTypeRSASign, wire.CertTypeECDSASign}, info.CertificateTypes)
	assert.Equal(t, defaultSignatureSchemes(), info.SignatureSchemes)
}

func TestClientAuthPicksAcceptableCertificate(t *testing.T) {
	pki := loadClientAuthPKI(t)
	tests := []struct {
		name  string
		certs []Certificate
		want  *Certificate // nil: the client sends an empty Certificate
	}{
		{"skips the one from another CA", []Certificate{pki.untrusted, pki.clientRSA}, &pki.clientRSA},
		{"first acceptable wins", []Certificate{pki.clientECDSA, pki.clientRSA}, &pki.clientECDSA},
		{"none acceptable", []Certificate{pki.untrusted}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clientConfig := pki.clientConfig()
			clientConfig.Certificates = tt.certs
			_, server, clientErr, serverErr := handshakePair(t, clientConfig, pki.serverConfigFor(VerifyClientCertIfGiven))
			require.NoError(t, clientErr)
			require.NoError(t, serverErr)
			peer := server.ConnectionState().PeerCertificates
			if tt.want == nil {
				assert.Empty(t, peer)
				return
			}
			require.Len(t, peer, 1)
			assert.Equal(t, tt.want.Certificate[0], peer[0].Raw)
		})
	}
}

// The client chooses its certificate with the schemes it will sign
// CertificateVerify with (Config.SignatureSchemes), not the defaults: an RSA
// key limited to PSS cannot answer a server that verifies only PKCS #1 v1.5
// and ECDSA, so it is passed over, for the next certificate or an empty
// Certificate (RFC 5246, 7.4.6), not chosen and then fatal.
func TestClientAuthCertificateAgainstConfiguredSchemes(t *testing.T) {
	pki := loadClientAuthPKI(t)
	for _, tt := range []struct {
		name  string
		certs []Certificate
		want  *Certificate // nil: an empty Certificate
	}{
		{"no certificate fits: an empty Certificate", []Certificate{pki.clientRSA}, nil},
		{"the next certificate that fits", []Certificate{pki.clientRSA, pki.clientECDSA}, &pki.clientECDSA},
	} {
		t.Run(tt.name, func(t *testing.T) {
			serverConfig := pki.serverConfigFor(VerifyClientCertIfGiven)
			serverConfig.Certificates = []Certificate{pki.ecdsa}
			serverConfig.SignatureSchemes = []SignatureScheme{ECDSAWithP256AndSHA256, PKCS1WithSHA256}
			clientConfig := pki.clientConfig()
			clientConfig.SignatureSchemes = []SignatureScheme{ECDSAWithP256AndSHA256, PSSWithSHA256}
			clientConfig.Certificates = tt.certs

			client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
			require.NoError(t, clientErr)
			require.NoError(t, serverErr)
			peer := server.ConnectionState().PeerCertificates
			if tt.want == nil {
				assert.Empty(t, peer)
			} else {
				require.Len(t, peer, 1)
				assert.Equal(t, tt.want.Certificate[0], peer[0].Raw)
			}
			exchange(t, client, server)
		})
	}
}

// VerifyConnection sees the proven client identity, runs also when the
// client sent none, and its refusal is bad_certificate.
func TestClientAuthVerifyConnection(t *testing.T) {
	pki := loadClientAuthPKI(t)
	errNotAllowed := errors.New("not on the list")
	allowCN := func(cn string) func(ConnectionState) error {
		return func(state ConnectionState) error {
			if len(state.VerifiedChains) == 0 || state.VerifiedChains[0][0].Subject.CommonName != cn {
				return errNotAllowed
			}
			return nil
		}
	}
	tests := []struct {
		name   string
		mode   ClientAuthType
		cert   *Certificate
		verify func(ConnectionState) error
		ok     bool
	}{
		{"allowed CN", RequireAndVerifyClientCert, &pki.clientRSA, allowCN("glasstls test client"), true},
		{"other CN", RequireAndVerifyClientCert, &pki.clientRSA, allowCN("someone else"), false},
		{"no certificate", VerifyClientCertIfGiven, nil, allowCN("glasstls test client"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			serverConfig := pki.serverConfigFor(tt.mode)
			serverConfig.VerifyConnection = tt.verify
			_, server, clientErr, serverErr := handshakePair(t, pki.clientConfigWith(tt.cert), serverConfig)
			if tt.ok {
				require.NoError(t, clientErr)
				require.NoError(t, serverErr)
				assert.Equal(t, "glasstls test client", server.ConnectionState().VerifiedChains[0][0].Subject.CommonName)
				return
			}
			requireAlert(t, serverErr, record.AlertBadCertificate, false)
			require.ErrorIs(t, serverErr, errNotAllowed)
			requireAlert(t, clientErr, record.AlertBadCertificate, true)
		})
	}
}

// A resumed session keeps the client's identity, and the server's policy
// still applies to it: the chain is verified again (VerifiedChains filled
// in) and VerifyConnection runs again.
func TestClientAuthResumption(t *testing.T) {
	pki := loadClientAuthPKI(t)
	var calls atomic.Int32
	var allowed atomic.Bool
	allowed.Store(true)
	serverConfig := pki.serverConfigFor(RequireAndVerifyClientCert)
	serverConfig.VerifyConnection = func(state ConnectionState) error {
		if n := calls.Add(1); state.DidResume != (n > 1) {
			return errors.New("DidResume wrong")
		}
		if len(state.VerifiedChains) == 0 || !allowed.Load() {
			return errors.New("not allowed")
		}
		return nil
	}
	clientConfig := pki.clientConfig()
	clientConfig.Certificates = []Certificate{pki.clientRSA}
	clientConfig.ClientSessionCache = session.NewLRUClientCache(0)

	clientResumed, serverResumed := resumePair(t, clientConfig, serverConfig)
	require.False(t, clientResumed || serverResumed, "first handshake is full")
	client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	state := server.ConnectionState()
	require.True(t, state.DidResume)
	require.True(t, client.ConnectionState().DidResume)
	require.NotEmpty(t, state.PeerCertificates)
	assert.Equal(t, pki.clientRSA.Certificate[0], state.PeerCertificates[0].Raw)
	require.Len(t, state.VerifiedChains, 1, "the verified client chain, also when resumed")
	assert.Equal(t, int32(2), calls.Load(), "VerifyConnection ran on the resumption too")

	// The policy now refuses this client: resuming does not get around it.
	// In the abbreviated handshake the client speaks last (RFC 5246, 7.3
	// Figure 2), so it learns of the refusal on its first read.
	allowed.Store(false)
	client, _, clientErr, serverErr = handshakePair(t, clientConfig, serverConfig)
	requireAlert(t, serverErr, record.AlertBadCertificate, false)
	require.NoError(t, clientErr)
	_, err := client.Read(make([]byte, 1))
	requireAlert(t, err, record.AlertBadCertificate, true)

	// The test CA is no longer trusted: the session is not resumed, and
	// the full handshake refuses the chain. (The pool holds a certificate
	// with the client's own subject name, so the client still sends its
	// certificate: it matches the CA names the server lists.)
	allowed.Store(true)
	other := x509verify.NewPool()
	other.AddCert(leafOf(t, pki.untrusted))
	serverConfig.ClientCAs = other
	_, _, clientErr, serverErr = handshakePair(t, clientConfig, serverConfig)
	requireAlert(t, serverErr, record.AlertUnknownCA, false)
	requireAlert(t, clientErr, record.AlertUnknownCA, true)
}

// Certificate.SupportedSignatureAlgorithms limits what a key signs with, on
// both sides, and a server passes over a certificate whose schemes the
// client does not accept.
func TestCertificateSupportedSignatureAlgorithms(t *testing.T) {
	pki := loadClientAuthPKI(t)
	limited := func(c Certificate, schemes ...SignatureScheme) Certificate {
		c.SupportedSignatureAlgorithms = schemes
		return c
	}
	rsaServer := pki.serverConfigFor(RequireAnyClientCert)
	rsaServer.CipherSuites = []uint16{0xC02F} // ECDHE-RSA-AES128-GCM-SHA256
	for _, tt := range []struct {
		name                   string
		serverCerts            []Certificate
		clientCert             Certificate
		wantServer, wantClient SignatureScheme // as the peer sees them
	}{
		{"server pinned to PKCS1-SHA512", []Certificate{limited(rsaServer.Certificates[0], PKCS1WithSHA512)}, pki.clientRSA, PKCS1WithSHA512, PSSWithSHA256},
		{"client pinned to PKCS1-SHA384", rsaServer.Certificates, limited(pki.clientRSA, PKCS1WithSHA384), PSSWithSHA256, PKCS1WithSHA384},
		{"client ECDSA pinned to SHA-512", rsaServer.Certificates, limited(pki.clientECDSA, ECDSAWithP521AndSHA512), PSSWithSHA256, ECDSAWithP521AndSHA512},
		{"first certificate's schemes not offered: the second", []Certificate{limited(rsaServer.Certificates[0], PKCS1WithSHA1), limited(rsaServer.Certificates[0], PKCS1WithSHA256)}, pki.clientRSA, PKCS1WithSHA256, PSSWithSHA256},
	} {
		t.Run(tt.name, func(t *testing.T) {
			serverConfig := pki.serverConfigFor(RequireAnyClientCert)
			serverConfig.CipherSuites = rsaServer.CipherSuites
			serverConfig.Certificates = tt.serverCerts
			clientConfig := pki.clientConfig()
			clientConfig.Certificates = []Certificate{tt.clientCert}
			client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
			require.NoError(t, clientErr)
			require.NoError(t, serverErr)
			assert.Equal(t, tt.wantServer, client.ConnectionState().PeerSignatureScheme, "the server signed with")
			assert.Equal(t, tt.wantClient, server.ConnectionState().PeerSignatureScheme, "the client signed with")
			exchange(t, client, server)
		})
	}

	// Only a scheme the client never offers (SHA-1): no certificate fits.
	serverConfig := pki.serverConfigFor(NoClientCert)
	serverConfig.CipherSuites = rsaServer.CipherSuites
	serverConfig.Certificates = []Certificate{limited(rsaServer.Certificates[0], PKCS1WithSHA1)}
	_, _, clientErr, serverErr := handshakePair(t, pki.clientConfig(), serverConfig)
	requireAlert(t, serverErr, record.AlertHandshakeFailure, false)
	requireAlert(t, clientErr, record.AlertHandshakeFailure, true)
}
