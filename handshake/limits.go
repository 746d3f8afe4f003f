package handshake

import (
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// Limits on what a peer may make us hold or do. Each one is a number a
// hostile peer would otherwise choose for us. Those enforced by the record
// layer live there:
//
//   - record.MaxHandshakeMessage (64 KiB): the largest handshake message we
//     buffer, certificate chains included; a larger one is refused with
//     illegal_parameter as soon as its 4-byte header arrives. A server
//     takes a ClientHello up to maxClientHelloLen, a client a
//     NewSessionTicket up to maxNewSessionTicketLen: every one their
//     encoding allows (serverHandshakeLimit, clientHandshakeLimit below).
//   - record.MaxEmptyRecords (16): empty records or warning alerts in a row
//     before unexpected_message, so a peer cannot keep us spinning. The
//     HelloRequests a client ignores during its handshake (common.go,
//     readHandshakeMessage, readChangeCipherSpec) are bounded by the same
//     number, and so are renegotiation requests after the handshake with no
//     application data in between (post_handshake.go), of which only the
//     first is answered.
//   - record.MaxCiphertext (2^14+2048): the largest record (RFC 5246, 6.2.3),
//     so the read buffer has a fixed size.
//
// Time is bounded by Config.HandshakeTimeout or the context given to
// HandshakeContext: a peer that stops mid-handshake costs at most that.

// MaxCertificateChainLength is the most certificates we accept in a peer's
// Certificate message (RFC 5246, 7.4.2). Real chains are a leaf, one to
// three intermediates and perhaps the root; the size cap alone would let a
// peer send hundreds of small certificates, each parsed before path
// validation starts. A longer chain is refused with bad_certificate.
const MaxCertificateChainLength = 10

// maxClientHelloLen is the longest ClientHello body the encoding of RFC
// 5246, 7.4.1.2 allows: version (2), random (32), session_id<0..32> (1+32),
// cipher_suites<2..2^16-2> (2+65534), compression_methods<1..2^8-1>
// (1+255) and the extensions block (2+65535). A server must read every
// ClientHello a client may legally send (one large extension, a post-quantum
// key share of a later protocol version, a padded hello), so this cap is
// the encoding's own; OpenSSL uses the same number (CLIENT_HELLO_MAX_LENGTH).
const maxClientHelloLen = 2 + 32 + (1 + 32) + (2 + 65534) + (1 + 255) + (2 + 65535)

// maxNewSessionTicketLen is the longest NewSessionTicket body RFC 5077,
// 3.3 allows: ticket_lifetime_hint (4) and ticket<0..2^16-1> (2+65535),
// six bytes over record.MaxHandshakeMessage. The client reads every legal
// ticket, so that a server's long one costs it only the resumption (it
// cannot go into a ClientHello, see ticketFits), not the connection.
const maxNewSessionTicketLen = 4 + (2 + 65535)

// clientHandshakeLimit is the client's record.HandshakeLimit: as the
// server's below, with NewSessionTicket in place of ClientHello.
func clientHandshakeLimit(msgType uint8) (int, record.AlertDescription) {
	if msgType == wire.TypeNewSessionTicket {
		return maxNewSessionTicketLen, record.AlertDecodeError
	}
	return record.MaxHandshakeMessage, record.AlertIllegalParameter
}

// serverHandshakeLimit is the server's record.HandshakeLimit. A ClientHello
// may be as long as its encoding allows; a longer one cannot be decoded
// (RFC 5246, 7.2.2, decode_error: "the length of the message was
// incorrect"). Every other message keeps the tighter record.MaxHandshakeMessage,
// refused with illegal_parameter as OpenSSL and BoringSSL do for an
// "excessive message size" (7.2.2: "a field in the handshake was out of
// range").
func serverHandshakeLimit(msgType uint8) (int, record.AlertDescription) {
	if msgType == wire.TypeClientHello {
		return maxClientHelloLen, record.AlertDecodeError
	}
	return record.MaxHandshakeMessage, record.AlertIllegalParameter
}
