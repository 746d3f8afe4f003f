package handshake

import "github.com/glasstls/glasstls/record"

// bufferPool returns the pool of record buffers shared by the connections
// of this Config, making it on first use. It lives with the Config, like
// the session cache, because there is no package state: connections of one
// Config reuse each other's buffers, and dropping the Config drops them.
// Two connections racing here agree on one pool: CompareAndSwap lets only
// the first one in.
func (c *Config) bufferPool() *record.BufferPool {
	if p, ok := c.recordBuffers.Load().(*record.BufferPool); ok {
		return p
	}
	p := record.NewBufferPool()
	if c.recordBuffers.CompareAndSwap(nil, p) {
		return p
	}
	return c.recordBuffers.Load().(*record.BufferPool)
}
