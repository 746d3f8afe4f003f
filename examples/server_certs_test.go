package examples_test

import (
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/certgen"
	"github.com/glasstls/glasstls/internal/interop"
)

// serverCertDir mints, with internal/certgen, a CA and three server
// certificates for localhost and b.example, each with its own CN so a test
// can tell which one it was served.
func serverCertDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ca, err := certgen.NewCA("glasstls examples test CA")
	require.NoError(t, err)
	require.NoError(t, certgen.WritePair(dir, "ca", ca.Cert, ca.Key))
	for _, c := range []struct {
		base, cn string
		names    []string
		key      certgen.KeyType
	}{
		{"first", "first localhost", []string{"localhost"}, certgen.RSA2048},
		{"second", "second localhost", []string{"localhost"}, certgen.ECDSAP256},
		{"b", "b.example", []string{"b.example"}, certgen.ECDSAP256},
	} {
		cert, key, err := ca.Issue(certgen.Template{CommonName: c.cn, KeyType: c.key, DNSNames: c.names,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		require.NoError(t, err)
		require.NoError(t, certgen.WritePair(dir, c.base, cert, key))
	}
	return dir
}

// servedCN connects with openssl s_client asking for serverName and
// returns its output (which names the certificate's subject).
func servedCN(t *testing.T, port int, dir, serverName string) string {
	t.Helper()
	out, err := interop.RunOpenSSLClient(t, port, "", runTimeout,
		"-tls1_2", "-servername", serverName, "-CAfile", filepath.Join(dir, "ca.pem"), "-verify_return_error")
	require.NoError(t, err, out)
	return out
}

// -servername NAME -cert2 FILE -key2 FILE: a client asking for NAME gets
// the second certificate, any other the first.
func TestServerServernameCert2(t *testing.T) {
	interop.RequireOpenSSL(t)
	dir := serverCertDir(t)
	port := interop.FreePort(t)
	p := interop.StartProcess(t, binary(t, "server"), "-accept", fmt.Sprintf("127.0.0.1:%d", port),
		"-cert", filepath.Join(dir, "first.pem"), "-key", filepath.Join(dir, "first-key.pem"),
		"-servername", "b.example", "-cert2", filepath.Join(dir, "b.pem"), "-key2", filepath.Join(dir, "b-key.pem"))
	require.NoError(t, p.WaitFor("ACCEPT", runTimeout), p.Output())

	assert.Regexp(t, `subject=.*CN ?= ?b\.example`, servedCN(t, port, dir, "b.example"))
	assert.Regexp(t, `subject=.*CN ?= ?b\.example`, servedCN(t, port, dir, "B.EXAMPLE"))
	assert.Regexp(t, `subject=.*CN ?= ?first localhost`, servedCN(t, port, dir, "localhost"))
}

// SIGHUP: the server reads its certificate files again, and the next
// connection gets the new certificate.
func TestServerReloadsCertificatesOnSIGHUP(t *testing.T) {
	interop.RequireOpenSSL(t)
	dir := serverCertDir(t)
	certFile, keyFile := filepath.Join(dir, "served.pem"), filepath.Join(dir, "served-key.pem")
	install := func(base string) {
		for src, dst := range map[string]string{base + ".pem": certFile, base + "-key.pem": keyFile} {
			data, err := os.ReadFile(filepath.Join(dir, src))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(dst, data, 0o600))
		}
	}
	install("first")
	port := interop.FreePort(t)
	p := interop.StartProcess(t, binary(t, "server"), "-accept", fmt.Sprintf("127.0.0.1:%d", port),
		"-cert", certFile, "-key", keyFile)
	require.NoError(t, p.WaitFor("ACCEPT", runTimeout), p.Output())
	assert.Regexp(t, `subject=.*CN ?= ?first localhost`, servedCN(t, port, dir, "localhost"))

	install("second") // an ECDSA key replaces the RSA one
	require.NoError(t, syscall.Kill(p.Pid(), syscall.SIGHUP))
	require.NoError(t, p.WaitFor("SIGHUP: reloaded certificates", runTimeout), p.Output())
	assert.Regexp(t, `subject=.*CN ?= ?second localhost`, servedCN(t, port, dir, "localhost"))
}
