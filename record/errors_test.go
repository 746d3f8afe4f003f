package record_test

import (
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/record"
)

func TestAlertErrorError(t *testing.T) {
	cause := errors.New("boom")
	tests := []struct {
		name string
		err  *record.AlertError
		want string
	}{
		{"local with message", &record.AlertError{Description: record.AlertUnexpectedMessage, Msg: "expected ServerHello, got Finished"},
			"glasstls: local error: unexpected_message: expected ServerHello, got Finished"},
		{"remote bare", &record.AlertError{Description: record.AlertHandshakeFailure, Remote: true},
			"glasstls: remote error: handshake_failure"},
		{"cause only", &record.AlertError{Description: record.AlertInternalError, Err: cause},
			"glasstls: local error: internal_error: boom"},
		{"message wins over cause", &record.AlertError{Description: record.AlertInternalError, Err: cause, Msg: "sealing failed"},
			"glasstls: local error: internal_error: sealing failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
			assert.Equal(t, tt.err.Err, tt.err.Unwrap())
		})
	}
}

func TestErrorf(t *testing.T) {
	cause := errors.New("disk on fire")
	tests := []struct {
		name      string
		err       *record.AlertError
		wantMsg   string
		wantCause []error
		wantNil   bool
	}{
		{"plain", record.Errorf(record.AlertDecodeError, "bad length %d", 7), "bad length 7", nil, true},
		{"%v does not wrap", record.Errorf(record.AlertDecodeError, "x: %v", cause), "x: disk on fire", nil, true},
		{"%w wraps", record.Errorf(record.AlertInternalError, "x: %w", cause), "x: disk on fire", []error{cause}, false},
		{"two %w wrap both", record.Errorf(record.AlertInternalError, "%w and %w", cause, io.EOF), "disk on fire and EOF", []error{cause, io.EOF}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.False(t, tt.err.Remote)
			assert.Equal(t, tt.wantMsg, tt.err.Msg)
			if tt.wantNil {
				assert.Nil(t, tt.err.Err)
			}
			for _, c := range tt.wantCause {
				assert.ErrorIs(t, tt.err, c)
			}
		})
	}
	// A single %w keeps the argument itself, not a wrapper of it.
	e := record.Errorf(record.AlertInternalError, "x: %w", cause)
	require.NotNil(t, e.Err)
	assert.Same(t, cause, e.Err)
}
