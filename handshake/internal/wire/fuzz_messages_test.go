package wire

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/record"
)

// withoutBookkeeping returns a copy of m with raw and the extension list
// cleared: what must survive a marshal/parse round trip (unknown
// extensions are dropped, and the order is ours).
func withoutBookkeeping(m Message) Message {
	m = withRaw(m, nil)
	switch m := m.(type) {
	case *ClientHello:
		m.Extensions = nil
	case *ServerHello:
		m.Extensions = nil
	}
	return m
}

// checkReparse is the property every fuzz target checks: whatever parses
// marshals again, and that parses to the same message.
func checkReparse(t *testing.T, msg Message) {
	out, err := msg.Marshal()
	require.NoError(t, err, "a parsed message must marshal")
	again, err := Parse(out, 0)
	require.NoError(t, err, "a re-marshaled message must parse")
	assert.Equal(t, withoutBookkeeping(msg), withoutBookkeeping(again))
	if cke, ok := msg.(*ClientKeyExchange); ok {
		// The accessors must not panic on any body either.
		cke.RSAEncryptedPreMasterSecret()
		cke.ECDHEPublicKey()
	}
}

// fuzzSeeds returns every round-trip test message marshaled, plus the
// captured OpenSSL ClientHello.
func fuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, tt := range testMessages() {
		data, err := tt.msg.Marshal()
		require.NoError(f, err)
		seeds = append(seeds, data)
	}
	hello, err := os.ReadFile(filepath.Join("testdata", "openssl_client_hello.bin"))
	require.NoError(f, err)
	return append(seeds, hello)
}

func FuzzParseHandshakeMessage(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	f.Add([]byte{})
	f.Add([]byte{TypeClientHello, 0, 0})
	f.Add([]byte{99, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := Parse(data, 0)
		if err != nil {
			assert.Nil(t, msg)
			var alertErr *record.AlertError
			assert.True(t, errors.As(err, &alertErr), "not an AlertError: %v", err)
			return
		}
		checkReparse(t, msg)
	})
}

// fuzzHelloBodies feeds hello bodies, header added by the target, so the
// fuzzer spends its time inside the body rather than on the length.
func fuzzHelloBodies(f *testing.F, typ uint8) {
	for _, seed := range fuzzSeeds(f) {
		if seed[0] == typ {
			f.Add(seed[MessageHeaderLen:])
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) >= 1<<24 {
			return
		}
		msg, err := Parse(frame(typ, body), 0)
		if err != nil {
			return
		}
		checkReparse(t, msg)
	})
}

func FuzzClientHello(f *testing.F) {
	fuzzHelloBodies(f, TypeClientHello)
}

func FuzzServerHello(f *testing.F) {
	fuzzHelloBodies(f, TypeServerHello)
}
