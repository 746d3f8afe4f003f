package handshake

import (
	"bytes"
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// countingConn counts the bytes written through it.
type countingConn struct {
	net.Conn
	written atomic.Int64
}

func (c *countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.written.Add(int64(n))
	return n, err
}

// hostileServerPair is our client against our server over loopback TCP,
// the client's writes counted; after the handshake the test plays the
// hostile server by writing records with the server's record layer
// directly (hand-built, as no honest server would send them).
func hostileServerPair(t *testing.T) (client *Conn, clientRaw *countingConn, server *Conn) {
	pki := loadTestPKI(t)
	rawClient, rawServer := tcpPair(t)
	clientRaw = &countingConn{Conn: rawClient}
	client = Client(clientRaw, pki.clientConfig())
	server = Server(rawServer, pki.serverConfig())
	var wg sync.WaitGroup
	var serverErr error
	wg.Add(1)
	go func() { defer wg.Done(); serverErr = server.Handshake() }()
	require.NoError(t, client.Handshake())
	wg.Wait()
	require.NoError(t, serverErr)
	return client, clientRaw, server
}

// readWithin runs client.Read and fails the test if it has not returned
// within limit.
func readWithin(t *testing.T, client *Conn, limit time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := client.Read(make([]byte, 16))
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		_ = client.Close() // frees the Read, so the test can end
		t.Fatalf("Read did not return within %v", limit)
		return nil
	}
}

// A server floods the client with HelloRequests after the handshake, 20
// records of 4,096 each, and never reads. The client answers the first with
// no_renegotiation, ignores the next ones, and ends the connection after
// record.MaxEmptyRecords of them with no application data: two alerts in
// all, not one per HelloRequest, and Read returns by its deadline.
func TestHelloRequestFloodAfterHandshake(t *testing.T) {
	client, clientRaw, server := hostileServerPair(t)
	before := clientRaw.written.Load()

	packed := bytes.Repeat(mustMarshal(t, &wire.HelloRequest{}), record.MaxPlaintext/4)
	go func() {
		for range 20 {
			if _, err := server.rec.WriteRecord(record.TypeHandshake, packed); err != nil {
				return
			}
		}
	}()
	require.NoError(t, client.SetReadDeadline(time.Now().Add(time.Second)))
	start := time.Now()
	err := readWithin(t, client, 5*time.Second)
	requireAlert(t, err, record.AlertUnexpectedMessage, false)
	assert.Less(t, time.Since(start), 3*time.Second)

	// A warning and a fatal alert, each one protected record of at most
	// 5 + 8 + 2 + 16 bytes (AES-GCM) or 5 + 2 + 16 (ChaCha20-Poly1305).
	sent := clientRaw.written.Load() - before
	assert.LessOrEqual(t, sent, int64(2*31), "the client sent %d bytes in answer to the flood", sent)
}

// A server that never reads has blocked the application's Write (the
// socket is full); then it sends HelloRequests. Read must still return by
// its read deadline: the optional no_renegotiation warning is skipped while
// a Write holds the write half, and a fatal alert's write is bounded by the
// read deadline.
func TestReadDeadlineWhileWriteIsBlocked(t *testing.T) {
	for _, tc := range []struct {
		name          string
		helloRequests int
		wantErr       func(t *testing.T, err error)
	}{
		{"one HelloRequest: ignored, Read times out", 1, func(t *testing.T, err error) {
			assert.True(t, errors.Is(err, os.ErrDeadlineExceeded), "want a timeout, got %v", err)
		}},
		{"a flood: fatal, Read returns the error", record.MaxEmptyRecords + 1, func(t *testing.T, err error) {
			requireAlert(t, err, record.AlertUnexpectedMessage, false)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client, _, server := hostileServerPair(t)

			writeDone := make(chan error, 1)
			go func() {
				chunk := make([]byte, 1<<20)
				for {
					if _, err := client.Write(chunk); err != nil {
						writeDone <- err
						return
					}
				}
			}()
			time.Sleep(300 * time.Millisecond) // the socket buffers fill up; Write blocks
			helloRequest := mustMarshal(t, &wire.HelloRequest{})
			for range tc.helloRequests {
				_, err := server.rec.WriteRecord(record.TypeHandshake, helloRequest)
				require.NoError(t, err)
			}

			require.NoError(t, client.SetReadDeadline(time.Now().Add(time.Second)))
			start := time.Now()
			err := readWithin(t, client, 5*time.Second)
			tc.wantErr(t, err)
			assert.Less(t, time.Since(start), 3*time.Second)

			_ = client.Close()
			select {
			case <-writeDone:
			case <-time.After(5 * time.Second):
				t.Fatal("the blocked Write did not end after Close")
			}
		})
	}
}
