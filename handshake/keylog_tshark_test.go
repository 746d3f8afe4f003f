package handshake

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/internal/interop"
)

// TestKeyLogDecryptsWithTshark captures real loopback connections with
// tshark and has tshark decrypt them with the key log our Config.KeyLogWriter
// wrote (NSS format): Wireshark must find each connection's application
// data, and must find none of it without the key log. One capture covers
// several suites (ECDHE and RSA key exchange, GCM, ChaCha20-Poly1305, CBC
// with encrypt-then-MAC, the SHA-384 PRF), each with the extended master
// secret, plus a resumed session.
func TestKeyLogDecryptsWithTshark(t *testing.T) {
	tshark := interop.RequireTool(t, "tshark")
	pki := loadTestPKI(t)
	dir := t.TempDir()
	capture := filepath.Join(dir, "capture.pcap")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	// Capture only our port, for at most 60 s whatever happens. -P -l also
	// prints each packet as it is captured: UDP probes to the same port
	// (nobody listens there) tell us when the capture really runs, and when
	// everything before the last probe has reached the file.
	capturer := interop.StartProcess(t, tshark, "-i", "lo", "-f", "port "+strconv.Itoa(port),
		"-w", capture, "-P", "-l", "-a", "duration:60")
	require.NoError(t, capturer.WaitFor("Capturing on", 30*time.Second))
	probe, err := net.Dial("udp", ln.Addr().String())
	require.NoError(t, err)
	defer probe.Close()
	waitForProbe(t, capturer, probe, "start", "Len=5\n")

	type connection struct {
		suite  uint16
		resume bool
		marker string
	}
	connections := []connection{
		{suite: 0xC02F, marker: "ecdhe-rsa-aes128-gcm"},
		{suite: 0xCCA9, marker: "ecdhe-ecdsa-chacha20"},
		{suite: 0xC030, marker: "ecdhe-rsa-aes256-gcm-sha384"},
		{suite: 0xC027, marker: "ecdhe-rsa-aes128-cbc-sha256-etm"},
		{suite: 0x009C, marker: "rsa-aes128-gcm"},
		{suite: 0x009C, resume: true, marker: "resumed-session"},
	}
	var keyLog bytes.Buffer
	serverConfig := pki.serverConfig()
	clientConfig := pki.clientConfig()
	clientConfig.KeyLogWriter = &keyLog
	clientConfig.ClientSessionCache = session.NewLRUClientCache(0)
	for _, c := range connections {
		clientConfig.CipherSuites = []uint16{c.suite}
		state := tsharkConnection(t, ln, serverConfig, clientConfig, "GET /"+c.marker+" HTTP/1.0\r\n\r\n")
		assert.Equal(t, c.suite, state.CipherSuite)
		assert.Equal(t, c.resume, state.DidResume, c.marker)
		assert.True(t, state.ExtendedMasterSecret, c.marker)
	}
	require.Equal(t, len(connections), strings.Count(keyLog.String(), "CLIENT_RANDOM "), "one key log line per connection")

	keyLogFile := filepath.Join(dir, "keys.log")
	require.NoError(t, os.WriteFile(keyLogFile, keyLog.Bytes(), 0o600))

	// Packets reach tshark in blocks, and a block still in the kernel when
	// the capture stops is lost: once the end probe shows, every packet
	// before it has arrived. SIGINT then lets tshark (and its dumpcap)
	// finish the file and exit.
	waitForProbe(t, capturer, probe, "end-of-test", "Len=11\n")
	require.NoError(t, syscall.Kill(capturer.Pid(), syscall.SIGINT))
	require.NoError(t, capturer.Wait(20*time.Second), capturer.Output())

	decrypted := tsharkPlaintext(t, tshark, capture, port, keyLogFile)
	for _, c := range connections {
		assert.Contains(t, decrypted, "GET /"+c.marker+" HTTP/1.0", "tshark decrypted the client's request")
		assert.Contains(t, decrypted, "echo: GET /"+c.marker, "tshark decrypted the server's answer")
	}

	// Without the key log the same capture shows no plaintext at all.
	assert.NotContains(t, tsharkPlaintext(t, tshark, capture, port, ""), "GET /")
}

// tsharkConnection makes one connection to ln: the client sends request
// and reads the server's "echo: " answer until the server closes.
func tsharkConnection(t *testing.T, ln net.Listener, serverConfig, clientConfig *Config, request string) ConnectionState {
	t.Helper()
	serverDone := make(chan error, 1)
	go func() {
		raw, err := ln.Accept()
		if err != nil {
			serverDone <- err
			return
		}
		conn := Server(raw, serverConfig)
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		buf := make([]byte, 256)
		n, err := conn.Read(buf)
		if err == nil {
			_, err = conn.Write(append([]byte("echo: "), buf[:n]...))
		}
		serverDone <- err
	}()
	raw, err := net.DialTimeout("tcp", ln.Addr().String(), 10*time.Second)
	require.NoError(t, err)
	conn := Client(raw, clientConfig)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = conn.Write([]byte(request))
	require.NoError(t, err)
	answer, err := io.ReadAll(conn)
	require.NoError(t, err)
	assert.Equal(t, "echo: "+request, string(answer))
	select {
	case err := <-serverDone:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("server did not finish")
	}
	return conn.ConnectionState()
}

// tsharkPlaintext has tshark read the capture, decoding port as TLS and
// decrypting with keyLogFile (none if ""), and returns every decrypted
// application-data payload it shows, as text.
func tsharkPlaintext(t *testing.T, tshark, capture string, port int, keyLogFile string) string {
	t.Helper()
	args := []string{"-r", capture, "-d", "tcp.port==" + strconv.Itoa(port) + ",tls",
		"--disable-protocol", "http", // else the requests are shown as HTTP, not as data
		"-T", "fields", "-E", "separator=,", "-e", "tls.segment.data", "-e", "data.data"}
	if keyLogFile != "" {
		args = append(args, "-o", "tls.keylog_file:"+keyLogFile)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tshark, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	var text strings.Builder
	for _, field := range strings.FieldsFunc(string(out), func(r rune) bool { return r == ',' || r == '\n' || r == '\t' || r == '\r' }) {
		if b, err := hex.DecodeString(strings.ReplaceAll(field, ":", "")); err == nil {
			text.Write(b)
			text.WriteByte('\n')
		}
	}
	return text.String()
}

// waitForProbe sends payload as a UDP datagram every 100 ms until the
// capturing tshark prints a packet line containing seen (bounded). A UDP
// line ends in "Len=N" (a TCP line goes on with TSval=), so seen is
// "Len=N\n" for an N-byte payload.
func waitForProbe(t *testing.T, capturer *interop.Process, probe net.Conn, payload, seen string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(capturer.Output(), seen) {
		require.True(t, time.Now().Before(deadline), "tshark never showed the %q probe:\n%s", payload, capturer.Output())
		_, _ = probe.Write([]byte(payload)) // ICMP port unreachable is fine: only the capture matters
		_ = capturer.WaitFor(seen, 100*time.Millisecond)
	}
}
