package x509verify

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
)

// signatureScheme says how to check one x509.SignatureAlgorithm: which hash
// over the TBSCertificate, and which public-key operation.
type signatureScheme struct {
	hash crypto.Hash // 0 for Ed25519, which signs the message itself
	kind x509.PublicKeyAlgorithm
	pss  bool
}

// signatureSchemes lists the algorithms accepted for certificate signatures
// (RFC 4055, RFC 5758, RFC 8410). SHA-1, MD5 and MD2 are deliberately
// absent: see insecureAlgorithm.
var signatureSchemes = map[x509.SignatureAlgorithm]signatureScheme{
	x509.SHA256WithRSA:    {crypto.SHA256, x509.RSA, false},
	x509.SHA384WithRSA:    {crypto.SHA384, x509.RSA, false},
	x509.SHA512WithRSA:    {crypto.SHA512, x509.RSA, false},
	x509.SHA256WithRSAPSS: {crypto.SHA256, x509.RSA, true},
	x509.SHA384WithRSAPSS: {crypto.SHA384, x509.RSA, true},
	x509.SHA512WithRSAPSS: {crypto.SHA512, x509.RSA, true},
	x509.ECDSAWithSHA256:  {crypto.SHA256, x509.ECDSA, false},
	x509.ECDSAWithSHA384:  {crypto.SHA384, x509.ECDSA, false},
	x509.ECDSAWithSHA512:  {crypto.SHA512, x509.ECDSA, false},
	x509.PureEd25519:      {0, x509.Ed25519, false},
}

// insecureAlgorithm reports whether alg rests on a hash with practical
// collision attacks. A CA signing a harmless-looking request could then be
// made to sign a different, malicious certificate with the same digest
// (the 2008 MD5 rogue CA; SHAttered for SHA-1 in 2017).
func insecureAlgorithm(alg x509.SignatureAlgorithm) bool {
	switch alg {
	case x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA,
		x509.DSAWithSHA1, x509.ECDSAWithSHA1:
		return true
	}
	return false
}

// checkSignatureAlgorithm refuses certificates whose signature algorithm is
// broken or unknown before any issuer is even looked for; the answer does
// not depend on which issuer is found.
func checkSignatureAlgorithm(cert *x509.Certificate) error {
	if insecureAlgorithm(cert.SignatureAlgorithm) {
		return &InsecureAlgorithmError{Cert: cert, Algorithm: cert.SignatureAlgorithm}
	}
	if _, ok := signatureSchemes[cert.SignatureAlgorithm]; !ok {
		return &UnsupportedAlgorithmError{Cert: cert, Algorithm: cert.SignatureAlgorithm, Reason: "signature algorithm not supported"}
	}
	return nil
}

// checkSignature verifies that issuer's public key signed child: the
// signature value covers the DER of tbsCertificate (RFC 5280, 4.1.1.3 and
// 6.1.3(a)(1)).
func checkSignature(child, issuer *x509.Certificate) error {
	if err := checkSignatureAlgorithm(child); err != nil {
		return err
	}
	scheme := signatureSchemes[child.SignatureAlgorithm]
	if issuer.PublicKeyAlgorithm != scheme.kind {
		return &UnsupportedAlgorithmError{Cert: child, Algorithm: child.SignatureAlgorithm,
			Reason: fmt.Sprintf("issuer %s has a %v key, which cannot produce this signature", describe(issuer), issuer.PublicKeyAlgorithm)}
	}

	signed := child.RawTBSCertificate
	if scheme.hash != 0 {
		h := scheme.hash.New()
		h.Write(child.RawTBSCertificate)
		signed = h.Sum(nil)
	}

	var err error
	switch pub := issuer.PublicKey.(type) {
	case *rsa.PublicKey:
		if scheme.pss {
			// RFC 4055, 3.1: crypto/x509 only parses PSS parameters with
			// MGF1 over the same hash and a salt as long as the hash, so
			// that is what is checked here.
			err = rsa.VerifyPSS(pub, scheme.hash, signed, child.Signature,
				&rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: scheme.hash})
		} else {
			err = rsa.VerifyPKCS1v15(pub, scheme.hash, signed, child.Signature)
		}
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(pub, signed, child.Signature) {
			err = errors.New("ECDSA verification failure")
		}
	case ed25519.PublicKey:
		if !ed25519.Verify(pub, signed, child.Signature) {
			err = errors.New("Ed25519 verification failure")
		}
	default:
		return &UnsupportedAlgorithmError{Cert: child, Algorithm: child.SignatureAlgorithm,
			Reason: fmt.Sprintf("issuer %s has an unsupported public key type %T", describe(issuer), issuer.PublicKey)}
	}
	if err != nil {
		return &BadSignatureError{Cert: child, Issuer: issuer, Err: err}
	}
	return nil
}
