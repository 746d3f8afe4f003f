package prf

import (
	"crypto"
	"errors"
	"fmt"
)

// Errors from ExportKeyingMaterial.
var (
	// ErrReservedLabel is a label TLS itself derives keys with: exporting
	// under it would hand out e.g. the key block (RFC 5705, 4).
	ErrReservedLabel = errors.New("prf: exporter label is reserved by TLS")
	// ErrContextTooLong is a context that does not fit its 16-bit length.
	ErrContextTooLong = errors.New("prf: exporter context longer than 65535 bytes")
	// ErrBadLength is a negative length.
	ErrBadLength = errors.New("prf: negative exporter length")
)

// ExportKeyingMaterial is the keying material exporter of RFC 5705, 4:
// length bytes, derived from the master secret, that both ends of a
// connection can compute and nobody else can, for use by the application
// (a channel binding, a key for another protocol).
//
// Without a context (context == nil):
//
//	PRF(master_secret, label, client_random + server_random)[length]
//
// With one (even an empty one, which is not the same as none):
//
//	PRF(master_secret, label, client_random + server_random +
//	    context_value_length + context_value)[length]
//
// where context_value_length is a two-byte big-endian length. h is the
// suite's PRF hash. The labels TLS uses itself are refused.
func ExportKeyingMaterial(h crypto.Hash, masterSecret, clientRandom, serverRandom []byte, label string, context []byte, length int) ([]byte, error) {
	switch label {
	case LabelMasterSecret, LabelExtendedMasterSecret, LabelKeyExpansion, LabelClientFinished, LabelServerFinished:
		return nil, fmt.Errorf("%w: %q", ErrReservedLabel, label)
	}
	if length < 0 {
		return nil, fmt.Errorf("%w: %d", ErrBadLength, length)
	}
	seed := concat(clientRandom, serverRandom)
	if context != nil {
		if len(context) > 0xffff {
			return nil, fmt.Errorf("%w: %d bytes", ErrContextTooLong, len(context))
		}
		seed = append(seed, byte(len(context)>>8), byte(len(context)))
		seed = append(seed, context...)
	}
	return PRF(h, masterSecret, label, seed, length), nil
}
