package x509verify

import (
	"crypto/x509"
	"net"
	"strings"
)

// checkHostname matches the reference identities the caller asked for
// against the leaf's subjectAltName (RFC 9525, 6; RFC 6125, 6). An empty
// dnsName and nil ip mean "do not check". A dnsName that is an IP literal
// (optionally in [brackets], as in a URL) is matched as an IP address.
func checkHostname(leaf *x509.Certificate, dnsName string, ip net.IP) error {
	if ip != nil {
		if err := matchIP(leaf, ip, ip.String()); err != nil {
			return err
		}
	}
	if dnsName == "" {
		return nil
	}
	literal := dnsName
	if len(literal) >= 3 && literal[0] == '[' && literal[len(literal)-1] == ']' {
		literal = literal[1 : len(literal)-1]
	}
	if lip := net.ParseIP(literal); lip != nil {
		return matchIP(leaf, lip, dnsName)
	}
	return matchDNSName(leaf, dnsName)
}

// matchIP compares ip with the iPAddress SAN entries only. RFC 9525, 6.2:
// an IP reference identity is never compared with DNS names or the CN.
// net.IP.Equal treats an IPv4 address and its IPv4-mapped IPv6 form as one.
func matchIP(leaf *x509.Certificate, ip net.IP, asked string) error {
	for _, candidate := range leaf.IPAddresses {
		if ip.Equal(candidate) {
			return nil
		}
	}
	return &HostnameError{Cert: leaf, Host: asked, Names: presentedNames(leaf)}
}

// matchDNSName compares a DNS reference identity with the dNSName SAN
// entries (RFC 9525, 6.3). There is no fallback to the subject Common Name.
func matchDNSName(leaf *x509.Certificate, dnsName string) error {
	// RFC 9525, 6.3 / RFC 1034, 3.1: "example.com." is the same absolute name
	// as "example.com"; certificates never carry the trailing dot.
	host := strings.TrimSuffix(dnsName, ".")
	if reason := referenceHostProblem(host); reason != "" {
		return &HostnameError{Cert: leaf, Host: dnsName, Reason: reason}
	}
	host = lowerASCII(host)
	for _, presented := range leaf.DNSNames {
		if matchHostPattern(lowerASCII(presented), host) {
			return nil
		}
	}
	return &HostnameError{Cert: leaf, Host: dnsName, Names: presentedNames(leaf)}
}

// referenceHostProblem explains why host cannot be a DNS reference
// identity, or returns "". Internationalised names must arrive as A-labels
// ("xn--..."): RFC 9525, 6.3 compares A-labels, and converting U-labels
// needs IDNA tables this package does not carry.
func referenceHostProblem(host string) string {
	if host == "" {
		return "empty host name"
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" {
			return "empty label in host name"
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			switch {
			case c >= 0x80:
				return "host name is not ASCII; convert internationalised labels to A-labels (\"xn--...\", RFC 5890) first"
			case c == '*':
				return "a wildcard is not a valid reference identity (RFC 9525, 6.3)"
			case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
				// Letters, digits and hyphen (RFC 1123, 2.1); underscore is
				// tolerated because private names use it.
			default:
				return "host name contains a character that cannot occur in a DNS name"
			}
		}
	}
	return ""
}

// matchHostPattern compares one presented dNSName with the (lower-case,
// validated) reference host. RFC 9525, 6.3: a wildcard is recognised only
// when "*" is the complete left-most label, and it matches exactly one
// label, so "*.example.com" matches "www.example.com" but neither
// "example.com" nor "a.b.example.com". Partial wildcards ("w*.example.com")
// and wildcards in other positions never match. Both sides are compared
// case-insensitively in ASCII only (RFC 4343), which is the right rule for
// A-labels.
func matchHostPattern(pattern, host string) bool {
	if pattern == "" {
		return false
	}
	rest, isWildcard := strings.CutPrefix(pattern, "*.")
	if !isWildcard {
		return pattern == host
	}
	if rest == "" || strings.Contains(rest, "*") {
		return false
	}
	_, hostRest, ok := strings.Cut(host, ".")
	return ok && hostRest == rest
}

// presentedNames lists the DNS and IP SAN entries for error messages.
func presentedNames(cert *x509.Certificate) []string {
	names := make([]string, 0, len(cert.DNSNames)+len(cert.IPAddresses))
	for _, n := range cert.DNSNames {
		names = append(names, "DNS:"+n)
	}
	for _, ip := range cert.IPAddresses {
		names = append(names, "IP:"+ip.String())
	}
	return names
}

// lowerASCII folds A-Z to a-z and leaves every other byte alone (RFC 4343:
// DNS names are case-insensitive in ASCII only).
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// VerifyHostname checks that leaf is valid for host, a DNS name or an IP
// literal, by its subjectAltName alone (RFC 9525, 6), as Verify does with
// Options.DNSName: for checking a name against a chain verified earlier.
func VerifyHostname(leaf *x509.Certificate, host string) error {
	return checkHostname(leaf, host, nil)
}
