package wire

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// requireCovers checks that the leaves of a field tree label every byte of
// [0, n) exactly once, in order: the hex dump relies on it.
func requireCovers(t *testing.T, fields []Field, n int, what string) {
	t.Helper()
	require.NoError(t, CheckCovers(fields, n), what)
}

// TestDescribeMalformed feeds the describer bytes that are not a valid
// message: it must label every byte and never panic.
func TestDescribeMalformed(t *testing.T) {
	for _, msg := range [][]byte{
		{},
		{1},
		{1, 0, 0, 5, 3, 3},
		{2, 0, 0, 3, 3, 3, 0xff},
		{11, 0, 0, 6, 0, 0, 9, 0, 0, 1},
		{16, 0, 0, 3, 7, 1, 2},
		{99, 0, 0, 2, 1, 2},
	} {
		fields := Describe(msg, 0)
		requireCovers(t, fields, len(msg), "malformed")
	}
}

func FuzzDescribeMessage(f *testing.F) {
	f.Add([]byte{1, 0, 0, 5, 3, 3, 0, 0, 0})
	f.Add([]byte{12, 0, 0, 4, 3, 0, 23, 0})
	f.Fuzz(func(t *testing.T, msg []byte) {
		requireCovers(t, Describe(msg, 0), len(msg), "fuzz")
		for typ := range 24 {
			content := DescribeContent(record.ContentType(typ), msg, cipher.KeyExchangeRSA)
			requireCovers(t, content, len(msg), "content")
		}
	})
}

// TestDescribeValidMessages runs Describe over every round-trip test
// message: as Parse accepts them, Describe must label every byte and leave
// nothing "unparsed", and a ClientKeyExchange must be read in the form
// the key exchange gives it.
func TestDescribeValidMessages(t *testing.T) {
	for _, tt := range testMessages() {
		data, err := tt.msg.Marshal()
		require.NoError(t, err, tt.name)
		var kx cipher.KeyExchange
		if ske, ok := tt.msg.(*ServerKeyExchange); ok {
			kx = ske.KeyExchange
		}
		if cke, ok := tt.msg.(*ClientKeyExchange); ok {
			if _, ok := cke.ECDHEPublicKey(); ok {
				kx = cipher.KeyExchangeECDHE
			} else if _, ok := cke.RSAEncryptedPreMasterSecret(); ok {
				kx = cipher.KeyExchangeRSA
			}
		}
		fields := Describe(data, kx)
		requireCovers(t, fields, len(data), tt.name)
		var walk func([]Field)
		walk = func(fs []Field) {
			for _, f := range fs {
				require.NotEqual(t, "unparsed", f.Name, tt.name)
				walk(f.Fields)
			}
		}
		walk(fields)
	}
}

func TestDescribeClientKeyExchangeForms(t *testing.T) {
	ecdhe, err := NewECDHEClientKeyExchange(make([]byte, 32)).Marshal()
	require.NoError(t, err)
	rsa, err := NewRSAClientKeyExchange(make([]byte, 256)).Marshal()
	require.NoError(t, err)
	for _, tt := range []struct {
		data []byte
		kx   cipher.KeyExchange
		want string
	}{
		{ecdhe, cipher.KeyExchangeECDHE, "ecdh_Yc"},
		{rsa, cipher.KeyExchangeRSA, "EncryptedPreMasterSecret"},
		{ecdhe, 0, "exchange_keys"},
		{ecdhe, cipher.KeyExchangeRSA, "unparsed"}, // the wrong form does not fit
	} {
		fields := Describe(tt.data, tt.kx)
		requireCovers(t, fields, len(tt.data), tt.want)
		require.Equal(t, tt.want, fields[len(fields)-1].Name)
	}
}

// TestDescribeKeyExchangeForms: each ServerKeyExchange form, and DHE's
// ClientKeyExchange, is labelled in full when Describe is told the key
// exchange.
func TestDescribeKeyExchangeForms(t *testing.T) {
	for _, tt := range kexTestMessages() {
		data, err := tt.msg.Marshal()
		require.NoError(t, err)
		fields := Describe(data, tt.kx)
		requireCovers(t, fields, len(data), tt.kx.String())
		require.NotEqual(t, "unparsed", fields[len(fields)-1].Name, tt.kx.String())
		if tt.kx == cipher.KeyExchangePSK || tt.kx == cipher.KeyExchangeECDHEPSK {
			require.Equal(t, "psk_identity_hint", fields[2].Name) // RFC 4279, 2: before any params
		} else {
			require.Equal(t, "params", fields[2].Name)
		}
	}
	dhe, err := NewDHEClientKeyExchange(bytes.Repeat([]byte{7}, 256)).Marshal()
	require.NoError(t, err)
	fields := Describe(dhe, cipher.KeyExchangeDHE)
	requireCovers(t, fields, len(dhe), "DHE ClientKeyExchange")
	require.Equal(t, "dh_Yc", fields[len(fields)-1].Name)
}
