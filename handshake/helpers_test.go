package handshake

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
)

// testPKI is the checked-in test PKI (testdata/, made by internal/certgen).
type testPKI struct {
	dir   string
	rsa   Certificate
	ecdsa Certificate
	roots *x509verify.Pool
}

func loadTestPKI(t testing.TB) *testPKI {
	t.Helper()
	dir := interop.TestdataDir(t)
	pki := &testPKI{dir: dir}
	var err error
	pki.rsa, err = LoadX509KeyPair(filepath.Join(dir, "server-rsa.pem"), filepath.Join(dir, "server-rsa-key.pem"))
	require.NoError(t, err)
	pki.ecdsa, err = LoadX509KeyPair(filepath.Join(dir, "server-ecdsa.pem"), filepath.Join(dir, "server-ecdsa-key.pem"))
	require.NoError(t, err)
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	require.NoError(t, err)
	pki.roots = x509verify.NewPool()
	require.True(t, pki.roots.AppendPEM(caPEM))
	return pki
}

func (p *testPKI) file(name string) string { return filepath.Join(p.dir, name) }

func (p *testPKI) caCert(t testing.TB) *x509.Certificate {
	data, err := os.ReadFile(p.file("ca.pem"))
	require.NoError(t, err)
	block, _ := pem.Decode(data)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	return cert
}

// serverConfig presents both the RSA and the ECDSA certificate.
func (p *testPKI) serverConfig() *Config {
	return &Config{Certificates: []Certificate{p.rsa, p.ecdsa}}
}

func (p *testPKI) clientConfig() *Config {
	return &Config{RootCAs: p.roots, ServerName: "localhost"}
}

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t testing.TB) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	server = <-accepted
	require.NotNil(t, server)
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

// tcpPairWithin is tcpPair with a deadline on both ends, so that a test
// whose peer stops answering fails instead of hanging.
func tcpPairWithin(t testing.TB, d time.Duration) (client, server net.Conn) {
	t.Helper()
	client, server = tcpPair(t)
	deadline := time.Now().Add(d)
	_ = client.SetDeadline(deadline)
	_ = server.SetDeadline(deadline)
	return client, server
}

// handshakePair runs a glasstls client against a glasstls server and
// returns both ends (and both handshake errors).
func handshakePair(t testing.TB, clientConfig, serverConfig *Config) (client, server *Conn, clientErr, serverErr error) {
	t.Helper()
	clientRaw, serverRaw := tcpPair(t)
	_ = clientRaw.SetDeadline(time.Now().Add(20 * time.Second))
	_ = serverRaw.SetDeadline(time.Now().Add(20 * time.Second))
	client = Client(clientRaw, clientConfig)
	server = Server(serverRaw, serverConfig)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		serverErr = server.Handshake()
	}()
	clientErr = client.Handshake()
	wg.Wait()
	return client, server, clientErr, serverErr
}

// exchange sends data both ways and then closes the client with
// close_notify, checking that the server sees a clean io.EOF.
func exchange(t testing.TB, client, server io.ReadWriteCloser) {
	t.Helper()
	ping := []byte("ping from the client")
	pong := make([]byte, 70000) // several records
	for i := range pong {
		pong[i] = byte(i)
	}
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, len(ping))
		if _, err := io.ReadFull(server, buf); err != nil {
			errc <- err
			return
		}
		if string(buf) != string(ping) {
			errc <- errors.New("server got the wrong bytes")
			return
		}
		_, err := server.Write(pong)
		errc <- err
	}()
	_, err := client.Write(ping)
	require.NoError(t, err)
	got := make([]byte, len(pong))
	_, err = io.ReadFull(client, got)
	require.NoError(t, err)
	require.NoError(t, <-errc)
	require.Equal(t, pong, got)

	require.NoError(t, client.Close())
	n, err := server.Read(make([]byte, 1))
	require.Equal(t, 0, n)
	require.ErrorIs(t, err, io.EOF, "close_notify must read as a clean EOF")
}

// requireAlert checks that err is an alert of the given description, sent
// by the peer (remote) or detected locally.
func requireAlert(t testing.TB, err error, want record.AlertDescription, remote bool) {
	t.Helper()
	var alertErr *record.AlertError
	require.ErrorAs(t, err, &alertErr, "want an alert %v, got %v", want, err)
	require.Equal(t, want, alertErr.Description, "error: %v", err)
	require.Equal(t, remote, alertErr.Remote, "error: %v", err)
}
