package bench

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/x509verify"
)

// impl is one of the two TLS libraries under comparison. Every benchmark
// runs once per impl, as sub-benchmarks named .../glasstls and
// .../cryptotls, which examples/benchcompare pairs up.
type impl string

const (
	glass  impl = "glasstls"
	goTLS  impl = "cryptotls"
	server      = false
	client      = true
)

var impls = []impl{glass, goTLS}

// tlsConn is what both libraries' connections offer.
type tlsConn interface {
	net.Conn
	HandshakeContext(context.Context) error
}

// kexCase is one key exchange, as the issue lists them.
type kexCase struct {
	name  string
	suite uint16 // the same IANA id in both libraries
	curve cipher.CurveID
	ecdsa bool // the server's certificate: ECDSA P-256, else RSA-2048
	// macThenEncrypt turns off RFC 7366 in glasstls, which crypto/tls does
	// not implement, so that CBC throughput compares the same construction.
	macThenEncrypt bool
}

var kexCases = []kexCase{
	{name: "RSA-2048", suite: 0x009c},                                               // TLS_RSA_WITH_AES_128_GCM_SHA256
	{name: "ECDHE-RSA-X25519", suite: 0xc02f, curve: cipher.CurveX25519},            // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	{name: "ECDHE-RSA-P256", suite: 0xc02f, curve: cipher.CurveP256},                //
	{name: "ECDHE-ECDSA-P256", suite: 0xc02b, curve: cipher.CurveP256, ecdsa: true}, // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
}

// pki is the checked-in test PKI, loaded for both libraries.
type pki struct {
	rsa, ecdsa     handshake.Certificate
	goRSA, goECDSA tls.Certificate
	roots          *x509verify.Pool
	goRoots        *x509.CertPool
}

func loadPKI(tb testing.TB) *pki {
	tb.Helper()
	dir := interop.TestdataDir(tb)
	file := func(name string) string { return filepath.Join(dir, name) }
	p := &pki{}
	var err error
	p.rsa, err = handshake.LoadX509KeyPair(file("server-rsa.pem"), file("server-rsa-key.pem"))
	require.NoError(tb, err)
	p.ecdsa, err = handshake.LoadX509KeyPair(file("server-ecdsa.pem"), file("server-ecdsa-key.pem"))
	require.NoError(tb, err)
	p.goRSA, err = tls.LoadX509KeyPair(file("server-rsa.pem"), file("server-rsa-key.pem"))
	require.NoError(tb, err)
	p.goECDSA, err = tls.LoadX509KeyPair(file("server-ecdsa.pem"), file("server-ecdsa-key.pem"))
	require.NoError(tb, err)

	caPEM, err := os.ReadFile(file("ca.pem"))
	require.NoError(tb, err)
	p.roots = x509verify.NewPool()
	require.True(tb, p.roots.AppendPEM(caPEM))
	block, _ := pem.Decode(caPEM)
	require.NotNil(tb, block)
	ca, err := x509.ParseCertificate(block.Bytes)
	require.NoError(tb, err)
	p.goRoots = x509.NewCertPool()
	p.goRoots.AddCert(ca)
	return p
}

// glassConfig is a glasstls config for one side of case c. Both libraries
// get the same settings: one suite, one curve, one certificate, fixed
// randomness and time, no session resumption (full handshakes only).
func (p *pki) glassConfig(c kexCase, isClient bool, rand fixedRand) *handshake.Config {
	cfg := &handshake.Config{
		CipherSuites: []uint16{c.suite},
		Time:         benchTime,
		// Always equal for AEAD suites; see kexCase.
		DisableEncryptThenMAC: c.macThenEncrypt,
	}
	if rand != 0 {
		cfg.Rand = rand
	}
	if c.curve != 0 {
		cfg.CurvePreferences = []cipher.CurveID{c.curve}
	}
	if isClient {
		cfg.RootCAs, cfg.ServerName = p.roots, "localhost"
	} else if c.ecdsa {
		cfg.Certificates = []handshake.Certificate{p.ecdsa}
	} else {
		cfg.Certificates = []handshake.Certificate{p.rsa}
	}
	return cfg
}

// goConfig is the crypto/tls config matching glassConfig.
func (p *pki) goConfig(c kexCase, isClient bool, rand fixedRand) *tls.Config {
	cfg := &tls.Config{
		CipherSuites:           []uint16{c.suite},
		MinVersion:             tls.VersionTLS12,
		MaxVersion:             tls.VersionTLS12,
		Time:                   benchTime,
		SessionTicketsDisabled: true,
	}
	if rand != 0 {
		cfg.Rand = rand
	}
	if c.curve != 0 {
		cfg.CurvePreferences = []tls.CurveID{tls.CurveID(c.curve)}
	}
	if isClient {
		cfg.RootCAs, cfg.ServerName = p.goRoots, "localhost"
	} else if c.ecdsa {
		cfg.Certificates = []tls.Certificate{p.goECDSA}
	} else {
		cfg.Certificates = []tls.Certificate{p.goRSA}
	}
	return cfg
}

// newConn wraps transport in impl's client or server for case c.
func (p *pki) newConn(who impl, c kexCase, isClient bool, transport net.Conn, rand fixedRand) tlsConn {
	switch {
	case who == glass && isClient:
		return handshake.Client(transport, p.glassConfig(c, true, rand))
	case who == glass:
		return handshake.Server(transport, p.glassConfig(c, false, rand))
	case isClient:
		return tls.Client(transport, p.goConfig(c, true, rand))
	default:
		return tls.Server(transport, p.goConfig(c, false, rand))
	}
}

// handshakeBoth runs the handshake of both ends concurrently and fails tb
// if either fails.
func handshakeBoth(tb testing.TB, a, b tlsConn) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- b.HandshakeContext(ctx) }()
	errA := a.HandshakeContext(ctx)
	if errA != nil {
		// Unblock the other side before waiting for it.
		_ = a.Close()
	}
	errB := <-errc
	require.NoError(tb, errA)
	require.NoError(tb, errB)
}
