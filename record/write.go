package record

import (
	"fmt"
	"io"
	"math"

	"github.com/glasstls/glasstls/cipher"
)

// writeHalf is everything the writing direction owns. Nothing in it is
// touched by the read half.
type writeHalf struct {
	w        io.Writer
	version  uint16
	seq      uint64 // RFC 5246, 6.1: reset to 0 by each ChangeCipherSpec
	current  cipher.Protection
	pending  cipher.Protection
	observer func(RecordEvent)

	// buf collects sealed records until they are written to the
	// transport: one record normally, a whole flight while buffering.
	// It is borrowed from pool for each write and given back once
	// flushed, so a connection holds it only while writing.
	buf       []byte
	pool      *BufferPool // nil: buf is allocated once and kept
	buffering bool

	// Dynamic record sizing (recordsize.go): application data bytes and
	// records sent so far.
	dynamicSizing bool
	bytesSent     int
	recordsSent   int

	err error // sticky: once set, every write returns it
}

func (out *writeHalf) init(w io.Writer) {
	out.w = w
	out.version = VersionTLS10
	out.current = cipher.NullProtection()
}

// WriteRecord sends data as records of type typ, cut into fragments of at
// most MaxPlaintext bytes (RFC 5246, 6.2.1) and sealed with the current
// write protection, each under the next sequence number. It returns how
// many bytes of data were consumed: written to the transport, or to the
// flight buffer while buffering.
//
// Zero-length application data sends nothing. Zero-length data of any other
// type is refused (RFC 5246, 6.2.1: "MUST NOT send zero-length fragments of
// Handshake, Alert, or ChangeCipherSpec"), as is a content type TLS 1.2
// does not define; neither poisons the connection. Any other failure
// (transport error, sequence number exhausted, write half closed by an
// alert) is sticky.
func (c *Conn) WriteRecord(typ ContentType, data []byte) (int, error) {
	out := &c.out
	if out.err != nil {
		return 0, out.err
	}
	if !typ.known() {
		return 0, fmt.Errorf("glasstls: cannot write a record of type %v", typ)
	}
	if len(data) == 0 {
		if typ == TypeApplicationData {
			return 0, nil
		}
		return 0, fmt.Errorf("glasstls: cannot write an empty %v record", typ)
	}
	written := 0
	for written < len(data) {
		chunk := data[written:min(written+out.maxFragment(typ), len(data))]
		if err := out.appendRecord(typ, chunk); err != nil {
			return written, out.fail(err)
		}
		if !out.buffering {
			if err := out.flush(); err != nil {
				return written, err
			}
		}
		written += len(chunk)
		if typ == TypeApplicationData && out.bytesSent < recordSizeBoostThreshold {
			out.bytesSent += len(chunk)
		}
	}
	return written, nil
}

// appendRecord seals one fragment and appends the whole record to buf.
func (out *writeHalf) appendRecord(typ ContentType, fragment []byte) error {
	if out.seq == math.MaxUint64 {
		// RFC 5246, 6.1: sequence numbers MUST NOT wrap; see readRecord.
		return errLocal(AlertInternalError, "write sequence number exhausted")
	}
	if out.buf == nil {
		out.buf = out.pool.get()[:0]
	}
	start := len(out.buf)
	out.buf = append(out.buf, byte(typ), byte(out.version>>8), byte(out.version), 0, 0)
	// The header is written first and the fragment sealed straight behind
	// it, so no copy of the ciphertext is ever made.
	sealed, err := out.current.Seal(out.buf, out.seq, uint8(typ), out.version, fragment)
	if err != nil {
		out.buf = out.buf[:start]
		return &AlertError{Description: AlertInternalError, Err: err, Msg: "sealing a record failed"}
	}
	length := len(sealed) - start - RecordHeaderLen
	if length > MaxCiphertext {
		out.buf = out.buf[:start]
		return errLocal(AlertInternalError, fmt.Sprintf("sealed record of %d bytes exceeds %d", length, MaxCiphertext))
	}
	sealed[start+3], sealed[start+4] = byte(length>>8), byte(length)
	out.buf = sealed
	if out.observer != nil {
		out.observer(RecordEvent{Sent: true, Type: typ, Version: out.version, Seq: out.seq, Wire: sealed[start:], Plaintext: fragment})
	}
	out.seq++
	return nil
}

// flush writes every collected record to the transport in one call.
func (out *writeHalf) flush() error {
	if len(out.buf) == 0 {
		return nil
	}
	_, err := out.w.Write(out.buf)
	out.buf = out.buf[:0]
	if !out.buffering {
		// Between writes the buffer goes back to the pool (see
		// BufferPool): an idle connection holds none.
		out.releaseIdle()
	}
	if err != nil {
		// A partly written record leaves the stream unusable, so write
		// errors are always sticky, timeouts included.
		return out.fail(err)
	}
	return nil
}

func (out *writeHalf) fail(err error) error {
	out.err = err
	return err
}

// SetBuffering(true) makes WriteRecord collect records in memory until
// Flush, so that a whole flight (ServerHello ... ServerHelloDone) leaves in
// one transport write. SetBuffering(false) flushes what was collected; a
// failure there is sticky and reported by the next write or Flush.
func (c *Conn) SetBuffering(on bool) {
	c.out.buffering = on
	if !on {
		_ = c.out.flush()
	}
}

// Flush writes the collected records to the transport.
func (c *Conn) Flush() error {
	if c.out.err != nil {
		return c.out.err
	}
	return c.out.flush()
}

// SetWritePending installs the protection that our next ChangeCipherSpec
// activates (RFC 5246, 6.1: the pending write state).
func (c *Conn) SetWritePending(p cipher.Protection) {
	c.out.pending = p
}

// ChangeWriteCipherSpec sends the ChangeCipherSpec record, protected with
// the current protection, then makes the pending write protection current
// and resets the write sequence number to 0 (RFC 5246, 6.1 and 7.1). While
// buffering, the record waits in the buffer with the rest of the flight.
// Without a pending protection it fails with a sticky internal_error.
func (c *Conn) ChangeWriteCipherSpec() error {
	out := &c.out
	if out.err != nil {
		return out.err
	}
	if out.pending == nil {
		return out.fail(errLocal(AlertInternalError, "ChangeCipherSpec requested but no keys are pending"))
	}
	// RFC 5246, 7.1: the message is a single byte of value 1.
	if err := out.appendRecord(TypeChangeCipherSpec, []byte{1}); err != nil {
		return out.fail(err)
	}
	if !out.buffering {
		if err := out.flush(); err != nil {
			return err
		}
	}
	out.current, out.pending = out.pending, nil
	out.seq = 0
	return nil
}

// SendAlert writes one alert record, together with anything buffered, and
// flushes. close_notify, user_canceled and no_renegotiation go out as
// warnings, everything else as fatal (RFC 5246, 7.2.2). After a fatal alert
// or close_notify the write half is closed: later writes return an error
// wrapping ErrWriteClosed (RFC 5246, 7.2.1 and 7.2.2: nothing follows
// either).
func (c *Conn) SendAlert(d AlertDescription) error {
	out := &c.out
	if out.err != nil {
		return out.err
	}
	alert := Alert{Level: d.level(), Description: d}
	if err := out.appendRecord(TypeAlert, []byte{byte(alert.Level), byte(alert.Description)}); err != nil {
		return out.fail(err)
	}
	if err := out.flush(); err != nil {
		return err
	}
	if alert.Level == AlertLevelFatal || d == AlertCloseNotify {
		out.err = fmt.Errorf("%w (sent %v)", ErrWriteClosed, alert)
	}
	return nil
}
