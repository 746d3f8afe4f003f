package handshake

import (
	"crypto/x509"
	"errors"
	"net"
	"slices"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
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

// parseCertificates parses a Certificate message's chain. A certificate
// that does not parse is bad_certificate (RFC 5246, 7.2.2). Certificates
// another connection of the same Config holds are not parsed again
// (performance: see configShared).
func (c *Conn) parseCertificates(ders [][]byte) ([]*x509.Certificate, error) {
	if len(ders) > MaxCertificateChainLength {
		return nil, record.Errorf(record.AlertBadCertificate, "certificate chain of %d certificates exceeds the limit of %d", len(ders), MaxCertificateChainLength)
	}
	certs := make([]*x509.Certificate, 0, len(ders))
	for i, der := range ders {
		cert, err := c.config.sharedState().certificates.parse(der)
		if err != nil {
			return nil, record.Errorf(record.AlertBadCertificate, "certificate %d does not parse: %w", i, err)
		}
		certs = append(certs, cert)
	}
	return certs, nil
}

// verifyPeerChain runs x509verify over a peer's chain and turns its verdict
// into the alert RFC 5246, 7.2.2 names for it.
func verifyPeerChain(config *Config, chain []*x509.Certificate, serverName string, usage x509.ExtKeyUsage, roots *x509verify.Pool) ([][]*x509.Certificate, error) {
	if roots == nil {
		var err error
		roots, err = x509verify.SystemPool()
		if err != nil {
			return nil, record.Errorf(record.AlertInternalError, "loading the system trust store: %w", err)
		}
	}
	intermediates := x509verify.NewPool()
	for _, cert := range chain[1:] {
		intermediates.AddCert(cert)
	}
	opts := x509verify.Options{
		Roots:         roots,
		Intermediates: intermediates,
		Now:           config.now(),
		KeyUsages:     []x509.ExtKeyUsage{usage},
		Profile:       config.VerifyProfile,
	}
	if ip := net.ParseIP(serverName); ip != nil {
		opts.IP = ip
	} else {
		opts.DNSName = serverName
	}
	verification, observe := verificationTrace(config, chain, opts, usage)
	opts.Observe = observe
	chains, err := x509verify.Verify(chain[0], opts)
	verification.finish(config, chains, err)
	if err != nil {
		return nil, record.Errorf(alertForVerifyError(err), "%w", err)
	}
	return chains, nil
}

// alertForVerifyError picks the alert for a certificate that failed to
// verify (RFC 5246, 7.2.2):
//   - unknown_ca: "the CA certificate could not be located or couldn't be
//     matched with a known, trusted CA";
//   - certificate_expired: "has expired or is not currently valid", so a
//     certificate that is not yet valid gets it too;
//   - unsupported_certificate: "of an unsupported type": a critical
//     extension we do not understand, a signature algorithm we refuse
//     (SHA-1, MD5) or cannot check, a key the profile in force does not
//     allow (Config.VerifyProfile), and a chain whose extendedKeyUsage
//     makes it a certificate for another purpose (OpenSSL sends the same
//     for X509_V_ERR_INVALID_PURPOSE);
//   - bad_certificate for everything else: a signature that does not
//     verify, the wrong host, an issuer that may not issue.
func alertForVerifyError(err error) record.AlertDescription {
	var unknownAuthority *x509verify.UnknownAuthorityError
	var expired *x509verify.ExpiredError
	var critical *x509verify.UnhandledCriticalExtensionError
	var extKeyUsage *x509verify.ExtKeyUsageError
	var insecure *x509verify.InsecureAlgorithmError
	var unsupported *x509verify.UnsupportedAlgorithmError
	var weakKey *x509verify.WeakKeyError
	switch {
	case errors.As(err, &unknownAuthority):
		return record.AlertUnknownCA
	case errors.As(err, &expired):
		return record.AlertCertificateExpired
	case errors.As(err, &critical), errors.As(err, &extKeyUsage),
		errors.As(err, &insecure), errors.As(err, &unsupported), errors.As(err, &weakKey):
		return record.AlertUnsupportedCertificate
	}
	return record.AlertBadCertificate
}
