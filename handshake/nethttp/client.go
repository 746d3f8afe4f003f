package nethttp

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
)

// Transport is an http.RoundTripper that fetches https:// URLs over
// glasstls, HTTP/2 when the server's ALPN (RFC 7301) picks "h2" and
// HTTP/1.1 otherwise, and http:// URLs in the clear as http.Transport does.
// Response.TLS is filled in. Make one with NewTransport.
//
// net/http's Transport switches to HTTP/2 after ALPN only on a *tls.Conn,
// and cannot change its mind per connection; so Transport keeps two, one
// per protocol, and learns which one a server speaks from the first
// handshake with it (offering "h2" and "http/1.1"). That connection then
// carries the request. Later connections offer only the protocol the
// transport they are for speaks: "h2" is never offered on a connection
// that would then speak HTTP/1.1.
type Transport struct {
	// HTTP1 carries http:// URLs and https:// URLs to servers that chose
	// http/1.1 (or no ALPN). HTTP2 carries https:// URLs to servers that
	// chose h2: net/http's HTTP/2 on a connection it did not encrypt itself
	// (http.Protocols.SetUnencryptedHTTP2: our TLS is underneath). Their
	// fields (timeouts, idle pools) may be set before first use; their
	// DialTLSContext must stay.
	HTTP1, HTTP2 *http.Transport

	config *handshake.Config // with ClientSessionCache, shared by both
	dialer *net.Dialer

	mu     sync.Mutex
	probes map[string]*alpnProbe // by "host:port": what ALPN chose there
}

// alpnProbe is the first handshake with one server address, and what its
// ALPN chose.
type alpnProbe struct {
	done   chan struct{} // closed when the handshake has ended
	http2  bool
	err    error
	conn   *handshake.Conn // the probe's connection, until a dial takes it
	unused *time.Timer     // closes conn if no dial takes it
}

// probeConnTimeout is how long the probe's connection waits for the
// transport to dial it before it is closed.
const probeConnTimeout = 30 * time.Second

// NewTransport returns a Transport whose connections use config: the
// server name defaults to each URL's host, and sessions are resumed
// (config.ClientSessionCache, or a new session.LRUClientCache if nil, shared
// by every connection of this Transport). The Transport sets NextProtos
// itself. config is not modified.
func NewTransport(config *handshake.Config) *Transport {
	if config == nil {
		config = &handshake.Config{}
	}
	config = config.Clone()
	if config.ClientSessionCache == nil {
		config.ClientSessionCache = session.NewLRUClientCache(0)
	}
	t := &Transport{
		config: config,
		dialer: &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second},
		probes: map[string]*alpnProbe{},
	}
	var http2Only http.Protocols
	http2Only.SetUnencryptedHTTP2(true)
	// The settings of http.DefaultTransport, minus what concerns crypto/tls.
	t.HTTP1 = &http.Transport{
		DialTLSContext:        t.dialHTTP1,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
	t.HTTP2 = &http.Transport{
		DialTLSContext:        t.dialHTTP2,
		Protocols:             &http2Only,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
	return t
}

// NewClient returns an http.Client over NewTransport(config).
func NewClient(config *handshake.Config) *http.Client {
	return &http.Client{Transport: NewTransport(config)}
}

// RoundTrip sends req over HTTP/2 or HTTP/1.1, as the server's ALPN
// chose, and fills in the response's TLS from the glasstls connection that
// carried it (net/http does so only for a *tls.Conn).
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	transport := t.HTTP1
	if req.URL.Scheme == "https" {
		http2, err := t.serverChoosesHTTP2(req.Context(), hostPort(req))
		if err != nil {
			if req.Body != nil {
				req.Body.Close() // RoundTrip closes the body, even on errors
			}
			return nil, err
		}
		if http2 {
			transport = t.HTTP2
		}
	}

	var conn atomic.Pointer[handshake.Conn]
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if c, ok := info.Conn.(*handshake.Conn); ok {
			conn.Store(c)
		}
	}}
	// WithClientTrace keeps any trace the caller put in the context.
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := transport.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if c := conn.Load(); c != nil && resp.TLS == nil {
		state := ConnectionState(c.ConnectionState())
		resp.TLS = &state
	}
	return resp, nil
}

// CloseIdleConnections closes both transports' idle connections
// (http.Client.CloseIdleConnections calls it).
func (t *Transport) CloseIdleConnections() {
	t.HTTP1.CloseIdleConnections()
	t.HTTP2.CloseIdleConnections()
}

// hostPort is the address net/http dials for req: host:port, 443 by default.
func hostPort(req *http.Request) string {
	port := req.URL.Port()
	if port == "" {
		port = "443"
	}
	return net.JoinHostPort(req.URL.Hostname(), port)
}

// serverChoosesHTTP2 reports what ALPN chose at addr, running the first
// handshake there if no request has yet (one at a time per address: the
// others wait for it).
func (t *Transport) serverChoosesHTTP2(ctx context.Context, addr string) (bool, error) {
	t.mu.Lock()
	probe := t.probes[addr]
	if probe == nil {
		probe = &alpnProbe{done: make(chan struct{})}
		t.probes[addr] = probe
		t.mu.Unlock()
		t.runProbe(ctx, addr, probe)
	} else {
		t.mu.Unlock()
	}
	select {
	case <-probe.done:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	if probe.err != nil {
		return false, probe.err
	}
	return probe.http2, nil
}

// runProbe dials addr offering both protocols and keeps the connection for
// the transport that will carry the request.
func (t *Transport) runProbe(ctx context.Context, addr string, probe *alpnProbe) {
	defer close(probe.done)
	conn, err := t.dial(ctx, addr, "h2", "http/1.1")
	if err != nil {
		probe.err = err
		t.forget(addr, probe) // the next request tries again
		return
	}
	probe.http2 = conn.ConnectionState().NegotiatedProtocol == "h2"
	t.mu.Lock()
	probe.conn = conn
	probe.unused = time.AfterFunc(probeConnTimeout, func() {
		if c := t.takeProbeConn(addr, probe.http2); c != nil {
			c.Close()
		}
	})
	t.mu.Unlock()
}

// takeProbeConn returns the probe's connection to addr if it is still
// waiting and speaks the protocol wanted.
func (t *Transport) takeProbeConn(addr string, http2 bool) *handshake.Conn {
	t.mu.Lock()
	defer t.mu.Unlock()
	probe := t.probes[addr]
	if probe == nil || probe.conn == nil || probe.http2 != http2 {
		return nil
	}
	conn := probe.conn
	probe.conn = nil
	probe.unused.Stop()
	return conn
}

// forget drops what was learnt about addr, so the next request probes again.
func (t *Transport) forget(addr string, probe *alpnProbe) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.probes[addr] == probe {
		delete(t.probes, addr)
	}
}

func (t *Transport) dialHTTP1(ctx context.Context, network, addr string) (net.Conn, error) {
	if conn := t.takeProbeConn(addr, false); conn != nil {
		return conn, nil
	}
	return t.dial(ctx, addr, "http/1.1")
}

func (t *Transport) dialHTTP2(ctx context.Context, network, addr string) (net.Conn, error) {
	if conn := t.takeProbeConn(addr, true); conn != nil {
		return conn, nil
	}
	conn, err := t.dial(ctx, addr, "h2")
	if err == nil && conn.ConnectionState().NegotiatedProtocol != "h2" {
		conn.Close()
		err = fmt.Errorf("nethttp: %s chose h2 before and now %q", addr, conn.ConnectionState().NegotiatedProtocol)
	}
	if err != nil {
		t.mu.Lock()
		probe := t.probes[addr]
		t.mu.Unlock()
		t.forget(addr, probe) // the server may have changed: ask again next time
		return nil, err
	}
	return conn, nil
}

// dial connects to addr and runs the handshake, offering protos in ALPN.
func (t *Transport) dial(ctx context.Context, addr string, protos ...string) (*handshake.Conn, error) {
	config := t.config.Clone()
	config.NextProtos = protos
	conn, err := (&handshake.Dialer{NetDialer: t.dialer, Config: config}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	return conn.(*handshake.Conn), nil
}
