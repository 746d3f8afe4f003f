package wire

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
	msg *ServerKeyExchange
} {
	return []struct {
		kx  cipher.KeyExchange
		msg *ServerKeyExchange
	}{
		{cipher.KeyExchangeDHE, &ServerKeyExchange{KeyExchange: cipher.KeyExchangeDHE,
			DHP: bytes.Repeat([]byte{0xff}, 256), DHG: []byte{2}, DHYs: bytes.Repeat([]byte{0x42}, 256),
			SignatureScheme: PSSWithSHA256, Signature: []byte{1, 2, 3}}},
		{cipher.KeyExchangeECDHE, &ServerKeyExchange{CurveType: CurveTypeNamedCurve, Curve: cipher.CurveX25519,
			PublicKey: bytes.Repeat([]byte{9}, 32), SignatureScheme: PSSWithSHA256, Signature: []byte{4, 5}}},
		{cipher.KeyExchangePSK, &ServerKeyExchange{KeyExchange: cipher.KeyExchangePSK, PSKIdentityHint: []byte("hint")}},
		{cipher.KeyExchangeECDHEPSK, &ServerKeyExchange{KeyExchange: cipher.KeyExchangeECDHEPSK, PSKIdentityHint: []byte("hint"),
			CurveType: CurveTypeNamedCurve, Curve: cipher.CurveX25519, PublicKey: bytes.Repeat([]byte{9}, 32)}},
	}
}

func TestServerKeyExchangeForms(t *testing.T) {
	for _, tt := range kexTestMessages() {
		t.Run(tt.kx.String(), func(t *testing.T) {
			data, err := tt.msg.Marshal()
			require.NoError(t, err)
			parsed, err := Parse(data, tt.kx)
			require.NoError(t, err)
			ske := parsed.(*ServerKeyExchange)
			assert.Equal(t, tt.msg.Params(), ske.Params())
			assert.Equal(t, tt.msg.Signature, ske.Signature)
			for n := MessageHeaderLen; n < len(data); n++ {
				_, err := Parse(frame(TypeServerKeyExchange, data[MessageHeaderLen:n]), tt.kx)
				assert.Error(t, err, "body cut to %d bytes", n-MessageHeaderLen)
			}
			_, err = Parse(frame(TypeServerKeyExchange, append(bytes.Clone(data[MessageHeaderLen:]), 0)), tt.kx)
			assert.Error(t, err, "trailing byte")
		})
	}
	// The DHE form read as ECDHE (and the reverse) does not parse: the
	// shape comes from the suite, never from the bytes.
	dhe, _ := kexTestMessages()[0].msg.Marshal()
	_, err := Parse(dhe, cipher.KeyExchangeECDHE)
	assert.Error(t, err)

	// Empty DHE fields are refused on both sides (each is <1..2^16-1>).
	_, err = (&ServerKeyExchange{KeyExchange: cipher.KeyExchangeDHE, DHP: []byte{1}, DHG: []byte{2}}).Marshal()
	assert.Error(t, err)
	_, err = Parse(frame(TypeServerKeyExchange, []byte{0, 1, 0xff, 0, 1, 2, 0, 0, 0x08, 0x04, 0, 0}), cipher.KeyExchangeDHE)
	assert.Error(t, err, "empty dh_Ys")
}

func TestDHEClientKeyExchange(t *testing.T) {
	value := bytes.Repeat([]byte{7}, 256)
	cke := NewDHEClientKeyExchange(value)
	data, err := cke.Marshal()
	require.NoError(t, err)
	parsed, err := Parse(data, cipher.KeyExchangeDHE)
	require.NoError(t, err)
	got, ok := parsed.(*ClientKeyExchange).DHEPublicValue()
	require.True(t, ok)
	assert.Equal(t, value, got)
	_, ok = (&ClientKeyExchange{Body: []byte{0, 2, 1}}).DHEPublicValue()
	assert.False(t, ok, "length says 2, one byte follows")
	_, ok = (&ClientKeyExchange{Body: []byte{0, 0}}).DHEPublicValue()
	assert.False(t, ok, "dh_Yc is <1..2^16-1>")
	_, err = NewDHEClientKeyExchange(nil).Marshal()
	assert.Error(t, err)
}

// FuzzKeyExchangeMessages reads arbitrary bodies as every form of
// ServerKeyExchange and ClientKeyExchange: an error is always an alert,
// and whatever parses marshals back to the same bytes.
func FuzzKeyExchangeMessages(f *testing.F) {
	for _, tt := range kexTestMessages() {
		data, err := tt.msg.Marshal()
		require.NoError(f, err)
		f.Add(data[MessageHeaderLen:])
	}
	f.Add(NewDHEClientKeyExchange(bytes.Repeat([]byte{3}, 256)).Body)
	f.Add(NewPSKClientKeyExchange([]byte("client1"), bytes.Repeat([]byte{5}, 32)).Body)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) >= 1<<24 {
			return
		}
		for _, kx := range []cipher.KeyExchange{cipher.KeyExchangeECDHE, cipher.KeyExchangeDHE, cipher.KeyExchangeRSA, cipher.KeyExchangePSK, cipher.KeyExchangeECDHEPSK} {
			data := frame(TypeServerKeyExchange, body)
			msg, err := Parse(data, kx)
			if err != nil {
				var alertErr *record.AlertError
				require.True(t, errors.As(err, &alertErr), "not an AlertError: %v", err)
				continue
			}
			again, err := msg.Marshal()
			require.NoError(t, err, "a parsed %v ServerKeyExchange must marshal", kx)
			assert.Equal(t, data, again)
		}
		cke := &ClientKeyExchange{Body: body}
		if value, ok := cke.DHEPublicValue(); ok {
			assert.Equal(t, body, NewDHEClientKeyExchange(value).Body)
		}
		if identity, _, ok := cke.PSKIdentity(false); ok {
			assert.Equal(t, body, NewPSKClientKeyExchange(identity, nil).Body)
		}
		if identity, publicKey, ok := cke.PSKIdentity(true); ok {
			assert.Equal(t, body, NewPSKClientKeyExchange(identity, publicKey).Body)
		}
	})
}

func TestPSKClientKeyExchange(t *testing.T) {
	for _, publicKey := range [][]byte{nil, bytes.Repeat([]byte{5}, 32)} {
		cke := NewPSKClientKeyExchange([]byte("client1"), publicKey)
		data, err := cke.Marshal()
		require.NoError(t, err)
		parsed, err := Parse(data, 0)
		require.NoError(t, err)
		identity, gotKey, ok := parsed.(*ClientKeyExchange).PSKIdentity(publicKey != nil)
		require.True(t, ok)
		assert.Equal(t, "client1", string(identity))
		assert.Equal(t, publicKey, gotKey)
		_, _, ok = parsed.(*ClientKeyExchange).PSKIdentity(publicKey == nil)
		assert.False(t, ok, "read as the other form, it does not parse")
	}
	// An empty identity is allowed (<0..2^16-1>); an empty ECDHE key is not.
	_, _, ok := (&ClientKeyExchange{Body: []byte{0, 0}}).PSKIdentity(false)
	assert.True(t, ok)
	_, _, ok = (&ClientKeyExchange{Body: []byte{0, 0, 0}}).PSKIdentity(true)
	assert.False(t, ok)
}
