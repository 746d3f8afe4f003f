package record

import "io"

// Conn frames records over an underlying transport. One goroutine may read
// while another writes: the read half and the write half share no mutable
// state (the caller serialises readers among themselves and writers among
// themselves).
//
// Both directions start with cipher.NullProtection: RFC 5246, 6.1, "the
// initial current state always specifies that no encryption, compression,
// or MAC will be used".
type Conn struct {
	in  readHalf
	out writeHalf
}

// NewConn returns a Conn that reads records from r and writes them to w
// (usually both the same net.Conn). The write version starts as
// VersionTLS10 and the read version as 0 (accept any 3.x).
func NewConn(r io.Reader, w io.Writer) *Conn {
	c := &Conn{}
	c.in.init(r)
	c.out.init(w)
	return c
}

// SetReadVersion fixes the version every received record must carry; a
// record with another version is answered with protocol_version. While the
// read version is 0 (the default, before ServerHello has settled it), any
// {3, x} is accepted. Records whose major version is not 3 are always
// refused with protocol_version: they are not SSL/TLS at all (OpenSSL
// reports "wrong version number" with the same alert). Call it only from
// the reading goroutine.
func (c *Conn) SetReadVersion(v uint16) {
	c.in.version = v
}

// SetWriteVersion sets the version written into every record header we
// send. It defaults to VersionTLS10 so that the first ClientHello passes
// middleboxes that drop records with newer versions, as OpenSSL and Go do
// (RFC 5246, Appendix E.1 allows any {03,XX} there). Call it only from the
// writing goroutine.
func (c *Conn) SetWriteVersion(v uint16) {
	c.out.version = v
}

// RecordEvent describes one record as it crossed the wire, for tracing.
type RecordEvent struct {
	// Sent is true for records we wrote, false for records we read.
	Sent bool
	// Type and Version are the record header's fields.
	Type    ContentType
	Version uint16
	// Seq is the sequence number the record was protected with.
	Seq uint64
	// Wire is the whole record as on the wire (header + protected
	// fragment). Valid only during the call.
	Wire []byte
	// Plaintext is the fragment before protection (sent) or after opening
	// (received). Valid only during the call.
	Plaintext []byte
}

// SetObserver installs f to be called for every record sent or received,
// after protection is removed or before it is applied; nil turns tracing
// off. Install it before reading or writing starts: both halves use it.
func (c *Conn) SetObserver(f func(RecordEvent)) {
	c.in.observer = f
	c.out.observer = f
}
