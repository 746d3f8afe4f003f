package record

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBufferPoolLendsOnlyWhileInUse: with a pool, a connection gives its
// write buffer back after every unbuffered write and its read buffer on
// ReleaseIdleBuffers when nothing is left in it; without one it keeps both.
func TestBufferPoolLendsOnlyWhileInUse(t *testing.T) {
	for _, tc := range []struct {
		name      string
		pool      *BufferPool
		wantEmpty bool
	}{
		{"pool", NewBufferPool(), true},
		{"no pool", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var wire bytes.Buffer
			w := NewConn(nil, &wire)
			w.SetBufferPool(tc.pool)
			_, err := w.WriteRecord(TypeApplicationData, []byte("one"))
			require.NoError(t, err)
			assert.Equal(t, tc.wantEmpty, w.out.buf == nil, "write buffer after an unbuffered write")

			// A buffered flight keeps its buffer until it is flushed.
			w.SetBuffering(true)
			_, err = w.WriteRecord(TypeApplicationData, []byte("two"))
			require.NoError(t, err)
			assert.NotNil(t, w.out.buf, "write buffer while a flight waits")
			require.NoError(t, w.Flush())
			w.ReleaseIdleBuffers()
			assert.Equal(t, tc.wantEmpty, w.out.buf == nil, "write buffer after the flight")

			// Two records arrive in one read: the read buffer is kept
			// while the second waits in it.
			r := NewConn(bytes.NewReader(wire.Bytes()), io.Discard)
			r.SetBufferPool(tc.pool)
			_, msg, err := r.ReadMessage()
			require.NoError(t, err)
			require.Equal(t, []byte("one"), msg)
			r.ReleaseIdleBuffers()
			assert.NotNil(t, r.in.buf, "read buffer with a record still in it")
			_, msg, err = r.ReadMessage()
			require.NoError(t, err)
			require.Equal(t, []byte("two"), msg)
			r.ReleaseIdleBuffers()
			assert.Equal(t, tc.wantEmpty, r.in.buf == nil, "read buffer once drained")
		})
	}
}

// TestBufferPoolNotGrownBuffers: a flight longer than one buffer grows the
// write buffer past the record size; that array is not pooled, so every
// buffer a pool lends has the record size.
func TestBufferPoolNotGrownBuffers(t *testing.T) {
	pool := NewBufferPool()
	pool.put(make([]byte, 0, 2*recordBufferSize))
	assert.Len(t, pool.get(), recordBufferSize)
	var nilPool *BufferPool
	assert.Len(t, nilPool.get(), recordBufferSize)
	nilPool.put(make([]byte, recordBufferSize)) // no-op, no panic
}

// sizeRecordingReader records the size of every buffer Read is given.
type sizeRecordingReader struct {
	r     io.Reader
	sizes []int
}

func (s *sizeRecordingReader) Read(p []byte) (int, error) {
	s.sizes = append(s.sizes, len(p))
	return s.r.Read(p)
}

// TestIdleReadWaitsWithoutBuffer: once ReleaseIdleBuffers has given the
// read buffer back, the next read waits for the peer in the small waitBuf,
// not in a borrowed 36 KiB buffer (issue 17: 10,000 idle connections each
// pinned one), and what arrives there, one small record, a record larger
// than waitBuf, or several records at once, reads the same as ever.
func TestIdleReadWaitsWithoutBuffer(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 3*idleReadSize)
	for _, tc := range []struct {
		name     string
		messages [][]byte
	}{
		{"one small record", [][]byte{[]byte("GET / HTTP/1.1\r\n\r\n")}},
		{"a record larger than waitBuf", [][]byte{big}},
		{"several records in one read", [][]byte{[]byte("a"), big, []byte("b")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var wire bytes.Buffer
			w := NewConn(nil, &wire)
			for _, m := range tc.messages {
				_, err := w.WriteRecord(TypeApplicationData, m)
				require.NoError(t, err)
			}
			reader := &sizeRecordingReader{r: &wire}
			r := NewConn(reader, io.Discard)
			r.SetBufferPool(NewBufferPool())
			r.ReleaseIdleBuffers() // as at the end of a handshake
			require.Nil(t, r.in.buf)
			for _, want := range tc.messages {
				_, msg, err := r.ReadMessage()
				require.NoError(t, err)
				require.Equal(t, want, msg)
			}
			require.NotEmpty(t, reader.sizes)
			assert.Equal(t, idleReadSize, reader.sizes[0], "the first read waits in waitBuf")
			_, _, err := r.ReadMessage()
			assert.Error(t, err, "the stream ends")
		})
	}
}

// TestBulkReadTakesTwoRecordsPerRead: a bulk stream of full records, read
// after the handshake, costs about one call to the transport per two
// records, not one per record (issue 17: glasstls made twice crypto/tls's
// read calls), and the buffer it ends with is the two-record one.
func TestBulkReadTakesTwoRecordsPerRead(t *testing.T) {
	full := bytes.Repeat([]byte("y"), MaxPlaintext)
	const records = 8
	var wire bytes.Buffer
	w := NewConn(nil, &wire)
	for range records {
		_, err := w.WriteRecord(TypeApplicationData, full)
		require.NoError(t, err)
	}
	reader := &sizeRecordingReader{r: &wire}
	r := NewConn(reader, io.Discard)
	pool := NewBufferPool()
	r.SetBufferPool(pool)
	r.ReleaseIdleBuffers() // as at the end of a handshake
	for range records {
		_, msg, err := r.ReadMessage()
		require.NoError(t, err)
		require.Equal(t, full, msg)
	}
	assert.LessOrEqual(t, len(reader.sizes), records/2+1, "reads for %d full records: %v", records, reader.sizes)
	assert.Len(t, r.in.buf, readBufferSize)
	r.ReleaseIdleBuffers()
	assert.Len(t, pool.getRead(), readBufferSize, "the two-record buffer went back to its pool")
}

// TestSmallRecordsStayInWaitBuf: after the handshake, records that fit the
// 512-byte waitBuf are read from it and no record buffer is borrowed; a
// record that does not fit moves what is there into a borrowed buffer.
func TestSmallRecordsStayInWaitBuf(t *testing.T) {
	var wire bytes.Buffer
	w := NewConn(nil, &wire)
	small := [][]byte{[]byte("ping"), bytes.Repeat([]byte("p"), 300), []byte("pong")}
	for _, m := range small {
		_, err := w.WriteRecord(TypeApplicationData, m)
		require.NoError(t, err)
	}
	r := NewConn(&wire, io.Discard)
	r.SetBufferPool(NewBufferPool())
	r.ReleaseIdleBuffers()
	for _, want := range small {
		_, msg, err := r.ReadMessage()
		require.NoError(t, err)
		require.Equal(t, want, msg)
		assert.Len(t, r.in.buf, idleReadSize, "still reading out of waitBuf")
	}
	big := bytes.Repeat([]byte("b"), 2*idleReadSize)
	_, err := w.WriteRecord(TypeApplicationData, big)
	require.NoError(t, err)
	_, msg, err := r.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, big, msg)
	assert.Len(t, r.in.buf, readBufferSize, "a record larger than waitBuf borrowed a buffer")
}
