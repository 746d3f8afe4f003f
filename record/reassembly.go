package record

import "fmt"

// handshakeHeaderLen is msg_type(1) + length(3) (RFC 5246, 7.4).
const handshakeHeaderLen = 4

// nextHandshakeMessage returns the first complete buffered handshake
// message, or nil if more records are needed. It checks the declared length
// as soon as the 4-byte header is there, so an absurd length is refused
// before its body is buffered.
func (in *readHalf) nextHandshakeMessage() ([]byte, error) {
	pending := in.hs[in.hsOff:]
	if len(pending) < handshakeHeaderLen {
		return nil, nil
	}
	bodyLen := int(pending[1])<<16 | int(pending[2])<<8 | int(pending[3])
	limit, alert := MaxHandshakeMessage, AlertIllegalParameter
	if in.handshakeLimit != nil {
		limit, alert = in.handshakeLimit(pending[0])
	}
	if bodyLen > limit {
		return nil, errLocal(alert, fmt.Sprintf("handshake message of type %d and %d bytes exceeds the limit of %d", pending[0], bodyLen, limit))
	}
	n := handshakeHeaderLen + bodyLen
	if len(pending) < n {
		return nil, nil
	}
	// Capacity is clipped so a caller appending to the message cannot
	// overwrite the next one.
	msg := pending[:n:n]
	in.hsOff += n
	if in.hsOff == len(in.hs) {
		// Nothing left: start over at the front next time. The returned
		// bytes stay intact until the next append, i.e. the next call.
		in.hs, in.hsOff = in.hs[:0], 0
	}
	return msg, nil
}

// appendHandshake adds a record's handshake plaintext to the reassembly
// buffer. Its size stays bounded: a record is appended only while the first
// buffered message is incomplete and that message's length was checked, so
// hs never exceeds a header, the largest message allowed (MaxHandshakeMessage
// unless SetHandshakeLimit says otherwise) and one record.
func (in *readHalf) appendHandshake(fragment []byte) {
	if in.hsOff > 0 {
		// Messages already returned are dropped now, not when returned, so
		// that the slice given to the caller stayed valid until this call.
		n := copy(in.hs, in.hs[in.hsOff:])
		in.hs, in.hsOff = in.hs[:n], 0
	}
	in.hs = append(in.hs, fragment...)
}

// HandshakeLimit says how many body bytes a handshake message of type
// msgType may have, and the alert that refuses a longer one.
type HandshakeLimit func(msgType uint8) (maxLen int, alert AlertDescription)

// SetHandshakeLimit replaces the one cap of MaxHandshakeMessage (refused
// with illegal_parameter) by one per message type: a server must take a
// ClientHello of any size its encoding allows (about 128 KiB), yet need
// not buffer that much for any other message. nil restores the default.
// Call it only from the reading goroutine.
func (c *Conn) SetHandshakeLimit(f HandshakeLimit) {
	c.in.handshakeLimit = f
}
