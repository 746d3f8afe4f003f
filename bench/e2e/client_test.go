package e2e

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
)

// The suites of the cases, by IANA id (the same in all three servers).
const (
	suiteECDHERSAAES128GCM   = 0xc02f // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, RSA-2048 certificate
	suiteECDHEECDSAAES128GCM = 0xc02b // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ECDSA P-256 certificate
	suiteECDHERSAChaCha20    = 0xcca8 // TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
)

// opTimeout bounds one client operation, so a stuck server fails the run.
const opTimeout = 30 * time.Second

// goClientConfig is the neutral client: Go's crypto/tls, TLS 1.2, one
// suite, X25519 for the key exchange (P-256 listed too: RFC 4492, 5.1
// applies the client's curves to an ECDSA certificate as well). It skips
// certificate verification, which would cost the client the same for
// every server and only dilute the comparison.
func goClientConfig(suite uint16, sessions tls.ClientSessionCache) *tls.Config {
	return &tls.Config{
		InsecureSkipVerify: true,
		MinVersion:         tls.VersionTLS12,
		MaxVersion:         tls.VersionTLS12,
		CipherSuites:       []uint16{suite},
		CurvePreferences:   []tls.CurveID{tls.X25519, tls.CurveP256},
		ClientSessionCache: sessions,
	}
}

// handshakeGo dials addr, runs one crypto/tls client handshake and
// closes. It fails if the resumption is not what wantResumed says.
func handshakeGo(addr string, config *tls.Config, wantResumed bool) error {
	raw, err := net.DialTimeout("tcp", addr, opTimeout)
	if err != nil {
		return err
	}
	_ = raw.SetDeadline(time.Now().Add(opTimeout))
	conn := tls.Client(raw, config)
	defer conn.Close()
	if err := conn.Handshake(); err != nil {
		return err
	}
	if resumed := conn.ConnectionState().DidResume; resumed != wantResumed {
		return fmt.Errorf("resumed %v, want %v", resumed, wantResumed)
	}
	return nil
}

// glassIDClientConfig resumes by session ID only (no ticket extension):
// crypto/tls's client cannot, so this one case uses glasstls's client,
// the same for every server that keeps a session ID cache.
func glassIDClientConfig() *handshake.Config {
	return &handshake.Config{
		InsecureSkipVerify:     true,
		CipherSuites:           []uint16{suiteECDHERSAAES128GCM},
		SessionTicketsDisabled: true,
		ClientSessionCache:     session.NewLRUClientCache(1),
	}
}

func handshakeGlass(addr string, config *handshake.Config, wantResumed bool) error {
	raw, err := net.DialTimeout("tcp", addr, opTimeout)
	if err != nil {
		return err
	}
	_ = raw.SetDeadline(time.Now().Add(opTimeout))
	conn := handshake.Client(raw, config)
	defer conn.Close()
	if err := conn.Handshake(); err != nil {
		return err
	}
	if resumed := conn.ConnectionState().DidResume; resumed != wantResumed {
		return fmt.Errorf("resumed %v, want %v", resumed, wantResumed)
	}
	return nil
}

// load is how long one measurement runs: for dur, but at least minOps
// operations (the smoke test sets dur to 0).
type load struct {
	dur    time.Duration
	minOps int
}

// rate runs op from workers goroutines until the load is done and returns
// operations per second and every operation's latency, sorted.
func (l load) rate(workers int, op func() error) (float64, []time.Duration, error) {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		firstErr  error
		wg        sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(l.dur)
	perWorker := (l.minOps + workers - 1) / workers
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for n := 0; n < perWorker || time.Now().Before(deadline); n++ {
				t0 := time.Now()
				if err := op(); err != nil {
					mu.Lock()
					firstErr = cmpErr(firstErr, err)
					mu.Unlock()
					break
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return 0, nil, firstErr
	}
	slices.Sort(latencies)
	return float64(len(latencies)) / elapsed.Seconds(), latencies, nil
}

func cmpErr(old, err error) error {
	if old != nil {
		return old
	}
	return err
}

// percentile of sorted latencies, p in [0, 1].
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// echoChunk is the size of each client write in the echo case.
const echoChunk = 32 << 10

// echo sends total bytes through one connection while reading them back
// and returns MB/s one way, the handshake not counted.
func echo(addr string, suite uint16, total int) (float64, error) {
	raw, err := net.DialTimeout("tcp", addr, opTimeout)
	if err != nil {
		return 0, err
	}
	conn := tls.Client(raw, goClientConfig(suite, nil))
	defer conn.Close()
	_ = raw.SetDeadline(time.Now().Add(opTimeout + time.Duration(total>>20)*time.Second))
	if err := conn.Handshake(); err != nil {
		return 0, err
	}
	chunk := make([]byte, echoChunk)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	start := time.Now()
	written := make(chan error, 1)
	go func() {
		for sent := 0; sent < total; sent += echoChunk {
			if _, err := conn.Write(chunk[:min(echoChunk, total-sent)]); err != nil {
				written <- err
				return
			}
		}
		written <- nil
	}()
	got, err := io.CopyN(io.Discard, conn, int64(total))
	if err != nil {
		return 0, fmt.Errorf("echo: read %d of %d bytes: %w", got, total, err)
	}
	if err := <-written; err != nil {
		return 0, err
	}
	return float64(total) / time.Since(start).Seconds() / 1e6, nil
}

// openIdle opens n connections to addr with workers goroutines, completes
// each handshake and leaves them open; the caller closes them.
func openIdle(addr string, n, workers int) ([]*tls.Conn, error) {
	config := goClientConfig(suiteECDHEECDSAAES128GCM, nil)
	conns := make([]*tls.Conn, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				raw, err := net.DialTimeout("tcp", addr, opTimeout)
				if err == nil {
					_ = raw.SetDeadline(time.Now().Add(opTimeout))
					conn := tls.Client(raw, config)
					if err = conn.Handshake(); err == nil {
						_ = raw.SetDeadline(time.Time{})
						conns[i] = conn
						continue
					}
					raw.Close()
				}
				mu.Lock()
				firstErr = cmpErr(firstErr, err)
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		closeAll(conns)
		return nil, firstErr
	}
	return conns, nil
}

func closeAll(conns []*tls.Conn) {
	for _, c := range conns {
		if c != nil {
			_ = c.Close()
		}
	}
}

var errNotApplicable = errors.New("not applicable")
