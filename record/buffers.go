package record

import "sync"

// recordBufferSize holds the largest record on the wire.
const recordBufferSize = RecordHeaderLen + MaxCiphertext

// recordBuffers lends out record-sized buffers, so that a connection holds
// its 18 KiB read and write buffers only while it uses them (performance:
// an idle connection after its handshake holds neither, and a short-lived
// connection reuses the buffers of the previous one instead of allocating
// and zeroing its own). crypto/tls pools its write buffers the same way.
//
// This is the package's one piece of shared state. It is a cache, not
// state: what a connection does never depends on which buffer it got, and
// every buffer is overwritten before it is read.
var recordBuffers = sync.Pool{
	New: func() any { return new([recordBufferSize]byte) },
}

// getRecordBuffer borrows a buffer of recordBufferSize bytes.
func getRecordBuffer() []byte {
	return recordBuffers.Get().(*[recordBufferSize]byte)[:]
}

// putRecordBuffer returns a buffer from getRecordBuffer. One that append
// has since replaced by a larger array (a long buffered flight) is left to
// the garbage collector: only the original arrays go back.
func putRecordBuffer(b []byte) {
	if cap(b) != recordBufferSize {
		return
	}
	recordBuffers.Put((*[recordBufferSize]byte)(b[:recordBufferSize]))
}

// ReleaseIdleBuffers gives back the memory the connection does not need
// while idle: the read buffer if no received bytes wait in it, the write
// buffer if no records wait in it, and the handshake reassembly buffer if
// no handshake bytes wait in it. The next read or write borrows again.
// The handshake layer calls it when the handshake is over (an idle
// connection then holds no record buffers); it must not run concurrently
// with a read or a write, and slices returned by ReadMessage before it are
// no longer valid.
func (c *Conn) ReleaseIdleBuffers() {
	c.in.releaseIdle()
	c.out.releaseIdle()
}

func (in *readHalf) releaseIdle() {
	if in.buf != nil && in.start == in.end {
		putRecordBuffer(in.buf)
		in.buf, in.start, in.end = nil, 0, 0
	}
	if !in.handshakePending() {
		in.hs, in.hsOff = nil, 0
	}
}

func (out *writeHalf) releaseIdle() {
	if out.buf != nil && len(out.buf) == 0 {
		putRecordBuffer(out.buf)
		out.buf = nil
	}
}
