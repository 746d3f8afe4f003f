package handshake

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/certgen"
)

// clientAuthPKI holds the client certificates the client-auth tests need:
// the checked-in RSA and ECDSA ones, and some minted per test run that are
// wrong in one way each.
type clientAuthPKI struct {
	*testPKI
	clientRSA   Certificate
	clientECDSA Certificate
	// untrusted is a clientAuth certificate from a CA nobody trusts.
	untrusted Certificate
	// expired is a clientAuth certificate from the real CA, valid only in 2020.
	expired Certificate
	// serverOnly is server-rsa.pem: real CA, but EKU serverAuth only.
	serverOnly Certificate
	// pemDir holds every minted pair as NAME.pem and NAME-key.pem, for openssl.
	pemDir string
}

func loadClientAuthPKI(t testing.TB) *clientAuthPKI {
	t.Helper()
	pki := &clientAuthPKI{testPKI: loadTestPKI(t), pemDir: t.TempDir()}
	var err error
	pki.clientRSA, err = LoadX509KeyPair(pki.file("client-rsa.pem"), pki.file("client-rsa-key.pem"))
	require.NoError(t, err)
	pki.clientECDSA, err = LoadX509KeyPair(pki.file("client-ecdsa.pem"), pki.file("client-ecdsa-key.pem"))
	require.NoError(t, err)
	pki.serverOnly = pki.rsa

	realCA := &certgen.Issuer{}
	realCA.Cert, realCA.Key, err = certgen.LoadPair(pki.file("ca.pem"), pki.file("ca-key.pem"))
	require.NoError(t, err)
	strangerCA, err := certgen.NewCA("glasstls stranger CA")
	require.NoError(t, err)

	pki.untrusted = pki.mint(t, "untrusted", strangerCA, certgen.ClientTemplate(certgen.ECDSAP256))
	expired := certgen.ClientTemplate(certgen.ECDSAP256)
	expired.NotBefore = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	expired.NotAfter = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	pki.expired = pki.mint(t, "expired-client", realCA, expired)
	return pki
}

// mint issues a certificate from issuer and writes it to pemDir as name.
func (p *clientAuthPKI) mint(t testing.TB, name string, issuer *certgen.Issuer, tmpl certgen.Template) Certificate {
	t.Helper()
	cert, key, err := issuer.Issue(tmpl)
	require.NoError(t, err)
	require.NoError(t, certgen.WritePair(p.pemDir, name, cert, key))
	return Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}
}

// serverConfigFor is the test server asking for client certificates with
// mode and trusting the test CA for them.
func (p *clientAuthPKI) serverConfigFor(mode ClientAuthType) *Config {
	config := p.serverConfig()
	config.ClientAuth = mode
	config.ClientCAs = p.roots
	return config
}

// clientConfigWith is a client that sends cert whatever the server asks
// for (GetClientCertificate bypasses the client's own choice), or no
// certificate if cert is nil.
func (p *clientAuthPKI) clientConfigWith(cert *Certificate) *Config {
	config := p.clientConfig()
	config.GetClientCertificate = func(*CertificateRequestInfo) (*Certificate, error) {
		if cert == nil {
			return &Certificate{}, nil
		}
		return cert, nil
	}
	return config
}

func leafOf(t testing.TB, cert Certificate) *x509.Certificate {
	t.Helper()
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	require.NoError(t, err)
	return leaf
}

type clientAuthMode struct {
	name string
	mode ClientAuthType
}

// clientAuthModes lists every ClientAuth mode, named as crypto/tls names them.
func clientAuthModes() []clientAuthMode {
	return []clientAuthMode{
		{"NoClientCert", NoClientCert},
		{"RequestClientCert", RequestClientCert},
		{"RequireAnyClientCert", RequireAnyClientCert},
		{"VerifyClientCertIfGiven", VerifyClientCertIfGiven},
		{"RequireAndVerifyClientCert", RequireAndVerifyClientCert},
	}
}

// modeRequires and modeVerifies say what a mode does with a certificate.
func modeRequires(m ClientAuthType) bool {
	return m == RequireAnyClientCert || m == RequireAndVerifyClientCert
}

func modeVerifies(m ClientAuthType) bool {
	return m == VerifyClientCertIfGiven || m == RequireAndVerifyClientCert
}
