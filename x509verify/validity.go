package x509verify

import (
	"crypto/x509"
	"time"
)

// checkValidity checks that now lies within cert's validity period, both
// ends inclusive (RFC 5280, 4.1.2.5: "the certificate validity period is
// the time interval during which the CA warrants that it will maintain
// information about the status of the certificate"; 6.1.3(a)(2)).
func checkValidity(cert *x509.Certificate, now time.Time) error {
	if now.Before(cert.NotBefore) {
		return &ExpiredError{Cert: cert, Now: now, NotBefore: cert.NotBefore, NotAfter: cert.NotAfter, NotYetValid: true}
	}
	if now.After(cert.NotAfter) {
		return &ExpiredError{Cert: cert, Now: now, NotBefore: cert.NotBefore, NotAfter: cert.NotAfter}
	}
	return nil
}
