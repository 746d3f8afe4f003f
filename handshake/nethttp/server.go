package nethttp

import (
	"context"
	"crypto/tls" // for the ConnectionState type only (see doc.go)
	"errors"
	"log"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake"
)

// ListenAndServe listens on srv.Addr (":https" if empty) and serves srv
// over glasstls with config: see Serve.
func ListenAndServe(srv *http.Server, config *handshake.Config) error {
	addr := srv.Addr
	if addr == "" {
		addr = ":https"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return Serve(srv, ln, config)
}

// Serve accepts connections on ln (a plain TCP listener), runs a glasstls
// server handshake on each with config, and serves srv on them: HTTP/2 when
// ALPN picks "h2", HTTP/1.x otherwise, with Request.TLS filled in either
// way. If ln is a glasstls listener (handshake.Listen), its own Config
// applies and config is not used: put "h2" in its NextProtos for HTTP/2.
// It returns what srv.Serve returns; srv.Shutdown and srv.Close stop it as
// usual.
//
// If config.NextProtos is empty, the server offers "h2" and "http/1.1" as
// srv's protocols allow (srv.Protocols, or net/http's default: both, unless
// srv.TLSNextProto is set without "h2"). "h2" is dropped from NextProtos
// when srv does not serve HTTP/2. config itself is not modified.
//
// Serve prepares srv before serving and must not run concurrently with
// another Serve of the same srv: it turns on
// srv.Protocols.UnencryptedHTTP2 when HTTP/2 is served (see the package
// documentation: only connections that completed a glasstls handshake
// reach net/http), wraps srv.Handler (nil means http.DefaultServeMux) to
// fill Request.TLS on HTTP/2 requests, and wraps srv.ConnContext. So do not
// also serve the same srv in the clear (srv.ListenAndServe): with
// UnencryptedHTTP2 on it would accept plaintext HTTP/2 (h2c) there; use a
// second http.Server for a plaintext port. The net.Conn that srv's hooks
// (ConnContext, ConnState) see wraps the *handshake.Conn: GlasstlsConn
// returns it.
func Serve(srv *http.Server, ln net.Listener, config *handshake.Config) error {
	serveHTTP2 := prepareServer(srv)
	config = serverConfig(config, serveHTTP2)
	return srv.Serve(newListener(ln, config, srv))
}

// prepareServer makes srv ready for connections from our listener and
// reports whether it serves HTTP/2.
func prepareServer(srv *http.Server) bool {
	var protocols http.Protocols
	if srv.Protocols != nil {
		protocols = *srv.Protocols
	} else {
		// net/http's default for TLS: HTTP/1 and HTTP/2, unless TLSNextProto
		// was set without "h2" (the historic way to turn HTTP/2 off).
		_, hasH2 := srv.TLSNextProto["h2"]
		protocols.SetHTTP1(true)
		protocols.SetHTTP2(srv.TLSNextProto == nil || hasH2)
	}
	serveHTTP2 := protocols.HTTP2()
	if serveHTTP2 && !protocols.UnencryptedHTTP2() {
		protocols.SetUnencryptedHTTP2(true)
		srv.Protocols = &protocols
	}
	if _, done := srv.Handler.(tlsStateHandler); !done {
		next := srv.Handler
		if next == nil {
			next = http.DefaultServeMux
		}
		srv.Handler = tlsStateHandler{next: next}
		connContext := srv.ConnContext
		srv.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
			if connContext != nil {
				ctx = connContext(ctx, c)
			}
			if h2, ok := c.(*http2Conn); ok {
				ctx = context.WithValue(ctx, http2ConnKey{}, h2)
			}
			return ctx
		}
	}
	return serveHTTP2
}

// serverConfig is config with the ALPN protocols srv serves.
func serverConfig(config *handshake.Config, serveHTTP2 bool) *handshake.Config {
	if config == nil {
		config = &handshake.Config{}
	}
	config = config.Clone()
	if len(config.NextProtos) == 0 {
		config.NextProtos = []string{"h2", "http/1.1"}
	}
	if !serveHTTP2 {
		config.NextProtos = slices.DeleteFunc(slices.Clone(config.NextProtos), func(p string) bool { return p == "h2" })
	}
	return config
}

// tlsStateHandler fills in Request.TLS on HTTP/2 requests, which net/http
// serves as if unencrypted (see the package documentation).
type tlsStateHandler struct{ next http.Handler }

type http2ConnKey struct{}

func (h tlsStateHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.TLS == nil {
		if c, ok := r.Context().Value(http2ConnKey{}).(*http2Conn); ok {
			state := c.tlsState
			r.TLS = &state
		}
	}
	h.next.ServeHTTP(w, r)
}

// http1Conn is a connection net/http serves as HTTP/1.x: its
// ConnectionState method, in crypto/tls's form, is how net/http fills
// Request.TLS for a connection that is not a *tls.Conn.
type http1Conn struct {
	*handshake.Conn
	tlsState tls.ConnectionState
}

// ConnectionState is the handshake's state in crypto/tls's form.
func (c *http1Conn) ConnectionState() tls.ConnectionState { return c.tlsState }

// http2Conn is a connection whose ALPN is "h2". It has no crypto/tls
// ConnectionState method, so net/http looks for the HTTP/2 preface on it
// (its ConnectionState, promoted from *handshake.Conn, returns glasstls's
// type and does not match net/http's interface).
type http2Conn struct {
	*handshake.Conn
	tlsState tls.ConnectionState
}

// GlasstlsConn returns the glasstls connection under a net.Conn that
// net/http's hooks (Server.ConnContext, Server.ConnState) were given by
// Serve, or nil if c is not one.
func GlasstlsConn(c net.Conn) *handshake.Conn {
	switch c := c.(type) {
	case *http1Conn:
		return c.Conn
	case *http2Conn:
		return c.Conn
	case *handshake.Conn:
		return c
	}
	return nil
}

// listener hands net/http connections whose handshake is done. Each
// handshake runs in its own goroutine, so a slow or silent client holds
// up no one else.
type listener struct {
	inner  net.Listener
	config *handshake.Config
	srv    *http.Server

	ready chan net.Conn // handshaken connections, for Accept
	errc  chan error    // the inner listener's Accept errors
	done  chan struct{} // closed by Close

	mu          sync.Mutex
	closed      bool
	handshaking map[net.Conn]struct{} // closed by Close
}

func newListener(inner net.Listener, config *handshake.Config, srv *http.Server) *listener {
	l := &listener{
		inner:       inner,
		config:      config,
		srv:         srv,
		ready:       make(chan net.Conn),
		errc:        make(chan error),
		done:        make(chan struct{}),
		handshaking: map[net.Conn]struct{}{},
	}
	go l.acceptLoop()
	return l
}

// acceptLoop accepts TCP connections and starts their handshakes until the
// inner listener fails for good.
func (l *listener) acceptLoop() {
	for {
		raw, err := l.inner.Accept()
		if err != nil {
			select {
			case l.errc <- err:
			case <-l.done:
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue // net/http backs off and calls Accept again
			}
			return
		}
		if !l.track(raw) {
			raw.Close()
			return
		}
		go l.handshake(raw)
	}
}

// Accept returns the next connection whose handshake succeeded.
func (l *listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ready:
		return c, nil
	case err := <-l.errc:
		return nil, err
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// handshake runs one connection's handshake and hands it to Accept,
// wrapped as HTTP/1.x or HTTP/2 by what ALPN chose.
func (l *listener) handshake(raw net.Conn) {
	defer l.untrack(raw)
	conn, ok := raw.(*handshake.Conn) // from a glasstls listener: its Config applies
	if !ok {
		conn = handshake.Server(raw, l.config)
	}
	ctx := context.Background()
	if timeout := handshakeTimeout(l.srv); timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	if err := conn.HandshakeContext(ctx); err != nil {
		if l.isClosed() {
			return // Close ended it: nothing to report
		}
		l.logf("http: TLS handshake error from %s: %v", raw.RemoteAddr(), err)
		conn.Close()
		return
	}
	state := conn.ConnectionState()
	tlsState := ConnectionState(state)
	var wrapped net.Conn = &http1Conn{Conn: conn, tlsState: tlsState}
	if state.NegotiatedProtocol == "h2" {
		// RFC 7540, 9.2.2: HTTP/2 may refuse the suites its Appendix A
		// lists; net/http's HTTP/2 server does, and so do we. Of the
		// suites glasstls has, those are exactly the ones without an
		// ephemeral key exchange (ECDHE or DHE) or without an AEAD.
		suite, ok := cipher.SuiteByID(state.CipherSuite)
		ephemeral := ok && (suite.KeyExchange == cipher.KeyExchangeECDHE || suite.KeyExchange == cipher.KeyExchangeDHE)
		if !ephemeral || !suite.IsAEAD() {
			l.logf("http2: TLS handshake from %s chose h2 with cipher suite %#04x, which RFC 7540, 9.2.2 prohibits", raw.RemoteAddr(), state.CipherSuite)
			conn.Close()
			return
		}
		wrapped = &http2Conn{Conn: conn, tlsState: tlsState}
	}
	select {
	case l.ready <- wrapped:
	case <-l.done:
		conn.Close()
	}
}

// handshakeTimeout is the bound net/http puts on a crypto/tls handshake:
// the smallest of ReadHeaderTimeout, ReadTimeout and WriteTimeout that is
// set. Zero leaves Config.HandshakeTimeout (if any) to apply.
func handshakeTimeout(srv *http.Server) time.Duration {
	var timeout time.Duration
	for _, d := range []time.Duration{srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout} {
		if d > 0 && (timeout == 0 || d < timeout) {
			timeout = d
		}
	}
	return timeout
}

func (l *listener) logf(format string, args ...any) {
	if l.srv.ErrorLog != nil {
		l.srv.ErrorLog.Printf(format, args...)
	} else {
		log.Printf(format, args...)
	}
}

func (l *listener) track(c net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.handshaking[c] = struct{}{}
	return true
}

func (l *listener) isClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

func (l *listener) untrack(c net.Conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.handshaking, c)
}

// Close stops accepting and ends the handshakes still running.
func (l *listener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	close(l.done)
	for c := range l.handshaking {
		c.Close()
	}
	l.mu.Unlock()
	return l.inner.Close()
}

// Addr is the inner listener's address.
func (l *listener) Addr() net.Addr { return l.inner.Addr() }
