package main

import (
	"context"
	"net"
	"time"

	"github.com/glasstls/glasstls/handshake"
)

// handleClientConn carries one plain connection over mutual TLS to the
// target: dial, handshake (presenting our certificate when asked, checking
// the server's), then splice.
func (t *tunnel) handleClientConn(ctx context.Context, conn net.Conn) {
	c := &connection{peer: conn.RemoteAddr().String(), start: time.Now()}
	defer func() { t.log.Printf("%s: %s", t.name, c) }()

	dialCtx, cancel := context.WithTimeout(ctx, dialTimeout+handshakeTimeout)
	dialer := &handshake.Dialer{NetDialer: &net.Dialer{Timeout: dialTimeout}, Config: t.clientConfig}
	target, err := dialer.DialContext(dialCtx, "tcp", t.target)
	cancel()
	if err != nil {
		c.end = "TLS to target failed: " + err.Error()
		return
	}
	defer target.Close()
	if !t.track(target) {
		c.end = "shutting down"
		return
	}
	defer t.untrack(target)
	// On this side the TLS peer is the server: log whom we reached.
	state := target.(*handshake.Conn).ConnectionState()
	c.identity = identity(state.PeerCertificates[0])
	c.resumed = state.DidResume
	splice(c, conn, target)
}
