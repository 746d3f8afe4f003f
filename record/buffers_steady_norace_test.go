//go:build !race

package record_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/record"
)

// TestPooledSteadyStateAllocs: borrowing buffers from a BufferPool for
// every write and read costs no allocation once the pool holds them.
//
// The race detector makes sync.Pool drop items at random on purpose, so
// this file is built only without it (see the build line), and .ci/run
// runs it in a second, race-free `go test` after the main one.
func TestPooledSteadyStateAllocs(t *testing.T) {
	pool := record.NewBufferPool()
	data := bytes.Repeat([]byte("z"), 1400)
	var wire bytes.Buffer
	w := record.NewConn(nil, &wire)
	w.SetBufferPool(pool)
	w.SetWritePending(newGCM(t))
	require.NoError(t, w.ChangeWriteCipherSpec())
	for i := 0; i < allocRuns+2; i++ {
		_, err := w.WriteRecord(record.TypeApplicationData, data)
		require.NoError(t, err)
	}
	r := record.NewConn(bytes.NewReader(wire.Bytes()), io.Discard)
	r.SetBufferPool(pool)
	typ, _, err := r.ReadMessage() // the first read borrows
	require.NoError(t, err)
	require.Equal(t, record.TypeChangeCipherSpec, typ)
	r.SetReadPending(newGCM(t))
	require.NoError(t, r.ChangeReadCipherSpec())

	w = record.NewConn(nil, io.Discard)
	w.SetBufferPool(pool)
	w.SetWritePending(newGCM(t))
	require.NoError(t, w.ChangeWriteCipherSpec())
	assert.Zero(t, testing.AllocsPerRun(allocRuns, func() {
		if _, err := w.WriteRecord(record.TypeApplicationData, data); err != nil {
			t.Fatal(err)
		}
	}), "write")
	assert.Zero(t, testing.AllocsPerRun(allocRuns, func() {
		if _, msg, err := r.ReadMessage(); err != nil || len(msg) != len(data) {
			t.Fatal(err, len(msg))
		}
		r.ReleaseIdleBuffers()
	}), "read")
}
