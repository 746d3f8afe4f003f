package handshake

import (
	"bytes"
	"crypto/aes"
	stdcipher "crypto/cipher"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/record"
)

// verifyingTracer is a recordingTracer that also keeps verifications.
type verifyingTracer struct {
	recordingTracer
	verifications []VerificationTrace
}

func (v *verifyingTracer) TraceVerification(ev VerificationTrace) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.verifications = append(v.verifications, ev)
}

// TestTraceProtectionIsWhatWasEncrypted checks the trace's recomputed
// protection against the record itself: a CBC record's decrypted part
// (content, MAC, padding) is what AES-CBC under the writer's key gives for
// the wire bytes, and a GCM record opens with the traced nonce and
// additional data. Without TraceSecrets the nonce is withheld.
func TestTraceProtectionIsWhatWasEncrypted(t *testing.T) {
	pki := loadTestPKI(t)
	for _, tc := range []struct {
		suite          uint16
		encryptThenMAC bool
		secrets        bool
	}{
		{0x002F, false, true}, // TLS_RSA_WITH_AES_128_CBC_SHA, MAC-then-encrypt
		{0xC027, true, true},  // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, encrypt-then-MAC
		{0xC028, false, true}, // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, MAC-then-encrypt
		{0xC02F, false, true}, // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
		{0xC02F, false, false},
	} {
		t.Run(fmt.Sprintf("%04x/etm=%v/secrets=%v", tc.suite, tc.encryptThenMAC, tc.secrets), func(t *testing.T) {
			tracer := &verifyingTracer{}
			clientConfig := pki.clientConfig()
			clientConfig.CipherSuites = []uint16{tc.suite}
			clientConfig.DisableEncryptThenMAC = !tc.encryptThenMAC
			clientConfig.Trace = tracer
			clientConfig.TraceSecrets = tc.secrets
			serverConfig := pki.serverConfig()
			serverConfig.CipherSuites = []uint16{tc.suite}
			client, server, clientErr, serverErr := handshakePair(t, clientConfig, serverConfig)
			require.NoError(t, clientErr)
			require.NoError(t, serverErr)
			exchange(t, client, server)

			key := func(name string) []byte { v, _ := tracer.value(name); return v.Value }
			checked := 0
			for i, r := range tracer.records {
				if !r.Protected {
					assert.Empty(t, r.Protection, "record %d", i)
					continue
				}
				require.NotEmpty(t, r.Protection, "record %d", i)
				writer := "server"
				if r.Sent {
					writer = "client"
				}
				fragment := r.Wire[record.RecordHeaderLen:]
				if tc.suite == 0xC02F {
					nonce, ad := r.Protection[0], r.Protection[1]
					assert.Equal(t, "additional_data", ad.Name)
					if !tc.secrets {
						assert.Nil(t, nonce.Data, "the nonce holds write_IV")
						assert.Contains(t, nonce.Note, "TraceSecrets")
						continue
					}
					block, err := aes.NewCipher(key(writer + "_write_key"))
					require.NoError(t, err)
					gcm, err := stdcipher.NewGCM(block)
					require.NoError(t, err)
					opened, err := gcm.Open(nil, nonce.Data, fragment[8:], ad.Data)
					require.NoError(t, err, "record %d opens with the traced nonce and additional data", i)
					assert.Equal(t, []byte(r.Plaintext), opened)
					requireCovers(t, nonce.Fields, len(nonce.Data), "nonce")
					// Checked after the connection: the trace's bytes are its
					// own, not the record layer's reused buffer.
					assert.Equal(t, HexBytes(fragment[:8]), nonce.Fields[1].Value, "record %d: nonce_explicit", i)
					checked++
					continue
				}
				decrypted := r.Protection[0]
				requireCovers(t, decrypted.Fields, len(decrypted.Data), "decrypted")
				block, err := aes.NewCipher(key(writer + "_write_key"))
				require.NoError(t, err)
				enc := fragment[16:]
				if tc.encryptThenMAC {
					enc = enc[:len(enc)-len(key(writer+"_write_MAC_key"))]
				}
				plain := make([]byte, len(enc))
				stdcipher.NewCBCDecrypter(block, fragment[:16]).CryptBlocks(plain, enc)
				assert.Equal(t, plain, []byte(decrypted.Data), "record %d: the traced decryption is AES-CBC's", i)
				names := []string{}
				for _, f := range decrypted.Fields {
					names = append(names, f.Name)
				}
				assert.Contains(t, names, "padding_length")
				if tc.encryptThenMAC {
					assert.NotContains(t, names, "MAC")
				} else {
					assert.Contains(t, names, "MAC")
				}
				assert.True(t, bytes.HasPrefix(decrypted.Data, r.Plaintext))
				checked++
			}
			if tc.secrets {
				assert.Greater(t, checked, 4)
			}

			require.Len(t, tracer.verifications, 1)
			v := tracer.verifications[0]
			assert.True(t, v.Client)
			assert.Equal(t, "localhost", v.ServerName)
			assert.Empty(t, v.Err)
			require.Len(t, v.Verified, 1)
			assert.NotEmpty(t, v.Checks)
			for _, c := range v.Checks {
				assert.Empty(t, c.Err, c.Check)
			}
			hash, ok := tracer.value(valueClientHandshakeHash)
			require.True(t, ok)
			assert.Contains(t, []int{32, 48}, len(hash.Value), "SHA-256 or SHA-384, the PRF hash")
			assert.NotEmpty(t, hash.Function)
		})
	}
}
