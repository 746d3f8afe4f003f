package handshake

import (
	"bytes"
	"crypto/rand"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/record"
)

// wireRecorder keeps a copy of every byte written, to count records.
type wireRecorder struct {
	net.Conn
	mu      sync.Mutex
	written []byte
}

func (c *wireRecorder) Write(b []byte) (int, error) {
	c.mu.Lock()
	c.written = append(c.written, b...)
	c.mu.Unlock()
	return c.Conn.Write(b)
}

// recordTypes lists the content type of every record written so far.
func (c *wireRecorder) recordTypes() []record.ContentType {
	c.mu.Lock()
	defer c.mu.Unlock()
	var types []record.ContentType
	for b := c.written; len(b) >= record.RecordHeaderLen; {
		n := int(b[3])<<8 | int(b[4])
		types = append(types, record.ContentType(b[0]))
		b = b[min(len(b), record.RecordHeaderLen+n):]
	}
	return types
}

// connectedPair runs a handshake between our client and server over
// loopback TCP; the client's transport records what it writes.
func connectedPair(t *testing.T) (client, server *Conn, clientWire *wireRecorder) {
	t.Helper()
	pki := loadTestPKI(t)
	clientRaw, serverRaw := tcpPairWithin(t, 20*time.Second)
	clientWire = &wireRecorder{Conn: clientRaw}
	client = Client(clientWire, pki.clientConfig())
	server = Server(serverRaw, pki.serverConfig())
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	require.NoError(t, client.Handshake())
	require.NoError(t, <-errc)
	return client, server, clientWire
}

func TestCloseSendsCloseNotifyOnceAndUnblocksRead(t *testing.T) {
	client, server, clientWire := connectedPair(t)

	readErr := make(chan error, 1)
	go func() {
		_, err := client.Read(make([]byte, 10))
		readErr <- err
	}()
	time.Sleep(20 * time.Millisecond) // let Read block on the socket

	require.NoError(t, client.Close())
	select {
	case err := <-readErr:
		require.Error(t, err, "a Read pending during Close must fail")
		assert.ErrorIs(t, err, net.ErrClosed)
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not unblock a pending Read")
	}
	_ = client.Close() // a second Close sends nothing more

	_, err := server.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "the server sees close_notify as a clean end")

	alerts := 0
	for _, typ := range clientWire.recordTypes() {
		if typ == record.TypeAlert {
			alerts++
		}
	}
	assert.Equal(t, 1, alerts, "close_notify is sent exactly once")
}

func TestTruncationIsAnErrorNotEOF(t *testing.T) {
	client, server, _ := connectedPair(t)
	_, err := server.Write([]byte("partial"))
	require.NoError(t, err)
	require.NoError(t, server.NetConn().Close()) // TCP FIN, no close_notify

	buf := make([]byte, 7)
	_, err = io.ReadFull(client, buf)
	require.NoError(t, err)
	for range 2 { // and it stays that way
		_, err = client.Read(buf)
		require.ErrorIs(t, err, ErrTruncated)
		assert.NotErrorIs(t, err, io.EOF)
	}
}

func TestConcurrentReadAndWrite(t *testing.T) {
	client, server, _ := connectedPair(t)
	// The server echoes; the client writes and reads at once, from two
	// goroutines, more than the socket buffers hold.
	go func() { _, _ = io.Copy(server, server) }()
	data := make([]byte, 1<<20)
	_, _ = rand.Read(data)

	var wg sync.WaitGroup
	var writeErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, writeErr = client.Write(data)
	}()
	got := make([]byte, len(data))
	_, err := io.ReadFull(client, got)
	wg.Wait()
	require.NoError(t, writeErr)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(data, got), "echo differs")
	require.NoError(t, client.Close())
}

// TestFatalAlertIsSticky: after a fatal alert, sent or received, every
// Read and Write returns the same error.
func TestFatalAlertIsSticky(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inject func(d *mitmDir)
		remote bool
		want   record.AlertDescription
	}{
		{"received", func(d *mitmDir) { _ = d.send(record.TypeAlert, []byte{2, byte(record.AlertHandshakeFailure)}) }, true, record.AlertHandshakeFailure},
		{"sent", func(d *mitmDir) { _ = d.send(record.TypeChangeCipherSpec, []byte{1}) }, false, record.AlertUnexpectedMessage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pki := loadTestPKI(t)
			m, client, server := startMITM(t, pki.clientConfig(), pki.serverConfig(), false, nil, afterHandshake(tc.inject))
			go func() {
				if server.Handshake() == nil {
					writePing(server)
				}
			}()
			require.NoError(t, client.Handshake())
			_, err := client.Read(make([]byte, 4))
			requireAlert(t, err, tc.want, tc.remote)
			for range 2 {
				_, again := client.Read(make([]byte, 4))
				assert.Equal(t, err, again, "Read after the alert")
				_, again = client.Write([]byte("x"))
				assert.Equal(t, err, again, "Write after the alert")
			}
			_ = client.Close()
			_ = server.Close()
			m.wait(t)
		})
	}
}
