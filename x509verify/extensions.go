package x509verify

import (
	"crypto/x509"
	"slices"
)

// checkCriticalExtensions rejects certificates with critical extensions
// nobody here understands. RFC 5280, 4.2: "A certificate-using system MUST
// reject the certificate if it encounters a critical extension it does not
// recognize". crypto/x509 collects those it did not process, including
// critical name constraints of forms it cannot parse (directoryName, ...),
// in UnhandledCriticalExtensions.
func checkCriticalExtensions(cert *x509.Certificate) error {
	if len(cert.UnhandledCriticalExtensions) > 0 {
		return &UnhandledCriticalExtensionError{Cert: cert, OIDs: slices.Clone(cert.UnhandledCriticalExtensions)}
	}
	return nil
}
