package x509verify

import (
	"crypto/x509"
	"net"
	"strings"
)

// checkNameConstraints applies the nameConstraints of issuer to the names
// in every certificate below it (RFC 5280, 4.2.1.10 and 6.1.3(b)-(c)).
// below runs from the leaf (below[0]) up to the certificate issuer signed.
// Self-issued intermediates are skipped, as 6.1.3(b) says, but the leaf
// never is. Only subjectAltName entries of type dNSName, iPAddress,
// rfc822Name and uniformResourceIdentifier are checked: these are the forms
// crypto/x509 parses, and a critical constraint of any other form is
// already refused as an unhandled critical extension.
func checkNameConstraints(issuer *x509.Certificate, below []*x509.Certificate) error {
	if !hasNameConstraints(issuer) {
		return nil
	}
	for i, cert := range below {
		if i > 0 && selfIssued(cert) {
			continue
		}
		for _, name := range cert.DNSNames {
			if err := checkNames(issuer, cert, "DNS name", name, issuer.PermittedDNSDomains, issuer.ExcludedDNSDomains, dnsExcluded, dnsWithin); err != nil {
				return err
			}
		}
		for _, ip := range cert.IPAddresses {
			if err := checkIP(issuer, cert, ip); err != nil {
				return err
			}
		}
		for _, email := range cert.EmailAddresses {
			if err := checkNames(issuer, cert, "email address", email, issuer.PermittedEmailAddresses, issuer.ExcludedEmailAddresses, emailExcluded, emailWithin); err != nil {
				return err
			}
		}
		for _, uri := range cert.URIs {
			if err := checkNames(issuer, cert, "URI", uri.String(), issuer.PermittedURIDomains, issuer.ExcludedURIDomains, uriExcluded, uriWithin); err != nil {
				return err
			}
		}
	}
	return nil
}

func hasNameConstraints(c *x509.Certificate) bool {
	return len(c.PermittedDNSDomains) > 0 || len(c.ExcludedDNSDomains) > 0 ||
		len(c.PermittedIPRanges) > 0 || len(c.ExcludedIPRanges) > 0 ||
		len(c.PermittedEmailAddresses) > 0 || len(c.ExcludedEmailAddresses) > 0 ||
		len(c.PermittedURIDomains) > 0 || len(c.ExcludedURIDomains) > 0
}

// checkNames applies one name form's subtrees to one name: no excluded
// subtree may match (6.1.3(c)), and if any permitted subtree of that form
// exists, one must match (6.1.3(b)). A name that cannot be parsed is
// treated as outside every permitted subtree and inside every excluded one:
// when in doubt, refuse.
func checkNames(issuer, cert *x509.Certificate, kind, name string, permitted, excluded []string, isExcluded, isPermitted func(name, constraint string) bool) error {
	for _, c := range excluded {
		if isExcluded(name, c) {
			return &NameConstraintError{Cert: cert, Issuer: issuer, Kind: kind, Name: name, Excluded: true, Constraint: c}
		}
	}
	if len(permitted) == 0 {
		return nil
	}
	for _, c := range permitted {
		if isPermitted(name, c) {
			return nil
		}
	}
	return &NameConstraintError{Cert: cert, Issuer: issuer, Kind: kind, Name: name}
}

func checkIP(issuer, cert *x509.Certificate, ip net.IP) error {
	for _, n := range issuer.ExcludedIPRanges {
		if n.Contains(ip) {
			return &NameConstraintError{Cert: cert, Issuer: issuer, Kind: "IP address", Name: ip.String(), Excluded: true, Constraint: n.String()}
		}
	}
	if len(issuer.PermittedIPRanges) == 0 {
		return nil
	}
	for _, n := range issuer.PermittedIPRanges {
		if n.Contains(ip) {
			return nil
		}
	}
	return &NameConstraintError{Cert: cert, Issuer: issuer, Kind: "IP address", Name: ip.String()}
}

// dnsWithin reports whether DNS name is in the subtree of constraint. RFC
// 5280, 4.2.1.10: "any DNS name that can be constructed by simply adding
// zero or more labels to the left-hand side of the name satisfies the name
// constraint". A leading dot (".example.com", errata 5997) means "strictly
// below": at least one label must be added. An empty constraint covers
// every name. A wildcard "*" is just another label here.
func dnsWithin(name, constraint string) bool {
	name, constraint = lowerASCII(name), lowerASCII(constraint)
	if constraint == "" {
		return true
	}
	if strings.HasPrefix(constraint, ".") {
		return len(name) > len(constraint) && strings.HasSuffix(name, constraint)
	}
	return name == constraint || strings.HasSuffix(name, "."+constraint)
}

// dnsExcluded is dnsWithin, plus one more case: a wildcard name
// "*.example.com" stands for every one-label name under example.com, so
// an excluded "secret.example.com" must catch it too, or the CA's
// exclusion could be walked around with a wildcard.
func dnsExcluded(name, constraint string) bool {
	if dnsWithin(name, constraint) {
		return true
	}
	rest, ok := strings.CutPrefix(lowerASCII(name), "*.")
	if !ok {
		return false
	}
	// ".secret.example.com" only covers names with two or more labels
	// in front of example.com, which a one-label wildcard cannot reach.
	c := lowerASCII(constraint)
	if strings.HasPrefix(c, ".") {
		return false
	}
	_, cRest, ok := strings.Cut(c, ".")
	return ok && cRest == rest
}

// emailWithin reports whether mailbox is in the rfc822Name subtree of
// constraint. RFC 5280, 4.2.1.10: a constraint with "@" names one mailbox;
// "example.com" means every mailbox at that host; ".example.com" every
// mailbox at any host below it. The local part is compared exactly (it may
// be case-sensitive, RFC 5321, 2.4), host parts case-insensitively.
func emailWithin(mailbox, constraint string) bool {
	at := strings.LastIndexByte(mailbox, '@')
	if at <= 0 || at == len(mailbox)-1 {
		return false
	}
	local, host := mailbox[:at], mailbox[at+1:]
	if cat := strings.LastIndexByte(constraint, '@'); cat >= 0 {
		return local == constraint[:cat] && lowerASCII(host) == lowerASCII(constraint[cat+1:])
	}
	return hostWithin(host, constraint)
}

// emailExcluded is emailWithin, except that a mailbox that cannot be
// split into local part and host counts as excluded.
func emailExcluded(mailbox, constraint string) bool {
	at := strings.LastIndexByte(mailbox, '@')
	if at <= 0 || at == len(mailbox)-1 {
		return true
	}
	return emailWithin(mailbox, constraint)
}

// uriExcluded is uriWithin, except that a URI without a DNS host counts as
// excluded.
func uriExcluded(uri, constraint string) bool {
	host := uriHost(uri)
	if host == "" || net.ParseIP(host) != nil {
		return true
	}
	return hostWithin(host, constraint)
}

// uriWithin reports whether the host part of uri is in the URI subtree
// of constraint (RFC 5280, 4.2.1.10): "example.com" names that host only,
// ".example.com" any host below it. A URI without a DNS host (or with an
// IP address for host) cannot satisfy a DNS-style constraint.
func uriWithin(uri, constraint string) bool {
	host := uriHost(uri)
	if host == "" || net.ParseIP(host) != nil {
		return false
	}
	return hostWithin(host, constraint)
}

// hostWithin implements the shared host-part rule of the email and URI
// forms: exact host, or with a leading dot any host strictly below it.
func hostWithin(host, constraint string) bool {
	host, constraint = lowerASCII(host), lowerASCII(constraint)
	if strings.HasPrefix(constraint, ".") {
		return len(host) > len(constraint) && strings.HasSuffix(host, constraint)
	}
	return host == constraint
}

// uriHost extracts the host from the authority of an absolute URI,
// without brackets, user information or port.
func uriHost(uri string) string {
	_, rest, ok := strings.Cut(uri, "://")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	if strings.HasPrefix(rest, "[") {
		if i := strings.IndexByte(rest, ']'); i > 0 {
			return rest[1:i]
		}
		return ""
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		rest = rest[:i]
	}
	return rest
}
