package interop

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testFile(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join(TestdataDir(t), name)
}

func rootsFrom(t *testing.T, name string) *x509.CertPool {
	t.Helper()
	pemBytes, err := os.ReadFile(testFile(t, name))
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pemBytes))
	return pool
}

// TestOpenSSLServerTalksToGoClient proves StartOpenSSLServer brings up a
// working TLS 1.2 server with the checked-in certificates: crypto/tls, as
// an independent client, verifies the chain and gets s_server's -www page.
func TestOpenSSLServerTalksToGoClient(t *testing.T) {
	tests := []struct {
		name    string
		base    string
		roots   string
		wantErr bool
	}{
		{"rsa", "server-rsa", "ca.pem", false},
		{"ecdsa", "server-ecdsa", "ca.pem", false},
		{"impostor root rejected", "server-rsa", "evil-ca.pem", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, port := StartOpenSSLServer(t,
				"-cert", testFile(t, tt.base+".pem"),
				"-key", testFile(t, tt.base+"-key.pem"),
				"-tls1_2", "-www")
			require.Greater(t, port, 0)

			dialer := &net.Dialer{Timeout: 10 * time.Second}
			conn, err := tls.DialWithDialer(dialer, "tcp", "127.0.0.1:"+strconv.Itoa(port), &tls.Config{
				RootCAs:    rootsFrom(t, tt.roots),
				ServerName: "localhost",
				MinVersion: tls.VersionTLS12,
				MaxVersion: tls.VersionTLS12,
			})
			if tt.wantErr {
				var unknown x509.UnknownAuthorityError
				assert.ErrorAs(t, err, &unknown, "s_server output:\n%s", p.Output())
				return
			}
			require.NoError(t, err, "s_server output:\n%s", p.Output())
			defer conn.Close()
			require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))

			state := conn.ConnectionState()
			assert.Equal(t, uint16(tls.VersionTLS12), state.Version)
			leafPEM, err := os.ReadFile(testFile(t, tt.base+".pem"))
			require.NoError(t, err)
			block, _ := pem.Decode(leafPEM)
			require.NotNil(t, block)
			require.NotEmpty(t, state.PeerCertificates)
			assert.Equal(t, block.Bytes, state.PeerCertificates[0].Raw, "s_server must present the leaf it was given")

			_, err = io.WriteString(conn, "GET / HTTP/1.0\r\n\r\n")
			require.NoError(t, err)
			status, err := bufio.NewReader(conn).ReadString('\n')
			require.NoError(t, err)
			assert.Equal(t, "HTTP/1.0 200 ok\r\n", status)
		})
	}
}

// TestRunOpenSSLClientAgainstGoServer proves RunOpenSSLClient drives
// s_client to a finished, verified TLS 1.2 handshake and returns what the
// server sent, and that a verification failure comes back as an error.
func TestRunOpenSSLClientAgainstGoServer(t *testing.T) {
	cert, err := tls.LoadX509KeyPair(testFile(t, "server-ecdsa.pem"), testFile(t, "server-ecdsa-key.pem"))
	require.NoError(t, err)
	port := serveTLS(t, &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		MaxVersion:   tls.VersionTLS12,
	})

	tests := []struct {
		name     string
		caFile   string
		wantErr  bool
		wantText []string
	}{
		{"trusted root", "ca.pem", false, []string{"greetings from crypto/tls", "Verify return code: 0 (ok)", "TLSv1.2", "echo: hello server"}},
		{"impostor root", "evil-ca.pem", true, []string{"verify error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := RunOpenSSLClient(t, port, "hello server\n", 20*time.Second,
				"-CAfile", testFile(t, tt.caFile),
				"-servername", "localhost", "-verify_hostname", "localhost",
				"-verify_return_error", "-ign_eof")
			if tt.wantErr {
				assert.Error(t, err, out)
			} else {
				assert.NoError(t, err, out)
			}
			for _, want := range tt.wantText {
				assert.Contains(t, out, want)
			}
		})
	}
}

func TestRunOpenSSLClientTimesOut(t *testing.T) {
	// A TCP peer that accepts and then says nothing: s_client waits for a
	// ServerHello forever, so only the timeout can end it.
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	})

	start := time.Now()
	_, err = RunOpenSSLClient(t, l.Addr().(*net.TCPAddr).Port, "", 500*time.Millisecond)
	elapsed := time.Since(start)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "timed out")
	assert.Less(t, elapsed, 5*time.Second)
}

// serveTLS runs a crypto/tls server on 127.0.0.1 that greets each client,
// echoes one line back, and closes. It stops when the test ends.
func serveTLS(t *testing.T, cfg *tls.Config) int {
	t.Helper()
	l, err := tls.Listen("tcp4", "127.0.0.1:0", cfg)
	require.NoError(t, err)
	var wg sync.WaitGroup
	t.Cleanup(func() {
		_ = l.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(20 * time.Second))
				if _, err := io.WriteString(c, "greetings from crypto/tls\n"); err != nil {
					return
				}
				line, err := bufio.NewReader(c).ReadString('\n')
				if err != nil {
					return
				}
				_, _ = io.WriteString(c, "echo: "+line)
			}()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}
