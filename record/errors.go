package record

import (
	"errors"
	"fmt"
)

// AlertError is how every protocol failure travels through glasstls. Callers
// find it with errors.As(err, &alertErr) where alertErr is a *AlertError.
//
// Remote tells the two directions apart: a Remote error is an alert the peer
// sent us (we must not answer it); a local one is a problem we detected, and
// its Description is the alert to send (or that was sent) to the peer.
type AlertError struct {
	// Description is the alert received (Remote) or to send (local).
	Description AlertDescription
	// Remote is true when the peer sent this alert to us, false when we
	// detected the problem ourselves.
	Remote bool
	// Err is the underlying cause, if any; Unwrap returns it.
	Err error
	// Msg explains the problem to a human, e.g.
	// "expected ServerHello, got Finished".
	Msg string
}

// Error returns e.g.
// "glasstls: local error: unexpected_message: expected ServerHello, got Finished"
// or "glasstls: remote error: handshake_failure".
func (e *AlertError) Error() string {
	side := "local"
	if e.Remote {
		side = "remote"
	}
	s := "glasstls: " + side + " error: " + e.Description.String()
	switch {
	case e.Msg != "":
		s += ": " + e.Msg
	case e.Err != nil:
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause, so errors.Is sees through an
// AlertError (e.g. to cipher.ErrBadRecordMAC).
func (e *AlertError) Unwrap() error {
	return e.Err
}

// Errorf builds a local AlertError whose Msg is the formatted text. As with
// fmt.Errorf, an error argument matched by %w is kept: it becomes Err, so
// errors.Is and errors.As reach it.
func Errorf(d AlertDescription, format string, args ...any) *AlertError {
	formatted := fmt.Errorf(format, args...)
	e := &AlertError{Description: d, Msg: formatted.Error()}
	switch w := formatted.(type) {
	case interface{ Unwrap() error }:
		e.Err = w.Unwrap()
	case interface{ Unwrap() []error }:
		// Several %w: keep the formatted error itself, which unwraps to all.
		e.Err = formatted
	}
	return e
}

// ErrWriteClosed is returned by every write after this side sent a fatal
// alert or close_notify: RFC 5246, 7.2.1 and 7.2.2 say nothing may follow
// either on the connection.
var ErrWriteClosed = errors.New("glasstls: write half closed by an alert")

// errLocal builds a local AlertError with a fixed message, without the cost
// of formatting.
func errLocal(d AlertDescription, msg string) *AlertError {
	return &AlertError{Description: d, Msg: msg}
}
