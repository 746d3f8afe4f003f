package x509verify

import (
	"bytes"
	"crypto/x509"
)

// selfIssued reports whether cert's subject and issuer names are equal
// (RFC 5280, 3.3 and 6.1: key rollover certificates are self-issued and do
// not count against pathLenConstraint nor are they subject to name
// constraints, unless they are the leaf).
func selfIssued(cert *x509.Certificate) bool {
	return bytes.Equal(cert.RawSubject, cert.RawIssuer)
}

// checkIsCA requires that an intermediate used as an issuer asserts
// basicConstraints cA=TRUE (RFC 5280, 6.1.4(k)). Version 1 certificates have
// no extensions, so they fail this too, as the RFC intends.
func checkIsCA(issuer *x509.Certificate) error {
	if !issuer.BasicConstraintsValid || !issuer.IsCA {
		return &NotCAError{Cert: issuer}
	}
	return nil
}

// checkKeyCertSign requires keyCertSign in an intermediate's keyUsage when
// that extension is present (RFC 5280, 4.2.1.3 and 6.1.4(n)). An absent
// extension means the key is not restricted. crypto/x509 reports 0 in
// either case, and a present-but-empty keyUsage is itself invalid
// (4.2.1.3: "at least one of the bits MUST be set to 1").
func checkKeyCertSign(issuer *x509.Certificate) error {
	if issuer.KeyUsage != 0 && issuer.KeyUsage&x509.KeyUsageCertSign == 0 {
		return &KeyUsageError{Cert: issuer, KeyUsage: issuer.KeyUsage}
	}
	return nil
}

// checkPathLen enforces issuer's pathLenConstraint: the number of
// non-self-issued intermediate certificates between issuer and the leaf,
// below is the chain from the leaf (below[0]) up to the certificate issuer
// signed (RFC 5280, 4.2.1.9 and 6.1.4(l)-(m)).
func checkPathLen(issuer *x509.Certificate, below []*x509.Certificate) error {
	// crypto/x509 sets MaxPathLen to -1 when the field is absent.
	if !issuer.BasicConstraintsValid || issuer.MaxPathLen < 0 {
		return nil
	}
	intermediates := 0
	for _, c := range below[1:] {
		if !selfIssued(c) {
			intermediates++
		}
	}
	if intermediates > issuer.MaxPathLen {
		return &PathLenError{Cert: issuer, MaxPathLen: issuer.MaxPathLen, Intermediates: intermediates}
	}
	return nil
}
