package nethttp

import (
	"net"
	"net/http"
	"net/http/httptrace"
	"slices"
	"sync/atomic"
	"time"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
)

// Transport is an http.RoundTripper that fetches https:// URLs over
// glasstls (and http:// URLs in the clear, as http.Transport does), with
// Response.TLS filled in. Make one with NewTransport.
type Transport struct {
	// Transport is the net/http transport underneath: its DialTLSContext
	// dials through glasstls. Its other fields (timeouts, idle pools,
	// Proxy for http:// URLs) may be set before first use.
	Transport *http.Transport
}

// NewTransport returns a Transport whose connections use config: the
// server name defaults to each URL's host, and sessions are resumed
// (config.ClientSessionCache, or a new session.LRUClientCache if nil, shared
// by every connection of this Transport). ALPN offers "http/1.1" only:
// net/http switches to HTTP/2 after ALPN only on a *tls.Conn, so offering
// "h2" would invite a server to speak a protocol this client then does not;
// "h2" is dropped from config.NextProtos. config is not modified.
func NewTransport(config *handshake.Config) *Transport {
	if config == nil {
		config = &handshake.Config{}
	}
	config = config.Clone()
	if config.ClientSessionCache == nil {
		config.ClientSessionCache = session.NewLRUClientCache(0)
	}
	config.NextProtos = slices.DeleteFunc(slices.Clone(config.NextProtos), func(p string) bool { return p == "h2" })
	if len(config.NextProtos) == 0 {
		config.NextProtos = []string{"http/1.1"}
	}
	dialer := &handshake.Dialer{
		NetDialer: &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second},
		Config:    config,
	}
	// The settings of http.DefaultTransport, minus what concerns crypto/tls.
	return &Transport{Transport: &http.Transport{
		DialTLSContext:        dialer.DialContext,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}}
}

// NewClient returns an http.Client over NewTransport(config).
func NewClient(config *handshake.Config) *http.Client {
	return &http.Client{Transport: NewTransport(config)}
}

// RoundTrip sends req and fills in the response's TLS from the glasstls
// connection that carried it (net/http does so only for a *tls.Conn).
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var conn atomic.Pointer[handshake.Conn]
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if c, ok := info.Conn.(*handshake.Conn); ok {
			conn.Store(c)
		}
	}}
	// WithClientTrace keeps any trace the caller put in the context.
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := t.Transport.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if c := conn.Load(); c != nil && resp.TLS == nil {
		state := ConnectionState(c.ConnectionState())
		resp.TLS = &state
	}
	return resp, nil
}

// CloseIdleConnections closes the idle connections of the transport
// underneath (http.Client.CloseIdleConnections calls it).
func (t *Transport) CloseIdleConnections() { t.Transport.CloseIdleConnections() }
