// Package session holds what TLS 1.2 session resumption remembers: the
// session State, its versioned encoding (used inside tickets and in session
// files), the server's session ID cache, the client's session cache, and the
// keys that seal session tickets (RFC 5077).
//
// Resumption is the abbreviated handshake of RFC 5246, 7.3 (Figure 2): both
// sides already share a master secret from an earlier full handshake, so
// they skip the certificates and the key exchange and go straight to
// ChangeCipherSpec and Finished. The server finds the master secret either
// in its own memory, by the session ID the client echoes (RFC 5246,
// 7.4.1.2), or inside a ticket the client hands back, sealed earlier by the
// server with a key only it knows (RFC 5077).
//
// This package knows nothing of handshakes: package handshake imports it,
// never the reverse.
package session
