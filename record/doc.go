// Package record implements the TLS 1.2 record layer: the framing that
// carries every byte of a TLS connection, and the alert protocol.
//
// It implements these parts of RFC 5246:
//
//   - 6     The TLS Record Protocol: a record is a 5-byte header (type,
//     version, length) followed by a fragment.
//   - 6.1   Connection states: a current and a pending protection per
//     direction, and a 64-bit sequence number per direction that starts at
//     zero, is reset on every ChangeCipherSpec and never wraps.
//   - 6.2.1 Fragmentation: writes are cut into fragments of at most 2^14
//     bytes; handshake messages are reassembled across records and several
//     messages in one record are split apart.
//   - 6.2.2 Record compression: only the null method exists in glasstls, so
//     TLSCompressed is TLSPlaintext and there is no code for it.
//   - 6.2.3 Record payload protection is delegated to package cipher (a
//     cipher.Protection seals and opens fragments); this package enforces
//     the length limits around it (2^14 plaintext, 2^14+2048 ciphertext).
//   - 7.1   The ChangeCipherSpec protocol: a one-byte message that switches a
//     direction from its current to its pending protection, only on a
//     handshake message boundary.
//   - 7.2   The Alert protocol: every alert description of RFC 5246 plus the
//     ones added by RFC 5746, 6066, 7301 and 7507, and the AlertError type
//     through which every protocol failure travels.
//
// The TLS 1.3 record layer (RFC 8446 section 5: the inner plaintext with its
// hidden content type, padding and fixed outer version) is NOT implemented.
//
// A Conn has a read half and a write half that share no mutable state, so one
// goroutine may read while another writes. The read half never writes: when
// ReadMessage reports a local *AlertError, sending the alert to the peer is
// the caller's decision (normally Conn.SendAlert with the same description).
package record
