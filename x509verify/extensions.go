package x509verify

import (
	"crypto/x509"
	"encoding/asn1"
	"slices"
)

// checkCriticalExtensions rejects certificates with critical extensions
// nobody here understands. RFC 5280, 4.2: "A certificate-using system MUST
// reject the certificate if it encounters a critical extension it does not
// recognize". crypto/x509 collects those it did not process, including
// critical name constraints of forms it cannot parse (directoryName, ...),
// in UnhandledCriticalExtensions.
//
// Under ProfileRFC5280 and stricter, a critical nameConstraints whose
// subtrees are all of forms this package processes is handled after all:
// crypto/x509 leaves out directoryName subtrees, checkDirectoryName-
// Constraints applies them.
func checkCriticalExtensions(cert *x509.Certificate, profile Profile) error {
	unhandled := cert.UnhandledCriticalExtensions
	if profile >= ProfileRFC5280 && slices.ContainsFunc(unhandled, isNameConstraints) && nameConstraintsFullyHandled(cert) {
		unhandled = slices.DeleteFunc(slices.Clone(unhandled), isNameConstraints)
	}
	if len(unhandled) > 0 {
		return &UnhandledCriticalExtensionError{Cert: cert, OIDs: slices.Clone(unhandled)}
	}
	return nil
}

func isNameConstraints(oid asn1.ObjectIdentifier) bool { return oid.Equal(oidExtNameConstraints) }
