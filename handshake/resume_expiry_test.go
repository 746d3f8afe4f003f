package handshake

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/internal/certgen"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
)

// A session must not outlive the certificate it was authenticated with: once
// the server's certificate has expired, the client does not offer the
// session, and the full handshake it falls back to fails certificate_expired.
func TestClientDoesNotResumePastCertificateExpiry(t *testing.T) {
	start := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	ca, err := certgen.NewCA("expiry test CA")
	require.NoError(t, err)
	leaf, key, err := ca.Issue(certgen.Template{
		CommonName: "localhost", DNSNames: []string{"localhost"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		NotBefore:   start.Add(-time.Hour), NotAfter: start.Add(30 * time.Minute),
	})
	require.NoError(t, err)
	roots := x509verify.NewPool()
	roots.AddCert(ca.Cert)

	clock := &fakeClock{now: start}
	clientConfig := &Config{RootCAs: roots, ServerName: "localhost", Time: clock.Now,
		ClientSessionCache: session.NewLRUClientCache(0)}
	serverConfig := &Config{Time: clock.Now,
		Certificates: []Certificate{{Certificate: [][]byte{leaf.Raw}, PrivateKey: key, Leaf: leaf}}}

	clientResumed, _ := resumePair(t, clientConfig, serverConfig)
	require.False(t, clientResumed)
	clientResumed, serverResumed := resumePair(t, clientConfig, serverConfig)
	require.True(t, clientResumed, "within the certificate's validity the session resumes")
	require.True(t, serverResumed)

	// An hour later: the session is still fresh (the server keeps it two
	// hours, the client a day), but the certificate has expired.
	clock.now = start.Add(time.Hour)
	_, _, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
	requireAlert(t, clientErr, record.AlertCertificateExpired, false)
	requireAlert(t, serverErr, record.AlertCertificateExpired, true)
	var expired *x509verify.ExpiredError
	assert.ErrorAs(t, clientErr, &expired)
}
