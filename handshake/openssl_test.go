package handshake

// Interop with the machine's OpenSSL: our server against `openssl s_client`
// and our client against `openssl s_server`, for every suite in the table,
// with RSA and ECDSA certificates and each curve. Under CI=true a missing
// openssl fails these tests (internal/interop.RequireOpenSSL).

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/record"
)

const opensslTimeout = 20 * time.Second

// echoServer runs our server on a loopback port: it echoes one line per
// connection, then closes it with close_notify, and reports each
// connection's handshake result.
func echoServer(t *testing.T, config *Config) (port int, results chan error) {
	t.Helper()
	ln, err := Listen("tcp", "127.0.0.1:0", config)
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	results = make(chan error, 16)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				_ = conn.SetDeadline(time.Now().Add(opensslTimeout))
				tc := conn.(*Conn)
				if err := tc.Handshake(); err != nil {
					results <- err
					return
				}
				results <- nil
				line, err := bufio.NewReader(conn).ReadString('\n')
				if err == nil {
					_, _ = conn.Write([]byte(line))
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, results
}

// suiteCert names the certificate a suite needs.
func suiteCert(s *cipher.Suite) string {
	if s.Auth == cipher.AuthECDSA {
		return "server-ecdsa"
	}
	return "server-rsa"
}

func TestOpenSSLClientToOurServer(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	serverConfig := pki.serverConfig()
	serverConfig.CipherSuites = allSuiteIDs() // the non-default RSA-CBC suites too
	port, results := echoServer(t, serverConfig)
	for _, suite := range cipher.Suites() {
		if suite.Auth == cipher.AuthPSK {
			continue // no certificate: psk_test.go and psk_interop_test.go
		}
		t.Run(suite.OpenSSLName, func(t *testing.T) {
			out, err := interop.RunOpenSSLClient(t, port, "hello glasstls\n", opensslTimeout,
				"-tls1_2", "-cipher", suite.OpenSSLName, "-CAfile", pki.file("ca.pem"),
				"-servername", "localhost", "-verify_return_error", "-ign_eof")
			require.NoError(t, err, out)
			require.NoError(t, <-results)
			assert.Contains(t, out, "Cipher is "+suite.OpenSSLName)
			assert.Contains(t, out, "Verify return code: 0 (ok)")
			assert.Contains(t, out, "hello glasstls", "the echo came back")
			assert.Contains(t, out, "Extended master secret: yes")
		})
	}
}

func TestOpenSSLClientEveryCurve(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	port, results := echoServer(t, pki.serverConfig())
	for _, curve := range []string{"X25519", "P-256", "P-384", "P-521"} {
		t.Run(curve, func(t *testing.T) {
			out, err := interop.RunOpenSSLClient(t, port, "curve\n", opensslTimeout,
				"-tls1_2", "-groups", curve, "-CAfile", pki.file("ca.pem"), "-servername", "localhost", "-ign_eof")
			require.NoError(t, err, out)
			require.NoError(t, <-results)
			assert.Contains(t, out, "Server Temp Key: "+map[string]string{"X25519": "X25519", "P-256": "ECDH, prime256v1", "P-384": "ECDH, secp384r1", "P-521": "ECDH, secp521r1"}[curve])
			assert.Contains(t, out, "curve")
		})
	}
}

// OpenSSL's default client offers TLS 1.3 as well; it must get TLS 1.2.
func TestOpenSSLDefaultClientGetsTLS12(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	port, results := echoServer(t, pki.serverConfig())
	out, err := interop.RunOpenSSLClient(t, port, "hi\n", opensslTimeout, "-CAfile", pki.file("ca.pem"), "-ign_eof")
	require.NoError(t, err, out)
	require.NoError(t, <-results)
	assert.Contains(t, out, "Protocol  : TLSv1.2")
	assert.Contains(t, out, "New, TLSv1.2")
}

// An OpenSSL client limited to TLS 1.1 gets protocol_version.
func TestOpenSSLOldClientRefused(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	port, results := echoServer(t, pki.serverConfig())
	out, _ := interop.RunOpenSSLClient(t, port, "", opensslTimeout, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0")
	requireAlert(t, <-results, record.AlertProtocolVersion, false)
	assert.Contains(t, out, "protocol version")
}

// No suite in common: the OpenSSL client sees handshake_failure on the wire.
func TestOpenSSLClientNoSharedSuite(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	serverConfig := pki.serverConfig()
	serverConfig.CipherSuites = []uint16{0xC02F}
	port, results := echoServer(t, serverConfig)
	out, err := interop.RunOpenSSLClient(t, port, "", opensslTimeout, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384")
	require.Error(t, err)
	requireAlert(t, <-results, record.AlertHandshakeFailure, false)
	assert.Contains(t, out, "handshake failure")
}

func TestOurClientToOpenSSLServer(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	servers := map[string]int{}
	for _, cert := range []string{"server-rsa", "server-ecdsa"} {
		_, port := interop.StartOpenSSLServer(t, "-tls1_2", "-cert", pki.file(cert+".pem"),
			"-key", pki.file(cert+"-key.pem"), "-cipher", "ALL:@SECLEVEL=0", "-rev")
		servers[cert] = port
	}
	for _, suite := range cipher.Suites() {
		if suite.Auth == cipher.AuthPSK {
			continue // no certificate: psk_test.go and psk_interop_test.go
		}
		t.Run(suite.OpenSSLName, func(t *testing.T) {
			config := pki.clientConfig()
			config.CipherSuites = []uint16{suite.ID}
			conn, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", servers[suiteCert(suite)]), config)
			require.NoError(t, err)
			defer conn.Close()
			assert.Equal(t, suite.ID, conn.ConnectionState().CipherSuite)
			assert.True(t, conn.ConnectionState().ExtendedMasterSecret)
			assert.Equal(t, !suite.IsAEAD(), conn.ConnectionState().EncryptThenMAC, "OpenSSL does RFC 7366 for CBC")

			// s_server -rev answers each line reversed.
			_ = conn.SetDeadline(time.Now().Add(opensslTimeout))
			_, err = conn.Write([]byte("glasstls\n"))
			require.NoError(t, err)
			got := readLine(t, conn)
			assert.Equal(t, "sltssalg", got)
		})
	}
}

func TestOurClientToOpenSSLServerEveryCurve(t *testing.T) {
	pki := loadTestPKI(t)
	interop.RequireOpenSSL(t)
	for _, curve := range cipher.DefaultCurves() {
		t.Run(curve.String(), func(t *testing.T) {
			_, port := interop.StartOpenSSLServer(t, "-tls1_2", "-cert", pki.file("server-rsa.pem"),
				"-key", pki.file("server-rsa-key.pem"), "-groups", curve.String(), "-rev")
			config := pki.clientConfig()
			config.CurvePreferences = []cipher.CurveID{curve}
			conn, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), config)
			require.NoError(t, err)
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(opensslTimeout))
			_, err = conn.Write([]byte("abc\n"))
			require.NoError(t, err)
			assert.Equal(t, "cba", readLine(t, conn))
		})
	}
}

// Our client fetches a page from `openssl s_server -www`.
func TestOurClientFetchesFromOpenSSLWWW(t *testing.T) {
	pki := loadTestPKI(t)
	_, port := interop.StartOpenSSLServer(t, "-tls1_2", "-cert", pki.file("server-ecdsa.pem"),
		"-key", pki.file("server-ecdsa-key.pem"), "-www")
	conn, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), pki.clientConfig())
	require.NoError(t, err)
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(opensslTimeout))
	_, err = conn.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
	require.NoError(t, err)
	page, err := io.ReadAll(conn)
	require.NoError(t, err, "s_server closes with close_notify")
	assert.Contains(t, string(page), "HTTP/1.0 200 ok")
	assert.Contains(t, string(page), "TLSv1.2")
}

func readLine(t *testing.T, r io.Reader) string {
	t.Helper()
	var sb strings.Builder
	b := make([]byte, 1)
	for {
		_, err := r.Read(b)
		require.NoError(t, err)
		if b[0] == '\n' {
			return sb.String()
		}
		sb.WriteByte(b[0])
	}
}

func allSuiteIDs() []uint16 {
	var ids []uint16
	for _, s := range cipher.Suites() {
		ids = append(ids, s.ID)
	}
	return ids
}
