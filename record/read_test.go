package record_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/record"
)

var (
	clientHello = handshakeMessage(1, bytes.Repeat([]byte{0xc1}, 50))
	serverHello = handshakeMessage(2, bytes.Repeat([]byte{0x5e}, 70))
	certificate = handshakeMessage(11, bytes.Repeat([]byte{0xce}, 3000))
	helloDone   = handshakeMessage(14, nil)
	ccsPayload  = []byte{1}
)

// oneByteRecords cuts payload into records of one byte each.
func oneByteRecords(typ record.ContentType, payload []byte) []byte {
	var out []byte
	for _, b := range payload {
		out = append(out, tls12(typ, []byte{b})...)
	}
	return out
}

func TestReadMessageSequences(t *testing.T) {
	tests := []struct {
		name      string
		wire      []byte
		wantTypes []record.ContentType
		wantMsgs  [][]byte
	}{
		{
			name:      "one message per record",
			wire:      concat(tls12(record.TypeHandshake, serverHello), tls12(record.TypeHandshake, helloDone)),
			wantTypes: []record.ContentType{record.TypeHandshake, record.TypeHandshake},
			wantMsgs:  [][]byte{serverHello, helloDone},
		},
		{
			name:      "several messages in one record",
			wire:      tls12(record.TypeHandshake, concat(serverHello, certificate, helloDone)),
			wantTypes: []record.ContentType{record.TypeHandshake, record.TypeHandshake, record.TypeHandshake},
			wantMsgs:  [][]byte{serverHello, certificate, helloDone},
		},
		{
			name:      "one message split across 1-byte records",
			wire:      oneByteRecords(record.TypeHandshake, clientHello),
			wantTypes: []record.ContentType{record.TypeHandshake},
			wantMsgs:  [][]byte{clientHello},
		},
		{
			name: "message boundaries inside records",
			wire: concat(
				tls12(record.TypeHandshake, serverHello[:2]),
				tls12(record.TypeHandshake, concat(serverHello[2:], certificate[:100])),
				tls12(record.TypeHandshake, concat(certificate[100:], helloDone))),
			wantTypes: []record.ContentType{record.TypeHandshake, record.TypeHandshake, record.TypeHandshake},
			wantMsgs:  [][]byte{serverHello, certificate, helloDone},
		},
		{
			name: "handshake, change_cipher_spec, application data",
			wire: concat(
				tls12(record.TypeHandshake, helloDone),
				tls12(record.TypeChangeCipherSpec, ccsPayload),
				tls12(record.TypeApplicationData, []byte("hello"))),
			wantTypes: []record.ContentType{record.TypeHandshake, record.TypeChangeCipherSpec, record.TypeApplicationData},
			wantMsgs:  [][]byte{helloDone, ccsPayload, []byte("hello")},
		},
		{
			name: "empty and warning records are skipped",
			wire: concat(
				tls12(record.TypeApplicationData, nil),
				tls12(record.TypeHandshake, nil),
				tls12(record.TypeAlert, []byte{1, byte(record.AlertNoRenegotiation)}),
				tls12(record.TypeApplicationData, []byte("x"))),
			wantTypes: []record.ContentType{record.TypeApplicationData},
			wantMsgs:  [][]byte{[]byte("x")},
		},
		{
			name: "exactly MaxEmptyRecords empty records are tolerated",
			wire: concat(
				repeat(tls12(record.TypeApplicationData, nil), record.MaxEmptyRecords),
				tls12(record.TypeApplicationData, []byte("x")),
				repeat(tls12(record.TypeHandshake, nil), record.MaxEmptyRecords),
				tls12(record.TypeApplicationData, []byte("y"))),
			wantTypes: []record.ContentType{record.TypeApplicationData, record.TypeApplicationData},
			wantMsgs:  [][]byte{[]byte("x"), []byte("y")},
		},
		{
			name:      "warning alert between handshake fragments",
			wire:      concat(tls12(record.TypeHandshake, clientHello[:10]), tls12(record.TypeAlert, []byte{1, 90}), tls12(record.TypeHandshake, clientHello[10:])),
			wantTypes: []record.ContentType{record.TypeHandshake},
			wantMsgs:  [][]byte{clientHello},
		},
		{
			name: "largest handshake message",
			wire: func() []byte {
				msg := handshakeMessage(11, bytes.Repeat([]byte{9}, record.MaxHandshakeMessage))
				var out []byte
				for len(msg) > 0 {
					n := min(len(msg), record.MaxPlaintext)
					out = append(out, tls12(record.TypeHandshake, msg[:n])...)
					msg = msg[n:]
				}
				return out
			}(),
			wantTypes: []record.ContentType{record.TypeHandshake},
			wantMsgs:  [][]byte{handshakeMessage(11, bytes.Repeat([]byte{9}, record.MaxHandshakeMessage))},
		},
		{
			name:      "largest plaintext record",
			wire:      tls12(record.TypeApplicationData, bytes.Repeat([]byte{'a'}, record.MaxPlaintext)),
			wantTypes: []record.ContentType{record.TypeApplicationData},
			wantMsgs:  [][]byte{bytes.Repeat([]byte{'a'}, record.MaxPlaintext)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := readerConn(tt.wire)
			types, msgs, err := readAll(c)
			assert.Equal(t, tt.wantTypes, types)
			assert.Equal(t, tt.wantMsgs, msgs)
			// The stream ends without close_notify: a truncation.
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			assert.False(t, c.HandshakePending())
		})
	}
}

func TestReadMessageErrors(t *testing.T) {
	tests := []struct {
		name        string
		readVersion uint16
		wire        []byte
		before      int // messages that must be read successfully first
		want        record.AlertDescription
	}{
		{
			name: "change_cipher_spec while a handshake fragment is buffered",
			wire: concat(tls12(record.TypeHandshake, serverHello[:20]), tls12(record.TypeChangeCipherSpec, ccsPayload)),
			want: record.AlertUnexpectedMessage,
		},
		{
			name: "change_cipher_spec while only a header fragment is buffered",
			wire: concat(tls12(record.TypeHandshake, serverHello[:2]), tls12(record.TypeChangeCipherSpec, ccsPayload)),
			want: record.AlertUnexpectedMessage,
		},
		{
			name: "application data inside a handshake message",
			wire: concat(tls12(record.TypeHandshake, serverHello[:20]), tls12(record.TypeApplicationData, []byte("hi"))),
			want: record.AlertUnexpectedMessage,
		},
		{
			name: "empty application data inside a handshake message",
			wire: concat(tls12(record.TypeHandshake, serverHello[:20]), tls12(record.TypeApplicationData, nil)),
			want: record.AlertUnexpectedMessage,
		},
		{
			name: "unknown content type",
			wire: tls12(24, []byte{1, 2, 3}),
			want: record.AlertUnexpectedMessage,
		},
		{
			name: "content type zero",
			wire: tls12(0, nil),
			want: record.AlertUnexpectedMessage,
		},
		{
			name: "record longer than 2^14+2048",
			wire: rawRecord(record.TypeApplicationData, record.VersionTLS12, make([]byte, record.MaxCiphertext+1)),
			want: record.AlertRecordOverflow,
		},
		{
			name: "unprotected plaintext longer than 2^14",
			wire: tls12(record.TypeApplicationData, make([]byte, record.MaxPlaintext+1)),
			want: record.AlertRecordOverflow,
		},
		{
			name:        "version differs from the negotiated one",
			readVersion: record.VersionTLS12,
			wire:        rawRecord(record.TypeHandshake, record.VersionTLS11, helloDone),
			want:        record.AlertProtocolVersion,
		},
		{
			name:        "version changes after the first record",
			readVersion: record.VersionTLS12,
			wire:        concat(tls12(record.TypeHandshake, helloDone), rawRecord(record.TypeHandshake, record.VersionTLS10, helloDone)),
			before:      1,
			want:        record.AlertProtocolVersion,
		},
		{
			name: "major version is not 3",
			wire: rawRecord(record.TypeHandshake, 0x0203, helloDone),
			want: record.AlertProtocolVersion,
		},
		{
			name: "an HTTP request",
			wire: []byte("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"),
			want: record.AlertProtocolVersion,
		},
		{
			name: "17 empty application data records",
			wire: concat(repeat(tls12(record.TypeApplicationData, nil), record.MaxEmptyRecords+1), tls12(record.TypeApplicationData, []byte("x"))),
			want: record.AlertUnexpectedMessage,
		},
		{
			name: "17 empty handshake records",
			wire: concat(repeat(tls12(record.TypeHandshake, nil), record.MaxEmptyRecords+1), tls12(record.TypeHandshake, helloDone)),
			want: record.AlertUnexpectedMessage,
		},
		{
			name: "17 warning alerts",
			wire: concat(repeat(tls12(record.TypeAlert, []byte{1, 90}), record.MaxEmptyRecords+1), tls12(record.TypeHandshake, helloDone)),
			want: record.AlertUnexpectedMessage,
		},
		{
			name: "17 mixed empty records",
			wire: concat(repeat(concat(tls12(record.TypeHandshake, nil), tls12(record.TypeAlert, []byte{1, 100})), 9), tls12(record.TypeHandshake, helloDone)),
			want: record.AlertUnexpectedMessage,
		},
		{
			name: "change_cipher_spec payload is not 1",
			wire: tls12(record.TypeChangeCipherSpec, []byte{2}),
			want: record.AlertDecodeError,
		},
		{
			name: "change_cipher_spec payload too long",
			wire: tls12(record.TypeChangeCipherSpec, []byte{1, 1}),
			want: record.AlertDecodeError,
		},
		{
			name: "empty change_cipher_spec",
			wire: tls12(record.TypeChangeCipherSpec, nil),
			want: record.AlertDecodeError,
		},
		{
			name: "alert of one byte",
			wire: tls12(record.TypeAlert, []byte{2}),
			want: record.AlertDecodeError,
		},
		{
			name: "alert of three bytes",
			wire: tls12(record.TypeAlert, []byte{2, 40, 0}),
			want: record.AlertDecodeError,
		},
		{
			name: "alert with unknown level",
			wire: tls12(record.TypeAlert, []byte{3, 40}),
			want: record.AlertIllegalParameter,
		},
		{
			// Only the 4-byte header is sent: the limit must be enforced
			// before any of the body arrives.
			name: "handshake message over MaxHandshakeMessage",
			wire: tls12(record.TypeHandshake, []byte{11, 0x01, 0x00, 0x01}),
			want: record.AlertIllegalParameter,
		},
		{
			name:   "oversized message after a good one in the same record",
			wire:   tls12(record.TypeHandshake, concat(helloDone, []byte{11, 0xff, 0xff, 0xff})),
			before: 1,
			want:   record.AlertIllegalParameter,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := readerConn(tt.wire)
			c.SetReadVersion(tt.readVersion)
			for i := 0; i < tt.before; i++ {
				_, _, err := c.ReadMessage()
				require.NoError(t, err)
			}
			_, _, err := c.ReadMessage()
			require.Error(t, err)
			ae := alertOf(t, err)
			assert.Equal(t, tt.want, ae.Description, ae.Error())
			assert.False(t, ae.Remote)
			assert.NotEmpty(t, ae.Msg)

			// Sticky: the very same error again, however often we ask.
			for i := 0; i < 3; i++ {
				_, _, again := c.ReadMessage()
				assert.Same(t, err, again)
			}
		})
	}
}

func TestReadMessageHTTPRequestExplained(t *testing.T) {
	c := readerConn([]byte("POST /x HTTP/1.1\r\n\r\n"))
	_, _, err := c.ReadMessage()
	ae := alertOf(t, err)
	assert.Equal(t, record.AlertProtocolVersion, ae.Description)
	assert.Contains(t, ae.Msg, "HTTP")
}

func TestReadMessageAcceptsAny3xBeforeVersionIsSet(t *testing.T) {
	for _, v := range []uint16{0x0300, record.VersionTLS10, record.VersionTLS11, record.VersionTLS12, 0x03ff} {
		c := readerConn(rawRecord(record.TypeHandshake, v, helloDone))
		typ, msg, err := c.ReadMessage()
		require.NoError(t, err, record.VersionName(v))
		assert.Equal(t, record.TypeHandshake, typ)
		assert.Equal(t, helloDone, msg)
	}
}

func TestReadMessageAlerts(t *testing.T) {
	tests := []struct {
		name     string
		wire     []byte
		before   int
		wantEOF  bool
		wantDesc record.AlertDescription
	}{
		{name: "close_notify warning", wire: tls12(record.TypeAlert, []byte{1, 0}), wantEOF: true},
		{name: "close_notify at fatal level", wire: tls12(record.TypeAlert, []byte{2, 0}), wantEOF: true},
		{name: "close_notify after data", wire: concat(tls12(record.TypeApplicationData, []byte("bye")), tls12(record.TypeAlert, []byte{1, 0})), before: 1, wantEOF: true},
		{name: "fatal handshake_failure", wire: tls12(record.TypeAlert, []byte{2, 40}), wantDesc: record.AlertHandshakeFailure},
		{name: "fatal bad_certificate", wire: tls12(record.TypeAlert, []byte{2, 42}), wantDesc: record.AlertBadCertificate},
		{name: "fatal unknown description", wire: tls12(record.TypeAlert, []byte{2, 250}), wantDesc: record.AlertDescription(250)},
		{name: "fatal alert while a handshake message is partial", wire: concat(tls12(record.TypeHandshake, serverHello[:9]), tls12(record.TypeAlert, []byte{2, 80})), wantDesc: record.AlertInternalError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Anything after the alert must never be delivered.
			c := readerConn(concat(tt.wire, tls12(record.TypeApplicationData, []byte("after"))))
			for i := 0; i < tt.before; i++ {
				_, _, err := c.ReadMessage()
				require.NoError(t, err)
			}
			for i := 0; i < 3; i++ {
				typ, msg, err := c.ReadMessage()
				assert.Zero(t, typ)
				assert.Nil(t, msg)
				if tt.wantEOF {
					assert.Equal(t, io.EOF, err)
					continue
				}
				ae := alertOf(t, err)
				assert.True(t, ae.Remote)
				assert.Equal(t, tt.wantDesc, ae.Description)
				assert.Equal(t, "glasstls: remote error: "+tt.wantDesc.String(), ae.Error())
			}
		})
	}
}

func TestReadMessageTruncation(t *testing.T) {
	good := tls12(record.TypeApplicationData, []byte("hello"))
	tests := []struct {
		name   string
		wire   []byte
		before int
	}{
		{"nothing at all", nil, 0},
		{"inside the header", good[:3], 0},
		{"after the header", good[:5], 0},
		{"inside the body", good[:7], 0},
		{"clean record boundary", good, 1},
		{"inside a handshake message", tls12(record.TypeHandshake, serverHello[:10]), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := readerConn(tt.wire)
			for i := 0; i < tt.before; i++ {
				_, _, err := c.ReadMessage()
				require.NoError(t, err)
			}
			_, _, err := c.ReadMessage()
			assert.Equal(t, io.ErrUnexpectedEOF, err)
			_, _, err = c.ReadMessage()
			assert.Equal(t, io.ErrUnexpectedEOF, err)
		})
	}
}

// scriptedReader returns its steps one per Read call.
type scriptedReader struct {
	steps []readStep
}

type readStep struct {
	data []byte
	err  error
}

func (r *scriptedReader) Read(p []byte) (int, error) {
	if len(r.steps) == 0 {
		return 0, io.EOF
	}
	s := &r.steps[0]
	n := copy(p, s.data)
	s.data = s.data[n:]
	if len(s.data) > 0 {
		return n, nil
	}
	err := s.err
	r.steps = r.steps[1:]
	return n, err
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

var _ net.Error = timeoutError{}

func TestReadMessageTransportErrors(t *testing.T) {
	rec := tls12(record.TypeApplicationData, []byte("hello"))
	broken := errors.New("connection reset")

	t.Run("timeout mid-record is not sticky", func(t *testing.T) {
		c := record.NewConn(&scriptedReader{steps: []readStep{
			{data: rec[:7], err: timeoutError{}},
			{data: rec[7:]},
		}}, io.Discard)
		_, _, err := c.ReadMessage()
		var ne net.Error
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout())
		typ, msg, err := c.ReadMessage()
		require.NoError(t, err)
		assert.Equal(t, record.TypeApplicationData, typ)
		assert.Equal(t, []byte("hello"), msg)
	})
	t.Run("other errors are sticky", func(t *testing.T) {
		c := record.NewConn(&scriptedReader{steps: []readStep{
			{data: rec[:7], err: broken},
			{data: rec[7:]},
		}}, io.Discard)
		_, _, err := c.ReadMessage()
		assert.Equal(t, broken, err)
		_, _, err = c.ReadMessage()
		assert.Equal(t, broken, err)
	})
	t.Run("error delivered with the last bytes of a record", func(t *testing.T) {
		c := record.NewConn(&scriptedReader{steps: []readStep{{data: rec, err: broken}}}, io.Discard)
		_, msg, err := c.ReadMessage()
		require.NoError(t, err)
		assert.Equal(t, []byte("hello"), msg)
		_, _, err = c.ReadMessage()
		assert.Equal(t, broken, err)
	})
	t.Run("EOF delivered with the last bytes of a record", func(t *testing.T) {
		c := record.NewConn(&scriptedReader{steps: []readStep{{data: rec, err: io.EOF}}}, io.Discard)
		_, msg, err := c.ReadMessage()
		require.NoError(t, err)
		assert.Equal(t, []byte("hello"), msg)
		_, _, err = c.ReadMessage()
		assert.Equal(t, io.ErrUnexpectedEOF, err)
	})
	t.Run("a reader that never makes progress", func(t *testing.T) {
		c := record.NewConn(zeroReader{}, io.Discard)
		_, _, err := c.ReadMessage()
		assert.Equal(t, io.ErrNoProgress, err)
	})
	t.Run("a reader that claims too much", func(t *testing.T) {
		c := record.NewConn(liarReader{}, io.Discard)
		_, _, err := c.ReadMessage()
		assert.ErrorContains(t, err, "invalid count")
	})
}

type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

type liarReader struct{}

func (liarReader) Read(p []byte) (int, error) { return len(p) + 1, nil }

// trickleReader hands out one byte per Read.
type trickleReader struct{ data []byte }

func (r *trickleReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = r.data[0]
	r.data = r.data[1:]
	return 1, nil
}

func TestReadMessageOneByteReads(t *testing.T) {
	wire := concat(
		tls12(record.TypeHandshake, concat(serverHello, certificate[:40])),
		tls12(record.TypeHandshake, concat(certificate[40:], helloDone)),
		tls12(record.TypeApplicationData, []byte("data")),
		tls12(record.TypeAlert, []byte{1, 0}))
	c := record.NewConn(&trickleReader{data: wire}, io.Discard)
	types, msgs, err := readAll(c)
	assert.Equal(t, io.EOF, err)
	assert.Equal(t, []record.ContentType{record.TypeHandshake, record.TypeHandshake, record.TypeHandshake, record.TypeApplicationData}, types)
	assert.Equal(t, [][]byte{serverHello, certificate, helloDone, []byte("data")}, msgs)
}

func TestHandshakePending(t *testing.T) {
	c := readerConn(concat(
		tls12(record.TypeHandshake, concat(helloDone, helloDone)),
		tls12(record.TypeHandshake, serverHello[:10]),
		tls12(record.TypeHandshake, serverHello[10:])))
	assert.False(t, c.HandshakePending(), "nothing read yet")

	_, _, err := c.ReadMessage()
	require.NoError(t, err)
	assert.True(t, c.HandshakePending(), "second message of the record not yet returned")

	_, _, err = c.ReadMessage()
	require.NoError(t, err)
	assert.False(t, c.HandshakePending(), "record fully returned")

	_, msg, err := c.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, serverHello, msg)
	assert.False(t, c.HandshakePending())
}

// TestAppendingToAMessageIsSafe: returned slices share the read buffer, so
// their capacity must stop at their end, or a caller's append would
// overwrite data not yet returned.
func TestAppendingToAMessageIsSafe(t *testing.T) {
	tests := []struct {
		name string
		wire []byte
		want [][]byte
	}{
		{"application data", concat(tls12(record.TypeApplicationData, []byte("first")), tls12(record.TypeApplicationData, []byte("second"))),
			[][]byte{[]byte("first"), []byte("second")}},
		{"handshake", tls12(record.TypeHandshake, concat(helloDone, serverHello)), [][]byte{helloDone, serverHello}},
		{"change_cipher_spec", concat(tls12(record.TypeChangeCipherSpec, ccsPayload), tls12(record.TypeApplicationData, []byte("x"))),
			[][]byte{ccsPayload, []byte("x")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := readerConn(tt.wire)
			for _, want := range tt.want {
				_, msg, err := c.ReadMessage()
				require.NoError(t, err)
				assert.Equal(t, want, msg)
				_ = append(msg, bytes.Repeat([]byte{0xee}, 64)...)
			}
		})
	}
}
