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
