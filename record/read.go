package record

import (
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/glasstls/glasstls/cipher"
)

// maxEmptyReads bounds how often the transport may return (0, nil) in a row
// before we stop asking: io.Reader discourages it, and a broken reader must
// not make us spin.
const maxEmptyReads = 100

// readHalf is everything the reading direction owns. Nothing in it is
// touched by the write half.
type readHalf struct {
	r        io.Reader
	version  uint16 // 0: accept any {3, x}
	seq      uint64 // RFC 5246, 6.1: reset to 0 by each ChangeCipherSpec
	current  cipher.Protection
	pending  cipher.Protection
	observer func(RecordEvent)

	// buf holds raw bytes from the transport: buf[start:end] is read but
	// not yet consumed. Records are opened in place, so one buffer of the
	// largest record (two, readBufferSize, once a stream needs it; waitBuf
	// while records fit it after ReleaseIdleBuffers) serves every record
	// without allocating. It is
	// borrowed from pool on first use (nil until then, and again after
	// ReleaseIdleBuffers).
	buf        []byte
	pool       *BufferPool // nil: buf is allocated once and kept
	start, end int
	// waitSmall is set once ReleaseIdleBuffers has given buf back: the next
	// read waits for the peer in waitBuf instead of a borrowed buffer
	// (fill explains why).
	waitSmall bool
	waitBuf   [idleReadSize]byte
	readErr   error  // a transport error that arrived together with enough data; reported on the next read
	wireCopy  []byte // the wire bytes of the last record, kept only for the observer

	// hs holds handshake plaintext being reassembled (RFC 5246, 6.2.1:
	// messages may span records, and one record may hold several).
	// hs[hsOff:] is not yet returned.
	hs             []byte
	hsOff          int
	handshakeLimit HandshakeLimit // nil: MaxHandshakeMessage for every type

	empties int   // consecutive records that gave the caller nothing
	err     error // sticky: once set, every call returns it
}

func (in *readHalf) init(r io.Reader) {
	in.r = r
	in.current = cipher.NullProtection()
}

// ReadMessage returns the next protocol message:
//
//   - TypeHandshake: one complete handshake message, 4-byte header included,
//     reassembled across records; several messages in one record are
//     returned one per call.
//   - TypeChangeCipherSpec: the one-byte payload {1}. It is refused
//     (unexpected_message) while part of a handshake message is buffered,
//     because RFC 5246, 7.1 puts it on a message boundary; a payload other
//     than {1} is decode_error (RFC 5246, 7.2.2: "a field was out of the
//     specified range or the length of the message was incorrect").
//   - TypeApplicationData: the decrypted fragment, never empty (empty
//     records are skipped). Application data in the middle of a handshake
//     message is unexpected_message.
//
// Alerts are handled here and never returned. A close_notify, at any level,
// returns io.EOF (and so does every later call). A fatal alert returns an
// *AlertError with Remote set. Warning alerts are skipped, as are empty
// records, but no more than MaxEmptyRecords in a row (then
// unexpected_message), so a peer cannot keep us busy forever.
//
// Other failures: an unknown content type is unexpected_message; a record
// longer than MaxCiphertext, or one that opens to more than MaxPlaintext,
// is record_overflow; a record that fails to open is bad_record_mac; a
// handshake message declaring more than MaxHandshakeMessage bytes is
// illegal_parameter (or what SetHandshakeLimit says), reported as soon as
// its 4-byte header is seen; a
// wrong record version is protocol_version. These are local *AlertErrors:
// ReadMessage never writes, the caller sends the alert.
//
// When the transport ends, in the middle of a record or cleanly between
// two, ReadMessage returns io.ErrUnexpectedEOF: a TLS connection ends with
// close_notify (RFC 5246, 7.2.1), so a bare TCP FIN is a truncation, never
// a normal end of stream, and must not be mistaken for one.
//
// Errors are sticky: after one, every call returns the same error. The
// exception is a transport timeout (a net.Error whose Timeout() is true):
// no data is lost, so the caller may call again after extending the
// deadline.
//
// The returned slice is valid until the next call on the read half.
func (c *Conn) ReadMessage() (ContentType, []byte, error) {
	in := &c.in
	if in.err != nil {
		return 0, nil, in.err
	}
	typ, msg, err := in.readMessage()
	if err != nil {
		return 0, nil, in.fail(err)
	}
	return typ, msg, nil
}

func (in *readHalf) readMessage() (ContentType, []byte, error) {
	for {
		msg, err := in.nextHandshakeMessage()
		if err != nil {
			return 0, nil, err
		}
		if msg != nil {
			return TypeHandshake, msg, nil
		}

		typ, fragment, err := in.readRecord()
		if err != nil {
			return 0, nil, err
		}
		switch typ {
		case TypeHandshake:
			if len(fragment) == 0 {
				// RFC 5246, 6.2.1: "MUST NOT send zero-length fragments of
				// Handshake" - harmless, so tolerated, but counted.
				if err := in.countEmpty(); err != nil {
					return 0, nil, err
				}
				continue
			}
			in.empties = 0
			in.appendHandshake(fragment)

		case TypeChangeCipherSpec:
			if in.handshakePending() {
				return 0, nil, errLocal(AlertUnexpectedMessage, "ChangeCipherSpec in the middle of a handshake message")
			}
			if len(fragment) != 1 || fragment[0] != 1 {
				return 0, nil, errLocal(AlertDecodeError, "ChangeCipherSpec payload is not the single byte 1")
			}
			in.empties = 0
			return TypeChangeCipherSpec, fragment, nil

		case TypeApplicationData:
			if in.handshakePending() {
				return 0, nil, errLocal(AlertUnexpectedMessage, "application data in the middle of a handshake message")
			}
			if len(fragment) == 0 {
				// RFC 5246, 6.2.1 allows these (a traffic-analysis
				// countermeasure); they carry nothing for the caller.
				if err := in.countEmpty(); err != nil {
					return 0, nil, err
				}
				continue
			}
			in.empties = 0
			return TypeApplicationData, fragment, nil

		case TypeAlert:
			if err := in.handleAlert(fragment); err != nil {
				return 0, nil, err
			}
		}
	}
}

// handleAlert interprets one alert record. It returns nil only for an alert
// that may be skipped.
func (in *readHalf) handleAlert(fragment []byte) error {
	// An alert is exactly level + description. RFC 5246 would let one be
	// split across records, but no implementation does that and accepting it
	// only adds state; like OpenSSL we call any other length decode_error.
	if len(fragment) != 2 {
		return errLocal(AlertDecodeError, fmt.Sprintf("alert record of %d bytes, want 2", len(fragment)))
	}
	level, desc := AlertLevel(fragment[0]), AlertDescription(fragment[1])
	if desc == AlertCloseNotify {
		// RFC 5246, 7.2.1: the peer will send nothing more; whatever the
		// level says, this is the orderly end of the stream.
		return io.EOF
	}
	switch level {
	case AlertLevelFatal:
		return &AlertError{Description: desc, Remote: true}
	case AlertLevelWarning:
		// RFC 5246, 7.2.2: a warning leaves the connection usable; the
		// handshake layer decides whether e.g. no_renegotiation matters,
		// but the record layer has nothing to hand it, so it is skipped.
		return in.countEmpty()
	}
	return errLocal(AlertIllegalParameter, fmt.Sprintf("alert with unknown level %d", uint8(level)))
}

// countEmpty records one more record that gave the caller nothing.
func (in *readHalf) countEmpty() error {
	in.empties++
	if in.empties > MaxEmptyRecords {
		return errLocal(AlertUnexpectedMessage, fmt.Sprintf("more than %d empty or warning records in a row", MaxEmptyRecords))
	}
	return nil
}

// fail makes err sticky, except for a transport timeout, which leaves the
// read half intact for a retry.
func (in *readHalf) fail(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return err
	}
	in.err = err
	return err
}

// HandshakePending reports whether handshake bytes are buffered that
// ReadMessage has not returned yet: part of a message, or whole messages.
func (c *Conn) HandshakePending() bool {
	return c.in.handshakePending()
}

func (in *readHalf) handshakePending() bool {
	return len(in.hs) > in.hsOff
}

// SetReadPending installs the protection that the next ChangeCipherSpec
// from the peer activates (RFC 5246, 6.1: the pending read state).
func (c *Conn) SetReadPending(p cipher.Protection) {
	c.in.pending = p
}

// ChangeReadCipherSpec makes the pending read protection current and resets
// the read sequence number to 0 (RFC 5246, 6.1 and 7.1). The caller invokes
// it right after ReadMessage returned TypeChangeCipherSpec. Without a
// pending protection, or with handshake bytes still buffered (RFC 5246, 7.1:
// ChangeCipherSpec must come on a message boundary), it fails with a sticky
// unexpected_message AlertError.
func (c *Conn) ChangeReadCipherSpec() error {
	in := &c.in
	if in.err != nil {
		return in.err
	}
	if in.pending == nil {
		return in.fail(errLocal(AlertUnexpectedMessage, "ChangeCipherSpec received but no keys are pending"))
	}
	if in.handshakePending() {
		return in.fail(errLocal(AlertUnexpectedMessage, "ChangeCipherSpec with handshake data still buffered"))
	}
	in.current, in.pending = in.pending, nil
	in.seq = 0
	return nil
}
