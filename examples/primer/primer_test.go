package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemos runs each demo as its subcommand; each checks its own claim
// (and returns an error if it does not hold). The strings are what the
// demo must have shown.
func TestDemos(t *testing.T) {
	for name, wants := range map[string][]string{
		"digest":    {"(again: the same)", "of 256 output bits differ"},
		"hmac":      {"rejects the message", "cannot make the tag"},
		"aes-gcm":   {`decrypted with the same key: "pay alice 100 EUR"`, "Open fails", `"pay alice 000 EUR"`},
		"rsa":       {"decrypted with the private key: the same 48 bytes", "48 unrelated random bytes"},
		"signature": {"verification fails", "0001ffff", "two different signatures", "ECDSA"},
		"dh":        {"client computes B^a mod p = 2; server computes A^b mod p = 2", "ECDH on X25519", "ECDH on P-256"},
		"chain":     {"4. intermediate's signature verifies with the root's public key: ok", "a path of 3 certificates", "signature does not verify", `not valid for "bank.example"`},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, run(name, &out))
			for _, want := range wants {
				assert.Contains(t, out.String(), want)
			}
		})
	}
}

// TestAll is `go run ./examples/primer all`.
func TestAll(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run("all", &out))
	for _, d := range demos() {
		assert.Contains(t, out.String(), "=== "+d.name+": ")
	}
	assert.Error(t, run("no-such-demo", &out))
}
