// Package handshake is the TLS 1.2 handshake of RFC 5246, section 7, for
// both roles, and the connection API built on it.
//
// Read it in this order:
//
//	messages.go, extensions.go  the handshake messages (7.4) and hello extensions
//	client.go                   the client's full handshake, one function per step (7.3, Figure 1)
//	server.go                   the server's, in the same order
//	common.go, transcript.go    what both share: reading an expected message,
//	                            ChangeCipherSpec (7.1), key block (6.3), Finished (7.4.9)
//	signatures.go               signature schemes (7.4.1.4.1)
//	client_auth.go              choosing a client certificate (7.4.6)
//	resume_server.go,           the abbreviated handshake (7.3, Figure 2): resuming a
//	resume_client.go            session by session ID or ticket (RFC 5077); the
//	                            session, caches and ticket keys are in session/
//	conn.go, api.go             Conn (a net.Conn), Client, Server, Dial, Listen
//
// RFCs implemented here, besides RFC 5246: server_name (RFC 6066, 3),
// supported_groups and ec_point_formats, ECDHE (RFC 8422), ALPN (RFC 7301),
// the extended master secret (RFC 7627), encrypt-then-MAC (RFC 7366),
// secure renegotiation signalling (RFC 5746; glasstls never renegotiates),
// and session tickets (RFC 5077). Only TLS 1.2 is negotiated: a client that
// also offers TLS 1.3 (RFC 8446, 4.2.1) gets TLS 1.2, one that offers only
// older versions gets protocol_version.
//
// Errors carry a *record.AlertError, so callers can ask with errors.As
// which alert was sent or received.
package handshake
