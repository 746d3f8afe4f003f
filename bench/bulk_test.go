package bench

import (
	"bytes"
	"crypto/aes"
	stdcipher "crypto/cipher"
	"errors"
	"io"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/glasstls/glasstls/cipher"
)

// bulkCases are the suites whose bulk cipher the throughput benchmarks
// compare. The key exchange is the same for all, and does not matter here.
var bulkCases = []kexCase{
	{name: "AES-128-GCM", suite: 0xc02f, curve: cipher.CurveX25519},       // ECDHE-RSA-AES128-GCM-SHA256
	{name: "AES-256-GCM", suite: 0xc030, curve: cipher.CurveX25519},       // ECDHE-RSA-AES256-GCM-SHA384
	{name: "ChaCha20-Poly1305", suite: 0xcca8, curve: cipher.CurveX25519}, // ECDHE-RSA-CHACHA20-POLY1305
	{name: "AES-128-CBC-SHA", suite: 0xc013, curve: cipher.CurveX25519, macThenEncrypt: true},
}

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(tb testing.TB) (net.Conn, net.Conn) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	a, err := net.DialTimeout("tcp", ln.Addr().String(), timeout)
	require.NoError(tb, err)
	b := <-accepted
	require.NotNil(tb, b)
	tb.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

// connectedPair handshakes who's client and server over the given
// transports.
func connectedPair(tb testing.TB, p *pki, who impl, c kexCase, clientRaw, serverRaw net.Conn) (tlsConn, tlsConn) {
	tb.Helper()
	cl := p.newConn(who, c, client, clientRaw, 0)
	sv := p.newConn(who, c, server, serverRaw, 0)
	handshakeBoth(tb, cl, sv)
	return cl, sv
}

const (
	echoTotal = 64 << 20 // bytes echoed per iteration
	echoWrite = 32 << 10 // bytes per Write call
)

// BenchmarkThroughput echoes 64 MiB over loopback TCP in 32 KiB writes:
// every byte is sealed and opened twice. MB/s counts the bytes sent.
func BenchmarkThroughput(b *testing.B) {
	p := loadPKI(b)
	for _, c := range bulkCases {
		for _, who := range impls {
			b.Run(c.name+"/"+string(who), func(b *testing.B) {
				clientRaw, serverRaw := tcpPair(b)
				cl, sv := connectedPair(b, p, who, c, clientRaw, serverRaw)
				echoDone := make(chan error, 1)
				go func() {
					buf := make([]byte, echoWrite)
					for {
						n, err := sv.Read(buf)
						if err != nil {
							echoDone <- err
							return
						}
						if _, err := sv.Write(buf[:n]); err != nil {
							echoDone <- err
							return
						}
					}
				}()
				out := make([]byte, echoWrite)
				in := make([]byte, echoWrite)
				b.SetBytes(echoTotal)
				for b.Loop() {
					_ = clientRaw.SetDeadline(time.Now().Add(timeout))
					_ = serverRaw.SetDeadline(time.Now().Add(timeout))
					writeErr := make(chan error, 1)
					go func() {
						for sent := 0; sent < echoTotal; sent += echoWrite {
							if _, err := cl.Write(out); err != nil {
								writeErr <- err
								return
							}
						}
						writeErr <- nil
					}()
					for got := 0; got < echoTotal; {
						n, err := cl.Read(in)
						if err != nil {
							b.Fatal(err)
						}
						got += n
					}
					if err := <-writeErr; err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				_ = cl.Close()
				if err := <-echoDone; err != nil && !errors.Is(err, io.EOF) {
					b.Fatal(err)
				}
			})
		}
	}
}

// BenchmarkSeal16K is the ceiling for bulk data: the raw AEAD sealing 16
// KiB in place (.../raw), beside glasstls's record layer writing one full
// record of the same suite to io.Discard (.../glasstls): what framing and
// buffering add on top of the cipher.
func BenchmarkSeal16K(b *testing.B) {
	for _, c := range bulkCases[:3] {
		suite, ok := cipher.SuiteByID(c.suite)
		require.True(b, ok)
		keys := cipher.Keys{Key: make([]byte, suite.KeyLen), IV: make([]byte, suite.FixedIVLen)}
		plaintext := make([]byte, 16<<10)
		b.Run(c.name+"/raw", func(b *testing.B) {
			var aead stdcipher.AEAD
			var err error
			if suite.Bulk == cipher.BulkChaCha20Poly1305 {
				aead, err = chacha20poly1305.New(keys.Key)
			} else {
				block, _ := aes.NewCipher(keys.Key)
				aead, err = stdcipher.NewGCM(block)
			}
			require.NoError(b, err)
			buf := make([]byte, len(plaintext)+aead.Overhead())
			nonce := make([]byte, aead.NonceSize())
			ad := make([]byte, 13)
			b.SetBytes(int64(len(plaintext)))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				nonce[len(nonce)-1] = byte(i) // a fresh nonce each time, as TLS does
				aead.Seal(buf[:0], nonce, buf[:len(plaintext)], ad)
			}
		})
		b.Run(c.name+"/glasstls", func(b *testing.B) {
			w := newRecordWriter(b, suite, keys)
			b.SetBytes(int64(len(plaintext)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := w.WriteRecord(23, plaintext); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// switchConn is a transport that, once the handshake is over, can be
// pointed at an in-memory reader and writer, so that steady-state
// allocations are those of the TLS connection alone, not of the network.
type switchConn struct {
	net.Conn
	mu sync.Mutex
	r  io.Reader
	w  io.Writer
}

func (s *switchConn) Read(p []byte) (int, error) {
	if r := s.reader(); r != nil {
		return r.Read(p)
	}
	return s.Conn.Read(p)
}

func (s *switchConn) Write(p []byte) (int, error) {
	if w := s.writer(); w != nil {
		return w.Write(p)
	}
	return s.Conn.Write(p)
}

func (s *switchConn) reader() io.Reader { s.mu.Lock(); defer s.mu.Unlock(); return s.r }
func (s *switchConn) writer() io.Writer { s.mu.Lock(); defer s.mu.Unlock(); return s.w }

func (s *switchConn) redirect(r io.Reader, w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r, s.w = r, w
}

// memPair is a connected pair whose transports have been redirected:
// writes by the client land in wire, which the server reads from.
func memPair(b *testing.B, p *pki, who impl) (cl, sv tlsConn, wire *bytes.Buffer) {
	a, z := net.Pipe()
	b.Cleanup(func() { a.Close(); z.Close() })
	ca, sz := &switchConn{Conn: a}, &switchConn{Conn: z}
	cl, sv = connectedPair(b, p, who, kexCases[3], ca, sz)
	wire = &bytes.Buffer{}
	ca.redirect(nil, wire)
	sz.redirect(wire, io.Discard)
	return cl, sv, wire
}

const ioSize = 16 << 10

// BenchmarkWrite16K is one 16 KiB Write in steady state, sent to an
// in-memory sink: allocs/op are the writer's alone.
func BenchmarkWrite16K(b *testing.B) {
	p := loadPKI(b)
	for _, who := range impls {
		b.Run(string(who), func(b *testing.B) {
			cl, _, wire := memPair(b, p, who)
			data := make([]byte, ioSize)
			// Past crypto/tls's first 128 KiB of small records, so both
			// send one full record per Write.
			for range 16 {
				_, err := cl.Write(data)
				require.NoError(b, err)
			}
			b.SetBytes(ioSize)
			b.ReportAllocs()
			for b.Loop() {
				wire.Reset()
				if _, err := cl.Write(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteRead16K is one 16 KiB Write and the Reads that receive it,
// in steady state, in memory: allocs/op are writer's plus reader's.
func BenchmarkWriteRead16K(b *testing.B) {
	p := loadPKI(b)
	for _, who := range impls {
		b.Run(string(who), func(b *testing.B) {
			cl, sv, _ := memPair(b, p, who)
			data := make([]byte, ioSize)
			got := make([]byte, ioSize)
			once := func() error {
				if _, err := cl.Write(data); err != nil {
					return err
				}
				_, err := io.ReadFull(sv, got)
				return err
			}
			for range 16 {
				require.NoError(b, once())
			}
			b.SetBytes(ioSize)
			b.ReportAllocs()
			for b.Loop() {
				if err := once(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkIdleConn reports the heap an idle connection holds after its
// handshake (ECDHE-ECDSA-P256), as heapB/conn: the heap growth from
// handshaking pairs over net.Pipe, divided by the number of connections.
// All pairs share one client and one server Config, as a real program
// does, so what a Config holds for all its connections (glasstls's buffer
// pool and session state, crypto/tls's certificate cache) is not counted
// per connection. ns/op is meaningless here.
func BenchmarkIdleConn(b *testing.B) {
	p := loadPKI(b)
	const pairs = 16
	for _, who := range impls {
		b.Run(string(who), func(b *testing.B) {
			var total float64
			var rounds int
			for b.Loop() {
				total += idleHeapPerConn(b, p, who, pairs)
				rounds++
			}
			b.ReportMetric(total/float64(rounds), "heapB/conn")
		})
	}
}

func idleHeapPerConn(tb testing.TB, p *pki, who impl, pairs int) float64 {
	// The transports are made first, so only the TLS state is counted.
	raws := make([][2]net.Conn, pairs)
	for i := range raws {
		raws[i][0], raws[i][1] = net.Pipe()
	}
	conns := make([]tlsConn, 0, 2*pairs)
	clientConfig := p.config(who, kexCases[3], client, 0)
	serverConfig := p.config(who, kexCases[3], server, 0)
	var before, after runtime.MemStats
	collect()
	runtime.ReadMemStats(&before)
	for _, raw := range raws {
		cl, sv := wrap(client, raw[0], clientConfig), wrap(server, raw[1], serverConfig)
		handshakeBoth(tb, cl, sv)
		conns = append(conns, cl, sv)
	}
	collect()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(clientConfig)
	runtime.KeepAlive(serverConfig)
	runtime.KeepAlive(conns)
	for _, raw := range raws {
		raw[0].Close()
		raw[1].Close()
	}
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(len(conns))
}

// collect runs the garbage collector twice: the first collection moves what
// sync.Pools hold (glasstls's record buffers, crypto/tls's write buffers)
// to their victim caches and the second frees it, so spare pooled buffers,
// which no connection holds, are not counted.
func collect() {
	runtime.GC()
	runtime.GC()
}
