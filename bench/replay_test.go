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

// replayer runs the measured side's handshake against recorded flights.
type replayer struct {
	c        kexCase
	isClient bool
	cfg      any // the measured side's, kept: it may hold session state
	flights  []byte
	conn     replayConn
}

// newReplayer handshakes impl who (as client or server) with a live
// glasstls peer and records what who read: the peer's flights. For a
// resumption case a first, unrecorded, full handshake gives both sides
// the session the recorded one resumes.
func newReplayer(tb testing.TB, p *pki, who impl, c kexCase, isClient bool) *replayer {
	tb.Helper()
	r := &replayer{c: c, isClient: isClient, cfg: p.config(who, c, isClient, measuredRand)}
	peerCfg := p.config(glass, c, !isClient, peerRand)
	rounds := 1
	if c.resume != "" {
		rounds = 2
	}
	for i := range rounds {
		mine, theirs := net.Pipe()
		_ = mine.SetDeadline(time.Now().Add(timeout))
		_ = theirs.SetDeadline(time.Now().Add(timeout))
		rec := &recordingConn{Conn: mine}
		measured := wrap(isClient, rec, r.cfg)
		handshakeBoth(tb, measured, wrap(!isClient, theirs, peerCfg))
		mine.Close()
		theirs.Close()
		if i == rounds-1 {
			require.Equal(tb, c.resume != "", didResume(measured), "resumed")
			r.flights = bytes.Clone(rec.read.Bytes())
		}
	}
	return r
}

// once runs one handshake of the measured side.
func (r *replayer) once() error {
	r.conn.in.Reset(r.flights)
	conn := wrap(r.isClient, &r.conn, r.cfg)
	if err := conn.HandshakeContext(context.Background()); err != nil {
		return err
	}
	if r.conn.in.Len() != 0 {
		return fmt.Errorf("%d recorded bytes left unread", r.conn.in.Len())
	}
	if didResume(conn) != (r.c.resume != "") {
		return fmt.Errorf("resumed: %v, want %v", didResume(conn), r.c.resume != "")
	}
	return nil
}

// TestReplayIsValid checks, for every case, that a replayed handshake
// completes: without it the benchmarks below would measure a failure.
func TestReplayIsValid(t *testing.T) {
	p := loadPKI(t)
	for _, c := range append(kexCases, resumeCases...) {
		for _, who := range implsFor(c) {
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

func benchmarkHandshake(b *testing.B, cases []kexCase, isClient bool) {
	p := loadPKI(b)
	for _, c := range cases {
		for _, who := range implsFor(c) {
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
func BenchmarkServerHandshake(b *testing.B) { benchmarkHandshake(b, kexCases, server) }

// BenchmarkClientHandshake is the client's CPU for one full handshake,
// certificate verification included.
func BenchmarkClientHandshake(b *testing.B) { benchmarkHandshake(b, kexCases, client) }

// BenchmarkServerResume is the server's CPU for one abbreviated handshake.
func BenchmarkServerResume(b *testing.B) { benchmarkHandshake(b, resumeCases, server) }

// BenchmarkClientResume is the client's CPU for one abbreviated handshake.
func BenchmarkClientResume(b *testing.B) { benchmarkHandshake(b, resumeCases, client) }

var _ io.Reader = (*replayConn)(nil)
