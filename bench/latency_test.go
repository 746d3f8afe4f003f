package bench

import (
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// throttledConn is a slow link: once enabled, it lets written bytes
// through at linkRate, in linkChunk-sized pieces.
type throttledConn struct {
	net.Conn
	on atomic.Bool
}

const (
	linkRate  = 1 << 20 // bytes per second: 8 Mbit/s
	linkChunk = 512
)

func (t *throttledConn) Write(p []byte) (int, error) {
	if !t.on.Load() {
		return t.Conn.Write(p)
	}
	written := 0
	for written < len(p) {
		chunk := p[written:min(written+linkChunk, len(p))]
		time.Sleep(time.Duration(len(chunk)) * time.Second / linkRate)
		n, err := t.Conn.Write(chunk)
		written += n
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// BenchmarkTimeToFirstByte is the time from a 16 KiB Write on a fresh
// connection until the peer's Read returns the first byte, over an 8
// Mbit/s link: a receiver can use no byte of a record before the whole
// record has arrived and been authenticated, so smaller first records
// mean a sooner first byte. ns/op is that time; the handshake before it is
// not counted.
func BenchmarkTimeToFirstByte(b *testing.B) {
	p := loadPKI(b)
	for _, who := range impls {
		b.Run(string(who), func(b *testing.B) {
			data := make([]byte, ioSize)
			var total time.Duration
			for i := 0; i < b.N; i++ {
				a, z := net.Pipe()
				link := &throttledConn{Conn: a}
				cl, sv := connectedPair(b, p, who, kexCases[3], link, z)
				_ = a.SetDeadline(time.Now().Add(timeout))
				_ = z.SetDeadline(time.Now().Add(timeout))
				link.on.Store(true)

				firstByte := make(chan time.Time, 1)
				readErr := make(chan error, 1)
				go func() {
					buf := make([]byte, ioSize)
					n, err := sv.Read(buf[:1])
					firstByte <- time.Now()
					if err == nil {
						_, err = io.ReadFull(sv, buf[n:])
					}
					readErr <- err
				}()
				start := time.Now()
				if _, err := cl.Write(data); err != nil {
					b.Fatal(err)
				}
				total += (<-firstByte).Sub(start)
				if err := <-readErr; err != nil {
					b.Fatal(err)
				}
				a.Close()
				z.Close()
			}
			b.ReportMetric(float64(total.Nanoseconds())/float64(b.N), "ns/op")
		})
	}
}
