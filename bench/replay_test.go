package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// timeout bounds every wait in this package's tests and benchmarks.
const timeout = 30 * time.Second

// How the handshake benchmarks measure one side only: the measured side
// (say a crypto/tls server) first handshakes once with a live glasstls
// peer while everything it reads is recorded. Then, every iteration, a
// fresh measured side with the same constant Config.Rand is given those
// recorded bytes to read and a transport that discards what it writes. As
// it draws the same randomness it sends the same messages, so the peer's
// recorded Finished still matches the transcript and the handshake
// completes without a peer doing any work: ns/op and allocs/op are the
// measured side's alone.

// recordingConn remembers every byte read through it.
type recordingConn struct {
	net.Conn
	read bytes.Buffer
}

func (r *recordingConn) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	r.read.Write(p[:n])
	return n, err
}

// replayConn is a transport that plays back recorded bytes and discards
// writes.
type replayConn struct {
	in bytes.Reader
}

func (r *replayConn) Read(p []byte) (int, error)       { return r.in.Read(p) }
func (r *replayConn) Write(p []byte) (int, error)      { return len(p), nil }
func (r *replayConn) Close() error                     { return nil }
func (r *replayConn) LocalAddr() net.Addr              { return dummyAddr{} }
func (r *replayConn) RemoteAddr() net.Addr             { return dummyAddr{} }
func (r *replayConn) SetDeadline(time.Time) error      { return nil }
func (r *replayConn) SetReadDeadline(time.Time) error  { return nil }
func (r *replayConn) SetWriteDeadline(time.Time) error { return nil }

type dummyAddr struct{}

func (dummyAddr) Network() string { return "replay" }
func (dummyAddr) String() string  { return "replay" }

// The measured side and its peer draw different (constant) randomness.
const (
	measuredRand fixedRand = 0x42
	peerRand     fixedRand = 0x5a
)

// recordPeerFlights handshakes impl who (as client or server) with a live
// glasstls peer and returns what who read: the peer's flights.
func recordPeerFlights(tb testing.TB, p *pki, who impl, c kexCase, isClient bool) []byte {
	tb.Helper()
	mine, theirs := net.Pipe()
	defer mine.Close()
	defer theirs.Close()
	_ = mine.SetDeadline(time.Now().Add(timeout))
	_ = theirs.SetDeadline(time.Now().Add(timeout))
	rec := &recordingConn{Conn: mine}
	measured := p.newConn(who, c, isClient, rec, measuredRand)
	peer := p.newConn(glass, c, !isClient, theirs, peerRand)
	handshakeBoth(tb, measured, peer)
	return bytes.Clone(rec.read.Bytes())
}

// replayer runs the measured side's handshake against recorded flights.
type replayer struct {
	p        *pki
	who      impl
	c        kexCase
	isClient bool
	flights  []byte
	conn     replayConn
}

func newReplayer(tb testing.TB, p *pki, who impl, c kexCase, isClient bool) *replayer {
	return &replayer{p: p, who: who, c: c, isClient: isClient,
		flights: recordPeerFlights(tb, p, who, c, isClient)}
}

// once runs one full handshake of the measured side.
func (r *replayer) once() error {
	r.conn.in.Reset(r.flights)
	conn := r.p.newConn(r.who, r.c, r.isClient, &r.conn, measuredRand)
	if err := conn.HandshakeContext(context.Background()); err != nil {
		return err
	}
	if r.conn.in.Len() != 0 {
		return fmt.Errorf("%d recorded bytes left unread", r.conn.in.Len())
	}
	return nil
}

// TestReplayIsValid checks, for every case, that a replayed handshake
// completes: without it the benchmarks below would measure a failure.
func TestReplayIsValid(t *testing.T) {
	p := loadPKI(t)
	for _, c := range kexCases {
		for _, who := range impls {
			for _, isClient := range []bool{server, client} {
				t.Run(fmt.Sprintf("%s/%s/client=%v", c.name, who, isClient), func(t *testing.T) {
					r := newReplayer(t, p, who, c, isClient)
					require.NoError(t, r.once())
					require.NoError(t, r.once(), "a second replay must work as well")
				})
			}
		}
	}
}

// TestReplayDetectsTampering checks that the replay really authenticates:
// with one bit of the recorded flights flipped, the handshake fails.
func TestReplayDetectsTampering(t *testing.T) {
	p := loadPKI(t)
	for _, who := range impls {
		t.Run(string(who), func(t *testing.T) {
			r := newReplayer(t, p, who, kexCases[1], server)
			r.flights[len(r.flights)-1] ^= 1 // inside the client's Finished record
			require.Error(t, r.once())
		})
	}
}

func benchmarkHandshake(b *testing.B, isClient bool) {
	p := loadPKI(b)
	for _, c := range kexCases {
		for _, who := range impls {
			b.Run(c.name+"/"+string(who), func(b *testing.B) {
				r := newReplayer(b, p, who, c, isClient)
				if err := r.once(); err != nil { // warm up (and check) outside the timer
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := r.once(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkServerHandshake is the server's CPU for one full handshake.
func BenchmarkServerHandshake(b *testing.B) { benchmarkHandshake(b, server) }

// BenchmarkClientHandshake is the client's CPU for one full handshake,
// certificate verification included.
func BenchmarkClientHandshake(b *testing.B) { benchmarkHandshake(b, client) }

var _ io.Reader = (*replayConn)(nil)
