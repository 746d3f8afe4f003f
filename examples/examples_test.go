// Package examples_test runs the example programs as a user would: built
// with `go build`, talking to each other and to OpenSSL.
package examples_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
)

const runTimeout = 30 * time.Second

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binary builds every example once per test run and returns the path of one.
func binary(t *testing.T, name string) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "glasstls-examples")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", binDir+string(os.PathSeparator), "./client", "./server", "./https")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return filepath.Join(binDir, name)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// startOurServer runs examples/server on a free port and waits for ACCEPT.
func startOurServer(t *testing.T, args ...string) int {
	t.Helper()
	td := interop.TestdataDir(t)
	port := interop.FreePort(t)
	full := append([]string{"-accept", fmt.Sprintf("127.0.0.1:%d", port),
		"-cert", filepath.Join(td, "server-rsa.pem"), "-key", filepath.Join(td, "server-rsa-key.pem"),
		"-dcert", filepath.Join(td, "server-ecdsa.pem"), "-dkey", filepath.Join(td, "server-ecdsa-key.pem")}, args...)
	p := interop.StartProcess(t, binary(t, "server"), full...)
	require.NoError(t, p.WaitFor("ACCEPT", runTimeout), p.Output())
	return port
}

// runOurClient runs examples/client with stdin and returns stdout and stderr.
func runOurClient(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t, "client"), args...)
	cmd.Stdin = strings.NewReader(stdin)
	var outBuf, errBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &outBuf, &errBuf
	err = cmd.Run()
	return outBuf.String(), errBuf.String(), err
}

func TestOurClientFetchesFromOurServerWWW(t *testing.T) {
	td := interop.TestdataDir(t)
	port := startOurServer(t, "-www")
	stdout, stderr, err := runOurClient(t, "GET / HTTP/1.0\r\n\r\n",
		"-connect", fmt.Sprintf("127.0.0.1:%d", port), "-servername", "localhost",
		"-CAfile", filepath.Join(td, "ca.pem"))
	require.NoError(t, err, stderr)
	assert.Contains(t, stderr, "New, TLSv1.2, Cipher is TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
	assert.Contains(t, stdout, "HTTP/1.0 200 ok")
	assert.Contains(t, stdout, "Protocol: TLSv1.2")
}

func TestOurClientFetchesFromOpenSSLWWW(t *testing.T) {
	td := interop.TestdataDir(t)
	_, port := interop.StartOpenSSLServer(t, "-tls1_2", "-www",
		"-cert", filepath.Join(td, "server-rsa.pem"), "-key", filepath.Join(td, "server-rsa-key.pem"))
	stdout, stderr, err := runOurClient(t, "GET / HTTP/1.0\r\n\r\n",
		"-connect", fmt.Sprintf("127.0.0.1:%d", port), "-servername", "localhost",
		"-CAfile", filepath.Join(td, "ca.pem"), "-cipher", "ECDHE-RSA-CHACHA20-POLY1305")
	require.NoError(t, err, stderr)
	assert.Contains(t, stderr, "New, TLSv1.2, Cipher is TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
	assert.Contains(t, stdout, "HTTP/1.0 200 ok")
	assert.Contains(t, stdout, "ECDHE-RSA-CHACHA20-POLY1305", "s_server -www names the suite")
}

func TestOpenSSLClientTalksToOurServer(t *testing.T) {
	td := interop.TestdataDir(t)
	port := startOurServer(t)
	out, err := interop.RunOpenSSLClient(t, port, "echo me\n", runTimeout,
		"-CAfile", filepath.Join(td, "ca.pem"), "-servername", "localhost", "-verify_return_error")
	// s_client closes at the end of its input; the echo may or may not have
	// arrived before that, so check the handshake, not the echo.
	require.NoError(t, err, out)
	assert.Contains(t, out, "Protocol  : TLSv1.2")
	assert.Contains(t, out, "Verify return code: 0 (ok)")
}

func TestOurClientEchoThroughOurServer(t *testing.T) {
	td := interop.TestdataDir(t)
	port := startOurServer(t, "-cipher", "AES128-SHA")
	stdout, stderr, err := runOurClient(t, "round trip\n",
		"-connect", fmt.Sprintf("127.0.0.1:%d", port), "-servername", "localhost",
		"-CAfile", filepath.Join(td, "ca.pem"), "-cipher", "TLS_RSA_WITH_AES_128_CBC_SHA")
	require.NoError(t, err, stderr)
	assert.Contains(t, stderr, "Cipher is TLS_RSA_WITH_AES_128_CBC_SHA")
	assert.Equal(t, "round trip\n", stdout)
}

func TestOurClientFailsOnUntrustedServer(t *testing.T) {
	td := interop.TestdataDir(t)
	port := startOurServer(t)
	_, stderr, err := runOurClient(t, "", "-connect", fmt.Sprintf("127.0.0.1:%d", port),
		"-servername", "localhost", "-CAfile", filepath.Join(td, "evil-ca.pem"))
	require.Error(t, err, "non-zero exit")
	// evil-ca.pem has the real root's name but its own key identifier, so
	// it is found by name and then ruled out as the issuer (RFC 5280,
	// 4.2.1.1): the real root that signed server-rsa.pem is not trusted.
	assert.Contains(t, stderr, "unknown_ca")
	assert.Contains(t, stderr, "with that name but a different key")
}

func TestOurClientPrintsExpiryDate(t *testing.T) {
	td := interop.TestdataDir(t)
	// The later -cert/-key win over startOurServer's; the client asks for
	// an RSA suite so that the expired RSA certificate is the one served.
	port := startOurServer(t, "-cert", filepath.Join(td, "expired.pem"), "-key", filepath.Join(td, "expired-key.pem"))
	_, stderr, err := runOurClient(t, "", "-connect", fmt.Sprintf("127.0.0.1:%d", port),
		"-servername", "localhost", "-CAfile", filepath.Join(td, "ca.pem"), "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")
	require.Error(t, err, "non-zero exit")
	assert.Contains(t, stderr, "certificate_expired")
	assert.Contains(t, stderr, `certificate "CN=localhost,O=glasstls test PKI" has expired: current time `)
	assert.Contains(t, stderr, "is after notAfter 2021-01-01T00:00:00Z", "expired.pem's notAfter (testdata/README.md)")
}

func TestHTTPSExample(t *testing.T) {
	td := interop.TestdataDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t, "https"),
		"-cert", filepath.Join(td, "server-ecdsa.pem"), "-key", filepath.Join(td, "server-ecdsa-key.pem"),
		"-CAfile", filepath.Join(td, "ca.pem"))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "200 OK")
	assert.Contains(t, string(out), `ALPN "h2"`)
	assert.Contains(t, string(out), "HTTP/2.0 200 OK")
	assert.Contains(t, string(out), `server name "localhost"`, "the handler read r.TLS")
}

// curl, a client operators use every day, fetches the -www page. It offers
// TLS 1.3 and HTTP/2 by default: it must get TLS 1.2 and HTTP/1.x.
func TestCurlFetchesFromOurServer(t *testing.T) {
	curl := interop.RequireTool(t, "curl")
	td := interop.TestdataDir(t)
	port := startOurServer(t, "-www")
	for _, extra := range [][]string{nil, {"--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES256-GCM-SHA384"}} {
		ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
		args := append([]string{"--silent", "--show-error", "--verbose", "--cacert", filepath.Join(td, "ca.pem"),
			fmt.Sprintf("https://localhost:%d/", port)}, extra...)
		out, err := exec.CommandContext(ctx, curl, args...).CombinedOutput()
		cancel()
		require.NoError(t, err, string(out))
		assert.Contains(t, string(out), "SSL connection using TLSv1.2")
		assert.Contains(t, string(out), "Protocol: TLSv1.2")
		assert.Contains(t, string(out), "glasstls server")
		if extra != nil {
			assert.Contains(t, string(out), "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
		}
	}
}

// A browser: headless Chromium loads the -www page. It offers TLS 1.3,
// GREASE values (RFC 8701) and post-quantum groups we do not know, and must
// settle on TLS 1.2 with us.
func TestChromiumLoadsOurServerPage(t *testing.T) {
	interop.RequireTool(t, "chromium")
	td := interop.TestdataDir(t)
	var leaves []*x509.Certificate
	for _, name := range []string{"server-rsa.pem", "server-ecdsa.pem"} {
		data, err := os.ReadFile(filepath.Join(td, name))
		require.NoError(t, err)
		block, _ := pem.Decode(data)
		require.NotNil(t, block)
		cert, err := x509.ParseCertificate(block.Bytes)
		require.NoError(t, err)
		leaves = append(leaves, cert)
	}
	port := startOurServer(t, "-www")

	// Chromium alone takes ten seconds to start on a loaded 2-core machine.
	page := interop.ChromiumDumpDOM(t, fmt.Sprintf("https://localhost:%d/", port), 2*runTimeout, leaves...)
	assert.Contains(t, page, "glasstls server")
	assert.Contains(t, page, "Protocol: TLSv1.2")
	assert.Contains(t, page, "Extended master secret: true")
	assert.Contains(t, page, `Server name: "localhost"`)

	// The page is Chromium's own connection, drawn: its ClientHello with
	// the GREASE values it sent (RFC 8701; Chromium always sends some),
	// the suite our server chose, the ladder and the annotated bytes.
	grease := regexp.MustCompile(`<span id="grease">The client sent (\d+) GREASE values: ([^<]*)</span>`).FindStringSubmatch(page)
	require.NotNil(t, grease, "the page lists Chromium's GREASE values")
	assert.Contains(t, grease[2], "as CipherSuite")
	assert.Contains(t, grease[2], "as extension_type")
	for _, value := range regexp.MustCompile(`0x([0-9A-F]{4}) as CipherSuite`).FindAllStringSubmatch(grease[2], -1) {
		// The same value is annotated where it sits in the ClientHello.
		assert.Contains(t, page, `<span class="tv">= GREASE (0x`+value[1]+`)</span>`)
	}
	suite := regexp.MustCompile(`<strong id="suite">([A-Z0-9_]+) \(0x[0-9A-F]{4}\)</strong>`).FindStringSubmatch(page)
	require.NotNil(t, suite)
	assert.Contains(t, page, "Cipher: "+suite[1], "the suite named is the one negotiated")
	assert.Contains(t, page, "Traced by the glasstls server")
	assert.Contains(t, page, `<nav id="ladder"`)
	assert.Contains(t, page, "0. Handshake: ClientHello")
	assert.Contains(t, page, `<b class="tn">CipherSuite</b>`)
	assert.Contains(t, page, "Application data", "the request itself is on the page")
	assert.Contains(t, page, "Secret: not in this trace", "secrets are off by default")
	assert.Contains(t, page, "key_share (0x0033, not implemented by glasstls)", "TLS 1.3's extensions are named, not just unknown")
}

// The trace flags on a live loopback connection: -trace narrates the
// handshake, -trace-json prints one JSON object per event, -keylogfile
// writes the NSS key log line Wireshark needs.
func TestClientTraceFlags(t *testing.T) {
	td := interop.TestdataDir(t)
	port := startOurServer(t)
	connect := []string{"-connect", fmt.Sprintf("127.0.0.1:%d", port), "-servername", "localhost",
		"-CAfile", filepath.Join(td, "ca.pem")}

	keyLog := filepath.Join(t.TempDir(), "keys.log")
	_, stderr, err := runOurClient(t, "traced\n", append(connect, "-trace", "-keylogfile", keyLog)...)
	require.NoError(t, err, stderr)
	for _, want := range []string{"ClientHello", "ServerHello", "Certificate", "ClientKeyExchange", "Finished", "client_random"} {
		assert.Contains(t, stderr, want)
	}
	logged, err := os.ReadFile(keyLog)
	require.NoError(t, err)
	assert.Regexp(t, `^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$`, string(logged))

	_, stderr, err = runOurClient(t, "traced\n", append(connect, "-trace-json")...)
	require.NoError(t, err, stderr)
	objects := 0
	for _, line := range strings.Split(stderr, "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var event map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &event), line)
		objects++
	}
	assert.Greater(t, objects, 10, "one object per record, message and derived value")
	assert.Contains(t, stderr, `"name":"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"`)
}

// -html on both programs: each writes its side's page of a live
// connection; -trace-secrets decides whether the keys are on it.
func TestHTMLFlags(t *testing.T) {
	td := interop.TestdataDir(t)
	dir := t.TempDir()
	serverPage, clientPage := filepath.Join(dir, "server.html"), filepath.Join(dir, "client.html")
	port := startOurServer(t, "-html", serverPage, "-trace-secrets", "-cipher", "AES128-SHA")
	_, stderr, err := runOurClient(t, "over the wire\n", "-connect", fmt.Sprintf("127.0.0.1:%d", port),
		"-servername", "localhost", "-CAfile", filepath.Join(td, "ca.pem"), "-html", clientPage, "-cipher", "AES128-SHA")
	require.NoError(t, err, stderr)

	client, err := os.ReadFile(clientPage)
	require.NoError(t, err)
	assert.Contains(t, string(client), "Traced by the glasstls client")
	assert.Contains(t, string(client), "TLS_RSA_WITH_AES_128_CBC_SHA (0x002F)")
	assert.Contains(t, string(client), "Secrets are hidden")
	assert.Contains(t, string(client), "client verifies the server")

	// The server writes its page once the connection is closed.
	var server []byte
	require.Eventually(t, func() bool {
		server, err = os.ReadFile(serverPage)
		return err == nil && bytes.Contains(server, []byte("</html>"))
	}, runTimeout, 50*time.Millisecond)
	assert.Contains(t, string(server), "Traced by the glasstls server")
	assert.Contains(t, string(server), "Secrets are shown")
	assert.Contains(t, string(server), `<div class="bn">client_write_key</div><code class="bv">`)
	assert.Contains(t, string(server), "over the wire", "the application data, decrypted")
}
