package record

// Dynamic record sizing. A receiver can use no byte of a record before all
// of it has arrived and been authenticated, so on a slow link one 16 KiB
// record delays the first byte by the time 16 KiB take to arrive. When it
// is on, the first application data records are made to fit one TCP
// segment and grow from there, as crypto/tls does: the first byte arrives
// after one segment, and bulk transfers reach full-size records (fewest
// per-record costs) after recordSizeBoostThreshold bytes.
const (
	// tcpMSSEstimate is a conservative TCP payload per segment (crypto/tls
	// uses the same value): it fits paths with IPv6 and tunnel headers.
	tcpMSSEstimate = 1208
	// recordSizeBoostThreshold is how many bytes of application data go
	// out before every record is full size.
	recordSizeBoostThreshold = 128 << 10
)

// SetDynamicRecordSizing turns dynamic record sizing on or off (off by
// default: every record carries up to MaxPlaintext bytes). Call it from the
// writing goroutine.
func (c *Conn) SetDynamicRecordSizing(on bool) {
	c.out.dynamicSizing = on
}

// maxFragment is the largest plaintext the next record of type typ may
// carry: MaxPlaintext, or with dynamic sizing a first application data
// record of one segment, the next of two, and so on.
func (out *writeHalf) maxFragment(typ ContentType) int {
	if !out.dynamicSizing || typ != TypeApplicationData || out.bytesSent >= recordSizeBoostThreshold {
		return MaxPlaintext
	}
	perSegment := tcpMSSEstimate - RecordHeaderLen - out.current.MaxOverhead()
	out.recordsSent++
	return min(perSegment*out.recordsSent, MaxPlaintext)
}
