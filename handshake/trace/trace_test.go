package trace_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/trace"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/x509verify"
)

// recorder keeps every record event and passes each event on to next, so a
// test can compare a tracer's output with the bytes it was given.
type recorder struct {
	next    handshake.Tracer
	mu      sync.Mutex
	records []handshake.RecordTrace
}

func (r *recorder) TraceRecord(rt handshake.RecordTrace) {
	r.mu.Lock()
	r.records = append(r.records, rt)
	r.mu.Unlock()
	r.next.TraceRecord(rt)
}
func (r *recorder) TraceMessage(m handshake.MessageTrace) { r.next.TraceMessage(m) }
func (r *recorder) TraceValue(v handshake.ValueTrace)     { r.next.TraceValue(v) }
func (r *recorder) TraceVerification(v handshake.VerificationTrace) {
	if next, ok := r.next.(handshake.VerificationTracer); ok {
		next.TraceVerification(v)
	}
}

// tracedConnection runs one handshake, traced on the client side, then
// sends "hello" each way and closes: every kind of record appears once
// (handshake, ChangeCipherSpec, application data, alert).
func tracedConnection(t *testing.T, tracer handshake.Tracer, suite uint16, secrets bool) {
	t.Helper()
	dir := interop.TestdataDir(t)
	cert, err := handshake.LoadX509KeyPair(filepath.Join(dir, "server-rsa.pem"), filepath.Join(dir, "server-rsa-key.pem"))
	require.NoError(t, err)
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	require.NoError(t, err)
	roots := x509verify.NewPool()
	require.True(t, roots.AppendPEM(caPEM))

	clientTransport, serverTransport := net.Pipe()
	client := handshake.Client(clientTransport, &handshake.Config{
		RootCAs: roots, ServerName: "localhost", CipherSuites: []uint16{suite},
		Trace: tracer, TraceSecrets: secrets,
	})
	server := handshake.Server(serverTransport, &handshake.Config{Certificates: []handshake.Certificate{cert}, CipherSuites: []uint16{suite}})
	defer client.Close()
	defer server.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	serverDone := make(chan error, 1)
	go func() {
		if err := server.HandshakeContext(ctx); err != nil {
			serverDone <- err
			return
		}
		buf := make([]byte, 5)
		if _, err := server.Read(buf); err != nil {
			serverDone <- err
			return
		}
		_, err := server.Write(buf)
		serverDone <- err
	}()
	require.NoError(t, client.HandshakeContext(ctx))
	require.NoError(t, client.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = client.Write([]byte("hello"))
	require.NoError(t, err)
	buf := make([]byte, 5)
	_, err = client.Read(buf)
	require.NoError(t, err)
	require.NoError(t, <-serverDone)
	// close_notify is written while the server may not read it: net.Pipe
	// blocks, so read it away.
	go func() { _, _ = server.Read(make([]byte, 1)) }()
	require.NoError(t, client.Close())
}

const gcm = 0xC02F // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256

func TestText(t *testing.T) {
	for _, tc := range []struct {
		name    string
		secrets bool
		want    []string
		notWant []string
	}{
		{"secrets hidden", false,
			[]string{
				"[client] client -> server ClientHello",
				"[client] server -> client ServerHello",
				"cipher_suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F)",
				"[client] client_random = ",
				"[client] the server's certificate chain (1 in Certificate), checked at ",
				"(by CN=glasstls Test Root CA,O=glasstls test PKI): signature: ok   [RFC 5280, 6.1.3(a)(1)]",
				"master_secret (extended) = (secret: set Config.TraceSecrets to show it)",
				"record client -> server: change_cipher_spec",
				"record client -> server: application_data",
				", encrypted",
			},
			nil},
		{"secrets shown", true,
			[]string{"[client] master_secret (extended) = ", "client_write_key = "},
			[]string{"(secret: set Config.TraceSecrets"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			tracedConnection(t, trace.NewText(&out), gcm, tc.secrets)
			for _, want := range tc.want {
				assert.Contains(t, out.String(), want)
			}
			for _, notWant := range tc.notWant {
				assert.NotContains(t, out.String(), notWant)
			}
		})
	}
}

// TestJSON checks that every line is one JSON object, and that every
// protocol constant has the shape {"hex":"0x..","name":".."} and nothing
// else, wherever it appears.
func TestJSON(t *testing.T) {
	var out bytes.Buffer
	tracedConnection(t, trace.NewJSON(&out), gcm, false)

	events := map[string]int{}
	enums := 0
	hexPattern := regexp.MustCompile(`^0x([0-9A-F]{2}|[0-9A-F]{4})$`)
	var checkEnums func(v any)
	checkEnums = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if h, ok := v["hex"]; ok {
				enums++
				assert.Len(t, v, 2, "an enum is hex and name only: %v", v)
				assert.Regexp(t, hexPattern, h)
				assert.NotEmpty(t, v["name"])
			}
			for _, child := range v {
				checkEnums(child)
			}
		case []any:
			for _, child := range v {
				checkEnums(child)
			}
		}
	}
	text := out.String()
	scanner := bufio.NewScanner(strings.NewReader(text))
	scanner.Buffer(nil, 1<<20)
	for scanner.Scan() {
		var obj map[string]any
		require.NoError(t, json.Unmarshal(scanner.Bytes(), &obj), scanner.Text())
		event, _ := obj["event"].(string)
		events[event]++
		assert.Contains(t, []string{"client", "server"}, obj["side"])
		checkEnums(obj)
	}
	require.NoError(t, scanner.Err())
	assert.Positive(t, events["record"])
	assert.Positive(t, events["message"])
	assert.Positive(t, events["value"])
	assert.Equal(t, 1, events["verification"], "the client verified the server's chain once")
	assert.Len(t, events, 4, "only record, message, value and verification events: %v", events)
	assert.Positive(t, enums)
	assert.Contains(t, text, `{"hex":"0xC02F","name":"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}`)
	assert.Contains(t, text, `"content_type":{"hex":"0x16","name":"handshake"}`)
}

// dumpLine is one byte line of a hex dump: offset, hex bytes, label.
var dumpLine = regexp.MustCompile(`^([0-9a-f]{4})  ((?:[0-9a-f]{2} )*[0-9a-f]{2})`)

// TestHexDumpCoversEveryByte rebuilds every record from HexDump's output
// and checks that each byte of the wire record, and of the decrypted
// fragment of a protected one, was shown once, at its offset.
func TestHexDumpCoversEveryByte(t *testing.T) {
	for _, suite := range []uint16{
		gcm,
		0xCCA8, // TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
		0xC027, // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
		0x002F, // TLS_RSA_WITH_AES_128_CBC_SHA
	} {
		s, ok := cipher.SuiteByID(suite)
		require.True(t, ok)
		t.Run(s.Name, func(t *testing.T) {
			var out bytes.Buffer
			rec := &recorder{next: trace.NewHexDump(&out)}
			tracedConnection(t, rec, suite, true)

			dumps := strings.Split(out.String(), "=== record ")[1:]
			require.Len(t, dumps, len(rec.records))
			for i, dump := range dumps {
				r := rec.records[i]
				wire, plaintext, _ := strings.Cut(dump, "--- decrypted fragment")
				assert.Equal(t, hex.EncodeToString(r.Wire), rebuild(t, wire, len(r.Wire)), "record %d: %s", i, r.Type)
				if r.Protected {
					assert.Equal(t, hex.EncodeToString(r.Plaintext), rebuild(t, plaintext, len(r.Plaintext)), "record %d, decrypted: %s", i, r.Type)
				}
			}
		})
	}
}

// rebuild puts a dump's bytes back at their offsets, failing on a byte shown
// twice; a byte never shown stays "??".
func rebuild(t *testing.T, dump string, n int) string {
	t.Helper()
	got := make([]string, n)
	for i := range got {
		got[i] = "??"
	}
	for _, line := range strings.Split(dump, "\n") {
		m := dumpLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		offset, err := strconv.ParseInt(m[1], 16, 64)
		require.NoError(t, err)
		for j, b := range strings.Fields(m[2]) {
			at := int(offset) + j
			require.Less(t, at, n, "byte beyond the record: %q", line)
			assert.Equal(t, "??", got[at], "byte %d shown twice: %q", at, line)
			got[at] = b
		}
	}
	return strings.Join(got, "")
}
