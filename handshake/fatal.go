package handshake

// setFatal records err, a fatal alert sent or received after the
// handshake, as the end of the connection (RFC 5246, 7.2.2: "the
// connection MUST be closed"), unless an earlier one is recorded. It
// returns the recorded error, so that every later Read and Write returns
// the very same error, whichever goroutine saw it first.
func (c *Conn) setFatal(err error) error {
	c.fatalMu.Lock()
	defer c.fatalMu.Unlock()
	if c.fatalErr == nil {
		c.fatalErr = err
	}
	return c.fatalErr
}

// fatal returns the error recorded by setFatal, or nil.
func (c *Conn) fatal() error {
	c.fatalMu.Lock()
	defer c.fatalMu.Unlock()
	return c.fatalErr
}
