package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	} {
		t.Run(opts.suite, func(t *testing.T) {
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
