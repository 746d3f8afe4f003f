package handshake

// Client authentication against real peers: crypto/tls both ways in every
// ClientAuth mode, `openssl s_client -cert -key` against our server in every
// mode, and our client against `openssl s_server -Verify 1 -CAfile`
// (with -verify_return_error: without it s_server only logs a bad chain).

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/record"
)

// goClientCert loads a checked-in pair for crypto/tls.
func (p *clientAuthPKI) goClientCert(t testing.TB, name string) tls.Certificate {
	t.Helper()
	cert, err := tls.LoadX509KeyPair(p.file(name+".pem"), p.file(name+"-key.pem"))
	require.NoError(t, err)
	return cert
}

// clientCertNames are the checked-in client certificates, and "" for none.
func clientCertNames() []string { return []string{"", "client-rsa", "client-ecdsa"} }

func TestClientAuthCryptoTLSClientToOurServer(t *testing.T) {
	pki := loadClientAuthPKI(t)
	for _, m := range clientAuthModes() {
		for _, name := range clientCertNames() {
			t.Run(fmt.Sprintf("%s/%q", m.name, name), func(t *testing.T) {
				goConfig := &tls.Config{RootCAs: pki.goRoots(t), ServerName: "localhost", MaxVersion: tls.VersionTLS12}
				if name != "" {
					goConfig.Certificates = []tls.Certificate{pki.goClientCert(t, name)}
				}
				clientRaw, serverRaw := tcpPair(t)
				goClient := tls.Client(clientRaw, goConfig)
				server := Server(serverRaw, pki.serverConfigFor(m.mode))
				errc := make(chan error, 1)
				go func() { errc <- server.Handshake() }()
				clientErr := goClient.Handshake()
				serverErr := <-errc

				if name == "" && modeRequires(m.mode) {
					requireAlert(t, serverErr, record.AlertHandshakeFailure, false)
					require.Error(t, clientErr)
					assert.Contains(t, clientErr.Error(), "handshake failure")
					return
				}
				require.NoError(t, clientErr)
				require.NoError(t, serverErr)
				state := server.ConnectionState()
				if name == "" || m.mode == NoClientCert {
					assert.Empty(t, state.PeerCertificates)
				} else {
					require.Len(t, state.PeerCertificates, 1)
					assert.Equal(t, goConfig.Certificates[0].Certificate[0], state.PeerCertificates[0].Raw)
					assert.Equal(t, modeVerifies(m.mode), len(state.VerifiedChains) == 1)
				}
				exchange(t, goClient, server)
			})
		}
	}
}

func TestClientAuthOurClientToCryptoTLSServer(t *testing.T) {
	pki := loadClientAuthPKI(t)
	certs := map[string]*Certificate{"": nil, "client-rsa": &pki.clientRSA, "client-ecdsa": &pki.clientECDSA}
	for _, m := range clientAuthModes() {
		for _, name := range clientCertNames() {
			t.Run(fmt.Sprintf("%s/%q", m.name, name), func(t *testing.T) {
				clientConfig := pki.clientConfig()
				if cert := certs[name]; cert != nil {
					clientConfig.Certificates = []Certificate{*cert}
				}
				clientRaw, serverRaw := tcpPair(t)
				goServer := tls.Server(serverRaw, &tls.Config{
					Certificates: pki.goCertificates(t),
					ClientAuth:   tls.ClientAuthType(m.mode), // the same numbering, on purpose
					ClientCAs:    pki.goRoots(t),
					MaxVersion:   tls.VersionTLS12,
				})
				client := Client(clientRaw, clientConfig)
				errc := make(chan error, 1)
				go func() { errc <- goServer.Handshake() }()
				clientErr := client.Handshake()
				serverErr := <-errc

				if name == "" && modeRequires(m.mode) {
					require.Error(t, serverErr)
					// crypto/tls, like glasstls, answers a missing
					// certificate with handshake_failure (RFC 5246, 7.4.6).
					requireAlert(t, clientErr, record.AlertHandshakeFailure, true)
					return
				}
				require.NoError(t, clientErr)
				require.NoError(t, serverErr)
				peer := goServer.ConnectionState().PeerCertificates
				if name == "" || m.mode == NoClientCert {
					assert.Empty(t, peer)
				} else {
					require.Len(t, peer, 1)
					assert.Equal(t, certs[name].Certificate[0], peer[0].Raw)
				}
				exchange(t, client, goServer)
			})
		}
	}
}

// clientAuthServer runs our server and reports each connection's
// handshake result and state; it echoes one line, then closes.
type serverResult struct {
	state ConnectionState
	err   error
}

func clientAuthServer(t *testing.T, config *Config) (port int, results chan serverResult) {
	t.Helper()
	ln, err := Listen("tcp", "127.0.0.1:0", config)
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	results = make(chan serverResult, 16)
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
				err := tc.Handshake()
				results <- serverResult{tc.ConnectionState(), err}
				if err != nil {
					return
				}
				line, err := bufio.NewReader(conn).ReadString('\n')
				if err == nil {
					_, _ = conn.Write([]byte(line))
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, results
}

func receiveResult(t *testing.T, results chan serverResult) serverResult {
	t.Helper()
	select {
	case r := <-results:
		return r
	case <-time.After(opensslTimeout):
		t.Fatal("the server reported no handshake")
		return serverResult{}
	}
}

func TestClientAuthOpenSSLClientToOurServer(t *testing.T) {
	pki := loadClientAuthPKI(t)
	interop.RequireOpenSSL(t)
	for _, m := range clientAuthModes() {
		port, results := clientAuthServer(t, pki.serverConfigFor(m.mode))
		for _, name := range clientCertNames() {
			t.Run(fmt.Sprintf("%s/%q", m.name, name), func(t *testing.T) {
				args := []string{"-tls1_2", "-CAfile", pki.file("ca.pem"), "-servername", "localhost", "-ign_eof"}
				if name != "" {
					args = append(args, "-cert", pki.file(name+".pem"), "-key", pki.file(name+"-key.pem"))
				}
				out, err := interop.RunOpenSSLClient(t, port, "hello mtls\n", opensslTimeout, args...)
				r := receiveResult(t, results)
				if name == "" && modeRequires(m.mode) {
					require.Error(t, err, out)
					requireAlert(t, r.err, record.AlertHandshakeFailure, false)
					assert.Contains(t, out, "handshake failure", "s_client reports our alert")
					return
				}
				require.NoError(t, err, out)
				require.NoError(t, r.err)
				assert.Contains(t, out, "hello mtls", "the echo came back")
				if name == "" || m.mode == NoClientCert {
					assert.Empty(t, r.state.PeerCertificates)
					return
				}
				// s_client sends the chain it built from -CAfile: leaf and root.
				require.NotEmpty(t, r.state.PeerCertificates)
				assert.Equal(t, "glasstls test client", r.state.PeerCertificates[0].Subject.CommonName)
				assert.Equal(t, modeVerifies(m.mode), len(r.state.VerifiedChains) == 1)
			})
		}
	}
}

// OpenSSL sees the alert our server sends for each bad client certificate.
func TestClientAuthOpenSSLClientBadCertificates(t *testing.T) {
	pki := loadClientAuthPKI(t)
	interop.RequireOpenSSL(t)
	port, results := clientAuthServer(t, pki.serverConfigFor(RequireAndVerifyClientCert))
	tests := []struct {
		name, cert, key string
		want            record.AlertDescription
		opensslSays     string
	}{
		{"untrusted", pki.pemDir + "/untrusted.pem", pki.pemDir + "/untrusted-key.pem", record.AlertUnknownCA, "unknown ca"},
		{"expired", pki.pemDir + "/expired-client.pem", pki.pemDir + "/expired-client-key.pem", record.AlertCertificateExpired, "certificate expired"},
		{"no clientAuth EKU", pki.file("server-rsa.pem"), pki.file("server-rsa-key.pem"), record.AlertUnsupportedCertificate, "unsupported certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := interop.RunOpenSSLClient(t, port, "", opensslTimeout,
				"-tls1_2", "-CAfile", pki.file("ca.pem"), "-cert", tt.cert, "-key", tt.key)
			require.Error(t, err, out)
			requireAlert(t, receiveResult(t, results).err, tt.want, false)
			assert.Contains(t, out, tt.opensslSays)
		})
	}
}

func TestClientAuthOurClientToOpenSSLServer(t *testing.T) {
	pki := loadClientAuthPKI(t)
	interop.RequireOpenSSL(t)
	tests := []struct {
		name string
		cert *Certificate
		want record.AlertDescription // 0: accepted
	}{
		{"RSA", &pki.clientRSA, 0},
		{"ECDSA", &pki.clientECDSA, 0},
		// OpenSSL's alerts, RFC 5246, 7.4.6 and 7.2.2, as ours.
		{"no certificate", nil, record.AlertHandshakeFailure},
		{"untrusted", &pki.untrusted, record.AlertUnknownCA},
		{"expired", &pki.expired, record.AlertCertificateExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server, port := interop.StartOpenSSLServer(t, "-tls1_2", "-cert", pki.file("server-rsa.pem"),
				"-key", pki.file("server-rsa-key.pem"), "-Verify", "1", "-verify_return_error", "-CAfile", pki.file("ca.pem"), "-rev")
			conn, err := Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), pki.clientConfigWith(tt.cert))
			if tt.want != 0 {
				requireAlert(t, err, tt.want, true)
				return
			}
			require.NoError(t, err)
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(opensslTimeout))
			_, err = conn.Write([]byte("mutual\n"))
			require.NoError(t, err)
			assert.Equal(t, "lautum", readLine(t, conn))
			// s_server prints the client certificate it verified.
			require.NoError(t, server.WaitFor("CN = glasstls test client", opensslTimeout), server.Output())
		})
	}
}
