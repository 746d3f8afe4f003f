package trace_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/session"
	"github.com/glasstls/glasstls/handshake/trace"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/x509verify"
)

// pageCase is one kind of connection the page must draw.
type pageCase struct {
	suite          uint16
	clientCert     bool
	macThenEncrypt bool
	secrets        bool
	resume         bool // draw the second, resumed, connection
}

// pageOf runs the connection described by pc, with the client and the
// server both tracing into one Page, and returns its HTML and the client's
// records as a recorder saw them.
func pageOf(t *testing.T, pc pageCase) (string, []handshake.RecordTrace) {
	t.Helper()
	dir := interop.TestdataDir(t)
	load := func(name string) handshake.Certificate {
		cert, err := handshake.LoadX509KeyPair(filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem"))
		require.NoError(t, err)
		return cert
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	require.NoError(t, err)
	roots := x509verify.NewPool()
	require.True(t, roots.AppendPEM(caPEM))
	clientConfig := &handshake.Config{RootCAs: roots, ServerName: "localhost", CipherSuites: []uint16{pc.suite},
		DisableEncryptThenMAC: pc.macThenEncrypt, ClientSessionCache: session.NewLRUClientCache(4)}
	serverConfig := &handshake.Config{Certificates: []handshake.Certificate{load("server-rsa")}, CipherSuites: []uint16{pc.suite}}
	if pc.clientCert {
		clientConfig.Certificates = []handshake.Certificate{load("client-rsa")}
		serverConfig.ClientAuth = handshake.RequireAndVerifyClientCert
		serverConfig.ClientCAs = roots
	}
	if pc.resume {
		connectOnce(t, clientConfig, serverConfig) // the session to resume
	}
	page := trace.NewPage()
	rec := &recorder{next: page}
	clientConfig.Trace, clientConfig.TraceSecrets = rec, pc.secrets
	serverConfig.Trace, serverConfig.TraceSecrets = page, pc.secrets
	state := connectOnce(t, clientConfig, serverConfig)
	require.Equal(t, pc.resume, state.DidResume)
	var out bytes.Buffer
	require.NoError(t, page.WriteHTML(&out))
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var clientRecords []handshake.RecordTrace
	for _, r := range rec.records {
		if r.Client {
			clientRecords = append(clientRecords, r)
		}
	}
	return out.String(), clientRecords
}

// connectOnce runs one connection: handshake, "hello" each way, close.
func connectOnce(t *testing.T, clientConfig, serverConfig *handshake.Config) handshake.ConnectionState {
	t.Helper()
	clientEnd, serverEnd := net.Pipe()
	client, server := handshake.Client(clientEnd, clientConfig), handshake.Server(serverEnd, serverConfig)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		if err := server.HandshakeContext(ctx); err != nil {
			done <- err
			return
		}
		buf := make([]byte, 5)
		if _, err := io.ReadFull(server, buf); err != nil {
			done <- err
			return
		}
		if _, err := server.Write(buf); err != nil {
			done <- err
			return
		}
		_, err := server.Read(buf) // close_notify
		if err == io.EOF {
			err = nil
		}
		done <- err
	}()
	require.NoError(t, client.HandshakeContext(ctx))
	_, err := client.Write([]byte("hello"))
	require.NoError(t, err)
	_, err = io.ReadFull(client, make([]byte, 5))
	require.NoError(t, err)
	require.NoError(t, client.Close())
	require.NoError(t, <-done)
	server.Close()
	return client.ConnectionState()
}

// leafHex matches one highlighted field of a record's wire pane: its
// record number and its bytes.
var leafHex = regexp.MustCompile(`id="r(\d+)-w-\d+"[^>]*>([0-9a-f ]*)<span class="(?:tip|cut)"`)

// wireHexOf puts each record's wire bytes back together from the page.
func wireHexOf(page string) map[int]string {
	out := map[int]string{}
	for _, m := range leafHex.FindAllStringSubmatch(page, -1) {
		var n int
		fmt.Sscan(m[1], &n)
		out[n] += strings.ReplaceAll(m[2], " ", "")
	}
	return out
}

// requireSelfContained checks that nothing in the page points outside
// it: no src attribute at all, every href a fragment, no url() in CSS.
func requireSelfContained(t *testing.T, page string) {
	t.Helper()
	assert.NotRegexp(t, `(?i)\ssrc\s*=`, page)
	assert.NotRegexp(t, `(?i)url\(`, page)
	assert.NotRegexp(t, `(?i)@import`, page)
	for _, m := range regexp.MustCompile(`(?i)href\s*=\s*"([^"]*)"`).FindAllStringSubmatch(page, -1) {
		assert.True(t, strings.HasPrefix(m[1], "#"), "href %q leaves the page", m[1])
	}
	assert.NotRegexp(t, `(?i)href\s*=\s*[^"\s]`, page, "every href is quoted (and checked above)")
}

// TestPageKinds draws four kinds of connection and checks what each must
// show: every record's bytes in order, and what is special about it.
func TestPageKinds(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pc      pageCase
		want    []string
		notWant []string
	}{
		{"CBC MAC-then-encrypt", pageCase{suite: 0x002F, macThenEncrypt: true, secrets: true},
			[]string{">MAC</b>", ">padding</b>", ">padding_length</b>", "MAC-then-encrypt", ">IV</b>", "MAC input header",
				"TLS_RSA_WITH_AES_128_CBC_SHA (0x002F)", "EncryptedPreMasterSecret"},
			[]string{"Secret: not in this trace"}},
		{"CBC encrypt-then-MAC", pageCase{suite: 0xC027, secrets: true},
			[]string{">MAC</b>", ">padding</b>", "encrypt_then_mac", "the MAC follows the ciphertext"}, nil},
		{"resumed", pageCase{suite: 0xC02F, resume: true, secrets: true},
			[]string{"abbreviated: a session was resumed", "master_secret (resumed)", ">nonce_explicit</b>", ">authentication tag</b>", "additional_data"},
			[]string{"Handshake: Certificate", "pre_master_secret"}},
		{"client certificate", pageCase{suite: 0xC02F, clientCert: true},
			[]string{"Handshake: CertificateRequest", "Handshake: CertificateVerify", "server verifies the client&#39;s certificate chain",
				"client verifies the server&#39;s certificate chain", "extendedKeyUsage clientAuth required", "Secret: not in this trace",
				"salt is key material, shown only with TraceSecrets"},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, records := pageOf(t, tc.pc)
			requireSelfContained(t, page)
			wire := wireHexOf(page)
			require.Len(t, wire, len(records), "one wire pane per record")
			for i, r := range records {
				assert.Equal(t, r.Wire.String(), wire[i], "record %d: every byte, once, in order", i)
				assert.Contains(t, page, fmt.Sprintf(`href="#rec-%d"`, i), "the ladder links record %d", i)
			}
			for _, want := range tc.want {
				assert.True(t, strings.Contains(page, want), "the page lacks %q", want)
			}
			for _, notWant := range tc.notWant {
				assert.False(t, strings.Contains(page, notWant), "the page has %q", notWant)
			}
			for _, check := range regexp.MustCompile(`<td class="(good|bad)">`).FindAllStringSubmatch(page, -1) {
				assert.Equal(t, "good", check[1], "every certificate check passed")
			}
		})
	}
}

// TestPageKeepsBoundedRecords feeds a Page more records than it keeps: it
// draws the first maxPageRecords and says how many more there were.
func TestPageKeepsBoundedRecords(t *testing.T) {
	page := trace.NewPage()
	for i := range 300 {
		page.TraceRecord(handshake.RecordTrace{Client: true, Sent: true, Seq: uint64(i), Wire: handshake.HexBytes{23, 3, 3, 0, 1, 'x'}})
	}
	assert.Equal(t, 256, page.Records())
	var out bytes.Buffer
	require.NoError(t, page.WriteHTML(&out))
	assert.Contains(t, out.String(), "… and 44 more records, not drawn: a page keeps the first 256.")
	assert.Equal(t, 256, strings.Count(out.String(), `<article class="rec `))
}
