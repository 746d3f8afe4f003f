package x509verify

import (
	"crypto/x509"
	"slices"
)

// checkExtKeyUsage checks that the chain may be used for at least one of
// wanted. RFC 5280, 4.2.1.12 defines extendedKeyUsage for end entities
// only; certificates without it are unrestricted. CA certificates carrying
// it are read, as crypto/x509, Windows and the CA/Browser Forum Baseline
// Requirements (7.1.2) do, as a restriction on everything below them: an
// intermediate limited to clientAuth cannot vouch for a TLS server. Walking
// from the root down, each certificate that lists usages (and not
// anyExtendedKeyUsage) strikes out the wanted usages it does not list; if
// none is left the chain is refused.
func checkExtKeyUsage(chain []*x509.Certificate, wanted []x509.ExtKeyUsage) error {
	if slices.Contains(wanted, x509.ExtKeyUsageAny) {
		return nil
	}
	remaining := slices.Clone(wanted)
	for i := len(chain) - 1; i >= 0; i-- {
		cert := chain[i]
		if len(cert.ExtKeyUsage) == 0 && len(cert.UnknownExtKeyUsage) == 0 {
			continue
		}
		if slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageAny) {
			continue
		}
		remaining = slices.DeleteFunc(remaining, func(u x509.ExtKeyUsage) bool {
			return !slices.Contains(cert.ExtKeyUsage, u)
		})
		if len(remaining) == 0 {
			return &ExtKeyUsageError{Cert: cert, Wanted: slices.Clone(wanted), Has: slices.Clone(cert.ExtKeyUsage)}
		}
	}
	return nil
}
