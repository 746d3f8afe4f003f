package handshake

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/prf"
	"github.com/glasstls/glasstls/record"
)

// ErrTruncated is returned by Read when the transport closed without a
// close_notify alert: the data may have been cut short by an attacker
// (a truncation attack, RFC 5246, 7.2.1), so it is not reported as io.EOF.
var ErrTruncated = errors.New("glasstls: connection closed without close_notify (possible truncation)")

// Conn is a TLS 1.2 connection over a net.Conn. It implements net.Conn.
// One goroutine may Read while another Writes.
type Conn struct {
	conn     net.Conn
	isClient bool
	config   *Config
	rec      *record.Conn

	// handshakeMu serialises handshakes; handshakeDone is read without it.
	handshakeMu   sync.Mutex
	handshakeErr  error
	handshakeDone atomic.Bool

	// state is what the handshake settled; fixed once handshakeDone is set.
	state ConnectionState

	// keyExchange is the negotiated suite's key exchange, for the codec:
	// ServerKeyExchange's body is a select on it (RFC 5246, 7.4.3), and the
	// trace labels ClientKeyExchange's by it. Set once the suite is chosen
	// (both roles); 0 before.
	keyExchange cipher.KeyExchange
	// unread is a handshake message read to look for an optional one
	// (CertificateStatus) and handed back: readHandshakeMessage returns it
	// next. It is already in the transcript.
	unread wire.Message

	// in guards the read half: the record reader and input.
	in    sync.Mutex
	input []byte // application data received but not yet returned by Read

	// out guards the write half: the record writer and closeNotifySent.
	out             sync.Mutex
	closeNotifySent bool

	closed atomic.Bool

	// Renegotiation requests after the handshake (post_handshake.go),
	// guarded by in: whether the one no_renegotiation warning went out, and
	// how many requests came since the last application data.
	noRenegotiationSent   bool
	renegotiationRequests int

	// deadlineMu guards the deadlines the application set, which a write
	// made on Read's behalf honours too (boundWriteByReadDeadline).
	deadlineMu    sync.Mutex
	readDeadline  time.Time
	writeDeadline time.Time

	// fatalErr is the first fatal alert after the handshake, sent or
	// received; every later Read and Write returns it (see setFatal).
	fatalMu  sync.Mutex
	fatalErr error

	// traceSuite and traceEncryptThenMAC let Config.Trace label protected
	// records; set with the keys, during the handshake.
	traceSuite          *cipher.Suite
	traceEncryptThenMAC bool
	// traceKeys is the key block, kept only while tracing, so that the
	// trace can show a CBC record's MAC and an AEAD record's nonce
	// (trace_protection.go).
	traceKeys prf.KeyBlock

	// exporter is what ExportKeyingMaterial derives from (exporter.go);
	// set with the keys, during the handshake.
	exporter exporterInputs
}

// ConnectionState describes a connection once its handshake has finished.
type ConnectionState struct {
	Version              uint16 // always VersionTLS12
	HandshakeComplete    bool   // false only in the zero ConnectionState, before the handshake
	DidResume            bool   // an abbreviated handshake (RFC 5246, 7.3 Figure 2)
	CipherSuite          uint16 // IANA id; cipher.SuiteByID names it
	NegotiatedProtocol   string // ALPN (RFC 7301), empty if none
	ServerName           string // the SNI name the client sent (RFC 6066)
	ExtendedMasterSecret bool   // RFC 7627 was used
	EncryptThenMAC       bool   // RFC 7366 was used (CBC suites only)
	// CurveID is the ECDHE group of the key exchange (RFC 8422, 5.4), or the
	// RFC 7919 group of a DHE one; 0 with RSA key exchange and plain PSK,
	// for a DHE group without a name, and on a resumption (which has no key
	// exchange: the session's master secret is reused).
	CurveID cipher.CurveID
	// PSKIdentity is the pre-shared key identity of a PSK suite (RFC 4279):
	// the one the client sent, which a server's VerifyConnection can use to
	// authorize it; on a resumed connection, the session's identity (which
	// the server's PSKLookup still knew). Empty with every other suite.
	PSKIdentity string
	// PeerSignatureScheme is the scheme the peer signed with in this
	// handshake: the server's ServerKeyExchange as seen by a client, the
	// client's CertificateVerify as seen by a server. 0 if the peer signed
	// nothing (RSA key exchange, no client certificate, a resumption).
	PeerSignatureScheme SignatureScheme
	// PeerCertificates is the chain the peer sent, leaf first.
	PeerCertificates []*x509.Certificate
	// VerifiedChains are the chains x509verify built from the peer's leaf to a
	// trusted root (empty when verification was skipped).
	VerifiedChains [][]*x509.Certificate
	// OCSPResponse is the OCSP response the server stapled (RFC 6066, 8), as
	// sent, unchecked; a client's only, and only with
	// Config.RequestOCSPStaple. A resumed connection reports the one of its
	// session's full handshake.
	OCSPResponse []byte
	// TLSUnique is the tls-unique channel binding (RFC 5929, 3): the
	// verify_data of the handshake's first Finished. nil on a resumption
	// without the extended master secret, where it is not unique (RFC 7627).
	TLSUnique []byte
}

func newConn(conn net.Conn, config *Config, isClient bool) *Conn {
	if config == nil {
		config = &Config{}
	}
	c := &Conn{
		conn:     conn,
		isClient: isClient,
		config:   config,
		rec:      record.NewConn(conn, conn),
	}
	// Performance: the record buffers are borrowed from the Config's pool
	// while in use (record/buffers.go), so an idle connection holds none.
	c.rec.SetBufferPool(config.sharedState().recordBuffers)
	// Each role reads the largest legal message of the one kind that may
	// exceed the 64 KiB cap: a server's ClientHello, a client's
	// NewSessionTicket (limits.go).
	if isClient {
		c.rec.SetHandshakeLimit(clientHandshakeLimit)
	} else {
		c.rec.SetHandshakeLimit(serverHandshakeLimit)
	}
	if config.Trace != nil {
		c.rec.SetObserver(c.traceRecord)
	}
	// Performance: small application data records first, for a sooner
	// first byte on slow links (record/recordsize.go), as crypto/tls does.
	c.rec.SetDynamicRecordSizing(true)
	return c
}

// Client returns a client-side connection over conn. The handshake runs on
// the first Read or Write, or on Handshake. config must set ServerName or
// InsecureSkipVerify.
func Client(conn net.Conn, config *Config) *Conn { return newConn(conn, config, true) }

// Server returns a server-side connection over conn. config must hold at
// least one Certificate.
func Server(conn net.Conn, config *Config) *Conn { return newConn(conn, config, false) }

// Handshake runs the handshake if it has not run yet. Most callers need not
// call it: Read and Write do.
func (c *Conn) Handshake() error { return c.HandshakeContext(context.Background()) }

// HandshakeContext is Handshake bounded by ctx (and by Config.HandshakeTimeout).
// If ctx ends first the handshake fails and the connection is closed.
func (c *Conn) HandshakeContext(ctx context.Context) error {
	if c.handshakeDone.Load() {
		return nil
	}
	c.handshakeMu.Lock()
	defer c.handshakeMu.Unlock()
	if c.handshakeErr != nil {
		return c.handshakeErr
	}
	if c.handshakeDone.Load() {
		return nil
	}

	if c.config.HandshakeTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.config.HandshakeTimeout)
		defer cancel()
	}
	// A context cannot interrupt a blocked Read on the transport, but a
	// deadline in the past can: that is how the context reaches the socket.
	interrupted := func() bool { return false }
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() { _ = c.conn.SetDeadline(time.Unix(1, 0)) })
		// If the deadline was already forced into the past, the transport is
		// unusable even when the handshake itself got through in time.
		interrupted = func() bool { return !stop() }
	}

	c.in.Lock()
	defer c.in.Unlock()
	c.out.Lock()
	defer c.out.Unlock()

	var err error
	if c.isClient {
		err = c.clientHandshake()
	} else {
		err = c.serverHandshake(ctx)
	}
	if interrupted() {
		if err == nil {
			err = ctx.Err()
		}
		err = fmt.Errorf("glasstls: handshake interrupted: %w (%w)", ctx.Err(), err)
	}
	if err != nil {
		c.handshakeErr = err
		c.failLocked(err)
		return err
	}
	c.state.HandshakeComplete = true
	// Performance: the record buffers go back to their pool until the first
	// Read or Write, so an idle connection holds only its keys and state.
	c.rec.ReleaseIdleBuffers()
	c.handshakeDone.Store(true)
	return nil
}

// failLocked ends a connection after a fatal error: if we detected the
// problem, the peer is told with the alert the RFC names for it; then the
// transport is closed. Called with c.out held.
func (c *Conn) failLocked(err error) {
	var alertErr *record.AlertError
	if errors.As(err, &alertErr) && !alertErr.Remote {
		_ = c.rec.SendAlert(alertErr.Description)
	}
	c.closed.Store(true)
	_ = c.conn.Close()
}

// readyFor runs the handshake if it has not run yet and says whether op
// (Read, Write, WriteTo) may go on: not after a fatal alert, which ends
// the connection for good (RFC 5246, 7.2.2), and not after Close.
func (c *Conn) readyFor(op string) error {
	if err := c.Handshake(); err != nil {
		return err
	}
	if err := c.fatal(); err != nil {
		return err
	}
	if c.closed.Load() {
		return errClosed(op)
	}
	return nil
}

// Read reads application data, running the handshake first if needed.
func (c *Conn) Read(b []byte) (int, error) {
	if err := c.readyFor("Read"); err != nil {
		return 0, err
	}
	if len(b) == 0 {
		return 0, nil
	}
	c.in.Lock()
	defer c.in.Unlock()

	for len(c.input) == 0 {
		if err := c.readApplicationData(); err != nil {
			return 0, err
		}
	}
	n := copy(b, c.input)
	c.input = c.input[n:]
	return n, nil
}

// WriteTo writes the application data the peer sends to w, until the
// peer's close_notify (then it returns a nil error, as io.Copy expects) or
// an error. It implements io.WriterTo, so io.Copy(w, c) uses it: each
// record's plaintext goes to w straight from the record buffer, where
// io.Copy would otherwise allocate a 32 KiB buffer of its own for every
// copy and Read would copy each record into it. For a server that copies
// a connection somewhere (an echo, a proxy, a tunnel) that buffer was most
// of an idle connection's memory. A Read in another goroutine waits until
// WriteTo returns.
func (c *Conn) WriteTo(w io.Writer) (int64, error) {
	if err := c.readyFor("WriteTo"); err != nil {
		return 0, err
	}
	c.in.Lock()
	defer c.in.Unlock()

	var written int64
	for {
		for len(c.input) == 0 {
			if err := c.readApplicationData(); err != nil {
				if err == io.EOF {
					return written, nil // close_notify: the end of the data
				}
				return written, err
			}
		}
		// c.input points into the record buffer, which stays put until
		// the next readApplicationData.
		n, err := w.Write(c.input)
		c.input = c.input[n:]
		written += int64(n)
		if err != nil {
			return written, err
		}
	}
}

// readApplicationData reads one message after the handshake and either
// buffers its data or deals with it. Called with c.in held.
func (c *Conn) readApplicationData() error {
	typ, data, err := c.rec.ReadMessage()
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("%w: %w", ErrTruncated, err)
		}
		var alertErr *record.AlertError
		if errors.As(err, &alertErr) {
			// Sent or received, a fatal alert ends the connection.
			err = c.setFatal(err)
			c.failFromRead(err)
		}
		return err
	}
	switch typ {
	case record.TypeApplicationData:
		c.input = data
		c.renegotiationRequests = 0
		return nil
	case record.TypeHandshake:
		return c.handlePostHandshakeMessage(data)
	default:
		// RFC 5246, 7.1: a ChangeCipherSpec outside the handshake is unexpected.
		err := c.setFatal(record.Errorf(record.AlertUnexpectedMessage, "%v after the handshake", typ))
		c.failFromRead(err)
		return err
	}
}

// Write writes application data, running the handshake first if needed.
func (c *Conn) Write(b []byte) (int, error) {
	if err := c.readyFor("Write"); err != nil {
		return 0, err
	}
	c.out.Lock()
	defer c.out.Unlock()
	if c.closeNotifySent {
		return 0, errors.New("glasstls: write after CloseWrite")
	}
	return c.rec.WriteRecord(record.TypeApplicationData, b)
}

// CloseWrite sends close_notify (RFC 5246, 7.2.1) and allows no more writes;
// reading goes on. It is TLS's half-close.
func (c *Conn) CloseWrite() error {
	if !c.handshakeDone.Load() {
		return errors.New("glasstls: CloseWrite before the handshake finished")
	}
	c.out.Lock()
	defer c.out.Unlock()
	return c.sendCloseNotifyLocked()
}

func (c *Conn) sendCloseNotifyLocked() error {
	if c.closeNotifySent {
		return nil
	}
	c.closeNotifySent = true
	_ = c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second)) // a stuck peer must not hang Close
	return c.rec.SendAlert(record.AlertCloseNotify)
}

// Close sends close_notify once (if the handshake finished) and closes the
// transport, which also ends a Read blocked in another goroutine.
func (c *Conn) Close() error {
	var alertErr error
	if c.handshakeDone.Load() && !c.closed.Load() {
		// Close must not wait behind a Write blocked on a full socket for ever:
		// TryLock, and skip close_notify if the writer is busy.
		if c.out.TryLock() {
			alertErr = c.sendCloseNotifyLocked()
			c.out.Unlock()
		}
	}
	c.closed.Store(true)
	if err := c.conn.Close(); err != nil {
		return err
	}
	return alertErr
}

// errClosed is what Read and Write return once the connection is closed:
// net.ErrClosed, as net.Conn and crypto/tls return, so that a caller can
// tell "I closed it" (errors.Is(err, net.ErrClosed)) from a failure.
func errClosed(op string) error {
	return fmt.Errorf("glasstls: %s after Close: %w", op, net.ErrClosed)
}

// ConnectionState returns what the handshake settled.
func (c *Conn) ConnectionState() ConnectionState {
	if !c.handshakeDone.Load() {
		return ConnectionState{}
	}
	return c.state
}

// NetConn returns the underlying transport.
func (c *Conn) NetConn() net.Conn { return c.conn }

// LocalAddr returns the local network address.
func (c *Conn) LocalAddr() net.Addr { return c.conn.LocalAddr() }

// RemoteAddr returns the remote network address.
func (c *Conn) RemoteAddr() net.Addr { return c.conn.RemoteAddr() }

// SetDeadline sets the read and write deadlines of the transport.
func (c *Conn) SetDeadline(t time.Time) error {
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	c.readDeadline, c.writeDeadline = t, t
	return c.conn.SetDeadline(t)
}

// SetReadDeadline sets the transport's read deadline. It bounds the alerts
// Read sends too (a refused renegotiation, a fatal error), so that Read
// returns by then even when the peer has stopped reading.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	c.readDeadline = t
	return c.conn.SetReadDeadline(t)
}

// SetWriteDeadline sets the transport's write deadline. A Write that times
// out leaves the record stream broken: later writes fail.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	c.writeDeadline = t
	return c.conn.SetWriteDeadline(t)
}
