package record

import (
	"fmt"
	"io"
	"math"
)

// readRecord reads one record, checks its header, opens its fragment in
// place and returns the plaintext (valid until the next readRecord).
func (in *readHalf) readRecord() (ContentType, []byte, error) {
	if err := in.fill(RecordHeaderLen); err != nil {
		return 0, nil, err
	}
	header := in.buf[in.start : in.start+RecordHeaderLen]
	typ := ContentType(header[0])
	version := uint16(header[1])<<8 | uint16(header[2])
	length := int(header[3])<<8 | int(header[4])

	// The version is checked first: it is what tells TLS from anything else
	// talking on the port, and such a peer deserves protocol_version, not
	// a complaint about a content type it never meant to send.
	if header[1] != 3 {
		return 0, nil, errLocal(AlertProtocolVersion, notTLSMessage(header))
	}
	if in.version != 0 && version != in.version {
		return 0, nil, errLocal(AlertProtocolVersion, fmt.Sprintf("record version %s, negotiated %s", VersionName(version), VersionName(in.version)))
	}
	// RFC 5246, 6.2.3: "The length MUST NOT exceed 2^14 + 2048"; checking
	// before reading the body is what keeps our buffer a fixed size.
	if length > MaxCiphertext {
		return 0, nil, errLocal(AlertRecordOverflow, fmt.Sprintf("record of %d bytes exceeds %d", length, MaxCiphertext))
	}
	// RFC 5246, 6: "If a TLS implementation receives an unexpected record
	// type, it MUST send an unexpected_message alert."
	if !typ.known() {
		return 0, nil, errLocal(AlertUnexpectedMessage, fmt.Sprintf("unknown record type %d", uint8(typ)))
	}

	if err := in.fill(RecordHeaderLen + length); err != nil {
		return 0, nil, err
	}
	record := in.buf[in.start : in.start+RecordHeaderLen+length]
	in.start += len(record)

	// RFC 5246, 6.1: sequence numbers "MUST NOT wrap"; the protocol's
	// answer is renegotiation, which glasstls does not do, so the connection
	// ends instead of ever reusing a sequence number (and with it a nonce).
	// The last value, 2^64-1, is left unused so one comparison suffices.
	if in.seq == math.MaxUint64 {
		return 0, nil, errLocal(AlertInternalError, "read sequence number exhausted")
	}
	seq := in.seq

	if in.observer != nil {
		// Opening happens in place, so the wire bytes are gone afterwards;
		// keep a copy for the observer only when there is one.
		in.wireCopy = append(in.wireCopy[:0], record...)
	}

	fragment := record[RecordHeaderLen:]
	plaintext, err := in.current.Open(fragment[:0], seq, uint8(typ), version, fragment)
	if err != nil {
		// RFC 5246, 6.2.3.2: every failure to open is reported the same
		// way, so an attacker cannot tell padding from MAC errors.
		return 0, nil, &AlertError{Description: AlertBadRecordMAC, Err: err, Msg: "record failed to open"}
	}
	in.seq++
	// RFC 5246, 6.2.1 bounds the plaintext too, whatever protection let it
	// through (with NullProtection the ciphertext limit alone allows more).
	if len(plaintext) > MaxPlaintext {
		return 0, nil, errLocal(AlertRecordOverflow, fmt.Sprintf("record plaintext of %d bytes exceeds %d", len(plaintext), MaxPlaintext))
	}

	if in.observer != nil {
		in.observer(RecordEvent{Type: typ, Version: version, Seq: seq, Wire: in.wireCopy, Plaintext: plaintext})
	}
	// Capacity is clipped so that a caller appending to the plaintext
	// cannot overwrite the next record, which may already sit behind it.
	return typ, plaintext[:len(plaintext):len(plaintext)], nil
}

// idleReadSize is how much a connection waiting without a buffer reads at
// once: a whole small request or close_notify alert, for less than a
// thirtieth of a record buffer.
const idleReadSize = 512

// fill makes at least n unconsumed bytes available in buf[start:end],
// reading from the transport as much as fits each time so that a burst of
// small records costs one read.
func (in *readHalf) fill(n int) error {
	if in.end-in.start >= n {
		return nil
	}
	if in.buf == nil {
		if in.waitSmall {
			// Performance: a connection that has finished its handshake and
			// given its buffer back (ReleaseIdleBuffers) mostly waits: for
			// the next request, or for nothing at all. Borrowing a record
			// buffer before the first byte arrives would pin one per idle
			// connection (10,000 idle connections, 180 MB); so it waits in
			// the small waitBuf and reads records out of it while they fit
			// (a small request, a close_notify), borrowing only for a
			// record that does not.
			got, err := in.r.Read(in.waitBuf[:])
			if got < 0 || got > len(in.waitBuf) {
				return fmt.Errorf("glasstls: transport reader returned invalid count %d", got)
			}
			in.buf, in.start, in.end = in.waitBuf[:], 0, got
			in.readErr = err
		} else {
			in.buf = in.pool.get() // one record: the handshake's flights fit
		}
	}
	if in.start == in.end {
		// Everything consumed: start over at the front for free. Slices
		// handed out by the previous call become invalid here, as documented.
		in.start, in.end = 0, 0
	}
	if in.start+n > len(in.buf) {
		inWaitBuf := len(in.buf) == idleReadSize
		if len(in.buf) < readBufferSize && !(inWaitBuf && n <= idleReadSize) {
			// Outgrown waitBuf or the one-record buffer: a stream of big
			// records gets the two-record buffer (readBufferSize says why).
			bigger := in.pool.getRead()
			copied := copy(bigger, in.buf[in.start:in.end])
			in.giveBack()
			in.buf, in.start, in.end = bigger, 0, copied
		} else {
			// Not enough room behind the leftovers: move them to the front.
			copied := copy(in.buf, in.buf[in.start:in.end])
			in.start, in.end = 0, copied
		}
	}
	emptyReads := 0
	for in.end-in.start < n {
		if err := in.readErr; err != nil {
			in.readErr = nil
			return transportError(err)
		}
		got, err := in.r.Read(in.buf[in.end:])
		if got < 0 || got > len(in.buf)-in.end {
			return fmt.Errorf("glasstls: transport reader returned invalid count %d", got)
		}
		in.end += got
		if err != nil {
			in.readErr = err
			continue
		}
		if got == 0 {
			emptyReads++
			if emptyReads >= maxEmptyReads {
				return io.ErrNoProgress
			}
		}
	}
	return nil
}

// transportError translates a transport read error: the end of the stream
// is always a truncation, since a TLS connection ends with close_notify.
func transportError(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// notTLSMessage explains a header whose major version is not 3, pointing
// out the common case of a plaintext protocol (say, an HTTP request) sent to
// a TLS port.
func notTLSMessage(header []byte) string {
	printable := true
	for _, b := range header {
		if b < 0x20 || b > 0x7e {
			printable = false
		}
	}
	if printable {
		return fmt.Sprintf("not a TLS record: header %q looks like plaintext (an HTTP request?)", header)
	}
	return fmt.Sprintf("not a TLS record: major version %d", header[1])
}
