package nethttp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/x509verify"
)

const testTimeout = 30 * time.Second

// describeTLS is the handler of every server test: it writes what net/http
// gave it, r.Proto and r.TLS, one fact per line.
func describeTLS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	fmt.Fprintf(w, "<html><body><pre>\nproto: %s\n", r.Proto)
	if r.TLS == nil {
		fmt.Fprintf(w, "tls: none\n</pre></body></html>\n")
		return
	}
	var peer string
	if len(r.TLS.PeerCertificates) > 0 {
		peer = r.TLS.PeerCertificates[0].Subject.CommonName
	}
	fmt.Fprintf(w, "version: %s\nsuite: %s\nserver name: %s\nalpn: %s\npeer: %s\nverified chains: %d\ntls-unique: %d bytes\n</pre></body></html>\n",
		tls.VersionName(r.TLS.Version), tls.CipherSuiteName(r.TLS.CipherSuite), r.TLS.ServerName,
		r.TLS.NegotiatedProtocol, peer, len(r.TLS.VerifiedChains), len(r.TLS.TLSUnique))
}

type testPKI struct {
	dir         string
	rsa, ecdsa  handshake.Certificate
	roots       *x509verify.Pool
	goRoots     *x509.CertPool
	goClientKey tls.Certificate
}

func loadPKI(t testing.TB) *testPKI {
	t.Helper()
	dir := interop.TestdataDir(t)
	p := &testPKI{dir: dir}
	var err error
	p.rsa, err = handshake.LoadX509KeyPair(filepath.Join(dir, "server-rsa.pem"), filepath.Join(dir, "server-rsa-key.pem"))
	require.NoError(t, err)
	p.ecdsa, err = handshake.LoadX509KeyPair(filepath.Join(dir, "server-ecdsa.pem"), filepath.Join(dir, "server-ecdsa-key.pem"))
	require.NoError(t, err)
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	require.NoError(t, err)
	p.roots = x509verify.NewPool()
	require.True(t, p.roots.AppendPEM(caPEM))
	p.goRoots = x509.NewCertPool()
	require.True(t, p.goRoots.AppendCertsFromPEM(caPEM))
	p.goClientKey, err = tls.LoadX509KeyPair(filepath.Join(dir, "client-ecdsa.pem"), filepath.Join(dir, "client-ecdsa-key.pem"))
	require.NoError(t, err)
	return p
}

func (p *testPKI) file(name string) string { return filepath.Join(p.dir, name) }

// serverConfig asks for (and verifies, if given) a client certificate.
func (p *testPKI) serverConfig() *handshake.Config {
	return &handshake.Config{
		Certificates: []handshake.Certificate{p.ecdsa, p.rsa},
		ClientAuth:   handshake.VerifyClientCertIfGiven,
		ClientCAs:    p.roots,
	}
}

// startServer serves describeTLS through Serve on a loopback port and
// returns the port and the server's error log.
func startServer(t *testing.T, config *handshake.Config) (port int, errorLog *interop.LogBuffer) {
	t.Helper()
	errorLog = &interop.LogBuffer{}
	srv := &http.Server{
		Handler:           http.HandlerFunc(describeTLS),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(errorLog, "", 0),
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- Serve(srv, ln, config) }()
	t.Cleanup(func() {
		require.NoError(t, srv.Close())
		assert.ErrorIs(t, <-served, http.ErrServerClosed)
	})
	return ln.Addr().(*net.TCPAddr).Port, errorLog
}

func get(t *testing.T, client *http.Client, url string) (*http.Response, string) {
	t.Helper()
	resp, err := client.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return resp, string(body)
}

// Go's http.Client over crypto/tls, HTTP/2 and HTTP/1.1: the handler sees
// r.TLS with the suite, the server name and the client's certificate.
func TestServerAnswersCryptoTLSClient(t *testing.T) {
	pki := loadPKI(t)
	port, errorLog := startServer(t, pki.serverConfig())
	url := fmt.Sprintf("https://localhost:%d/", port)
	for _, tc := range []struct {
		name, proto, alpn string
		nextProto         map[string]func(string, *tls.Conn) http.RoundTripper
	}{
		{"HTTP/2", "HTTP/2.0", "h2", nil},
		{"HTTP/1.1", "HTTP/1.1", "http/1.1", map[string]func(string, *tls.Conn) http.RoundTripper{}}, // an empty map turns HTTP/2 off
	} {
		t.Run(tc.name, func(t *testing.T) {
			transport := &http.Transport{
				TLSClientConfig: &tls.Config{RootCAs: pki.goRoots, Certificates: []tls.Certificate{pki.goClientKey},
					CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256}, NextProtos: []string{tc.alpn}},
				ForceAttemptHTTP2: tc.nextProto == nil,
				TLSNextProto:      tc.nextProto,
			}
			defer transport.CloseIdleConnections()
			client := &http.Client{Transport: transport, Timeout: testTimeout}
			for range 2 { // the second request reuses the connection
				resp, body := get(t, client, url)
				assert.Equal(t, tc.proto, resp.Proto)
				assert.Contains(t, body, "proto: "+tc.proto)
				assert.Contains(t, body, "version: TLS 1.2")
				assert.Contains(t, body, "suite: TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")
				assert.Contains(t, body, "server name: localhost")
				assert.Contains(t, body, "alpn: "+tc.alpn)
				assert.Contains(t, body, "peer: glasstls test client")
				assert.Contains(t, body, "verified chains: 1")
				assert.Contains(t, body, "tls-unique: 12 bytes")
				require.NotNil(t, resp.TLS)
				assert.Equal(t, tc.alpn, resp.TLS.NegotiatedProtocol)
			}
		})
	}
	assert.Empty(t, errorLog.String())
}

// A handshake that fails is logged through ErrorLog as net/http logs a
// crypto/tls one, and the server goes on serving.
func TestServerLogsFailedHandshake(t *testing.T) {
	pki := loadPKI(t)
	port, errorLog := startServer(t, pki.serverConfig())
	conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	require.NoError(t, err)
	_, err = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
	require.NoError(t, err)
	_ = conn.SetReadDeadline(time.Now().Add(testTimeout))
	_, _ = io.ReadAll(conn) // the server hangs up
	conn.Close()

	// A client that trusts another CA fails too, on its side.
	goClient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool()}}, Timeout: testTimeout}
	_, err = goClient.Get(fmt.Sprintf("https://localhost:%d/", port))
	require.Error(t, err)

	require.Eventually(t, func() bool { return strings.Count(errorLog.String(), "http: TLS handshake error from 127.0.0.1:") == 2 },
		testTimeout, 10*time.Millisecond, errorLog.String())
	assert.Contains(t, errorLog.String(), "bad_certificate", "the alert crypto/tls sent is in the log")

	// Still serving.
	resp, _ := get(t, NewClient(&handshake.Config{RootCAs: pki.roots}), fmt.Sprintf("https://localhost:%d/", port))
	assert.Equal(t, "HTTP/2.0", resp.Proto)
}

// curl, --http2 and --http1.1.
func TestServerAnswersCurl(t *testing.T) {
	curl := interop.RequireTool(t, "curl")
	pki := loadPKI(t)
	port, errorLog := startServer(t, pki.serverConfig())
	for _, tc := range []struct{ flag, status, proto string }{
		{"--http2", "HTTP/2 200", "HTTP/2.0"},
		{"--http1.1", "HTTP/1.1 200", "HTTP/1.1"},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			out, err := exec.CommandContext(ctx, curl, "--silent", "--show-error", "--include", tc.flag,
				"--cacert", pki.file("ca.pem"), "--cert", pki.file("client-rsa.pem"), "--key", pki.file("client-rsa-key.pem"),
				fmt.Sprintf("https://localhost:%d/", port)).CombinedOutput()
			require.NoError(t, err, string(out))
			assert.Contains(t, string(out), tc.status)
			assert.Contains(t, string(out), "proto: "+tc.proto)
			assert.Contains(t, string(out), "server name: localhost")
			assert.Contains(t, string(out), "peer: glasstls test client")
		})
	}
	assert.Empty(t, errorLog.String())
}

// A browser: headless Chromium gets HTTP/2.
func TestServerAnswersChromium(t *testing.T) {
	interop.RequireTool(t, "chromium")
	pki := loadPKI(t)
	config := pki.serverConfig()
	config.ClientAuth = handshake.NoClientCert
	port, _ := startServer(t, config)

	page := interop.ChromiumDumpDOM(t, fmt.Sprintf("https://localhost:%d/", port), testTimeout, pki.rsa.Leaf, pki.ecdsa.Leaf)
	assert.Contains(t, page, "proto: HTTP/2.0")
	assert.Contains(t, page, "version: TLS 1.2")
	assert.Contains(t, page, "alpn: h2")
	assert.Contains(t, page, "server name: localhost")
}

// http.Server's Protocols decide the ALPN offer: HTTP/1 only means no "h2".
func TestServerWithoutHTTP2OffersOnlyHTTP1(t *testing.T) {
	pki := loadPKI(t)
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	srv := &http.Server{Handler: http.HandlerFunc(describeTLS), Protocols: &protocols}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go Serve(srv, ln, pki.serverConfig())
	defer srv.Close()
	transport := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pki.goRoots}, ForceAttemptHTTP2: true}
	defer transport.CloseIdleConnections()
	resp, body := get(t, &http.Client{Transport: transport, Timeout: testTimeout}, "https://"+ln.Addr().String()+"/")
	assert.Equal(t, "HTTP/1.1", resp.Proto)
	assert.Contains(t, body, "alpn: http/1.1")
	assert.False(t, protocols.UnencryptedHTTP2(), "the caller's Protocols value is not modified")
}

// fetchTwice fetches url on two connections and checks resp.TLS: the
// second one resumes the first one's session.
func fetchTwice(t *testing.T, client *http.Client, url string) (first, second *http.Response) {
	t.Helper()
	first, _ = get(t, client, url)
	client.CloseIdleConnections() // a new connection for the next request
	second, _ = get(t, client, url)
	for _, resp := range []*http.Response{first, second} {
		require.NotNil(t, resp.TLS)
		assert.Equal(t, uint16(tls.VersionTLS12), resp.TLS.Version)
		assert.True(t, resp.TLS.HandshakeComplete)
		assert.NotZero(t, resp.TLS.CipherSuite)
		assert.NotEmpty(t, resp.TLS.PeerCertificates)
		assert.NotEmpty(t, resp.TLS.VerifiedChains)
	}
	assert.False(t, first.TLS.DidResume)
	assert.True(t, second.TLS.DidResume, "the second connection resumes the session")
	return first, second
}

// Our client against crypto/tls's HTTPS server, which chooses h2: HTTP/2.
func TestClientFetchesFromCryptoTLSServer(t *testing.T) {
	pki := loadPKI(t)
	goCert, err := tls.LoadX509KeyPair(pki.file("server-rsa.pem"), pki.file("server-rsa-key.pem"))
	require.NoError(t, err)
	server := httptest.NewUnstartedServer(http.HandlerFunc(describeTLS))
	server.TLS = &tls.Config{Certificates: []tls.Certificate{goCert}, NextProtos: []string{"h2", "http/1.1"}}
	server.EnableHTTP2 = true
	server.StartTLS()
	defer server.Close()

	client := NewClient(&handshake.Config{RootCAs: pki.roots})
	url := strings.Replace(server.URL, "127.0.0.1", "localhost", 1)
	first, second := fetchTwice(t, client, url)
	assert.Equal(t, "localhost", first.TLS.ServerName)
	for _, resp := range []*http.Response{first, second} {
		assert.Equal(t, "h2", resp.TLS.NegotiatedProtocol)
		assert.Equal(t, "HTTP/2.0", resp.Proto)
	}
}

// Our client against `openssl s_server -www`.
func TestClientFetchesFromOpenSSLServer(t *testing.T) {
	pki := loadPKI(t)
	_, port := interop.StartOpenSSLServer(t, "-www", "-tls1_2",
		"-cert", pki.file("server-ecdsa.pem"), "-key", pki.file("server-ecdsa-key.pem"))
	client := NewClient(&handshake.Config{RootCAs: pki.roots})
	first, _ := fetchTwice(t, client, fmt.Sprintf("https://localhost:%d/", port))
	assert.Equal(t, "localhost", first.TLS.ServerName)
}

// The client helper against our own server: the whole stack is glasstls,
// HTTP/2 on both ends, and the handler sees the client's certificate.
func TestClientFetchesFromOurServer(t *testing.T) {
	pki := loadPKI(t)
	port, _ := startServer(t, pki.serverConfig())
	clientCert, err := handshake.LoadX509KeyPair(pki.file("client-rsa.pem"), pki.file("client-rsa-key.pem"))
	require.NoError(t, err)
	client := NewClient(&handshake.Config{RootCAs: pki.roots, Certificates: []handshake.Certificate{clientCert}})
	url := fmt.Sprintf("https://localhost:%d/", port)
	first, second := fetchTwice(t, client, url)
	for _, resp := range []*http.Response{first, second} {
		assert.Equal(t, "h2", resp.TLS.NegotiatedProtocol)
		assert.Equal(t, "HTTP/2.0", resp.Proto)
	}
	_, body := get(t, client, url)
	assert.Contains(t, body, "proto: HTTP/2.0")
	assert.Contains(t, body, "peer: glasstls test client")
}

// What the client offers in ALPN: both protocols on its first connection
// to a server, then only the one that server chose: "h2" is never offered
// on a connection that would speak HTTP/1.1.
func TestClientOffersH2OnlyWhenItWillSpeakIt(t *testing.T) {
	pki := loadPKI(t)
	goCert, err := tls.LoadX509KeyPair(pki.file("server-rsa.pem"), pki.file("server-rsa-key.pem"))
	require.NoError(t, err)
	for _, tc := range []struct {
		serverProtos []string
		wantProto    string
		wantOffers   [][]string
	}{
		{[]string{"http/1.1"}, "HTTP/1.1", [][]string{{"h2", "http/1.1"}, {"http/1.1"}, {"http/1.1"}}},
		{[]string{"h2", "http/1.1"}, "HTTP/2.0", [][]string{{"h2", "http/1.1"}, {"h2"}, {"h2"}}},
	} {
		t.Run(tc.wantProto, func(t *testing.T) {
			var mu sync.Mutex
			var offers [][]string
			server := httptest.NewUnstartedServer(http.HandlerFunc(describeTLS))
			server.TLS = &tls.Config{Certificates: []tls.Certificate{goCert}, NextProtos: tc.serverProtos,
				GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
					mu.Lock()
					defer mu.Unlock()
					offers = append(offers, hello.SupportedProtos)
					return nil, nil
				}}
			server.EnableHTTP2 = true
			server.StartTLS()
			defer server.Close()
			client := NewClient(&handshake.Config{RootCAs: pki.roots})
			url := strings.Replace(server.URL, "127.0.0.1", "localhost", 1)
			for range 3 {
				resp, _ := get(t, client, url)
				assert.Equal(t, tc.wantProto, resp.Proto)
				client.CloseIdleConnections()
			}
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, tc.wantOffers, offers)
		})
	}
}

// The listener ends handshakes in progress when the server closes, and
// Serve returns.
func TestServerCloseEndsPendingHandshakes(t *testing.T) {
	pki := loadPKI(t)
	srv := &http.Server{Handler: http.HandlerFunc(describeTLS)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- Serve(srv, ln, pki.serverConfig()) }()
	silent, err := net.Dial("tcp", ln.Addr().String()) // never sends a ClientHello
	require.NoError(t, err)
	defer silent.Close()
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, srv.Close())
	require.ErrorIs(t, <-served, http.ErrServerClosed)
	_ = silent.SetReadDeadline(time.Now().Add(testTimeout))
	_, err = silent.Read(make([]byte, 1))
	assert.True(t, errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || isReset(err), "the pending handshake's connection is closed: %v", err)
}

func isReset(err error) bool { return err != nil && strings.Contains(err.Error(), "reset") }

// A glasstls listener (handshake.Listen) works too: its Config applies.
func TestServeOnGlasstlsListener(t *testing.T) {
	pki := loadPKI(t)
	config := pki.serverConfig()
	config.NextProtos = []string{"h2", "http/1.1"}
	ln, err := handshake.Listen("tcp", "127.0.0.1:0", config)
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(describeTLS)}
	go Serve(srv, ln, nil)
	defer srv.Close()
	resp, body := get(t, NewClient(&handshake.Config{RootCAs: pki.roots}), "https://localhost:"+fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)+"/")
	assert.Equal(t, "HTTP/2.0", resp.Proto)
	assert.Contains(t, body, "server name: localhost")
}

// RFC 7540, 9.2.2 and Appendix A: HTTP/2 over TLS 1.2 refuses suites
// without an ephemeral key exchange or without an AEAD. DHE_RSA with
// AES-GCM or ChaCha20-Poly1305 is ephemeral and AEAD, so it is not on the
// list (net/http's HTTP/2 server accepts it too); a CBC suite is.
func TestServerHTTP2SuiteRules(t *testing.T) {
	pki := loadPKI(t)
	port, errorLog := startServer(t, pki.serverConfig())
	url := fmt.Sprintf("https://localhost:%d/", port)
	for _, tc := range []struct {
		suite   uint16
		allowed bool
	}{
		{0x009E, true},  // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
		{0xCCAA, true},  // TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256
		{0xC02F, true},  // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
		{0xC027, false}, // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: not an AEAD
	} {
		t.Run(fmt.Sprintf("%#04x", tc.suite), func(t *testing.T) {
			client := NewClient(&handshake.Config{RootCAs: pki.roots, CipherSuites: []uint16{tc.suite}, NextProtos: []string{"h2"}})
			defer client.CloseIdleConnections()
			if !tc.allowed {
				_, err := client.Get(url)
				require.Error(t, err)
				require.Eventually(t, func() bool {
					return strings.Contains(errorLog.String(), fmt.Sprintf("%#04x, which RFC 7540, 9.2.2 prohibits", tc.suite))
				},
					testTimeout, 10*time.Millisecond, errorLog.String())
				return
			}
			resp, body := get(t, client, url)
			assert.Equal(t, "HTTP/2.0", resp.Proto)
			assert.Contains(t, body, "alpn: h2")
			require.NotNil(t, resp.TLS)
			assert.Equal(t, tc.suite, resp.TLS.CipherSuite)
		})
	}
}
