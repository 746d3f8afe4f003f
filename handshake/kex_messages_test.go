package handshake

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// The key exchange messages whose shape depends on the negotiated suite
// (RFC 5246, 7.4.3 and 7.4.7): each form marshals, parses back as the same
// form, and no cut of it parses.

// kexTestMessages are one ServerKeyExchange per form, with the key
// exchange to read it as.
func kexTestMessages() []struct {
	kx  cipher.KeyExchange
	msg *serverKeyExchangeMsg
} {
	return []struct {
		kx  cipher.KeyExchange
		msg *serverKeyExchangeMsg
	}{
		{cipher.KeyExchangeDHE, &serverKeyExchangeMsg{keyExchange: cipher.KeyExchangeDHE,
			dhP: bytes.Repeat([]byte{0xff}, 256), dhG: []byte{2}, dhYs: bytes.Repeat([]byte{0x42}, 256),
			signatureScheme: PSSWithSHA256, signature: []byte{1, 2, 3}}},
		{cipher.KeyExchangeECDHE, &serverKeyExchangeMsg{curveType: curveTypeNamedCurve, curve: cipher.CurveX25519,
			publicKey: bytes.Repeat([]byte{9}, 32), signatureScheme: PSSWithSHA256, signature: []byte{4, 5}}},
	}
}

func TestServerKeyExchangeForms(t *testing.T) {
	for _, tt := range kexTestMessages() {
		t.Run(tt.kx.String(), func(t *testing.T) {
			data, err := tt.msg.marshal()
			require.NoError(t, err)
			parsed, err := parseHandshakeMessage(data, tt.kx)
			require.NoError(t, err)
			ske := parsed.(*serverKeyExchangeMsg)
			assert.Equal(t, tt.msg.params(), ske.params())
			assert.Equal(t, tt.msg.signature, ske.signature)
			for n := handshakeHeaderLen; n < len(data); n++ {
				_, err := parseHandshakeMessage(frame(typeServerKeyExchange, data[handshakeHeaderLen:n]), tt.kx)
				assert.Error(t, err, "body cut to %d bytes", n-handshakeHeaderLen)
			}
			_, err = parseHandshakeMessage(frame(typeServerKeyExchange, append(bytes.Clone(data[handshakeHeaderLen:]), 0)), tt.kx)
			assert.Error(t, err, "trailing byte")
		})
	}
	// The DHE form read as ECDHE (and the reverse) does not parse: the
	// shape comes from the suite, never from the bytes.
	dhe, _ := kexTestMessages()[0].msg.marshal()
	_, err := parseHandshakeMessage(dhe, cipher.KeyExchangeECDHE)
	assert.Error(t, err)

	// Empty DHE fields are refused on both sides (each is <1..2^16-1>).
	_, err = (&serverKeyExchangeMsg{keyExchange: cipher.KeyExchangeDHE, dhP: []byte{1}, dhG: []byte{2}}).marshal()
	assert.Error(t, err)
	_, err = parseHandshakeMessage(frame(typeServerKeyExchange, []byte{0, 1, 0xff, 0, 1, 2, 0, 0, 0x08, 0x04, 0, 0}), cipher.KeyExchangeDHE)
	assert.Error(t, err, "empty dh_Ys")
}

func TestDHEClientKeyExchange(t *testing.T) {
	value := bytes.Repeat([]byte{7}, 256)
	cke := newDHEClientKeyExchange(value)
	data, err := cke.marshal()
	require.NoError(t, err)
	parsed, err := parseHandshakeMessage(data, cipher.KeyExchangeDHE)
	require.NoError(t, err)
	got, ok := parsed.(*clientKeyExchangeMsg).dhePublicValue()
	require.True(t, ok)
	assert.Equal(t, value, got)
	_, ok = (&clientKeyExchangeMsg{body: []byte{0, 2, 1}}).dhePublicValue()
	assert.False(t, ok, "length says 2, one byte follows")
	_, ok = (&clientKeyExchangeMsg{body: []byte{0, 0}}).dhePublicValue()
	assert.False(t, ok, "dh_Yc is <1..2^16-1>")
	_, err = newDHEClientKeyExchange(nil).marshal()
	assert.Error(t, err)
}

// FuzzKeyExchangeMessages reads arbitrary bodies as every form of
// ServerKeyExchange and ClientKeyExchange: an error is always an alert,
// and whatever parses marshals back to the same bytes.
func FuzzKeyExchangeMessages(f *testing.F) {
	for _, tt := range kexTestMessages() {
		data, err := tt.msg.marshal()
		require.NoError(f, err)
		f.Add(data[handshakeHeaderLen:])
	}
	f.Add(newDHEClientKeyExchange(bytes.Repeat([]byte{3}, 256)).body)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) >= 1<<24 {
			return
		}
		for _, kx := range []cipher.KeyExchange{cipher.KeyExchangeECDHE, cipher.KeyExchangeDHE, cipher.KeyExchangeRSA} {
			data := frame(typeServerKeyExchange, body)
			msg, err := parseHandshakeMessage(data, kx)
			if err != nil {
				var alertErr *record.AlertError
				require.True(t, errors.As(err, &alertErr), "not an AlertError: %v", err)
				continue
			}
			again, err := msg.marshal()
			require.NoError(t, err, "a parsed %v ServerKeyExchange must marshal", kx)
			assert.Equal(t, data, again)
		}
		cke := &clientKeyExchangeMsg{body: body}
		if value, ok := cke.dhePublicValue(); ok {
			assert.Equal(t, body, newDHEClientKeyExchange(value).body)
		}
	})
}
