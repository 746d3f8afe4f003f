package handshake

import (
	"crypto/x509"
	"slices"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// checkServerHelloExtensions refuses a ServerHello extension the client did
// not ask for. RFC 5246, 7.4.1.4: "If a client receives an extension type in
// ServerHello that it did not request in the associated ClientHello, it MUST
// abort the handshake with an unsupported_extension fatal alert." The server
// echoes, it never volunteers: a server_name acknowledgement without SNI,
// a supported_versions extension (which only a TLS 1.3 ServerHello may
// carry, RFC 8446, 4.2.1) or an unknown type are all refused.
func checkServerHelloExtensions(clientHello *wire.ClientHello, serverHello *wire.ServerHello) error {
	for _, typ := range serverHello.Extensions {
		var offered bool
		switch typ {
		case wire.ExtServerName:
			offered = clientHello.ServerName != ""
		case wire.ExtStatusRequest:
			offered = clientHello.OCSPStapling
		case wire.ExtSupportedGroups:
			// Not a TLS 1.2 ServerHello extension (RFC 8422, 5.2), but some
			// servers echo it; we did send it, so it is not unsolicited.
			offered = len(clientHello.SupportedCurves) > 0
		case wire.ExtECPointFormats:
			offered = len(clientHello.SupportedPoints) > 0
		case wire.ExtSessionTicket:
			offered = clientHello.TicketSupported
		case wire.ExtALPN:
			offered = len(clientHello.ALPNProtocols) > 0
		case wire.ExtEncryptThenMAC:
			offered = clientHello.EncryptThenMAC
		case wire.ExtExtendedMasterSecret:
			offered = clientHello.ExtendedMasterSecret
		case wire.ExtRenegotiationInfo:
			// RFC 5746, 3.4: asked for by the extension or by the
			// TLS_EMPTY_RENEGOTIATION_INFO_SCSV cipher suite value.
			offered = clientHello.SecureRenegotiationSupported ||
				slices.Contains(clientHello.CipherSuites, wire.SCSVRenegotiation)
		}
		if !offered {
			return record.Errorf(record.AlertUnsupportedExtension, "server sent extension %d, which was not offered", typ)
		}
	}
	return nil
}

// checkServerHelloValues refuses a ServerHello whose extensions carry what
// the client did not offer, or what cannot go with the chosen suite.
// Whether each extension may be there at all is checkServerHelloExtensions'
// job, which runs first.
func checkServerHelloValues(clientHello *wire.ClientHello, serverHello *wire.ServerHello, suite *cipher.Suite) error {
	// RFC 8422, 5.2: a server that sends ec_point_formats "MUST" list
	// uncompressed, the only format glasstls (and TLS 1.3) knows; a list
	// without it is illegal_parameter, as BoringSSL answers.
	if len(serverHello.SupportedPoints) > 0 && !slices.Contains(serverHello.SupportedPoints, wire.PointFormatUncompressed) {
		return record.Errorf(record.AlertIllegalParameter, "server's ec_point_formats %v lacks uncompressed (0)", serverHello.SupportedPoints)
	}
	// RFC 5746, 3.4: on an initial handshake renegotiated_connection is empty.
	if serverHello.SecureRenegotiationSupported && len(serverHello.SecureRenegotiation) != 0 {
		return record.Errorf(record.AlertHandshakeFailure, "non-empty renegotiation_info in the initial handshake")
	}
	// RFC 7301, 3.1: the server picks one of the protocols we offered.
	if p := serverHello.ALPNProtocol; p != "" && !slices.Contains(clientHello.ALPNProtocols, p) {
		return record.Errorf(record.AlertIllegalParameter, "server chose ALPN protocol %q, which was not offered", p)
	}
	// RFC 7366, 3: encrypt-then-MAC means nothing for AEAD suites.
	if serverHello.EncryptThenMAC && suite.IsAEAD() {
		return record.Errorf(record.AlertIllegalParameter, "server sent encrypt_then_mac for %s", suite.Name)
	}
	return nil
}

// checkPeerKeyUsage enforces the leaf's keyUsage extension for the way the
// handshake uses its key (RFC 5280, 4.2.1.3; RFC 5246, 7.4.2 "the
// certificate MUST allow the key to be used for the key exchange method").
// A key that signs (ECDHE_RSA, ECDHE_ECDSA, a CertificateVerify) needs
// digitalSignature; an RSA key exchange key needs keyEncipherment. No
// keyUsage extension means no restriction. This holds even with
// InsecureSkipVerify: it is about the handshake, not about trust.
func checkPeerKeyUsage(leaf *x509.Certificate, keyExchange cipher.KeyExchange, signs bool) error {
	if leaf.KeyUsage == 0 {
		return nil
	}
	if signs && leaf.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return record.Errorf(record.AlertUnsupportedCertificate, "peer certificate's keyUsage does not allow digitalSignature")
	}
	if !signs && keyExchange == cipher.KeyExchangeRSA && leaf.KeyUsage&x509.KeyUsageKeyEncipherment == 0 {
		return record.Errorf(record.AlertUnsupportedCertificate, "server certificate's keyUsage does not allow keyEncipherment, needed for RSA key exchange")
	}
	return nil
}

// peerKeyName names the kind of key in a peer's certificate for an error
// message: "RSA key", "ECDSA key", "Ed25519 key", or, for a key crypto/x509
// could not parse (an RSASSA-PSS-only key, RFC 4055), "key of an
// unsupported public key algorithm".
func peerKeyName(cert *x509.Certificate) string {
	if cert.PublicKeyAlgorithm == x509.UnknownPublicKeyAlgorithm || cert.PublicKey == nil {
		return "key of an unsupported public key algorithm"
	}
	return cert.PublicKeyAlgorithm.String() + " key"
}
