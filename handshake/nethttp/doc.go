// Package nethttp puts net/http on top of glasstls: a server helper
// (Serve, ListenAndServe) that serves an *http.Server over glasstls
// connections, and a client helper (NewTransport, NewClient) that fetches
// https:// URLs through glasstls; both speak HTTP/2 when ALPN (RFC 7301)
// picks "h2", HTTP/1.1 otherwise.
//
// net/http knows TLS only through crypto/tls: Request.TLS and Response.TLS
// hold a crypto/tls ConnectionState. So this package, and only this one,
// imports crypto/tls, and only for that type: ConnectionState builds one
// from glasstls's. The protocol itself never touches crypto/tls.
//
// How the server gets HTTP/2 without crypto/tls (Go 1.26's net/http):
//
//   - net/http serves HTTP/2 over TLS only on a *tls.Conn it handshook
//     itself. But it can also serve HTTP/2 on a connection it does not
//     have to encrypt: http.Protocols.SetUnencryptedHTTP2, meant for h2c,
//     makes it look for the HTTP/2 client preface on a connection that
//     carries no TLS state.
//   - So the listener runs each handshake before net/http sees the
//     connection, and hands it over in one of two wrappers. A connection
//     whose ALPN is "h2" has no crypto/tls ConnectionState method: net/http
//     reads the preface and serves HTTP/2 over it (our TLS underneath).
//     Any other connection has one: net/http fills Request.TLS and serves
//     HTTP/1.x, and never looks for a preface there.
//   - Serve turns UnencryptedHTTP2 on for this purpose; every connection
//     it serves came through a glasstls handshake, so no plaintext HTTP/2
//     is ever accepted. For HTTP/2 requests, whose Request.TLS net/http
//     leaves nil, a handler wrapper fills it in from the connection.
//
// Handshakes run in their own goroutines, so a slow client never holds up
// Accept, bounded by the same timeout net/http uses for crypto/tls (the
// smallest of ReadHeaderTimeout, ReadTimeout and WriteTimeout) or else
// Config.HandshakeTimeout; a failed one is logged through
// http.Server.ErrorLog as net/http logs it: "http: TLS handshake error
// from ADDR: ERR".
//
// The client helper (Transport) speaks HTTP/2 too, the same way: one
// net/http Transport per protocol, the HTTP/2 one with UnencryptedHTTP2,
// and the first handshake with each server (offering "h2" and "http/1.1")
// decides which carries its requests. "h2" is never offered on a
// connection that would then speak HTTP/1.1.
package nethttp
