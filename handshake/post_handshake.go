package handshake

import (
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// After the handshake the only handshake messages a peer may send are
// requests to renegotiate: a server's HelloRequest, a client's ClientHello.
// glasstls never renegotiates (RFC 5746 would be needed to do it safely,
// and TLS 1.3 dropped it). What it answers, and what it bounds:
//
//   - the first request of the connection gets a no_renegotiation warning
//     (RFC 5746, 4.2 and 4.4), which lets the peer carry on with the
//     connection it has;
//   - later ones are ignored: RFC 5246, 7.4.1.1, "This message MAY be
//     ignored by the client if it does not wish to renegotiate a session".
//     One alert per connection, so a peer packing thousands of 4-byte
//     HelloRequests into its records cannot make us send thousands of
//     alerts (an amplification) or block in writing them to a peer that
//     does not read;
//   - more than record.MaxEmptyRecords requests with no application data in
//     between end the connection with unexpected_message, the bound the
//     handshake puts on ignored HelloRequests, so a peer cannot keep Read
//     busy without ever delivering data.
//
// crypto/tls ends the connection on the first request; OpenSSL answers
// each with the warning.

// handlePostHandshakeMessage deals with a handshake message read after the
// handshake. Called with c.in held.
func (c *Conn) handlePostHandshakeMessage(data []byte) error {
	var err error
	switch {
	case c.isClient && data[0] == wire.TypeHelloRequest:
		// RFC 5246, 7.4.1.1: a HelloRequest has an empty body; the codec
		// says decode_error for anything else.
		_, err = wire.Parse(data, c.keyExchange)
	case !c.isClient && data[0] == wire.TypeClientHello:
	default:
		err = record.Errorf(record.AlertUnexpectedMessage, "%s after the handshake", wire.MessageName(data[0]))
	}
	if err == nil {
		c.renegotiationRequests++
		if c.renegotiationRequests > record.MaxEmptyRecords {
			err = record.Errorf(record.AlertUnexpectedMessage, "more than %d renegotiation requests without application data", record.MaxEmptyRecords)
		}
	}
	if err != nil {
		err = c.setFatal(err)
		c.failFromRead(err)
		return err
	}
	return c.refuseRenegotiation()
}

// refuseRenegotiation sends the connection's one no_renegotiation warning.
// The warning is optional (7.4.1.1 allows ignoring the request), so it is
// skipped, not waited for, while a Write holds the write half: Read must
// not wait behind a Write that a peer which does not read has blocked.
// Called with c.in held.
func (c *Conn) refuseRenegotiation() error {
	if c.noRenegotiationSent {
		return nil
	}
	c.noRenegotiationSent = true
	if !c.out.TryLock() {
		return nil
	}
	defer c.out.Unlock()
	restore := c.boundWriteByReadDeadline()
	defer restore()
	return c.rec.SendAlert(record.AlertNoRenegotiation)
}

// failFromRead is failLocked for a fatal error found by Read after the
// handshake. Its alert is a write made on Read's behalf, so it is bounded
// by the read deadline too; the bound is set before waiting for the write
// half, so that a Write blocked on a peer that does not read gives way at
// that deadline (the connection is ending anyway) instead of keeping Read
// past it. Called with c.in held.
func (c *Conn) failFromRead(err error) {
	c.boundWriteByReadDeadline() // no need to restore: the connection closes
	c.out.Lock()
	defer c.out.Unlock()
	c.failLocked(err)
}

// boundWriteByReadDeadline sets the transport's write deadline to the read
// deadline, if the application set one earlier than its write deadline: a
// write Read makes must not outlast Read's own deadline. It returns the
// function that puts the application's write deadline back.
func (c *Conn) boundWriteByReadDeadline() (restore func()) {
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	if c.readDeadline.IsZero() || (!c.writeDeadline.IsZero() && !c.readDeadline.Before(c.writeDeadline)) {
		return func() {}
	}
	_ = c.conn.SetWriteDeadline(c.readDeadline)
	return func() {
		c.deadlineMu.Lock()
		defer c.deadlineMu.Unlock()
		_ = c.conn.SetWriteDeadline(c.writeDeadline)
	}
}
