package handshake

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"slices"

	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// pickClientCertificate chooses what to answer a CertificateRequest with
// (RFC 5246, 7.4.6): the GetClientCertificate hook if set, else the first
// of Config.Certificates whose key type the server asked for, whose
// signature scheme it can check and, if it named CAs, whose chain names
// one of them. nil means "send an empty Certificate".
func (c *Conn) pickClientCertificate(certificateRequest *wire.CertificateRequest) (*Certificate, error) {
	info := &CertificateRequestInfo{
		AcceptableCAs:    certificateRequest.CertificateAuthorities,
		SignatureSchemes: certificateRequest.SupportedSignatureAlgorithms,
		CertificateTypes: certificateRequest.CertificateTypes,
	}
	if c.config.GetClientCertificate != nil {
		cert, err := c.config.GetClientCertificate(info)
		if err != nil {
			return nil, record.Errorf(record.AlertInternalError, "GetClientCertificate: %w", err)
		}
		return cert, nil
	}
	for i := range c.config.Certificates {
		cert := &c.config.Certificates[i]
		if clientCertificateAcceptable(cert, c.config.signatureSchemes(), info) {
			return cert, nil
		}
	}
	return nil, nil
}

// clientCertificateAcceptable reports whether cert can answer the
// CertificateRequest described by info. ours are the schemes we sign with
// (Config.SignatureSchemes), the very ones sendCertificateVerify chooses
// from: a certificate whose key can sign only in ways the server does not
// accept is passed over, so that the client sends another one or an empty
// Certificate (RFC 5246, 7.4.6), rather than choosing it and failing at
// CertificateVerify.
func clientCertificateAcceptable(cert *Certificate, ours []SignatureScheme, info *CertificateRequestInfo) bool {
	signer, ok := cert.PrivateKey.(crypto.Signer)
	if !ok || len(cert.Certificate) == 0 {
		return false
	}
	var wantType uint8
	switch signer.Public().(type) {
	case *rsa.PublicKey, *RSAPSSPublicKey:
		wantType = wire.CertTypeRSASign
	case *ecdsa.PublicKey, ed25519.PublicKey:
		// RFC 8422, 5.5: ecdsa_sign asks for EdDSA certificates too.
		wantType = wire.CertTypeECDSASign
	default:
		return false
	}
	if !slices.Contains(info.CertificateTypes, wantType) {
		return false
	}
	if _, err := selectSignatureScheme(signer.Public(), cert.signingSchemes(ours), info.SignatureSchemes); err != nil {
		return false
	}
	if len(info.AcceptableCAs) == 0 {
		return true
	}
	// RFC 5246, 7.4.4: certificate_authorities lists acceptable issuers;
	// any certificate in our chain issued by one of them will do.
	for _, der := range cert.Certificate {
		parsed, err := x509.ParseCertificate(der)
		if err != nil {
			continue
		}
		for _, ca := range info.AcceptableCAs {
			if bytes.Equal(parsed.RawIssuer, ca) || bytes.Equal(parsed.RawSubject, ca) {
				return true
			}
		}
	}
	return false
}
