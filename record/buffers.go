package record

import "sync"

// recordBufferSize holds the largest record on the wire.
const recordBufferSize = RecordHeaderLen + MaxCiphertext

// readBufferSize is two records, the read buffer of a connection whose
// records outgrow one record's buffer. Performance: the read half asks the
// transport for as much as fits, so with room for one record only a bulk
// stream of full records costs a read call per record (the next record's
// head has to be moved to the front and the rest read into what is left);
// with room for two, one read usually brings two. crypto/tls's input
// buffer grows past one record for the same reason. Writes stay one record
// per call, as in crypto/tls. The handshake reads with one record's buffer
// (pool misses then stay small allocations) and an idle connection with
// none; only a stream that needs it gets this one.
const readBufferSize = 2 * recordBufferSize

// BufferPool lends record buffers to the Conns that share it, so that a
// connection holds its read buffer (one record, or two for a bulk stream)
// and its write buffer (one record) only while it uses them (performance:
// an idle connection holds neither, and a new connection reuses the
// buffers of an old one instead of allocating and zeroing its own). crypto/tls pools its write buffers the same way.
//
// The pool belongs to its caller, not to this package: the handshake layer
// keeps one per Config, so connections made from one Config share buffers
// and dropping the Config drops its buffers. What a connection does never
// depends on which buffer it got: every buffer is overwritten before it is
// read.
//
// The zero value is an empty pool ready to use. It is safe for concurrent
// use and must not be copied after first use.
type BufferPool struct {
	pool     sync.Pool // one-record buffers, *[recordBufferSize]byte: a pointer, so Put does not allocate
	readPool sync.Pool // two-record read buffers, *[readBufferSize]byte
}

// NewBufferPool returns an empty pool.
func NewBufferPool() *BufferPool { return new(BufferPool) }

// getRead borrows a read buffer of readBufferSize bytes, as get does.
func (p *BufferPool) getRead() []byte {
	if p != nil {
		if b, ok := p.readPool.Get().(*[readBufferSize]byte); ok {
			return b[:]
		}
	}
	return new([readBufferSize]byte)[:]
}

// putRead returns a buffer from getRead.
func (p *BufferPool) putRead(b []byte) {
	if p == nil || cap(b) != readBufferSize {
		return
	}
	p.readPool.Put((*[readBufferSize]byte)(b[:readBufferSize]))
}

// get borrows a buffer of recordBufferSize bytes, allocating one if the
// pool is empty (or nil: a Conn without a pool owns its buffers).
func (p *BufferPool) get() []byte {
	if p != nil {
		if b, ok := p.pool.Get().(*[recordBufferSize]byte); ok {
			return b[:]
		}
	}
	return new([recordBufferSize]byte)[:]
}

// put returns a buffer from get. One that append has since replaced by a
// larger array (a long buffered flight) is left to the garbage collector:
// only the original arrays go back.
func (p *BufferPool) put(b []byte) {
	if p == nil || cap(b) != recordBufferSize {
		return
	}
	p.pool.Put((*[recordBufferSize]byte)(b[:recordBufferSize]))
}

// SetBufferPool makes the Conn borrow its read and write buffers from p and
// give them back whenever they are empty: after every write that is not
// buffered, and on ReleaseIdleBuffers. Without a pool (the default) the
// Conn allocates its own buffers on first use and keeps them. Call it
// before the first read or write: both halves use it.
func (c *Conn) SetBufferPool(p *BufferPool) {
	c.in.pool = p
	c.out.pool = p
}

// ReleaseIdleBuffers gives back the memory the connection does not need
// while idle: the read buffer if no received bytes wait in it, the write
// buffer if no records wait in it, and the handshake reassembly buffer if
// no handshake bytes wait in it. The next read or write borrows again.
// Without a buffer pool the record buffers are kept (they would only be
// allocated again). The handshake layer calls it when the handshake is
// over; it must not run concurrently with a read or a write, and slices
// returned by ReadMessage before it are no longer valid.
func (c *Conn) ReleaseIdleBuffers() {
	c.in.releaseIdle()
	c.out.releaseIdle()
}

func (in *readHalf) releaseIdle() {
	if in.pool != nil && in.start == in.end {
		in.giveBack()
		in.buf, in.start, in.end = nil, 0, 0
		in.waitSmall = true
	}
	if !in.handshakePending() {
		in.hs, in.hsOff = nil, 0
	}
}

// giveBack returns the read buffer to the pool it came from (by its size);
// waitBuf and buffers from no pool are ignored.
func (in *readHalf) giveBack() {
	switch cap(in.buf) {
	case recordBufferSize:
		in.pool.put(in.buf)
	case readBufferSize:
		in.pool.putRead(in.buf)
	}
}

func (out *writeHalf) releaseIdle() {
	if out.pool != nil && out.buf != nil && len(out.buf) == 0 {
		out.pool.put(out.buf)
		out.buf = nil
	}
}
