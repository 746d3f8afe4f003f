package handshake

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goClientPair is crypto/tls's client connected to our server over
// loopback TCP, handshake done.
func goClientPair(t *testing.T) (goClient *tls.Conn, server *Conn) {
	t.Helper()
	pki := loadTestPKI(t)
	clientRaw, serverRaw := tcpPairWithin(t, 20*time.Second)
	goClient = tls.Client(clientRaw, &tls.Config{RootCAs: pki.goRoots(t), ServerName: "localhost", MaxVersion: tls.VersionTLS12})
	server = Server(serverRaw, pki.serverConfig())
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	require.NoError(t, goClient.Handshake())
	require.NoError(t, <-errc)
	return goClient, server
}

// io.Copy from a Conn takes WriteTo, so it needs no 32 KiB buffer of its
// own, and ends without an error at the peer's close_notify.
func TestWriteToCopiesUntilCloseNotify(t *testing.T) {
	goClient, server := goClientPair(t)
	require.Implements(t, (*io.WriterTo)(nil), server, "io.Copy(w, conn) must not need a buffer of its own")

	data := make([]byte, 1<<20+123) // many records, the last one short
	_, _ = rand.Read(data)
	go func() {
		for rest := data; len(rest) > 0; {
			n := min(len(rest), 5000) // records of a size unlike the read buffer's
			if _, err := goClient.Write(rest[:n]); err != nil {
				return
			}
			rest = rest[n:]
		}
		_ = goClient.Close() // close_notify
	}()

	var got bytes.Buffer
	n, err := io.Copy(&got, server)
	require.NoError(t, err, "close_notify is the clean end of the copy")
	assert.Equal(t, int64(len(data)), n)
	assert.True(t, bytes.Equal(data, got.Bytes()), "the copy differs from what was sent")
}

// A transport that ends without close_notify is a truncation, for WriteTo
// as for Read.
func TestWriteToReportsTruncation(t *testing.T) {
	goClient, server := goClientPair(t)
	_, err := goClient.Write([]byte("partial"))
	require.NoError(t, err)
	require.NoError(t, goClient.NetConn().Close()) // TCP FIN, no close_notify

	var got bytes.Buffer
	n, err := io.Copy(&got, server)
	require.ErrorIs(t, err, ErrTruncated)
	assert.Equal(t, int64(7), n)
	assert.Equal(t, "partial", got.String())
}

// failingWriter takes limit bytes, then fails.
type failingWriter struct {
	limit int
	got   []byte
}

var errWriterFull = errors.New("writer full")

func (w *failingWriter) Write(b []byte) (int, error) {
	n := min(len(b), w.limit-len(w.got))
	w.got = append(w.got, b[:n]...)
	if n < len(b) {
		return n, errWriterFull
	}
	return n, nil
}

// When w fails, WriteTo returns its error and what it took; the bytes w
// did not take are still there for the next Read.
func TestWriteToStopsAtWriterError(t *testing.T) {
	goClient, server := goClientPair(t)
	_, err := goClient.Write([]byte("0123456789"))
	require.NoError(t, err)

	w := &failingWriter{limit: 4}
	n, err := server.WriteTo(w)
	require.ErrorIs(t, err, errWriterFull)
	assert.Equal(t, int64(4), n)
	assert.Equal(t, "0123", string(w.got))

	rest := make([]byte, 6)
	_, err = io.ReadFull(server, rest)
	require.NoError(t, err)
	assert.Equal(t, "456789", string(rest))
}
