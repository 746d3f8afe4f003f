package handshake

// Certificate selection by server_name (RFC 6066, 3), GetCertificate and
// GetConfigForClient, checked with our client, crypto/tls and
// `openssl s_client -servername`.

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/certgen"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
)

// sniPKI is a CA and three server certificates of different key types,
// made with internal/certgen: RSA for a.example, ECDSA for b.example and
// RSA for the wildcard *.c.example.
type sniPKI struct {
	caFile  string // PEM, for openssl
	ca      *x509.Certificate
	roots   *x509verify.Pool
	a, b, c Certificate
}

func newSNIPKI(t testing.TB) *sniPKI {
	t.Helper()
	ca, err := certgen.NewCA("glasstls SNI test CA")
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, certgen.WritePair(dir, "ca", ca.Cert, ca.Key))
	issue := func(base string, k certgen.KeyType, cn string, names ...string) Certificate {
		cert, key, err := ca.Issue(certgen.Template{CommonName: cn, KeyType: k, DNSNames: names,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		require.NoError(t, err)
		require.NoError(t, certgen.WritePair(dir, base, cert, key))
		pair, err := LoadX509KeyPair(filepath.Join(dir, base+".pem"), filepath.Join(dir, base+"-key.pem"))
		require.NoError(t, err)
		return pair
	}
	p := &sniPKI{caFile: filepath.Join(dir, "ca.pem"), ca: ca.Cert, roots: x509verify.NewPool()}
	p.roots.AddCert(ca.Cert)
	p.a = issue("a", certgen.RSA2048, "a.example", "a.example")
	p.b = issue("b", certgen.ECDSAP256, "b.example", "b.example")
	p.c = issue("c", certgen.RSA2048, "wildcard c.example", "*.c.example")
	return p
}

// sniCases: the name a client asks for and the CN of the certificate it
// must get. The server lists the certificates wildcard first, so that the
// order alone would give the wrong answer for a.example and b.example.
var sniCases = []struct{ serverName, wantCN string }{
	{"a.example", "a.example"},
	{"b.example", "b.example"},
	{"B.Example", "b.example"}, // names compare case-insensitively (RFC 4343)
	{"www.c.example", "wildcard c.example"},
	// No match, or no name: all of them, by the server's suite preference
	// (ECDHE-ECDSA first), as without server_name.
	{"unknown.example", "b.example"},
	{"", "b.example"},
}

func (p *sniPKI) serverConfig() *Config {
	return &Config{Certificates: []Certificate{p.c, p.a, p.b}}
}

func TestSNISelectionOurClient(t *testing.T) {
	pki := newSNIPKI(t)
	for _, tc := range sniCases {
		t.Run(tc.serverName, func(t *testing.T) {
			clientConfig := &Config{RootCAs: pki.roots, ServerName: tc.serverName}
			if tc.serverName == "" || tc.serverName == "unknown.example" {
				clientConfig.InsecureSkipVerify = true // the fallback certificate does not name it
			}
			client, server, clientErr, serverErr := handshakePair(t, clientConfig, pki.serverConfig())
			require.NoError(t, clientErr)
			require.NoError(t, serverErr)
			assert.Equal(t, tc.wantCN, client.ConnectionState().PeerCertificates[0].Subject.CommonName)
			assert.Equal(t, tc.serverName, server.ConnectionState().ServerName)
		})
	}
}

// The bug the issue reported: [other.example, localhost] sent other.example
// to a client asking for localhost.
func TestSNIPicksNamedCertificateOverFirst(t *testing.T) {
	pki := loadTestPKI(t)
	wrongHost, err := LoadX509KeyPair(pki.file("wrong-host.pem"), pki.file("wrong-host-key.pem"))
	require.NoError(t, err)
	serverConfig := &Config{Certificates: []Certificate{wrongHost, pki.rsa}}
	_, _, clientErr, serverErr := handshakePair(t, pki.clientConfig(), serverConfig)
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
}

// A name match wins over key type, but a certificate the client cannot use
// is passed over: an ECDSA-only client asking for a.example (RSA) gets the
// ECDSA certificate, as crypto/tls would (and then refuses its name).
func TestSNIFallsBackToWhatTheClientCanUse(t *testing.T) {
	pki := newSNIPKI(t)
	clientConfig := &Config{InsecureSkipVerify: true, ServerName: "a.example",
		CipherSuites: []uint16{0xC02B}} // ECDHE-ECDSA-AES128-GCM-SHA256
	client, _, clientErr, serverErr := handshakePair(t, clientConfig, pki.serverConfig())
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	assert.Equal(t, "b.example", client.ConnectionState().PeerCertificates[0].Subject.CommonName)
}

func TestSNISelectionCryptoTLSClient(t *testing.T) {
	pki := newSNIPKI(t)
	roots := x509.NewCertPool()
	roots.AddCert(pki.ca)
	for _, tc := range sniCases {
		t.Run(tc.serverName, func(t *testing.T) {
			clientRaw, serverRaw := tcpPair(t)
			goClient := tls.Client(clientRaw, &tls.Config{
				RootCAs: roots, ServerName: tc.serverName, MaxVersion: tls.VersionTLS12,
				InsecureSkipVerify: tc.serverName == "", // crypto/tls wants a name to verify
			})
			server := Server(serverRaw, pki.serverConfig())
			errc := make(chan error, 1)
			go func() { errc <- server.Handshake() }()
			err := goClient.Handshake()
			serverErr := <-errc
			if tc.serverName == "unknown.example" {
				// crypto/tls checks the name: the fallback certificate is refused.
				require.Error(t, err)
				var hostErr x509.HostnameError
				require.ErrorAs(t, err, &hostErr)
				assert.Equal(t, "b.example", hostErr.Certificate.Subject.CommonName)
				return
			}
			require.NoError(t, err)
			require.NoError(t, serverErr)
			assert.Equal(t, tc.wantCN, goClient.ConnectionState().PeerCertificates[0].Subject.CommonName)
		})
	}
}

func TestSNISelectionOpenSSLClient(t *testing.T) {
	pki := newSNIPKI(t)
	interop.RequireOpenSSL(t)
	port, _ := echoServer(t, pki.serverConfig())
	for _, tc := range sniCases {
		if tc.serverName == "" {
			continue // s_client sends the -connect host's name unless -noservername
		}
		t.Run(tc.serverName, func(t *testing.T) {
			out, err := interop.RunOpenSSLClient(t, port, "hello\n", opensslTimeout,
				"-tls1_2", "-servername", tc.serverName, "-CAfile", pki.caFile, "-ign_eof")
			require.NoError(t, err, out)
			assert.Regexp(t, `subject=.*CN ?= ?`+tc.wantCN+`\b`, out)
			if tc.serverName != "unknown.example" {
				assert.Contains(t, out, "Verify return code: 0 (ok)")
			}
		})
	}
}

// GetCertificate chooses the certificate; (nil, nil) falls back to
// Certificates; ClientHelloInfo carries what the client sent.
func TestGetCertificate(t *testing.T) {
	pki := newSNIPKI(t)
	var seen *ClientHelloInfo
	serverConfig := &Config{
		Certificates: []Certificate{pki.c},
		NextProtos:   []string{"h2"},
		GetCertificate: func(hello *ClientHelloInfo) (*Certificate, error) {
			seen = hello
			switch hello.ServerName {
			case "a.example":
				return &pki.a, nil
			case "b.example":
				return &pki.b, nil
			}
			return nil, nil
		},
	}
	for name, want := range map[string]string{"a.example": "a.example", "b.example": "b.example", "x.c.example": "wildcard c.example"} {
		clientConfig := &Config{RootCAs: pki.roots, ServerName: name, NextProtos: []string{"h2", "http/1.1"}}
		client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
		require.NoError(t, clientErr)
		require.NoError(t, serverErr)
		assert.Equal(t, want, client.ConnectionState().PeerCertificates[0].Subject.CommonName)
		require.NotNil(t, seen)
		assert.Equal(t, name, seen.ServerName)
		assert.Equal(t, []string{"h2", "http/1.1"}, seen.SupportedProtos)
		assert.NotEmpty(t, seen.CipherSuites)
		assert.NotEmpty(t, seen.SignatureSchemes)
		assert.NotEmpty(t, seen.SupportedCurves)
		assert.Equal(t, server.RemoteAddr().String(), seen.RemoteAddr().String())
		assert.Equal(t, server.LocalAddr().String(), seen.LocalAddr().String())
		assert.NoError(t, seen.SupportsCertificate(&pki.b))
	}
	// An RSA-only client cannot use the ECDSA certificate.
	clientConfig := &Config{InsecureSkipVerify: true, ServerName: "a.example", CipherSuites: []uint16{0xC02F}}
	_, _, clientErr, _ := handshakePair(t, clientConfig, serverConfig)
	require.NoError(t, clientErr)
	assert.Error(t, seen.SupportsCertificate(&pki.b))
	assert.NoError(t, seen.SupportsCertificate(&pki.a))
}

// A callback's error ends the handshake: internal_error, or the alert it
// wraps (unrecognized_name for a name the server refuses, RFC 6066, 3).
func TestCertificateCallbackErrorsSendAlerts(t *testing.T) {
	pki := newSNIPKI(t)
	refuse := record.Errorf(record.AlertUnrecognizedName, "no such virtual host")
	cases := []struct {
		name   string
		config *Config
		want   record.AlertDescription
	}{
		{"GetCertificate", &Config{GetCertificate: func(*ClientHelloInfo) (*Certificate, error) {
			return nil, errors.New("certificate store unavailable")
		}}, record.AlertInternalError},
		{"GetCertificate/unrecognized_name", &Config{GetCertificate: func(*ClientHelloInfo) (*Certificate, error) {
			return nil, fmt.Errorf("vhost: %w", refuse)
		}}, record.AlertUnrecognizedName},
		{"GetCertificate/none", &Config{GetCertificate: func(*ClientHelloInfo) (*Certificate, error) {
			return nil, nil
		}}, record.AlertUnrecognizedName},
		{"GetConfigForClient", &Config{Certificates: []Certificate{pki.a}, GetConfigForClient: func(*ClientHelloInfo) (*Config, error) {
			return nil, errors.New("tenant database down")
		}}, record.AlertInternalError},
		{"GetConfigForClient/unrecognized_name", &Config{Certificates: []Certificate{pki.a}, GetConfigForClient: func(*ClientHelloInfo) (*Config, error) {
			return nil, refuse
		}}, record.AlertUnrecognizedName},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clientConfig := &Config{RootCAs: pki.roots, ServerName: "a.example"}
			_, _, clientErr, serverErr := handshakePair(t, clientConfig, tc.config)
			requireAlert(t, serverErr, tc.want, false)
			requireAlert(t, clientErr, tc.want, true)
		})
	}
}

// GetConfigForClient swaps the whole Config: here a different certificate
// and ALPN for b.example.
func TestGetConfigForClient(t *testing.T) {
	pki := newSNIPKI(t)
	forB := &Config{Certificates: []Certificate{pki.b}, NextProtos: []string{"b-proto"}}
	serverConfig := &Config{
		Certificates: []Certificate{pki.a},
		GetConfigForClient: func(hello *ClientHelloInfo) (*Config, error) {
			if hello.ServerName == "b.example" {
				return forB, nil
			}
			return nil, nil
		},
	}
	client, _, clientErr, serverErr := handshakePair(t,
		&Config{RootCAs: pki.roots, ServerName: "b.example", NextProtos: []string{"b-proto"}}, serverConfig)
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	assert.Equal(t, "b.example", client.ConnectionState().PeerCertificates[0].Subject.CommonName)
	assert.Equal(t, "b-proto", client.ConnectionState().NegotiatedProtocol)

	client, _, clientErr, serverErr = handshakePair(t, &Config{RootCAs: pki.roots, ServerName: "a.example"}, serverConfig)
	require.NoError(t, clientErr)
	require.NoError(t, serverErr)
	assert.Equal(t, "a.example", client.ConnectionState().PeerCertificates[0].Subject.CommonName)
}

// Listen takes a Config with only GetCertificate.
func TestListenWithGetCertificateOnly(t *testing.T) {
	pki := newSNIPKI(t)
	ln, err := Listen("tcp", "127.0.0.1:0", &Config{GetCertificate: func(*ClientHelloInfo) (*Certificate, error) { return &pki.a, nil }})
	require.NoError(t, err)
	ln.Close()
	_, err = Listen("tcp", "127.0.0.1:0", &Config{})
	assert.Error(t, err)
}
