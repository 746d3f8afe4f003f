package x509verify

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"
)

// The rules of ProfileWebPKI: the CA/Browser Forum Baseline Requirements
// for the Issuance and Management of Publicly-Trusted TLS Server
// Certificates (BR, version 2.x, section numbers as there), as far as a
// relying party can check them from the certificates. The BRs bind CAs
// at issuance; browsers enforce the ones below when verifying. The Web
// PKI has no separate profile for TLS client certificates, so the same
// rules apply to a client's chain (RFC 5280's extKeyUsage names the
// counterpart purpose, clientAuth).
//
// Unlike the RFC 5280 rules, three of these judge the root: the BRs give
// root certificates a profile of their own (BR 7.1.2.1), and a root's key
// verifies the first signature of the path, so its strength matters
// (BR 6.1.5). The root profile is applied only to roots issued since the
// BR's certificate profiles took effect (brProfilesEffective): five roots
// in Mozilla's program today (Certigna, Go Daddy Class 2, Starfield
// Class 2, QuoVadis Root CA 2 and 3) predate it and carry an
// authorityKeyIdentifier with authorityCertIssuer and serial number.

// brProfilesEffective is when the BR's certificate profiles (section
// 7.1.2, ballot SC62) took effect: 2023-09-15. Certificates issued before
// were made under earlier rules and stay trusted.
var brProfilesEffective = time.Date(2023, time.September, 15, 0, 0, 0, 0, time.UTC)

var ruleWebPKISANNotCritical = rule{"subjectAltName is not critical when the subject is not empty", "CA/Browser Forum BR 7.1.2.7.12", ProfileWebPKI}

// checkWebPKISANNotCritical: BR 7.1.2.7.12 (Subscriber Certificate
// Subject Alternative Name): critical "MUST be TRUE if the subject field
// is an empty SEQUENCE" and FALSE otherwise.
func checkWebPKISANNotCritical(c certInPath) error {
	if !c.isLeaf() || isEmptyName(c.cert.RawSubject) {
		return nil
	}
	if san, ok := findExtension(c.cert, oidExtSubjectAltName); ok && san.Critical {
		return &CriticalSANError{c.violation(ruleWebPKISANNotCritical, "subjectAltName is critical but the subject is not empty")}
	}
	return nil
}

var ruleWebPKIRootAuthorityKeyID = rule{"a root's authorityKeyIdentifier, if present, holds only its own key identifier", "CA/Browser Forum BR 7.1.2.1.3", ProfileWebPKI}

// checkWebPKIRootAuthorityKeyID: BR 7.1.2.1.3 (Root CA Authority Key
// Identifier): keyIdentifier "MUST be present. MUST be identical to the
// subjectKeyIdentifier field"; authorityCertIssuer and
// authorityCertSerialNumber "MUST NOT be present". The extension itself
// is optional in a root (BR 7.1.2.1.2). Roots issued before
// brProfilesEffective are exempt.
func checkWebPKIRootAuthorityKeyID(c certInPath) error {
	if !c.isAnchor() || c.cert.NotBefore.Before(brProfilesEffective) {
		return nil
	}
	present, keyID, issuerOrSerial := authorityKeyIDFields(c.cert)
	switch {
	case !present:
		return nil
	case !keyID:
		return &RootAuthorityKeyIDError{c.violation(ruleWebPKIRootAuthorityKeyID, "authorityKeyIdentifier has no keyIdentifier")}
	case issuerOrSerial:
		return &RootAuthorityKeyIDError{c.violation(ruleWebPKIRootAuthorityKeyID, "authorityKeyIdentifier holds authorityCertIssuer or authorityCertSerialNumber")}
	case !bytes.Equal(c.cert.AuthorityKeyId, c.cert.SubjectKeyId):
		return &RootAuthorityKeyIDError{c.violation(ruleWebPKIRootAuthorityKeyID, "authorityKeyIdentifier %s differs from subjectKeyIdentifier %s", hexID(c.cert.AuthorityKeyId), hexID(c.cert.SubjectKeyId))}
	}
	return nil
}

var ruleWebPKILeafNotCA = rule{"the leaf is not a CA", "CA/Browser Forum BR 7.1.2.7.8", ProfileWebPKI}

// checkWebPKILeafNotCA: BR 7.1.2.7.8 (Subscriber Certificate Basic
// Constraints): cA "MUST be FALSE". A CA certificate presented as a
// server's or client's own certificate could sign others for any name.
func checkWebPKILeafNotCA(c certInPath) error {
	if !c.isLeaf() || !c.isCA() {
		return nil
	}
	return &LeafIsCAError{c.violation(ruleWebPKILeafNotCA, "basicConstraints cA is TRUE in the end-entity certificate")}
}

var ruleWebPKILeafExtKeyUsage = rule{"extKeyUsage present in the leaf, without anyExtendedKeyUsage", "CA/Browser Forum BR 7.1.2.7.10", ProfileWebPKI}

// checkWebPKILeafExtKeyUsage: BR 7.1.2.7.10 (Subscriber Certificate
// Extended Key Usage): the extension is required, id-kp-serverAuth "MUST"
// be present and anyExtendedKeyUsage "MUST NOT". (Which purpose is needed
// is Options.KeyUsages' business, checked for every profile.)
func checkWebPKILeafExtKeyUsage(c certInPath) error {
	if !c.isLeaf() {
		return nil
	}
	if len(c.cert.ExtKeyUsage) == 0 && len(c.cert.UnknownExtKeyUsage) == 0 {
		return &ExtKeyUsageProfileError{c.violation(ruleWebPKILeafExtKeyUsage, "the leaf has no extKeyUsage")}
	}
	if slices.Contains(c.cert.ExtKeyUsage, x509.ExtKeyUsageAny) {
		return &ExtKeyUsageProfileError{c.violation(ruleWebPKILeafExtKeyUsage, "the leaf's extKeyUsage includes anyExtendedKeyUsage")}
	}
	return nil
}

var ruleWebPKIExtKeyUsageNotCritical = rule{"extKeyUsage is not critical", "CA/Browser Forum BR 7.1.2.7.6 and 7.1.2.2.1", ProfileWebPKI}

// checkWebPKIExtKeyUsageNotCritical: the BR's extension tables for
// subscriber (7.1.2.7.6) and subordinate CA (7.1.2.2.1) certificates list
// extKeyUsage as not critical.
func checkWebPKIExtKeyUsageNotCritical(c certInPath) error {
	if c.isAnchor() {
		return nil // roots carry none at all: checkWebPKIRootNoExtKeyUsage
	}
	if eku, ok := findExtension(c.cert, oidExtExtendedKeyUsage); ok && eku.Critical {
		return &ExtKeyUsageProfileError{c.violation(ruleWebPKIExtKeyUsageNotCritical, "extKeyUsage is marked critical")}
	}
	return nil
}

var ruleWebPKIRootNoExtKeyUsage = rule{"a root carries no extKeyUsage", "CA/Browser Forum BR 7.1.2.1.2", ProfileWebPKI}

// checkWebPKIRootNoExtKeyUsage: BR 7.1.2.1.2 (Root CA Extensions):
// extKeyUsage "MUST NOT" be present. Roots issued before
// brProfilesEffective are exempt.
func checkWebPKIRootNoExtKeyUsage(c certInPath) error {
	if !c.isAnchor() || c.cert.NotBefore.Before(brProfilesEffective) {
		return nil
	}
	if _, ok := findExtension(c.cert, oidExtExtendedKeyUsage); ok {
		return &ExtKeyUsageProfileError{c.violation(ruleWebPKIRootNoExtKeyUsage, "the root carries extKeyUsage")}
	}
	return nil
}

var ruleWebPKIWildcard = rule{"no wildcard directly over a public suffix", "CA/Browser Forum BR 3.2.2.6", ProfileWebPKI}

// checkWebPKIWildcard: BR 3.2.2.6 (Wildcard Domain Validation): "If a
// wildcard would fall within the label immediately to the left of a
// registry-controlled or public suffix, CAs MUST refuse issuance". A
// certificate for *.co.uk would be valid for every company in the UK.
// The suffixes are those of the ICANN section of the Public Suffix List
// (golang.org/x/net/publicsuffix) and, as browsers do, single labels the
// list does not know (its default rule "*"); the list's private section
// (*.github.io and the like) is not registry-controlled.
func checkWebPKIWildcard(c certInPath) error {
	if !c.isLeaf() {
		return nil
	}
	for _, name := range c.cert.DNSNames {
		base, ok := strings.CutPrefix(lowerASCII(name), "*.")
		if !ok {
			continue
		}
		if isPublicSuffix(base) {
			return &WildcardPublicSuffixError{c.violation(ruleWebPKIWildcard, "dNSName %q is a wildcard over the public suffix %q", name, base)}
		}
	}
	return nil
}

// isPublicSuffix reports whether name is itself a registry-controlled
// suffix (see checkWebPKIWildcard).
func isPublicSuffix(name string) bool {
	name = strings.TrimSuffix(name, ".")
	suffix, icann := publicsuffix.PublicSuffix(name)
	if suffix != name {
		return false
	}
	return icann || !strings.Contains(name, ".")
}

var ruleWebPKIKey = rule{"RSA keys of at least 2048 bits, or ECDSA keys on P-256, P-384 or P-521", "CA/Browser Forum BR 6.1.5", ProfileWebPKI}

// checkWebPKIKey: BR 6.1.5 (Key Sizes): RSA with a modulus of at least
// 2048 bits, or ECDSA on NIST P-256, P-384 or P-521; no other algorithm
// (DSA and Ed25519 included) is allowed. It judges every certificate,
// the root too: the root's key verifies the first signature of the path.
// (Signatures with SHA-1 or MD5 are refused under every profile:
// checkSignatureAlgorithm. The root's own self-signature is not part of
// the path and is not checked: RFC 5280, 6.1.1(d).)
func checkWebPKIKey(c certInPath) error {
	switch pub := c.cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if bits := pub.N.BitLen(); bits < 2048 {
			return &WeakKeyError{c.violation(ruleWebPKIKey, "the RSA key has %d bits", bits)}
		}
		return nil
	case *ecdsa.PublicKey:
		switch pub.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
			return nil
		}
		return &WeakKeyError{c.violation(ruleWebPKIKey, "the ECDSA key is on curve %s", pub.Curve.Params().Name)}
	}
	return &WeakKeyError{c.violation(ruleWebPKIKey, "the key is %v, which the Web PKI does not allow", c.cert.PublicKeyAlgorithm)}
}
