package main

import (
	"bufio"
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/internal/certgen"
)

func runToString(t *testing.T, opts options) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, run(&out, opts))
	return out.String()
}

// TestSameSeedSameBytes is the walkthrough's promise to a class: the same
// seed prints the same output, byte for byte.
func TestSameSeedSameBytes(t *testing.T) {
	for _, opts := range []options{
		{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1},
		{suite: "ECDHE-RSA-AES128-SHA256", seed: 7, clientCert: true},
		{suite: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", seed: 3, hex: true},
		{suite: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", seed: 2, noEMS: true, macThenEncrypt: true},
		{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 4, resume: "id"},
		{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 5, resume: "ticket", json: true},
		{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 6, side: "server", clientCert: true},
	} {
		t.Run(fmt.Sprintf("%s/%+v", opts.suite, opts), func(t *testing.T) {
			first := runToString(t, opts)
			second := runToString(t, opts)
			assert.Equal(t, first, second)
			opts.seed++
			assert.NotEqual(t, first, runToString(t, opts), "another seed must give other bytes")
		})
	}
}

// TestNarration checks that the story shows what the README promises.
func TestNarration(t *testing.T) {
	for _, tc := range []struct {
		opts options
		want []string
	}{
		{options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1}, []string{
			"client -> server ClientHello", "server -> client ServerKeyExchange", "client_random = ", "server_random = ",
			"pre_master_secret = ", "master_secret (extended) = ", "client_write_key = ", "client_verify_data = ",
			"server_verify_data = ", "master_secret (resumed) = ", "application_data: ", "rsa_pkcs1_sha256"}},
		{options{suite: "TLS_RSA_WITH_AES_128_CBC_SHA", seed: 1}, []string{"EncryptedPreMasterSecret", "client_write_MAC_key = ", "encrypt-then-MAC true"}},
		{options{suite: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", seed: 1, clientCert: true}, []string{"CertificateRequest", "CertificateVerify"}},
		{options{suite: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", seed: 1}, []string{"ecdsa_secp256r1_sha256"}},
		{options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1, hideSecrets: true}, []string{"master_secret (extended) = (secret"}},
		{options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1, hex: true}, []string{"0000  16 ", "nonce_explicit", "decrypted fragment"}},
	} {
		t.Run(tc.opts.suite, func(t *testing.T) {
			out := runToString(t, tc.opts)
			for _, want := range tc.want {
				assert.Contains(t, out, want)
			}
			assert.NotContains(t, out, "unparsed")
		})
	}
}

// TestJSON checks that -json prints one valid object per line, enums as
// {"hex", "name"}.
func TestJSON(t *testing.T) {
	out := runToString(t, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1, json: true})
	events := map[string]int{}
	scanner := bufio.NewScanner(strings.NewReader(out))
	scanner.Buffer(nil, 1<<20)
	for scanner.Scan() {
		var obj map[string]any
		require.NoError(t, json.Unmarshal(scanner.Bytes(), &obj), scanner.Text())
		events[obj["event"].(string)]++
	}
	require.NoError(t, scanner.Err())
	assert.Positive(t, events["message"])
	assert.Positive(t, events["record"])
	assert.Positive(t, events["value"])
	assert.Positive(t, events["section"])
	assert.Contains(t, out, `{"hex":"0xC02F","name":"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}`)
}

func TestUnknownSuite(t *testing.T) {
	assert.Error(t, run(&bytes.Buffer{}, options{suite: "TLS_NOPE"}))
}

// valueLines finds the "[side] name = hex" lines of the narration.
func valueLines(t *testing.T, out, side, name string) [][]byte {
	t.Helper()
	re := regexp.MustCompile(`(?m)^\[` + side + `\] ` + regexp.QuoteMeta(name) + ` = ([0-9a-f]+)`)
	var values [][]byte
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		v, err := hex.DecodeString(m[1])
		require.NoError(t, err)
		values = append(values, v)
	}
	return values
}

// TestBothSidesSameSecrets is the default output's promise: both sides
// are shown computing the pre-master and master secrets, and they are
// equal (issue 15, item 1).
func TestBothSidesSameSecrets(t *testing.T) {
	for _, tc := range []struct {
		opts   options
		master string
	}{
		{options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1}, "master_secret (extended)"},
		{options{suite: "TLS_RSA_WITH_AES_128_CBC_SHA", seed: 1}, "master_secret (extended)"},
		{options{suite: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", seed: 1, clientCert: true, noEMS: true}, "master_secret"},
	} {
		t.Run(tc.opts.suite, func(t *testing.T) {
			out := runToString(t, tc.opts)
			for _, name := range []string{"pre_master_secret", tc.master} {
				client := valueLines(t, out, "client", name)
				server := valueLines(t, out, "server", name)
				require.Len(t, client, 1, name)
				require.Len(t, server, 1, name)
				assert.NotEmpty(t, client[0], name)
				assert.Equal(t, client[0], server[0], "the two sides' %s", name)
				assert.Regexp(t, regexp.QuoteMeta(name)+` +client's == server's`, out)
			}
			assert.Contains(t, out, "recomputed here: equal true")
			assert.NotContains(t, out, "DIFFERENT")
			// The server's own steps are narrated.
			assert.Contains(t, out, "[server] ** chooseParameters")
			assert.Contains(t, out, "[server] ** readClientKeyExchange")
		})
	}
	out := runToString(t, options{suite: "TLS_RSA_WITH_AES_128_GCM_SHA256", seed: 1})
	assert.Contains(t, out, "[server] ** Its first two bytes must be the client_version", "the RSA version check is told")
}

// TestWireOrder checks that the merged narration is in wire order: every
// record a side reads comes after the other side sent it.
func TestWireOrder(t *testing.T) {
	out := runToString(t, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1, clientCert: true})
	recordLine := regexp.MustCompile(`^\[(client|server)\] record (client|server) -> (client|server): (.*)$`)
	sent := map[string]int{}
	var received int
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "3. The resumed handshake") {
			sent = map[string]int{} // a new connection: sequence numbers start again
		}
		m := recordLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		key := m[2] + ">" + m[3] + " " + m[4]
		if m[1] == m[2] {
			sent[key]++
			continue
		}
		received++
		require.Positive(t, sent[key], "%q read before it was sent", line)
		sent[key]--
	}
	assert.Greater(t, received, 10)
	assert.Less(t, strings.Index(out, "[client] client -> server ClientHello"), strings.Index(out, "[server] client -> server ClientHello"))
	assert.Less(t, strings.Index(out, "[server] server -> client ServerHelloDone"), strings.Index(out, "[client] server -> client ServerHello "))
}

// TestSide checks -side: one side's trace only; the comparison stays.
func TestSide(t *testing.T) {
	for side, other := range map[string]string{"client": "server", "server": "client"} {
		out := runToString(t, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1, side: side})
		assert.Contains(t, out, "["+side+"] ")
		assert.NotContains(t, out, "["+other+"] ")
		assert.Contains(t, out, "client's == server's")
	}
	assert.Error(t, run(&bytes.Buffer{}, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", side: "middle"}))
}

// TestNoEMS checks that -no-ems prints the RFC 5246, 8.1 formula with its
// three inputs, recomputed, and why RFC 7627 replaced it.
func TestNoEMS(t *testing.T) {
	out := runToString(t, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1, noEMS: true})
	assert.Contains(t, out, "extended master secret false")
	assert.Contains(t, out, `master_secret = PRF(pre_master_secret, "master secret",`)
	clientRandom := valueLines(t, out, "client", "client_random")[0]
	serverRandom := valueLines(t, out, "client", "server_random")[0]
	preMaster := valueLines(t, out, "client", "pre_master_secret")[0]
	assert.Contains(t, out, fmt.Sprintf("ClientHello.random = %x", clientRandom))
	assert.Contains(t, out, fmt.Sprintf("ServerHello.random = %x", serverRandom))
	assert.Contains(t, out, fmt.Sprintf("pre_master_secret  = %x", preMaster))
	assert.Contains(t, out, "prf.MasterSecret(SHA-256, the three above), recomputed here: equal true")
	assert.Contains(t, out, "triple handshake")
	assert.NotContains(t, out, "master_secret (extended) =")

	out = runToString(t, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1})
	assert.Contains(t, out, "prf.ExtendedMasterSecret(SHA-256, pre_master_secret, session_hash), recomputed here: equal true")
	assert.Contains(t, out, "-no-ems")
}

// TestMacThenEncrypt checks that -mac-then-encrypt turns RFC 7366 off for
// a CBC suite, and that the trace labels the records accordingly.
func TestMacThenEncrypt(t *testing.T) {
	out := runToString(t, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", seed: 1, macThenEncrypt: true, json: true})
	assert.True(t, strings.Contains(out, "(MAC-then-encrypt)"), "the records are labelled MAC-then-encrypt")
	assert.False(t, strings.Contains(out, "MAC'd"), "no record is labelled encrypt-then-MAC")
	out = runToString(t, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", seed: 1, macThenEncrypt: true})
	assert.Contains(t, out, "encrypt-then-MAC false")
	out = runToString(t, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", seed: 1})
	assert.Contains(t, out, "encrypt-then-MAC true")
}

// TestResume checks that each -resume says which mechanism resumed.
func TestResume(t *testing.T) {
	for _, tc := range []struct {
		resume string
		want   []string
		not    []string
	}{
		{"id", []string{"Resumed: true.", "Resumed by the session ID", "the client asked for no ticket"}, []string{"NewSessionTicket", "4. A ticket"}},
		{"ticket", []string{"Resumed: true.", "Resumed by the session ticket", "the server keeps no session cache",
			"4. A ticket the server cannot open", "Resumed: false. A full handshake"}, nil},
		{"both", []string{"Resumed: true.", "Resumed by the session ticket", "The server tries a ticket first", "MUST NOT attempt to use"}, []string{"4. A ticket"}},
	} {
		t.Run(tc.resume, func(t *testing.T) {
			out := runToString(t, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1, resume: tc.resume})
			for _, want := range tc.want {
				assert.Contains(t, out, want)
			}
			for _, not := range tc.not {
				assert.NotContains(t, out, not)
			}
		})
	}
	assert.Error(t, run(&bytes.Buffer{}, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", resume: "psk"}))
}

// TestLintReport: the walkthrough shows lints only when there are some:
// none for the checked-in test PKI, and one line per broken rule for a
// sloppy chain (here a leaf without extKeyUsage, CA/B Forum BR 7.1.2.7.10).
func TestLintReport(t *testing.T) {
	out := runToString(t, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"})
	assert.Contains(t, out, "Handshake complete")
	assert.NotContains(t, out, "What a stricter verifier would say")

	root, err := certgen.NewCA("Walkthrough Lint Root")
	require.NoError(t, err)
	tmpl := certgen.ServerTemplate(certgen.ECDSAP256)
	tmpl.ExtKeyUsage = nil
	leaf, _, err := root.Issue(tmpl)
	require.NoError(t, err)
	report := lintReport(handshake.ConnectionState{VerifiedChains: [][]*x509.Certificate{{leaf, root.Cert}}})
	assert.Contains(t, report, "would have refused it")
	assert.Contains(t, report, "certificate 0 (CN=localhost,O=glasstls test PKI): extKeyUsage present in the leaf")
	assert.Contains(t, report, "CA/Browser Forum BR 7.1.2.7.10")
	assert.Empty(t, lintReport(handshake.ConnectionState{}))
}
