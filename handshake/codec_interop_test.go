package handshake

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
)

func TestOpenSSLClientHello(t *testing.T) {
	// Captured from `openssl s_client -connect ... -tls1_2 -servername
	// example.com -alpn h2,http/1.1` (OpenSSL 3.0); see testdata/README.md.
	data, err := os.ReadFile(filepath.Join("testdata", "openssl_client_hello.bin"))
	require.NoError(t, err)
	msg, err := wire.Parse(data, 0)
	require.NoError(t, err)
	ch, ok := msg.(*wire.ClientHello)
	require.True(t, ok)

	assert.Equal(t, uint16(0x0303), ch.Vers)
	assert.Len(t, ch.Random, 32)
	assert.Empty(t, ch.SessionID)
	assert.Contains(t, ch.CipherSuites, uint16(0xc02f))
	assert.Contains(t, ch.CipherSuites, wire.SCSVRenegotiation, "OpenSSL signals RFC 5746 with the SCSV")
	assert.Equal(t, []uint8{wire.CompressionNone}, ch.CompressionMethods)
	assert.Equal(t, "example.com", ch.ServerName)
	assert.Equal(t, []uint8{0, 1, 2}, ch.SupportedPoints)
	assert.Equal(t, []cipher.CurveID{cipher.CurveX25519, cipher.CurveP256, 30, 25, cipher.CurveP384}, ch.SupportedCurves)
	assert.True(t, ch.TicketSupported)
	assert.Empty(t, ch.SessionTicket)
	assert.Equal(t, []string{"h2", "http/1.1"}, ch.ALPNProtocols)
	assert.True(t, ch.EncryptThenMAC)
	assert.True(t, ch.ExtendedMasterSecret)
	assert.False(t, ch.SecureRenegotiationSupported)
	assert.Len(t, ch.SupportedSignatureAlgorithms, 20)
	for _, s := range defaultSignatureSchemes() {
		assert.Contains(t, ch.SupportedSignatureAlgorithms, s)
	}
	assert.Equal(t, []uint16{wire.ExtServerName, wire.ExtECPointFormats, wire.ExtSupportedGroups, wire.ExtSessionTicket,
		wire.ExtALPN, wire.ExtEncryptThenMAC, wire.ExtExtendedMasterSecret, wire.ExtSignatureAlgorithms}, ch.Extensions)
	assert.Equal(t, data, ch.Raw)

	// Re-marshaled (in our extension order), it parses to the same hello.
	again, err := ch.Marshal()
	require.NoError(t, err)
	reparsed, err := wire.Parse(again, 0)
	require.NoError(t, err)
	want := *ch
	want.Raw = again
	want.Extensions = []uint16{wire.ExtServerName, wire.ExtECPointFormats, wire.ExtSupportedGroups, wire.ExtSessionTicket,
		wire.ExtSignatureAlgorithms, wire.ExtALPN, wire.ExtEncryptThenMAC, wire.ExtExtendedMasterSecret}
	assert.Equal(t, &want, reparsed)
}

// readHandshakeRecords reads TLS records from r until it has collected
// count handshake messages and returns them.
func readHandshakeMessages(t *testing.T, r io.Reader, count int) [][]byte {
	t.Helper()
	var buf []byte
	var msgs [][]byte
	for len(msgs) < count {
		header := make([]byte, 5)
		_, err := io.ReadFull(r, header)
		require.NoError(t, err)
		require.Equal(t, byte(22), header[0], "want a handshake record")
		fragment := make([]byte, int(header[3])<<8|int(header[4]))
		_, err = io.ReadFull(r, fragment)
		require.NoError(t, err)
		buf = append(buf, fragment...)
		for len(buf) >= 4 {
			n := 4 + (int(buf[1])<<16 | int(buf[2])<<8 | int(buf[3]))
			if len(buf) < n {
				break
			}
			msgs = append(msgs, buf[:n:n])
			buf = buf[n:]
		}
	}
	return msgs
}

func TestCryptoTLSClientHello(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	done := make(chan error, 1)
	go func() {
		defer client.Close()
		conn := tls.Client(client, &tls.Config{
			ServerName: "glasstls.test",
			MaxVersion: tls.VersionTLS12,
			NextProtos: []string{"h2"},
		})
		done <- conn.Handshake()
	}()
	require.NoError(t, server.SetDeadline(time.Now().Add(10*time.Second)))
	msgs := readHandshakeMessages(t, server, 1)
	server.Close()
	<-done

	msg, err := wire.Parse(msgs[0], 0)
	require.NoError(t, err)
	ch, ok := msg.(*wire.ClientHello)
	require.True(t, ok)
	assert.Equal(t, uint16(0x0303), ch.Vers)
	assert.Equal(t, "glasstls.test", ch.ServerName)
	assert.Equal(t, []string{"h2"}, ch.ALPNProtocols)
	assert.True(t, ch.ExtendedMasterSecret)
	assert.True(t, ch.SecureRenegotiationSupported)
	assert.Empty(t, ch.SecureRenegotiation)
	assert.Contains(t, ch.SupportedSignatureAlgorithms, PSSWithSHA256)
	assert.Contains(t, ch.SupportedSignatureAlgorithms, ECDSAWithP256AndSHA256)
	assert.Contains(t, ch.SupportedCurves, cipher.CurveX25519)
	assert.Equal(t, []uint16{0x0303}, ch.SupportedVersions, "crypto/tls lists its one version even when capped at 1.2")
}

// selfSigned makes a certificate for key, for a crypto/tls server.
func selfSigned(t *testing.T, key crypto.Signer) tls.Certificate {
	t.Helper()
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "glasstls.test"},
		DNSNames:     []string{"glasstls.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, key.Public(), key)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// TestCryptoTLSServerFlight sends our marshaled ClientHello to a crypto/tls
// server, parses its whole first flight, and checks the ServerKeyExchange
// signature with verifyHandshake: marshal, parse and signatures against an
// independent implementation in one go.
func TestCryptoTLSServerFlight(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tests := []struct {
		name       string
		cert       tls.Certificate
		suite      uint16
		wantScheme SignatureScheme
	}{
		{"ECDHE-RSA", selfSigned(t, rsaKey), 0xc02f, PSSWithSHA256},
		{"ECDHE-ECDSA", selfSigned(t, ecKey), 0xc02b, ECDSAWithP256AndSHA256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, server := net.Pipe()
			defer client.Close()
			go func() {
				defer server.Close()
				conn := tls.Server(server, &tls.Config{Certificates: []tls.Certificate{tt.cert}, MaxVersion: tls.VersionTLS12})
				_ = conn.Handshake() // fails when we hang up; we only want its flight
			}()
			require.NoError(t, client.SetDeadline(time.Now().Add(10*time.Second)))

			hello := &wire.ClientHello{
				Vers:                         0x0303,
				Random:                       bytes.Repeat([]byte{0xa0}, 32),
				CipherSuites:                 []uint16{0x0a0a, tt.suite},
				CompressionMethods:           []uint8{wire.CompressionNone},
				ServerName:                   "glasstls.test",
				SupportedCurves:              []cipher.CurveID{cipher.CurveX25519, cipher.CurveP256},
				SupportedPoints:              []uint8{wire.PointFormatUncompressed},
				SupportedSignatureAlgorithms: defaultSignatureSchemes(),
				ALPNProtocols:                []string{"h2"},
				ExtendedMasterSecret:         true,
				SecureRenegotiationSupported: true,
			}
			data, err := hello.Marshal()
			require.NoError(t, err)
			_, err = client.Write(append([]byte{22, 3, 1, byte(len(data) >> 8), byte(len(data))}, data...))
			require.NoError(t, err)

			msgs := readHandshakeMessages(t, client, 4)
			parsed := make([]wire.Message, len(msgs))
			for i, raw := range msgs {
				parsed[i], err = wire.Parse(raw, 0)
				require.NoError(t, err, "message %d (%s)", i, wire.MessageName(raw[0]))
			}
			sh, ok := parsed[0].(*wire.ServerHello)
			require.True(t, ok)
			cert, ok := parsed[1].(*wire.Certificate)
			require.True(t, ok)
			ske, ok := parsed[2].(*wire.ServerKeyExchange)
			require.True(t, ok)
			assert.IsType(t, &wire.ServerHelloDone{}, parsed[3])
			assert.Equal(t, msgs[0], sh.Raw)
			assert.Equal(t, msgs[1], cert.Raw)
			assert.Equal(t, msgs[2], ske.Raw)

			assert.Equal(t, uint16(0x0303), sh.Vers)
			assert.Equal(t, tt.suite, sh.CipherSuite)
			assert.True(t, sh.ExtendedMasterSecret)
			assert.True(t, sh.SecureRenegotiationSupported)
			assert.Empty(t, sh.SecureRenegotiation)
			assert.Equal(t, []uint8{wire.PointFormatUncompressed}, sh.SupportedPoints)
			assert.Equal(t, tt.cert.Certificate, cert.Certificates)
			assert.Equal(t, cipher.CurveX25519, ske.Curve)
			assert.Len(t, ske.PublicKey, 32)
			assert.Equal(t, tt.wantScheme, ske.SignatureScheme)

			leaf, err := x509.ParseCertificate(cert.Certificates[0])
			require.NoError(t, err)
			// RFC 8422, 5.4: the signature covers both randoms and the params.
			signed := append(append(bytes.Clone(hello.Random), sh.Random...), ske.Params()...)
			assert.NoError(t, verifyHandshake(leaf.PublicKey, ske.SignatureScheme, signed, ske.Signature))
			signed[0] ^= 1
			assert.ErrorIs(t, verifyHandshake(leaf.PublicKey, ske.SignatureScheme, signed, ske.Signature), errBadSignature)
		})
	}
}
