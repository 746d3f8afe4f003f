package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/internal/certgen"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
)

// digestTarget reads everything until the client half-closes, then answers
// with the length and SHA-256 of what it got and closes.
func digestTarget(conn *net.TCPConn) {
	h := sha256.New()
	n, err := io.Copy(h, conn)
	if err != nil {
		return
	}
	fmt.Fprintf(conn, "%d %x\n", n, h.Sum(nil))
}

// tunnelPair runs a tunnel server in front of tg and a tunnel client (with
// the checked-in ECDSA client certificate) in front of that server.
func tunnelPair(t *testing.T, tg *target, serverExtra ...string) (server, client *runningTunnel) {
	server = startTunnel(t, serverArgs(t, tg.addr, serverExtra...)...)
	client = startTunnel(t, clientArgs(t, server.addr, interop.TestdataDir(t), "client-ecdsa")...)
	return server, client
}

// sendAndDigest sends data through addr, half-closes, and returns the
// target's answer, which it can only give after the half-close arrived.
func sendAndDigest(addr string, data []byte) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, testTimeout)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(testTimeout))
	if _, err := conn.Write(data); err != nil {
		return "", err
	}
	if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
		return "", err
	}
	answer, err := io.ReadAll(conn)
	return string(answer), err
}

func wantDigest(data []byte) string {
	return fmt.Sprintf("%d %x\n", len(data), sha256.Sum256(data))
}

// Many connections at once, each sending its own data and half-closing:
// the target answers only after the EOF came through both tunnels.
func TestTunnelManyConnections(t *testing.T) {
	tg := startTarget(t, digestTarget)
	server, client := tunnelPair(t, tg, "-allow-cn", "glasstls test client")

	const conns = 40
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data := bytes.Repeat([]byte{byte(i)}, 1000+i*3000) // up to ~120 KB, several records
			got, err := sendAndDigest(client.addr, data)
			if err == nil && got != wantDigest(data) {
				err = fmt.Errorf("connection %d: got %q, want %q", i, got, wantDigest(data))
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, int64(conns), tg.accepted.Load())

	// One log line per connection on each side, with the identity and the
	// byte counts; the end is a clean half-close from the peer first.
	server.log.waitFor(t, `end="peer closed, then target closed"`, conns)
	client.log.waitFor(t, `end="peer closed, then target closed"`, conns)
	assert.Contains(t, server.log.String(), `identity="CN=glasstls test client SAN=client.glasstls.test"`)
	assert.Contains(t, client.log.String(), `identity="CN=localhost SAN=localhost`)
	assert.Contains(t, server.log.String(), fmt.Sprintf("up=%d down=%d", 1000, len(wantDigest(make([]byte, 1000)))))
}

// The other direction: the target speaks first and half-closes; the client
// still sends afterwards, and the target still receives it.
func TestTunnelHalfCloseFromTarget(t *testing.T) {
	received := make(chan string, 1)
	tg := startTarget(t, func(conn *net.TCPConn) {
		_, _ = conn.Write([]byte("banner\n"))
		_ = conn.CloseWrite()
		data, _ := io.ReadAll(conn)
		received <- string(data)
	})
	_, client := tunnelPair(t, tg)

	conn, err := net.DialTimeout("tcp", client.addr, testTimeout)
	require.NoError(t, err)
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(testTimeout))
	banner, err := io.ReadAll(conn) // EOF: the target's FIN came through as close_notify and FIN
	require.NoError(t, err)
	assert.Equal(t, "banner\n", string(banner))
	_, err = conn.Write([]byte("still talking"))
	require.NoError(t, err)
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	select {
	case got := <-received:
		assert.Equal(t, "still talking", got)
	case <-time.After(testTimeout):
		t.Fatal("the target never got the data sent after its half-close")
	}
	client.log.waitFor(t, `end="target closed, then peer closed"`, 1)
}

// mintClient writes a client certificate pair named name into dir.
func mintClient(t *testing.T, dir, name string, issuer *certgen.Issuer, cn string) {
	t.Helper()
	tmpl := certgen.ClientTemplate(certgen.ECDSAP256)
	tmpl.CommonName = cn
	tmpl.DNSNames = []string{strings.ReplaceAll(cn, " ", "-") + ".glasstls.test"}
	cert, key, err := issuer.Issue(tmpl)
	require.NoError(t, err)
	require.NoError(t, certgen.WritePair(dir, name, cert, key))
}

// testIssuers returns the checked-in CA and a stranger CA nobody trusts.
func testIssuers(t *testing.T) (realCA, strangerCA *certgen.Issuer) {
	t.Helper()
	cert, key, err := certgen.LoadPair(testdata(t, "ca.pem"), testdata(t, "ca-key.pem"))
	require.NoError(t, err)
	strangerCA, err = certgen.NewCA("glasstls stranger CA")
	require.NoError(t, err)
	return &certgen.Issuer{Cert: cert, Key: key}, strangerCA
}

// Refused clients never reach the target: no certificate, an untrusted
// one, one whose CN and SAN are not allowed.
func TestTunnelRefusesClients(t *testing.T) {
	tg := startTarget(t, digestTarget)
	server := startTunnel(t, serverArgs(t, tg.addr, "-allow-cn", "glasstls test client", "-allow-san", "ops.glasstls.test")...)
	dir := t.TempDir()
	realCA, strangerCA := testIssuers(t)
	mintClient(t, dir, "untrusted", strangerCA, "glasstls test client")
	mintClient(t, dir, "other-cn", realCA, "mallory")
	mintClient(t, dir, "allowed-san", realCA, "ops")

	// No certificate at all: our own client, straight to the tunnel server.
	_, err := handshake.Dial("tcp", server.addr, &handshake.Config{RootCAs: loadPool(t), ServerName: "localhost"})
	var alertErr *record.AlertError
	require.ErrorAs(t, err, &alertErr)
	assert.Equal(t, record.AlertHandshakeFailure, alertErr.Description)

	tests := []struct {
		cert   string
		logSay string
		times  int // lines with logSay in the server's log by then
	}{
		// Our tunnel client sees the server names only the real CA, so it
		// sends no certificate rather than one from another CA.
		{"untrusted", "client sent no certificate", 2},
		{"other-cn", `client CN=mallory SAN=mallory.glasstls.test is not allowed`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.cert, func(t *testing.T) {
			client := startTunnel(t, clientArgs(t, server.addr, dir, tt.cert)...)
			// The tunnel client drops the plain connection (a reset, as
			// "secret" was never read): no answer comes back.
			got, _ := sendAndDigest(client.addr, []byte("secret"))
			assert.Empty(t, got)
			client.log.waitFor(t, "TLS to target failed", 1)
			server.log.waitFor(t, tt.logSay, tt.times)
		})
	}
	// A client that sends the untrusted certificate anyway gets unknown_ca.
	untrusted, err := handshake.LoadX509KeyPair(filepath.Join(dir, "untrusted.pem"), filepath.Join(dir, "untrusted-key.pem"))
	require.NoError(t, err)
	_, err = handshake.Dial("tcp", server.addr, &handshake.Config{RootCAs: loadPool(t), ServerName: "localhost",
		GetClientCertificate: func(*handshake.CertificateRequestInfo) (*handshake.Certificate, error) { return &untrusted, nil }})
	require.ErrorAs(t, err, &alertErr)
	assert.Equal(t, record.AlertUnknownCA, alertErr.Description)
	server.log.waitFor(t, "refused: glasstls: local error: unknown_ca", 1)

	assert.Equal(t, int64(0), tg.accepted.Load(), "a refused client must never reach the target")
	assert.Equal(t, 4, strings.Count(server.log.String(), "refused: "))

	// An allowed SAN is enough (with a CN not on the list).
	client := startTunnel(t, clientArgs(t, server.addr, dir, "allowed-san")...)
	got, err := sendAndDigest(client.addr, []byte("ops"))
	require.NoError(t, err)
	assert.Equal(t, wantDigest([]byte("ops")), got)
}

// Shutdown closes open connections and returns; nothing is left behind.
func TestTunnelShutdown(t *testing.T) {
	tg := startTarget(t, func(conn *net.TCPConn) { _, _ = io.Copy(io.Discard, conn) })
	server, client := tunnelPair(t, tg)
	conn, err := net.DialTimeout("tcp", client.addr, testTimeout)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("idle after this"))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return tg.accepted.Load() == 1 }, testTimeout, 5*time.Millisecond)

	client.stop()
	server.stop()
	_ = conn.SetDeadline(time.Now().Add(testTimeout))
	_, err = conn.Read(make([]byte, 1))
	require.Error(t, err, "the open connection was closed by the shutdown")
	assert.Contains(t, client.log.String(), "tunnel client: stopped")
	assert.Contains(t, server.log.String(), "tunnel server: stopped")
	_, err = net.DialTimeout("tcp", client.addr, time.Second)
	assert.Error(t, err, "no longer listening")
}

func TestTunnelFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "server or client"},
		{[]string{"proxy"}, "server or client"},
		{[]string{"server", "-target", "x:1"}, "-accept is required"},
		{[]string{"client", "-allow-cn", "x"}, "not defined: -allow-cn"},
		{[]string{"server", "-servername", "x"}, "not defined: -servername"},
		{[]string{"client", "-verify_profile", "strict"}, "unknown profile"},
		{[]string{"server", "-accept", "127.0.0.1:0", "-target", "127.0.0.1:1", "-cert", "/nonexistent", "-key", "k", "-CAfile", "c"}, "nonexistent"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, err := newTunnel(tt.args, nil, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// -verify_profile reaches the client's Config (the server's is the same
// flag on the same FlagSet).
func TestTunnelVerifyProfile(t *testing.T) {
	tun, err := newTunnel([]string{"client", "-accept", "127.0.0.1:0", "-target", "127.0.0.1:1",
		"-cert", testdata(t, "client-ecdsa.pem"), "-key", testdata(t, "client-ecdsa-key.pem"),
		"-CAfile", testdata(t, "ca.pem"), "-verify_profile", "webpki"}, nil, io.Discard)
	require.NoError(t, err)
	defer tun.ln.Close()
	assert.Equal(t, x509verify.ProfileWebPKI, tun.clientConfig.VerifyProfile)
}

// The real binary, once: built, run as two processes, stopped by SIGTERM.
func TestTunnelBinary(t *testing.T) {
	goTool := interop.RequireTool(t, "go")
	bin := filepath.Join(t.TempDir(), "tunnel")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	tg := startTarget(t, digestTarget)
	serverPort, clientPort := interop.FreePort(t), interop.FreePort(t)
	server := interop.StartProcess(t, bin, "server", "-accept", fmt.Sprintf("127.0.0.1:%d", serverPort), "-target", tg.addr,
		"-cert", testdata(t, "server-ecdsa.pem"), "-key", testdata(t, "server-ecdsa-key.pem"), "-CAfile", testdata(t, "ca.pem"),
		"-allow-san", "client.glasstls.test")
	client := interop.StartProcess(t, bin, "client", "-accept", fmt.Sprintf("127.0.0.1:%d", clientPort), "-target", fmt.Sprintf("127.0.0.1:%d", serverPort),
		"-cert", testdata(t, "client-rsa.pem"), "-key", testdata(t, "client-rsa-key.pem"), "-CAfile", testdata(t, "ca.pem"), "-servername", "glasstls.test")
	require.NoError(t, server.WaitFor("listening on", testTimeout))
	require.NoError(t, client.WaitFor("listening on", testTimeout))

	data := bytes.Repeat([]byte("binary "), 10000)
	got, err := sendAndDigest(fmt.Sprintf("127.0.0.1:%d", clientPort), data)
	require.NoError(t, err)
	assert.Equal(t, wantDigest(data), got)
	require.NoError(t, server.WaitFor(`identity="CN=glasstls test client`, testTimeout))

	for _, p := range []*interop.Process{client, server} {
		require.NoError(t, syscall.Kill(p.Pid(), syscall.SIGTERM))
		require.NoError(t, p.Wait(testTimeout), "exit status 0 after SIGTERM; output:\n%s", p.Output())
		assert.Contains(t, p.Output(), "stopped")
	}
}

// The tunnel client keeps its TLS session: after the first connection, the
// next ones resume it, and the server still names the client in its log.
func TestTunnelResumesSessions(t *testing.T) {
	tg := startTarget(t, digestTarget)
	server, client := tunnelPair(t, tg, "-allow-cn", "glasstls test client")
	for i := range 3 {
		data := []byte(fmt.Sprintf("connection %d", i))
		got, err := sendAndDigest(client.addr, data)
		require.NoError(t, err)
		require.Equal(t, wantDigest(data), got)
	}
	server.log.waitFor(t, `end="peer closed, then target closed"`, 3)
	client.log.waitFor(t, `end="peer closed, then target closed"`, 3)
	assert.Equal(t, 1, strings.Count(server.log.String(), "resumed=false"), server.log.String())
	assert.Equal(t, 2, strings.Count(server.log.String(), `identity="CN=glasstls test client SAN=client.glasstls.test" resumed=true`), server.log.String())
	assert.Equal(t, 2, strings.Count(client.log.String(), "resumed=true"), client.log.String())
}
