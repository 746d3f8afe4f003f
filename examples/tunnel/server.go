package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/x509verify"
)

// serverConfig demands a client certificate that verifies against pool
// (RFC 5246, 7.4.4: RequireAndVerifyClientCert) and, if any allow list is
// given, one that names an allowed CN or subjectAltName. The check runs in
// VerifyConnection, inside the handshake, so a refused client gets a
// bad_certificate alert and the target never hears of it.
func serverConfig(cert handshake.Certificate, pool *x509verify.Pool, allowCN, allowSAN []string) *handshake.Config {
	config := &handshake.Config{
		Certificates:     []handshake.Certificate{cert},
		ClientAuth:       handshake.RequireAndVerifyClientCert,
		ClientCAs:        pool,
		HandshakeTimeout: handshakeTimeout,
	}
	if len(allowCN) > 0 || len(allowSAN) > 0 {
		config.VerifyConnection = func(state handshake.ConnectionState) error {
			if len(state.VerifiedChains) == 0 {
				return fmt.Errorf("no verified client certificate")
			}
			return authorize(state.VerifiedChains[0][0], allowCN, allowSAN)
		}
	}
	return config
}

// authorize accepts leaf if its subject CN is in allowCN or one of its
// subjectAltNames (DNS, email, URI, IP) is in allowSAN.
func authorize(leaf *x509.Certificate, allowCN, allowSAN []string) error {
	if leaf.Subject.CommonName != "" && slices.Contains(allowCN, leaf.Subject.CommonName) {
		return nil
	}
	for _, san := range subjectAltNames(leaf) {
		if slices.Contains(allowSAN, san) {
			return nil
		}
	}
	return fmt.Errorf("client %s is not allowed", identity(leaf))
}

func subjectAltNames(cert *x509.Certificate) []string {
	names := slices.Clone(cert.DNSNames)
	names = append(names, cert.EmailAddresses...)
	for _, uri := range cert.URIs {
		names = append(names, uri.String())
	}
	for _, ip := range cert.IPAddresses {
		names = append(names, ip.String())
	}
	return names
}

// identity names a certificate for the log: its CN and subjectAltNames.
func identity(cert *x509.Certificate) string {
	s := "CN=" + cert.Subject.CommonName
	if sans := subjectAltNames(cert); len(sans) > 0 {
		s += " SAN=" + strings.Join(sans, ",")
	}
	return s
}

// handleServerConn runs the handshake (client certificate required and
// checked), then connects to the target and splices the two.
func (t *tunnel) handleServerConn(ctx context.Context, conn net.Conn) {
	c := &connection{peer: conn.RemoteAddr().String(), start: time.Now()}
	defer func() { t.log.Printf("%s: %s", t.name, c) }()

	tlsConn := conn.(*handshake.Conn)
	if err := tlsConn.HandshakeContext(ctx); err != nil {
		c.end = "refused: " + err.Error()
		return
	}
	state := tlsConn.ConnectionState()
	if peer := state.PeerCertificates; len(peer) > 0 {
		c.identity = identity(peer[0])
	}
	c.resumed = state.DidResume

	target, err := (&net.Dialer{Timeout: dialTimeout}).DialContext(ctx, "tcp", t.target)
	if err != nil {
		c.end = "target unreachable: " + err.Error()
		return
	}
	defer target.Close()
	if !t.track(target) {
		c.end = "shutting down"
		return
	}
	defer t.untrack(target)
	splice(c, tlsConn, target)
}
