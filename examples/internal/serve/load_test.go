package serve

import (
	"bytes"
	"io"
	"log"
	"net"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/examples/internal/cli"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/internal/interop"
)

// loadClients is how many clients TestLoad runs at once.
const loadClients = 1000

// TestLoad runs loadClients concurrent handshakes plus an echo against the
// server's own accept loop (loopback only), and checks that every one
// succeeds, that no goroutine is left behind once the listener is closed,
// and that the heap comes back near where it started.
func TestLoad(t *testing.T) {
	dir := interop.TestdataDir(t)
	config, err := BuildConfig(filepath.Join(dir, "server-rsa.pem"), filepath.Join(dir, "server-rsa-key.pem"),
		filepath.Join(dir, "server-ecdsa.pem"), filepath.Join(dir, "server-ecdsa-key.pem"), "", "", "", "none", "")
	require.NoError(t, err)
	// A server facing many clients bounds each handshake.
	config.HandshakeTimeout = 60 * time.Second
	roots, err := cli.LoadPool(filepath.Join(dir, "ca.pem"))
	require.NoError(t, err)
	clientConfig := &handshake.Config{RootCAs: roots, ServerName: "localhost"}

	goroutinesBefore := runtime.NumGoroutine()
	heapBefore := heapInUse()

	ln, err := handshake.Listen("tcp", "127.0.0.1:0", config)
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- AcceptLoop(ln, 0, false, log.New(io.Discard, "", 0)) }()

	start := time.Now()
	var failures atomic.Int32
	var firstErr sync.Once
	var wg sync.WaitGroup
	for i := range loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := echoOnce(ln.Addr().String(), clientConfig, i); err != nil {
				failures.Add(1)
				firstErr.Do(func() { t.Errorf("client %d: %v", i, err) })
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	require.NoError(t, ln.Close())
	select {
	case err := <-served:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("the accept loop did not return after the listener closed")
	}
	assert.Zero(t, failures.Load(), "failed clients")
	t.Logf("%d handshakes + echo in %v (%.0f/s)", loadClients, elapsed.Round(time.Millisecond), loadClients/elapsed.Seconds())

	// Goroutines: the accept loop waits for every connection it served,
	// so the count must be back at once; allow the runtime a moment to
	// retire the exiting ones.
	goroutinesAfter := runtime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); goroutinesAfter > goroutinesBefore && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		goroutinesAfter = runtime.NumGoroutine()
	}
	assert.LessOrEqual(t, goroutinesAfter, goroutinesBefore, "goroutines left behind")

	heapAfter := heapInUse()
	t.Logf("heap in use: %d KiB before, %d KiB after", heapBefore>>10, heapAfter>>10)
	assert.Less(t, heapAfter, heapBefore+8<<20, "heap grew by more than 8 MiB and stayed")
}

// echoOnce dials, handshakes, sends a message, reads it back, and closes.
func echoOnce(addr string, config *handshake.Config, i int) error {
	conn, err := handshake.DialWithDialer(&net.Dialer{Timeout: 60 * time.Second}, "tcp", addr, config)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	msg := bytes.Repeat([]byte{byte(i)}, 1000+i)
	if _, err := conn.Write(msg); err != nil {
		return err
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(conn, got); err != nil {
		return err
	}
	if !bytes.Equal(msg, got) {
		return io.ErrUnexpectedEOF
	}
	return nil
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
