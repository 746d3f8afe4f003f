package record_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/record"
)

func TestWriteThenReadRoundTrip(t *testing.T) {
	type write struct {
		typ  record.ContentType
		data []byte
	}
	big := bytes.Repeat([]byte("0123456789"), 5000)
	tests := []struct {
		name  string
		in    []write
		types []record.ContentType
		msgs  [][]byte
	}{
		{
			name:  "handshake flight",
			in:    []write{{record.TypeHandshake, serverHello}, {record.TypeHandshake, certificate}, {record.TypeHandshake, helloDone}},
			types: []record.ContentType{record.TypeHandshake, record.TypeHandshake, record.TypeHandshake},
			msgs:  [][]byte{serverHello, certificate, helloDone},
		},
		{
			name:  "several messages in one write",
			in:    []write{{record.TypeHandshake, concat(serverHello, certificate, helloDone)}},
			types: []record.ContentType{record.TypeHandshake, record.TypeHandshake, record.TypeHandshake},
			msgs:  [][]byte{serverHello, certificate, helloDone},
		},
		{
			name:  "application data, empty writes vanish",
			in:    []write{{record.TypeApplicationData, nil}, {record.TypeApplicationData, []byte("ping")}, {record.TypeApplicationData, []byte{}}},
			types: []record.ContentType{record.TypeApplicationData},
			msgs:  [][]byte{[]byte("ping")},
		},
		{
			name:  "large application data arrives in MaxPlaintext pieces",
			in:    []write{{record.TypeApplicationData, big}},
			types: []record.ContentType{record.TypeApplicationData, record.TypeApplicationData, record.TypeApplicationData, record.TypeApplicationData},
			msgs:  [][]byte{big[:16384], big[16384:32768], big[32768:49152], big[49152:]},
		},
		{
			name:  "handshake message larger than a record is reassembled",
			in:    []write{{record.TypeHandshake, handshakeMessage(11, big)}},
			types: []record.ContentType{record.TypeHandshake},
			msgs:  [][]byte{handshakeMessage(11, big)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var wire bytes.Buffer
			w := record.NewConn(nil, &wire)
			for _, in := range tt.in {
				n, err := w.WriteRecord(in.typ, in.data)
				require.NoError(t, err)
				assert.Equal(t, len(in.data), n)
			}
			types, msgs, err := readAll(readerConn(wire.Bytes()))
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			assert.Equal(t, tt.types, types)
			assert.Equal(t, tt.msgs, msgs)
		})
	}
}

func TestWriteRecordFragmentsAtMaxPlaintext(t *testing.T) {
	data := make([]byte, 40000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	var wire bytes.Buffer
	w := record.NewConn(nil, &wire)
	w.SetWriteVersion(record.VersionTLS12)
	n, err := w.WriteRecord(record.TypeApplicationData, data)
	require.NoError(t, err)
	assert.Equal(t, 40000, n)

	recs := splitRecords(t, wire.Bytes())
	require.Len(t, recs, 3)
	wantLens := []int{16384, 16384, 7232}
	var joined []byte
	for i, r := range recs {
		assert.Equal(t, record.TypeApplicationData, r.typ)
		assert.Equal(t, record.VersionTLS12, r.version)
		assert.Len(t, r.payload, wantLens[i])
		joined = append(joined, r.payload...)
	}
	assert.Equal(t, data, joined)
}

func TestWriteVersionDefaultsToTLS10(t *testing.T) {
	var wire bytes.Buffer
	w := record.NewConn(nil, &wire)
	_, err := w.WriteRecord(record.TypeHandshake, clientHello)
	require.NoError(t, err)
	assert.Equal(t, rawRecord(record.TypeHandshake, record.VersionTLS10, clientHello), wire.Bytes())
}

func TestSendAlertWire(t *testing.T) {
	tests := []struct {
		desc    record.AlertDescription
		version uint16
		want    []byte
		closes  bool
	}{
		{record.AlertHandshakeFailure, record.VersionTLS12, []byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}, true},
		{record.AlertCloseNotify, record.VersionTLS12, []byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00}, true},
		{record.AlertUserCanceled, record.VersionTLS12, []byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x5a}, false},
		{record.AlertNoRenegotiation, record.VersionTLS12, []byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x64}, false},
		{record.AlertProtocolVersion, record.VersionTLS10, []byte{0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46}, true},
		{record.AlertBadRecordMAC, record.VersionTLS12, []byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x14}, true},
		{record.AlertUnrecognizedName, record.VersionTLS12, []byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70}, true},
	}
	for _, tt := range tests {
		t.Run(tt.desc.String(), func(t *testing.T) {
			w := &countingWriter{}
			c := record.NewConn(nil, w)
			c.SetWriteVersion(tt.version)
			c.SetBuffering(true) // SendAlert must flush regardless
			require.NoError(t, c.SendAlert(tt.desc))
			require.Len(t, w.writes, 1)
			assert.Equal(t, tt.want, w.writes[0])

			_, err := c.WriteRecord(record.TypeApplicationData, []byte("more"))
			if tt.closes {
				assert.ErrorIs(t, err, record.ErrWriteClosed)
				assert.ErrorIs(t, c.SendAlert(record.AlertInternalError), record.ErrWriteClosed)
				assert.ErrorIs(t, c.Flush(), record.ErrWriteClosed)
				assert.Len(t, w.writes, 1, "nothing may follow a closing alert")
			} else {
				assert.NoError(t, err)
				require.NoError(t, c.Flush())
				assert.Len(t, w.writes, 2)
			}
		})
	}
}

func TestBufferingSendsAFlightInOneWrite(t *testing.T) {
	w := &countingWriter{}
	c := record.NewConn(nil, w)
	c.SetWriteVersion(record.VersionTLS12)
	c.SetBuffering(true)
	for _, m := range [][]byte{serverHello, certificate, helloDone} {
		_, err := c.WriteRecord(record.TypeHandshake, m)
		require.NoError(t, err)
	}
	assert.Empty(t, w.writes, "buffered records must not reach the transport")
	require.NoError(t, c.Flush())
	require.Len(t, w.writes, 1)
	assert.Equal(t, concat(tls12(record.TypeHandshake, serverHello), tls12(record.TypeHandshake, certificate), tls12(record.TypeHandshake, helloDone)), w.writes[0])

	// Flushing nothing writes nothing.
	require.NoError(t, c.Flush())
	assert.Len(t, w.writes, 1)

	// Turning buffering off flushes what is pending, then writes go straight out.
	_, err := c.WriteRecord(record.TypeHandshake, helloDone)
	require.NoError(t, err)
	c.SetBuffering(false)
	require.Len(t, w.writes, 2)
	_, err = c.WriteRecord(record.TypeApplicationData, []byte("a"))
	require.NoError(t, err)
	assert.Len(t, w.writes, 3)
}

func TestWriteRecordRefusals(t *testing.T) {
	tests := []struct {
		name string
		typ  record.ContentType
		data []byte
	}{
		{"empty handshake", record.TypeHandshake, nil},
		{"empty alert", record.TypeAlert, []byte{}},
		{"empty change_cipher_spec", record.TypeChangeCipherSpec, nil},
		{"unknown type", 99, []byte("x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &countingWriter{}
			c := record.NewConn(nil, w)
			n, err := c.WriteRecord(tt.typ, tt.data)
			assert.Error(t, err)
			assert.Zero(t, n)
			assert.Empty(t, w.writes)
			// A caller mistake does not poison the connection.
			_, err = c.WriteRecord(record.TypeApplicationData, []byte("ok"))
			assert.NoError(t, err)
			assert.Len(t, w.writes, 1)
		})
	}
}

// failingWriter accepts ok writes, then fails every one.
type failingWriter struct {
	ok    int
	err   error
	calls int
}

func (w *failingWriter) Write(p []byte) (int, error) {
	w.calls++
	if w.ok > 0 {
		w.ok--
		return len(p), nil
	}
	return 0, w.err
}

func TestWriteErrorsAreSticky(t *testing.T) {
	broken := errors.New("broken pipe")
	w := &failingWriter{ok: 1, err: broken}
	c := record.NewConn(nil, w)

	n, err := c.WriteRecord(record.TypeApplicationData, make([]byte, 20000))
	assert.Equal(t, broken, err)
	assert.Equal(t, record.MaxPlaintext, n, "the first record went out, the second did not")
	assert.Equal(t, 2, w.calls)

	for _, f := range []func() error{
		func() error { _, err := c.WriteRecord(record.TypeApplicationData, []byte("x")); return err },
		func() error { return c.SendAlert(record.AlertCloseNotify) },
		c.Flush,
		c.ChangeWriteCipherSpec,
	} {
		assert.Equal(t, broken, f())
	}
	assert.Equal(t, 2, w.calls, "no write reaches the transport after a failure")

	t.Run("failure in SetBuffering(false) surfaces on the next call", func(t *testing.T) {
		w := &failingWriter{err: broken}
		c := record.NewConn(nil, w)
		c.SetBuffering(true)
		_, err := c.WriteRecord(record.TypeHandshake, helloDone)
		require.NoError(t, err)
		c.SetBuffering(false)
		assert.Equal(t, broken, c.Flush())
	})
}
