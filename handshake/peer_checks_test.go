package handshake

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

func TestCheckServerHelloExtensions(t *testing.T) {
	offeredAll := &wire.ClientHello{
		ServerName: "example.com", SupportedPoints: []uint8{0}, SupportedCurves: []cipher.CurveID{cipher.CurveX25519},
		TicketSupported: true, ALPNProtocols: []string{"h2"}, EncryptThenMAC: true,
		ExtendedMasterSecret: true, SecureRenegotiationSupported: true,
	}
	offeredNothing := &wire.ClientHello{}
	scsvOnly := &wire.ClientHello{CipherSuites: []uint16{0xc02f, wire.SCSVRenegotiation}}
	for _, tc := range []struct {
		name    string
		hello   *wire.ClientHello
		ext     uint16
		allowed bool
	}{
		{"server_name echoed", offeredAll, wire.ExtServerName, true},
		{"server_name unsolicited", offeredNothing, wire.ExtServerName, false},
		{"supported_groups echoed", offeredAll, wire.ExtSupportedGroups, true},
		{"ALPN unsolicited", offeredNothing, wire.ExtALPN, false},
		{"EMS unsolicited", offeredNothing, wire.ExtExtendedMasterSecret, false},
		{"EtM unsolicited", offeredNothing, wire.ExtEncryptThenMAC, false},
		{"session_ticket unsolicited", offeredNothing, wire.ExtSessionTicket, false},
		{"renegotiation_info after the SCSV", scsvOnly, wire.ExtRenegotiationInfo, true},
		{"renegotiation_info unsolicited", offeredNothing, wire.ExtRenegotiationInfo, false},
		{"supported_versions in TLS 1.2", offeredAll, wire.ExtSupportedVersions, false},
		{"unknown type", offeredAll, 0x1234, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkServerHelloExtensions(tc.hello, &wire.ServerHello{Extensions: []uint16{tc.ext}})
			if tc.allowed {
				assert.NoError(t, err)
				return
			}
			requireAlert(t, err, record.AlertUnsupportedExtension, false)
		})
	}
}

func TestCheckPeerKeyUsage(t *testing.T) {
	for _, tc := range []struct {
		name  string
		usage x509.KeyUsage
		kex   cipher.KeyExchange
		signs bool
		ok    bool
	}{
		{"no keyUsage extension", 0, cipher.KeyExchangeECDHE, true, true},
		{"signing key may sign", x509.KeyUsageDigitalSignature, cipher.KeyExchangeECDHE, true, true},
		{"encipherment key may not sign", x509.KeyUsageKeyEncipherment, cipher.KeyExchangeECDHE, true, false},
		{"encipherment key for RSA key exchange", x509.KeyUsageKeyEncipherment, cipher.KeyExchangeRSA, false, true},
		{"signing key for RSA key exchange", x509.KeyUsageDigitalSignature, cipher.KeyExchangeRSA, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkPeerKeyUsage(&x509.Certificate{KeyUsage: tc.usage}, tc.kex, tc.signs)
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			requireAlert(t, err, record.AlertUnsupportedCertificate, false)
		})
	}
}

// TestPeerKeyName: error messages name the peer's key algorithm, and a key
// crypto/x509 could not parse (PublicKey nil) is called unsupported rather
// than printed as "<nil>".
func TestPeerKeyName(t *testing.T) {
	tests := []struct {
		cert *x509.Certificate
		want string
	}{
		{&x509.Certificate{PublicKeyAlgorithm: x509.RSA, PublicKey: struct{}{}}, "RSA key"},
		{&x509.Certificate{PublicKeyAlgorithm: x509.ECDSA, PublicKey: struct{}{}}, "ECDSA key"},
		{&x509.Certificate{PublicKeyAlgorithm: x509.Ed25519, PublicKey: struct{}{}}, "Ed25519 key"},
		{&x509.Certificate{PublicKeyAlgorithm: x509.UnknownPublicKeyAlgorithm}, "key of an unsupported public key algorithm"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, peerKeyName(tt.cert))
	}
}
