package x509verify

import (
	"crypto/x509"
	"fmt"
)

// RuleError is what the errors of the profile rules (Options.Profile) have
// in common: which certificate, where in the chain, which rule and where
// the rule is written. Each rule has its own type that embeds it, so
// errors.As can pick one rule; AsRuleError finds any of them.
type RuleError struct {
	// Cert is the certificate that breaks the rule.
	Cert *x509.Certificate
	// Position is Cert's index in the chain, the leaf being 0.
	Position int
	// Rule says what the rule requires.
	Rule string
	// Section is where the rule comes from, such as "RFC 5280, 4.1.2.2".
	Section string
	// Profile is the least strict profile that enforces the rule.
	Profile Profile
	// Detail says how Cert breaks it.
	Detail string
}

// Error explains the failure, naming the certificate involved.
func (e *RuleError) Error() string {
	return fmt.Sprintf("x509verify: certificate %s (position %d in the chain) breaks the rule %q (%s; enforced by profile %v): %s",
		describe(e.Cert), e.Position, e.Rule, e.Section, e.Profile, e.Detail)
}

func (e *RuleError) ruleError() *RuleError { return e }

// SerialNumberError means the serial number is not a positive integer of at most 20 octets (RFC 5280, 4.1.2.2).
type SerialNumberError struct{ RuleError }

// EmptyIssuerError means the issuer name is empty (RFC 5280, 4.1.2.4).
type EmptyIssuerError struct{ RuleError }

// EmptySubjectError means a CA certificate has an empty subject name (RFC 5280, 4.1.2.6).
type EmptySubjectError struct{ RuleError }

// EmptySubjectSANError means the subject name is empty and subjectAltName is missing or not critical (RFC 5280, 4.1.2.6 and 4.2.1.6).
type EmptySubjectSANError struct{ RuleError }

// AuthorityKeyIDError means authorityKeyIdentifier is missing, or holds no keyIdentifier, in a certificate that is not self-signed (RFC 5280, 4.2.1.1).
type AuthorityKeyIDError struct{ RuleError }

// SubjectKeyIDError means a CA certificate has no subjectKeyIdentifier (RFC 5280, 4.2.1.2).
type SubjectKeyIDError struct{ RuleError }

// KeyCertSignError means keyUsage and basicConstraints disagree: keyCertSign without cA=TRUE, or cA=TRUE without keyCertSign (RFC 5280, 4.2.1.3 and 4.2.1.9).
type KeyCertSignError struct{ RuleError }

// BasicConstraintsError means a CA certificate's basicConstraints is not critical (RFC 5280, 4.2.1.9).
type BasicConstraintsError struct{ RuleError }

// NameConstraintsUsageError means nameConstraints appears in a certificate that is not a CA, or is not critical (RFC 5280, 4.2.1.10).
type NameConstraintsUsageError struct{ RuleError }

// DirectoryNameConstraintError means a subject name or directoryName subjectAltName lies outside a CA's directoryName constraints (RFC 5280, 4.2.1.10).
type DirectoryNameConstraintError struct{ RuleError }

// InvalidDNSNameError means a dNSName in subjectAltName is not a valid host name while name constraints are in force (RFC 5280, 4.2.1.6 and 4.2.1.10).
type InvalidDNSNameError struct{ RuleError }

// CriticalSANError means the leaf's subjectAltName is critical although its subject is not empty (CA/Browser Forum BR 7.1.2.7.12).
type CriticalSANError struct{ RuleError }

// RootAuthorityKeyIDError means a root's authorityKeyIdentifier holds something other than its own subjectKeyIdentifier (CA/Browser Forum BR 7.1.2.1.3).
type RootAuthorityKeyIDError struct{ RuleError }

// LeafIsCAError means the leaf is a CA certificate (CA/Browser Forum BR 7.1.2.7.8).
type LeafIsCAError struct{ RuleError }

// ExtKeyUsageProfileError means extKeyUsage breaks the Web PKI profile: missing or anyExtendedKeyUsage in the leaf, critical anywhere, present in a root (CA/Browser Forum BR 7.1.2.1.2, 7.1.2.7.6 and 7.1.2.7.10).
type ExtKeyUsageProfileError struct{ RuleError }

// WildcardPublicSuffixError means a wildcard dNSName sits directly over a public suffix, such as *.com or *.co.uk (CA/Browser Forum BR 3.2.2.6).
type WildcardPublicSuffixError struct{ RuleError }

// WeakKeyError means a public key is not RSA of at least 2048 bits or ECDSA on P-256, P-384 or P-521 (CA/Browser Forum BR 6.1.5).
type WeakKeyError struct{ RuleError }
