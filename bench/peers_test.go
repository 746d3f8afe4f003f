package bench

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
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
	// resume is "" for a full handshake, "ticket" (RFC 5077) or "sessionid"
	// for an abbreviated one (RFC 5246, 7.3, Figure 2).
	resume string
}

// resumeCases are the abbreviated handshakes. crypto/tls resumes TLS 1.2
// by ticket only (it keeps no session ID cache).
var resumeCases = []kexCase{
	{name: "Ticket", suite: 0xc02f, curve: cipher.CurveX25519, resume: "ticket"},
	{name: "SessionID", suite: 0xc02f, curve: cipher.CurveX25519, resume: "sessionid"},
}

// implsFor lists the libraries that can do case c.
func implsFor(c kexCase) []impl {
	if c.resume == "sessionid" {
		return []impl{glass}
	}
	return impls
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
		// Only what the case asks for: a server that also filled a session
		// cache would do work crypto/tls does not.
		SessionTicketsDisabled: c.resume != "ticket",
		SessionIDCacheDisabled: c.resume != "sessionid",
	}
	if isClient && c.resume != "" {
		cfg.ClientSessionCache = session.NewLRUClientCache(4)
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
		SessionTicketsDisabled: c.resume != "ticket",
	}
	if isClient && c.resume != "" {
		cfg.ClientSessionCache = tls.NewLRUClientSessionCache(4)
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

// config is impl's config for one side of case c: a *handshake.Config or
// a *tls.Config.
func (p *pki) config(who impl, c kexCase, isClient bool, rand fixedRand) any {
	if who == glass {
		return p.glassConfig(c, isClient, rand)
	}
	return p.goConfig(c, isClient, rand)
}

// wrap makes a client or server over transport with cfg from config.
func wrap(isClient bool, transport net.Conn, cfg any) tlsConn {
	switch cfg := cfg.(type) {
	case *handshake.Config:
		if isClient {
			return handshake.Client(transport, cfg)
		}
		return handshake.Server(transport, cfg)
	case *tls.Config:
		if isClient {
			return tls.Client(transport, cfg)
		}
		return tls.Server(transport, cfg)
	}
	panic(fmt.Sprintf("unknown config %T", cfg))
}

// newConn wraps transport in impl's client or server for case c.
func (p *pki) newConn(who impl, c kexCase, isClient bool, transport net.Conn, rand fixedRand) tlsConn {
	return wrap(isClient, transport, p.config(who, c, isClient, rand))
}

// didResume reports whether conn's handshake was abbreviated.
func didResume(conn tlsConn) bool {
	switch conn := conn.(type) {
	case *handshake.Conn:
		return conn.ConnectionState().DidResume
	case *tls.Conn:
		return conn.ConnectionState().DidResume
	}
	return false
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
