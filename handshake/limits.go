package handshake

// Limits on what a peer may make us hold or do. Each one is a number a
// hostile peer would otherwise choose for us. Those enforced by the record
// layer live there:
//
//   - record.MaxHandshakeMessage (64 KiB): the largest handshake message we
//     buffer, certificate chains included; a larger one is refused with
//     illegal_parameter as soon as its 4-byte header arrives.
//   - record.MaxEmptyRecords (16): empty records or warning alerts in a row
//     before unexpected_message, so a peer cannot keep us spinning. The
//     HelloRequests a client ignores during its handshake (common.go,
//     readHandshakeMessage) are bounded by the same number.
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
