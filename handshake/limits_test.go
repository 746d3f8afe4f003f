package handshake

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"

	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// TestLargestClientHello sends our server ClientHellos by hand at the
// sizes the encoding of RFC 5246, 7.4.1.2 allows: one extension of
// 65,519 bytes (legal, the extensions block may be 2^16-1 bytes long), and
// every field at its largest (maxClientHelloLen, 131,396 bytes). Both must
// be answered with a ServerHello, not refused as oversized. One byte more
// cannot be a ClientHello: decode_error (the hostile-client table).
func TestLargestClientHello(t *testing.T) {
	pki := loadTestPKI(t)
	// RSA key exchange, so that a hello without supported_groups or
	// signature_algorithms still leaves the server a suite to choose.
	rsaOnly := []uint16{suiteRSAGCM}

	cases := []struct {
		name        string
		sessionID   []byte
		suites      []uint16
		compression []byte
		extensions  []byte // the extensions block, without its length
	}{
		{
			name:        "one extension of 65,519 bytes",
			suites:      rsaOnly,
			compression: []byte{wire.CompressionNone},
			extensions:  oneExtension(0x4242, 65519),
		},
		{
			name:        "every field at its largest",
			sessionID:   bytes.Repeat([]byte{7}, wire.MaxSessionIDLen),
			suites:      append(rsaOnly, repeatUint16(0x4a4a, (65534/2)-1)...),
			compression: append([]byte{wire.CompressionNone}, bytes.Repeat([]byte{0x40}, 254)...),
			extensions:  oneExtension(0x4242, 65535-4),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hello := handBuiltClientHello(t, tc.sessionID, tc.suites, tc.compression, tc.extensions)
			if tc.sessionID != nil {
				require.Equal(t, maxClientHelloLen, len(hello)-4, "the largest ClientHello the encoding allows")
			}
			require.Greater(t, len(hello)-4, record.MaxHandshakeMessage, "larger than the cap for other messages")

			serverConfig := pki.serverConfig()
			serverConfig.CipherSuites = rsaOnly
			clientRaw, serverRaw := tcpPair(t)
			server := Server(serverRaw, serverConfig)
			serverErr := make(chan error, 1)
			go func() { serverErr <- server.Handshake() }()

			_ = clientRaw.SetDeadline(time.Now().Add(10 * time.Second))
			rec := record.NewConn(clientRaw, clientRaw)
			_, err := rec.WriteRecord(record.TypeHandshake, hello)
			require.NoError(t, err)
			typ, msg, err := rec.ReadMessage()
			require.NoError(t, err, "the server must answer, not refuse the ClientHello")
			require.Equal(t, record.TypeHandshake, typ)
			serverHello, ok := mustParse(t, msg).(*wire.ServerHello)
			require.True(t, ok, "want a ServerHello, got message type %d", msg[0])
			assert.Equal(t, uint16(suiteRSAGCM), serverHello.CipherSuite)

			_ = clientRaw.Close()
			require.Error(t, <-serverErr) // we never finish the handshake
		})
	}
}

// handBuiltClientHello encodes a ClientHello (header included) field by
// field, so that the test, not clientHelloMsg, decides every length.
func handBuiltClientHello(t testing.TB, sessionID []byte, suites []uint16, compression, extensions []byte) []byte {
	var b cryptobyte.Builder
	b.AddUint8(wire.TypeClientHello)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16(VersionTLS12)
		b.AddBytes(make([]byte, 32))
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sessionID) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, s := range suites {
				b.AddUint16(s)
			}
		})
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(compression) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(extensions) })
	})
	hello, err := b.Bytes()
	require.NoError(t, err)
	return hello
}

// oneExtension is an extension of type typ with n bytes of data.
func oneExtension(typ uint16, n int) []byte {
	ext := []byte{byte(typ >> 8), byte(typ), byte(n >> 8), byte(n)}
	return append(ext, make([]byte, n)...)
}

func repeatUint16(v uint16, n int) []uint16 {
	out := make([]uint16, n)
	for i := range out {
		out[i] = v
	}
	return out
}
