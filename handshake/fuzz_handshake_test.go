package handshake

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/record"
)

// scriptedConn is a net.Conn that reads a fixed script and then io.EOF,
// and keeps what is written: a peer that says its piece and hangs up.
type scriptedConn struct {
	in      *bytes.Reader
	written bytes.Buffer
	closed  bool
}

func (c *scriptedConn) Read(b []byte) (int, error)       { return c.in.Read(b) }
func (c *scriptedConn) Write(b []byte) (int, error)      { return c.written.Write(b) }
func (c *scriptedConn) Close() error                     { c.closed = true; return nil }
func (c *scriptedConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *scriptedConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c *scriptedConn) SetDeadline(time.Time) error      { return nil }
func (c *scriptedConn) SetReadDeadline(time.Time) error  { return nil }
func (c *scriptedConn) SetWriteDeadline(time.Time) error { return nil }

// fixedRand is a deterministic Config.Rand: the same seed gives the same
// randoms and ephemeral keys, so a recorded transcript replays.
func fixedRand(seed uint64) io.Reader {
	var key [32]byte
	key[0] = byte(seed)
	return rand.NewChaCha8(key)
}

// fixedTime keeps the test certificates valid whatever the clock says.
func fixedTime(pki *testPKI, t testing.TB) func() time.Time {
	notBefore := pki.caCert(t).NotBefore
	return func() time.Time { return notBefore.Add(time.Hour) }
}

// transcriptPair runs a real handshake, one message each way and
// close_notify, and returns the bytes each side wrote.
func transcriptPair(t testing.TB, clientConfig, serverConfig *Config) (fromClient, fromServer []byte) {
	clientRaw, serverRaw := tcpPair(t)
	_ = clientRaw.SetDeadline(time.Now().Add(20 * time.Second))
	_ = serverRaw.SetDeadline(time.Now().Add(20 * time.Second))
	clientWire, serverWire := &wireRecorder{Conn: clientRaw}, &wireRecorder{Conn: serverRaw}
	client, server := Client(clientWire, clientConfig), Server(serverWire, serverConfig)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]byte, 5)
		if _, err := io.ReadFull(server, buf); err == nil {
			_, _ = server.Write(buf)
			_, _ = server.Read(buf) // close_notify
			_ = server.Close()
		}
	}()
	require.NoError(t, client.Handshake())
	_, err := client.Write([]byte("hello"))
	require.NoError(t, err)
	_, err = io.ReadFull(client, make([]byte, 5))
	require.NoError(t, err)
	require.NoError(t, client.Close())
	wg.Wait()
	clientWire.mu.Lock()
	defer clientWire.mu.Unlock()
	serverWire.mu.Lock()
	defer serverWire.mu.Unlock()
	return bytes.Clone(clientWire.written), bytes.Clone(serverWire.written)
}

// fuzzConfigs are the deterministic configs both fuzz targets and their
// seed recordings use.
func fuzzConfigs(t testing.TB, pki *testPKI, suite uint16) (client, server *Config) {
	client = pki.clientConfig()
	client.Rand = fixedRand(1)
	client.Time = fixedTime(pki, t)
	client.CipherSuites = []uint16{suite}
	server = pki.serverConfig()
	server.Rand = fixedRand(2)
	server.Time = client.Time
	server.CipherSuites = []uint16{suite}
	server.SessionTicketsDisabled = true
	return client, server
}

// checkVictimOutput is the property both targets check: a handshake that
// failed on a problem we detected ended with our alert record and a
// closed transport.
func checkVictimOutput(t *testing.T, err error, conn *scriptedConn) {
	var alertErr *record.AlertError
	if err == nil || !errors.As(err, &alertErr) || alertErr.Remote {
		return
	}
	assert.True(t, conn.closed, "transport left open after %v", err)
	out := conn.written.Bytes()
	var last byte
	for len(out) >= record.RecordHeaderLen {
		last = out[0]
		n := int(out[3])<<8 | int(out[4])
		out = out[min(len(out), record.RecordHeaderLen+n):]
	}
	assert.Equal(t, byte(record.TypeAlert), last, "the last record sent after %v is not an alert", err)
}

// FuzzServerHandshake feeds a whole server handshake arbitrary client
// bytes. The seeds are recorded client transcripts; the RSA key exchange
// one replays to a complete handshake against the deterministic server.
func FuzzServerHandshake(f *testing.F) {
	pki := loadTestPKI(f)
	for _, suite := range []uint16{suiteRSAGCM, suiteECDHERSAGCM, suiteECDHERSACBC} {
		clientConfig, serverConfig := fuzzConfigs(f, pki, suite)
		fromClient, _ := transcriptPair(f, clientConfig, serverConfig)
		f.Add(fromClient)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, serverConfig := fuzzConfigs(t, pki, suiteRSAGCM)
		serverConfig.CipherSuites = nil // every suite
		conn := &scriptedConn{in: bytes.NewReader(data)}
		server := Server(conn, serverConfig)
		err := server.Handshake()
		checkVictimOutput(t, err, conn)
		if err == nil {
			_, _ = io.Copy(io.Discard, server)
			_ = server.Close()
		}
	})
}

// FuzzClientHandshake feeds a whole client handshake arbitrary server
// bytes, seeded with recorded server transcripts that replay to a complete
// handshake against the deterministic client.
func FuzzClientHandshake(f *testing.F) {
	pki := loadTestPKI(f)
	for _, suite := range []uint16{suiteECDHERSAGCM, suiteRSAGCM, suiteECDHERSACBC, suiteECDHEECDSAGCM} {
		clientConfig, serverConfig := fuzzConfigs(f, pki, suite)
		_, fromServer := transcriptPair(f, clientConfig, serverConfig)
		f.Add(suite, fromServer)
	}
	f.Fuzz(func(t *testing.T, suite uint16, data []byte) {
		clientConfig, _ := fuzzConfigs(t, pki, suite)
		conn := &scriptedConn{in: bytes.NewReader(data)}
		client := Client(conn, clientConfig)
		err := client.Handshake()
		checkVictimOutput(t, err, conn)
		if err == nil {
			_, _ = io.Copy(io.Discard, client)
			_ = client.Close()
		}
	})
}

// TestRecordedTranscriptsReplay makes sure the fuzz seeds reach the end of
// the handshake: otherwise the fuzzer would start from a dead end.
func TestRecordedTranscriptsReplay(t *testing.T) {
	pki := loadTestPKI(t)
	t.Run("server", func(t *testing.T) {
		clientConfig, serverConfig := fuzzConfigs(t, pki, suiteRSAGCM)
		fromClient, _ := transcriptPair(t, clientConfig, serverConfig)
		_, serverConfig = fuzzConfigs(t, pki, suiteRSAGCM)
		conn := &scriptedConn{in: bytes.NewReader(fromClient)}
		server := Server(conn, serverConfig)
		require.NoError(t, server.Handshake())
		got, err := io.ReadAll(server)
		require.NoError(t, err, "close_notify ends the stream cleanly")
		assert.Equal(t, "hello", string(got))
	})
	t.Run("client", func(t *testing.T) {
		clientConfig, serverConfig := fuzzConfigs(t, pki, suiteECDHERSAGCM)
		_, fromServer := transcriptPair(t, clientConfig, serverConfig)
		clientConfig, _ = fuzzConfigs(t, pki, suiteECDHERSAGCM)
		conn := &scriptedConn{in: bytes.NewReader(fromServer)}
		client := Client(conn, clientConfig)
		require.NoError(t, client.Handshake())
		got, err := io.ReadAll(client)
		require.NoError(t, err)
		assert.Equal(t, "hello", string(got))
	})
}
