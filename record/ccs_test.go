package record_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// TestChangeCipherSpecInterop seals with one Conn's write half and opens
// with another's read half, across a ChangeCipherSpec, and checks that both
// ends restart their sequence numbers at 0 (RFC 5246, 6.1).
func TestChangeCipherSpecInterop(t *testing.T) {
	var wire bytes.Buffer
	var sent, received []record.RecordEvent
	keep := func(to *[]record.RecordEvent) func(record.RecordEvent) {
		return func(e record.RecordEvent) {
			e.Wire = append([]byte(nil), e.Wire...)
			e.Plaintext = append([]byte(nil), e.Plaintext...)
			*to = append(*to, e)
		}
	}

	w := record.NewConn(nil, &wire)
	w.SetWriteVersion(record.VersionTLS12)
	w.SetObserver(keep(&sent))
	finished := handshakeMessage(20, bytes.Repeat([]byte{0xf1}, 12))

	_, err := w.WriteRecord(record.TypeHandshake, serverHello)
	require.NoError(t, err)
	_, err = w.WriteRecord(record.TypeHandshake, helloDone)
	require.NoError(t, err)
	w.SetWritePending(newGCM(t))
	require.NoError(t, w.ChangeWriteCipherSpec())
	_, err = w.WriteRecord(record.TypeHandshake, finished)
	require.NoError(t, err)
	_, err = w.WriteRecord(record.TypeApplicationData, []byte("secret data"))
	require.NoError(t, err)
	require.NoError(t, w.SendAlert(record.AlertCloseNotify))

	// What the writer saw: plaintext records 0,1, CCS 2 (still plaintext),
	// then protected records numbered from 0 again.
	require.Len(t, sent, 6)
	wantSeq := []uint64{0, 1, 2, 0, 1, 2}
	wantType := []record.ContentType{record.TypeHandshake, record.TypeHandshake, record.TypeChangeCipherSpec, record.TypeHandshake, record.TypeApplicationData, record.TypeAlert}
	for i, e := range sent {
		assert.True(t, e.Sent)
		assert.Equal(t, wantSeq[i], e.Seq, "sent record %d", i)
		assert.Equal(t, wantType[i], e.Type, "sent record %d", i)
		assert.Equal(t, record.VersionTLS12, e.Version)
		if i < 3 {
			assert.Equal(t, tls12(e.Type, e.Plaintext), e.Wire, "record %d is unprotected", i)
		} else {
			assert.NotContains(t, string(e.Wire), string(e.Plaintext), "record %d must be encrypted", i)
			assert.Greater(t, len(e.Wire), record.RecordHeaderLen+len(e.Plaintext))
		}
	}
	assert.Equal(t, concat(sent[0].Wire, sent[1].Wire, sent[2].Wire, sent[3].Wire, sent[4].Wire, sent[5].Wire), wire.Bytes())

	r := readerConn(wire.Bytes())
	r.SetReadVersion(record.VersionTLS12)
	r.SetObserver(keep(&received))
	for _, want := range [][]byte{serverHello, helloDone} {
		typ, msg, err := r.ReadMessage()
		require.NoError(t, err)
		assert.Equal(t, record.TypeHandshake, typ)
		assert.Equal(t, want, msg)
	}
	typ, msg, err := r.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, record.TypeChangeCipherSpec, typ)
	assert.Equal(t, []byte{1}, msg)
	r.SetReadPending(newGCM(t))
	require.NoError(t, r.ChangeReadCipherSpec())

	typ, msg, err = r.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, record.TypeHandshake, typ)
	assert.Equal(t, finished, msg)
	typ, msg, err = r.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, record.TypeApplicationData, typ)
	assert.Equal(t, []byte("secret data"), msg)
	_, _, err = r.ReadMessage()
	assert.Equal(t, io.EOF, err)

	// The reader saw the same records, numbered the same way, with the
	// same wire bytes and plaintexts.
	require.Len(t, received, len(sent))
	for i := range sent {
		assert.False(t, received[i].Sent)
		assert.Equal(t, sent[i].Seq, received[i].Seq, "record %d", i)
		assert.Equal(t, sent[i].Type, received[i].Type)
		assert.Equal(t, sent[i].Wire, received[i].Wire, "record %d", i)
		assert.Equal(t, sent[i].Plaintext, received[i].Plaintext, "record %d", i)
	}
}

// TestBadRecordMAC: any tampering with a protected record, including
// moving it in the stream (the sequence number is authenticated), is
// bad_record_mac, and the cause stays reachable as cipher.ErrBadRecordMAC.
func TestBadRecordMAC(t *testing.T) {
	seal := func(t *testing.T, records int) []byte {
		var wire bytes.Buffer
		w := record.NewConn(nil, &wire)
		w.SetWriteVersion(record.VersionTLS12)
		w.SetWritePending(newGCM(t))
		w.SetBuffering(true)
		require.NoError(t, w.ChangeWriteCipherSpec())
		for i := 0; i < records; i++ {
			_, err := w.WriteRecord(record.TypeApplicationData, []byte("attack at dawn"))
			require.NoError(t, err)
		}
		require.NoError(t, w.Flush())
		return wire.Bytes()[6:] // drop the CCS record: readers below switch by hand
	}
	flip := func(at int) func([]byte) []byte {
		return func(b []byte) []byte { b = bytes.Clone(b); b[at] ^= 0x01; return b }
	}
	tests := []struct {
		name    string
		records int
		mangle  func([]byte) []byte
		good    int // records that must still read fine
	}{
		{"flipped bit in the ciphertext", 1, flip(record.RecordHeaderLen + 10), 0},
		{"flipped bit in the tag", 1, func(b []byte) []byte { return flip(len(b) - 1)(b) }, 0},
		{"flipped bit in the explicit nonce", 1, flip(record.RecordHeaderLen), 0},
		{"content type changed in the header", 1, func(b []byte) []byte {
			b = bytes.Clone(b)
			b[0] = byte(record.TypeHandshake)
			return b
		}, 0},
		{"records swapped", 2, func(b []byte) []byte {
			n := len(b) / 2
			return concat(b[n:], b[:n])
		}, 0},
		{"record replayed", 1, func(b []byte) []byte { return concat(b, b) }, 1},
		{"too short for a tag", 1, func(b []byte) []byte {
			return tls12(record.TypeApplicationData, []byte{1, 2, 3})
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := readerConn(tt.mangle(seal(t, tt.records)))
			r.SetReadPending(newGCM(t))
			require.NoError(t, r.ChangeReadCipherSpec())
			for i := 0; i < tt.good; i++ {
				_, msg, err := r.ReadMessage()
				require.NoError(t, err)
				assert.Equal(t, []byte("attack at dawn"), msg)
			}
			_, _, err := r.ReadMessage()
			ae := alertOf(t, err)
			assert.Equal(t, record.AlertBadRecordMAC, ae.Description)
			assert.False(t, ae.Remote)
			assert.ErrorIs(t, err, cipher.ErrBadRecordMAC)
			_, _, again := r.ReadMessage()
			assert.Same(t, err, again)
		})
	}
}

func TestChangeReadCipherSpecRefusals(t *testing.T) {
	tests := []struct {
		name    string
		wire    []byte
		reads   int
		pending bool
	}{
		{"no pending protection", tls12(record.TypeChangeCipherSpec, ccsPayload), 1, false},
		{"whole message not yet returned", tls12(record.TypeHandshake, concat(helloDone, helloDone)), 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := readerConn(tt.wire)
			for i := 0; i < tt.reads; i++ {
				_, _, err := r.ReadMessage()
				require.NoError(t, err)
			}
			if tt.pending {
				r.SetReadPending(newGCM(t))
			}
			err := r.ChangeReadCipherSpec()
			ae := alertOf(t, err)
			assert.Equal(t, record.AlertUnexpectedMessage, ae.Description)
			_, _, again := r.ReadMessage()
			assert.Same(t, err, again, "the failure is sticky")
		})
	}
}

func TestChangeWriteCipherSpecWithoutPending(t *testing.T) {
	w := &countingWriter{}
	c := record.NewConn(nil, w)
	err := c.ChangeWriteCipherSpec()
	ae := alertOf(t, err)
	assert.Equal(t, record.AlertInternalError, ae.Description)
	assert.Empty(t, w.writes)
	_, again := c.WriteRecord(record.TypeApplicationData, []byte("x"))
	assert.Same(t, err, again)
}

func TestChangeCipherSpecTwice(t *testing.T) {
	// A renegotiation-like second switch: the second pending protection
	// takes over and sequence numbers restart again.
	var wire bytes.Buffer
	w := record.NewConn(nil, &wire)
	for i := 0; i < 2; i++ {
		w.SetWritePending(newGCM(t))
		require.NoError(t, w.ChangeWriteCipherSpec())
		_, err := w.WriteRecord(record.TypeApplicationData, []byte{byte('a' + i)})
		require.NoError(t, err)
	}
	r := readerConn(wire.Bytes())
	for i := 0; i < 2; i++ {
		typ, _, err := r.ReadMessage()
		require.NoError(t, err)
		require.Equal(t, record.TypeChangeCipherSpec, typ)
		r.SetReadPending(newGCM(t))
		require.NoError(t, r.ChangeReadCipherSpec())
		_, msg, err := r.ReadMessage()
		require.NoError(t, err)
		assert.Equal(t, []byte{byte('a' + i)}, msg)
	}
}
