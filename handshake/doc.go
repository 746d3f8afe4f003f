// Package handshake is the TLS 1.2 handshake of RFC 5246, section 7, for
// both roles, and the connection API built on it.
//
// Read it in this order:
//
//	internal/wire               the message codec: each handshake message (7.4) and
//	                            hello extension as a struct, parsed and labelled
//	                            for the trace by one decoder (read its doc.go)
//	client.go                   the client's full handshake, one function per step (7.3, Figure 1)
//	server.go                   the server's, in the same order
//	common.go, transcript.go    what both share: reading an expected message,
//	                            ChangeCipherSpec (7.1), key block (6.3), Finished (7.4.9)
//	signatures.go               signing and verifying with a signature scheme (7.4.1.4.1);
//	signature_schemes.go        the schemes' names, which the codec owns
//	peer_checks.go              what a peer may not send: unrequested extensions
//	                            (7.4.1.4), a certificate whose keyUsage forbids its use (7.4.2)
//	client_auth.go              choosing a client certificate (7.4.6)
//	certificate_select.go       choosing the server's certificate: by server_name
//	                            (RFC 6066, 3), GetCertificate, GetConfigForClient
//	channel_binding.go          tls-unique (RFC 5929), VerifyHostname, OCSPResponse
//	certificate_status.go       OCSP stapling: reading and sending CertificateStatus (RFC 6066, 8)
//	resume_server.go,           the abbreviated handshake (7.3, Figure 2): resuming a
//	resume_client.go            session by session ID or ticket (RFC 5077); the
//	                            session, caches and ticket keys are in session/
//	config.go, resume_config.go Config and the session cache and ticket keys a
//	                            server Config makes for itself
//	conn.go, api.go             Conn (a net.Conn), Client, Server, Dial, Listen
//	fatal.go                    a fatal alert after the handshake ends the connection (7.2.2)
//	exporter.go                 keying material exporter (RFC 5705)
//	limits.go                   every limit on what a peer may make us hold, and why
//	trace.go                    Config.Trace: every record, message and derived value,
//	                            each byte labelled by the codec; ready-made tracers
//	                            are in trace/
//	trace_protection.go         a protected record's nonce, additional data, CBC MAC and padding
//	trace_verify.go             VerificationTracer: each certificate check x509verify ran
//	config_shared.go            what one Config's connections share to save memory:
//	                            record buffers, parsed peer certificates
//
// RFCs implemented here, besides RFC 5246: server_name (RFC 6066, 3),
// OCSP stapling (RFC 6066, 8),
// supported_groups and ec_point_formats, ECDHE (RFC 8422), ALPN (RFC 7301),
// the extended master secret (RFC 7627), encrypt-then-MAC (RFC 7366),
// secure renegotiation signalling (RFC 5746; glasstls never renegotiates),
// session tickets (RFC 5077) and the keying material exporter (RFC 5705). Only TLS 1.2 is negotiated: a client that
// also offers TLS 1.3 (RFC 8446, 4.2.1) gets TLS 1.2, one that offers only
// older versions gets protocol_version.
//
// Package handshake/nethttp serves and fetches HTTP (HTTP/2 included) over
// this package's connections with net/http.
//
// Errors carry a *record.AlertError, so callers can ask with errors.As
// which alert was sent or received.
package handshake
