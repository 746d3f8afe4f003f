package examples_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/certgen"
	"github.com/glasstls/glasstls/internal/interop"
)

// sloppyServerCert writes, under the test root, a server certificate
// without extKeyUsage: fine by RFC 5280 and crypto/x509, refused by the
// Web PKI (CA/B Forum BR 7.1.2.7.10). It returns the -cert and -key paths.
func sloppyServerCert(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	td := interop.TestdataDir(t)
	caCert, caKey, err := certgen.LoadPair(filepath.Join(td, "ca.pem"), filepath.Join(td, "ca-key.pem"))
	require.NoError(t, err)
	tmpl := certgen.ServerTemplate(certgen.RSA2048)
	tmpl.ExtKeyUsage = nil
	cert, key, err := (&certgen.Issuer{Cert: caCert, Key: caKey}).Issue(tmpl)
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, certgen.WritePair(dir, "sloppy", cert, key))
	return filepath.Join(dir, "sloppy.pem"), filepath.Join(dir, "sloppy-key.pem")
}

// TestOurClientPrintsLints: under the default profile the client accepts
// the sloppy certificate and prints what a strict verifier would say;
// with -verify_profile webpki it refuses it for that very rule.
func TestOurClientPrintsLints(t *testing.T) {
	td := interop.TestdataDir(t)
	certFile, keyFile := sloppyServerCert(t)
	port := startOurServer(t, "-cert", certFile, "-key", keyFile, "-verify_profile", "webpki")
	args := []string{"-connect", fmt.Sprintf("127.0.0.1:%d", port), "-servername", "localhost",
		"-CAfile", filepath.Join(td, "ca.pem"), "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"}

	_, stderr, err := runOurClient(t, "", args...)
	require.NoError(t, err, stderr)
	assert.Contains(t, stderr, "New, TLSv1.2")
	assert.Contains(t, stderr, `verify lint: x509verify: certificate "CN=localhost,O=glasstls test PKI" (position 0 in the chain) breaks the rule "extKeyUsage present in the leaf, without anyExtendedKeyUsage" (CA/Browser Forum BR 7.1.2.7.10; enforced by profile webpki)`)

	_, stderr, err = runOurClient(t, "", append(args, "-verify_profile", "rfc5280")...)
	require.NoError(t, err, stderr)
	assert.Contains(t, stderr, "verify lint:")

	_, stderr, err = runOurClient(t, "", append(args, "-verify_profile", "webpki")...)
	require.Error(t, err, "non-zero exit")
	assert.Contains(t, stderr, "bad_certificate")
	assert.Contains(t, stderr, "BR 7.1.2.7.10")

	_, stderr, err = runOurClient(t, "", append(args, "-verify_profile", "strict")...)
	require.Error(t, err)
	assert.Contains(t, stderr, "unknown profile")
}

// TestOurClientNoLintsForTheTestPKI: the checked-in test PKI follows
// every rule, so a client prints no lint for it.
func TestOurClientNoLintsForTheTestPKI(t *testing.T) {
	td := interop.TestdataDir(t)
	port := startOurServer(t)
	_, stderr, err := runOurClient(t, "", "-connect", fmt.Sprintf("127.0.0.1:%d", port), "-servername", "localhost",
		"-CAfile", filepath.Join(td, "ca.pem"), "-verify_profile", "webpki")
	require.NoError(t, err, stderr)
	assert.NotContains(t, stderr, "verify lint:")
}
