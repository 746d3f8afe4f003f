// Package wire is the TLS 1.2 handshake message codec: every handshake
// message of RFC 5246, 7.4 (and RFC 5077's NewSessionTicket, RFC 6066's
// CertificateStatus) as a struct that marshals itself and parses from
// bytes, the hello extensions, and the protocol's code points.
//
// It is internal to handshake: the state machines in handshake use it, and
// so does the trace; nothing else should depend on its shape.
package wire
