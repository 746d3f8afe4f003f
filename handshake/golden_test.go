package handshake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// -update re-records the golden transcripts in testdata/golden-*.txt.
// They also change if the checked-in test PKI (testdata/ at the
// repository's root) is regenerated.
var updateGolden = flag.Bool("update", false, "re-record the golden handshake transcripts in handshake/testdata")

// seededReader is a deterministic random source: ChaCha8 keyed by name.
type seededReader struct {
	mu sync.Mutex
	r  *rand.ChaCha8
}

func newSeededReader(name string) *seededReader {
	return &seededReader{r: rand.NewChaCha8(sha256.Sum256([]byte(name)))}
}

func (s *seededReader) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r.Read(p)
}

// recordingConn keeps every byte written through it.
type recordingConn struct {
	net.Conn
	mu      sync.Mutex
	written bytes.Buffer
}

func (c *recordingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.written.Write(p)
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *recordingConn) bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.written.Bytes())
}

// TestGoldenTranscript proves that a handshake replays byte for byte from
// Config.Rand and Config.Time: every byte both ways of a full handshake,
// some application data and close_notify must equal the checked-in
// transcript. A change to any message, extension order, key derivation or
// record encoding shows up here as a diff (re-record with -update when it
// is intended). ECDHE with PKCS#1 v1.5 signatures, because Go 1.26 draws
// RSA-PSS salts and ECDSA nonces from system randomness whatever Rand says.
func TestGoldenTranscript(t *testing.T) {
	pki := loadTestPKI(t)
	for _, tc := range []struct {
		file  string
		suite uint16
	}{
		{"golden-ecdhe-rsa-aes128-gcm.txt", 0xC02F},
		{"golden-ecdhe-rsa-aes128-cbc-sha.txt", 0xC013}, // CBC: the IVs come from Rand too
	} {
		t.Run(tc.file, func(t *testing.T) {
			clientToServer, serverToClient := goldenRun(t, pki, tc.suite)
			got := formatTranscript(clientToServer, serverToClient)
			path := filepath.Join("testdata", tc.file)
			if *updateGolden {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./handshake -run TestGoldenTranscript -update to record it")
			assert.Equal(t, string(want), got, "the transcript changed; if on purpose, re-record with -update")

			// And a second run in the same process gives the same bytes.
			again1, again2 := goldenRun(t, pki, tc.suite)
			assert.Equal(t, clientToServer, again1)
			assert.Equal(t, serverToClient, again2)
		})
	}
}

// goldenRun runs one seeded connection and returns the bytes each side wrote.
func goldenRun(t *testing.T, pki *testPKI, suite uint16) (clientToServer, serverToClient []byte) {
	t.Helper()
	now := time.Date(2026, time.January, 1, 12, 0, 0, 0, time.UTC)
	clientConfig := pki.clientConfig()
	clientConfig.CipherSuites = []uint16{suite}
	clientConfig.Rand = newSeededReader("golden client")
	clientConfig.Time = func() time.Time { return now }
	serverConfig := &Config{
		Certificates:     []Certificate{pki.rsa},
		CipherSuites:     []uint16{suite},
		SignatureSchemes: []SignatureScheme{PKCS1WithSHA256},
		Rand:             newSeededReader("golden server"),
		Time:             func() time.Time { return now },
	}
	clientEnd, serverEnd := net.Pipe()
	clientRec := &recordingConn{Conn: clientEnd}
	serverRec := &recordingConn{Conn: serverEnd}
	deadline := time.Now().Add(20 * time.Second)
	_ = clientEnd.SetDeadline(deadline)
	_ = serverEnd.SetDeadline(deadline)
	client := Client(clientRec, clientConfig)
	server := Server(serverRec, serverConfig)
	defer client.Close()
	defer server.Close()

	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, 5)
		if _, err := io.ReadFull(server, buf); err != nil {
			errc <- err
			return
		}
		if _, err := server.Write(append(buf, " back"...)); err != nil {
			errc <- err
			return
		}
		_, err := server.Read(buf) // close_notify
		if err == io.EOF {
			err = nil
		}
		errc <- err
	}()
	_, err := client.Write([]byte("hello"))
	require.NoError(t, err)
	reply := make([]byte, 10)
	_, err = io.ReadFull(client, reply)
	require.NoError(t, err)
	require.Equal(t, "hello back", string(reply))
	require.NoError(t, client.Close())
	require.NoError(t, <-errc)
	return clientRec.bytes(), serverRec.bytes()
}

// formatTranscript writes both directions' bytes in hex, one record a line.
func formatTranscript(clientToServer, serverToClient []byte) string {
	var b strings.Builder
	b.WriteString("# glasstls golden transcript: every byte each side wrote, one TLS record per line.\n")
	b.WriteString("# Re-record: go test ./handshake -run TestGoldenTranscript -update\n")
	for _, dir := range []struct {
		name string
		data []byte
	}{{"client -> server", clientToServer}, {"server -> client", serverToClient}} {
		fmt.Fprintf(&b, "\n%s (%d bytes)\n", dir.name, len(dir.data))
		data := dir.data
		for len(data) >= 5 {
			n := min(5+(int(data[3])<<8|int(data[4])), len(data))
			b.WriteString(hex.EncodeToString(data[:n]))
			b.WriteByte('\n')
			data = data[n:]
		}
		if len(data) > 0 {
			b.WriteString(hex.EncodeToString(data) + "\n")
		}
	}
	return b.String()
}
