package handshake

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// TestConfigSignatureSchemesDropsUnknown: a scheme glasstls cannot make or
// check is never offered (signature_algorithms, CertificateRequest) nor
// accepted, just as an unknown cipher suite is dropped.
func TestConfigSignatureSchemesDropsUnknown(t *testing.T) {
	const md5sha1 = SignatureScheme(0xff01)     // BoringSSL's internal MD5+SHA-1 value
	const pkcs1Legacy = SignatureScheme(0x0420) // TLS 1.3 rsa_pkcs1_sha256_legacy
	tests := []struct {
		name string
		in   []SignatureScheme
		want []SignatureScheme
	}{
		{"nil means defaults", nil, defaultSignatureSchemes()},
		{"known kept in order", []SignatureScheme{PKCS1WithSHA256, ECDSAWithP256AndSHA256}, []SignatureScheme{PKCS1WithSHA256, ECDSAWithP256AndSHA256}},
		{"unknown dropped", []SignatureScheme{md5sha1, PKCS1WithSHA256, pkcs1Legacy}, []SignatureScheme{PKCS1WithSHA256}},
		{"only unknown leaves none", []SignatureScheme{pkcs1Legacy}, []SignatureScheme{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &Config{SignatureSchemes: tt.in}
			assert.Equal(t, tt.want, cfg.signatureSchemes())
		})
	}
}

// Issue 12, item 3 (RFC 9155, 2): "If a client does not send a
// signature_algorithms extension, then the server MUST abort the
// handshake and send a handshake_failure alert, except when digital
// signatures are not used". RFC 5246, 7.4.1.4.1 would have the server
// assume SHA-1; glasstls signs with SHA-1 only when its Config lists a
// SHA-1 scheme itself.
func TestServerNoSignatureAlgorithmsNoSHA1(t *testing.T) {
	pki := loadTestPKI(t)
	hello := func(suite uint16) *wire.ClientHello {
		return &wire.ClientHello{
			Vers: VersionTLS12, Random: make([]byte, 32), CipherSuites: []uint16{suite},
			CompressionMethods: []uint8{wire.CompressionNone}, ServerName: "localhost",
			SupportedCurves: []cipher.CurveID{cipher.CurveX25519, cipher.CurveP256}, SupportedPoints: []uint8{wire.PointFormatUncompressed},
			ExtendedMasterSecret: true, // no signature_algorithms
		}
	}
	for _, suite := range []uint16{0xC02F, 0xC02B} { // ECDHE-RSA, ECDHE-ECDSA
		first := serverFirstFlight(t, pki.serverConfig(), hello(suite))
		require.Equal(t, byte(record.TypeAlert), first[0][0], "suite %#04x: the server refuses", suite)
		assert.Equal(t, []byte{2, byte(record.AlertHandshakeFailure)}, first[0][5:7])
	}

	// RSA key exchange signs nothing: it still works.
	rsaServer := pki.serverConfig()
	rsaServer.CipherSuites = []uint16{0x009C}
	first := serverFirstFlight(t, rsaServer, hello(0x009C))
	require.Equal(t, byte(record.TypeHandshake), first[0][0])

	// The opt-in: a Config that lists a SHA-1 scheme signs with it for a
	// client that sent no list.
	optIn := pki.serverConfig()
	optIn.SignatureSchemes = []SignatureScheme{PSSWithSHA256, PKCS1WithSHA1}
	var ske *wire.ServerKeyExchange
	for _, rec := range handshakeMessagesIn(t, serverFirstFlight(t, optIn, hello(0xC02F))) {
		if m, ok := rec.(*wire.ServerKeyExchange); ok {
			ske = m
		}
	}
	require.NotNil(t, ske, "the server signs")
	assert.Equal(t, PKCS1WithSHA1, ske.SignatureScheme)
}

// serverFirstFlight sends hello to a glasstls server and returns the
// records of its answer, until ServerHelloDone or an alert.
func serverFirstFlight(t *testing.T, serverConfig *Config, hello *wire.ClientHello) [][]byte {
	t.Helper()
	clientRaw, serverRaw := tcpPair(t)
	_ = clientRaw.SetDeadline(time.Now().Add(20 * time.Second))
	_ = serverRaw.SetDeadline(time.Now().Add(20 * time.Second))
	server := Server(serverRaw, serverConfig)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = server.Handshake()
	}()
	defer func() { clientRaw.Close(); <-done }()
	_, err := clientRaw.Write(rawRecord(record.TypeHandshake, VersionTLS12, mustMarshal(t, hello)))
	require.NoError(t, err)
	var records [][]byte
	for {
		header := make([]byte, 5)
		_, err = io.ReadFull(clientRaw, header)
		require.NoError(t, err)
		fragment := make([]byte, int(header[3])<<8|int(header[4]))
		_, err = io.ReadFull(clientRaw, fragment)
		require.NoError(t, err)
		records = append(records, append(header, fragment...))
		if header[0] != byte(record.TypeHandshake) {
			return records
		}
		if msgs := handshakeMessagesIn(t, records); len(msgs) > 0 {
			if _, ok := msgs[len(msgs)-1].(*wire.ServerHelloDone); ok {
				return records
			}
		}
	}
}

// handshakeMessagesIn parses the whole handshake messages in plaintext
// handshake records.
func handshakeMessagesIn(t *testing.T, records [][]byte) []wire.Message {
	t.Helper()
	var stream []byte
	for _, rec := range records {
		stream = append(stream, rec[5:]...)
	}
	var msgs []wire.Message
	for len(stream) >= 4 {
		n := 4 + (int(stream[1])<<16 | int(stream[2])<<8 | int(stream[3]))
		if n > len(stream) {
			break // the rest is in a later record
		}
		msg, err := wire.Parse(stream[:n], 0)
		require.NoError(t, err)
		msgs = append(msgs, msg)
		stream = stream[n:]
	}
	return msgs
}
