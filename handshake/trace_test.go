package handshake

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
)

// recordingTracer keeps every event.
type recordingTracer struct {
	mu       sync.Mutex
	records  []RecordTrace
	messages []MessageTrace
	values   []ValueTrace
}

func (r *recordingTracer) TraceRecord(ev RecordTrace) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, ev)
}

func (r *recordingTracer) TraceMessage(ev MessageTrace) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.messages = append(r.messages, ev)
}

func (r *recordingTracer) TraceValue(ev ValueTrace) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.values = append(r.values, ev)
}

func (r *recordingTracer) value(name string) (ValueTrace, bool) {
	for _, v := range r.values {
		if v.Name == name {
			return v, true
		}
	}
	return ValueTrace{}, false
}

// requireCovers checks that the leaves of a field tree label every byte of
// [0, n) exactly once, in order: the hex dump relies on it.
func requireCovers(t *testing.T, fields []Field, n int, what string) {
	t.Helper()
	require.NoError(t, wire.CheckCovers(fields, n), what)
}

func TestTraceEverySuite(t *testing.T) {
	pki := loadTestPKI(t)
	for _, suite := range cipher.Suites() {
		if suite.Auth == cipher.AuthPSK {
			continue // no certificate: psk_test.go and psk_interop_test.go
		}
		for _, secrets := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/secrets=%v", suite.Name, secrets), func(t *testing.T) {
				tracer := &recordingTracer{}
				clientConfig := pki.clientConfig()
				clientConfig.CipherSuites = []uint16{suite.ID}
				clientConfig.Trace = tracer
				clientConfig.TraceSecrets = secrets
				clientConfig.NextProtos = []string{"h2"}
				serverConfig := pki.serverConfig()
				serverConfig.NextProtos = []string{"h2"}
				serverConfig.CipherSuites = []uint16{suite.ID}
				client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
				require.NoError(t, clientErr)
				require.NoError(t, serverErr)
				exchange(t, client, server)

				var names []string
				for _, m := range tracer.messages {
					names = append(names, m.Name)
					assert.True(t, m.Client)
					requireCovers(t, m.Fields, len(m.Raw), m.Name)
					assert.NotContains(t, m.Fields, Field{Name: "unparsed"})
				}
				want := []string{"ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone", "ClientKeyExchange", "Finished", "Finished"}
				if suite.KeyExchange == cipher.KeyExchangeRSA {
					want = []string{"ClientHello", "ServerHello", "Certificate", "ServerHelloDone", "ClientKeyExchange", "Finished", "Finished"}
				}
				assert.Equal(t, want, names)

				var protected int
				for i, r := range tracer.records {
					requireCovers(t, r.Fields, len(r.Wire), r.Type.String())
					requireCovers(t, r.Content, len(r.Plaintext), r.Type.String()+" content")
					for _, f := range append(r.Fields, r.Content...) {
						assert.NotEqual(t, "unparsed", f.Name, "record %d", i)
					}
					// RFC 5246, 6.2.3: a protected record is a TLSCiphertext.
					header := "TLSPlaintext header"
					if r.Protected {
						protected++
						header = "TLSCiphertext header"
					}
					assert.Equal(t, header, r.Fields[0].Name, "record %d", i)
				}
				assert.Greater(t, protected, 4, "Finished both ways and application data are encrypted")

				for _, name := range []string{valueClientRandom, valueServerRandom, valueClientVerifyData, valueServerVerifyData, valueClientWriteKey, valuePreMasterSecret} {
					v, ok := tracer.value(name)
					require.True(t, ok, "value %s not traced", name)
					assert.NotEmpty(t, v.Formula, name)
					if v.Secret && !secrets {
						assert.Nil(t, v.Value, "%s shown without TraceSecrets", name)
					} else {
						assert.NotEmpty(t, v.Value, name)
					}
				}
				_, ok := tracer.value(valueExtendedMasterKey)
				assert.True(t, ok, "the extended master secret is the default")
				if secrets {
					key, _ := tracer.value(valueClientWriteKey)
					assert.Len(t, key.Value, suite.KeyLen)
				}
			})
		}
	}
}
