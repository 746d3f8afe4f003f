package x509verify

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
)

// Profile chooses how strictly the certificates of a chain are judged,
// beyond what every path validation checks.
type Profile int

const (
	// ProfileCompat, the zero value, accepts what crypto/x509 accepts:
	// the checks listed in the package documentation, and RFC 5280, 6.1
	// policy processing. The stricter profiles' rules are reported as
	// lints instead (see VerifyWithLints).
	ProfileCompat Profile = iota
	// ProfileRFC5280 adds RFC 5280's MUSTs about the certificates of the
	// path: serial numbers, names, key identifiers, basicConstraints and
	// keyUsage agreeing, nameConstraints only in CAs and critical,
	// directoryName constraints, DNS names that parse when constraints are
	// in force.
	ProfileRFC5280
	// ProfileWebPKI adds to ProfileRFC5280 the CA/Browser Forum Baseline
	// Requirements for TLS certificates: extKeyUsage required in the leaf
	// and absent from roots, no CA leaf, no wildcard over a public suffix,
	// RSA >= 2048 bits or ECDSA on P-256, P-384 or P-521 keys throughout,
	// and the root's authorityKeyIdentifier, if any, naming its own key.
	ProfileWebPKI
)

// String returns the profile's name as the examples' -verify_profile flag
// takes it: "compat", "rfc5280" or "webpki".
func (p Profile) String() string {
	switch p {
	case ProfileCompat:
		return "compat"
	case ProfileRFC5280:
		return "rfc5280"
	case ProfileWebPKI:
		return "webpki"
	}
	return fmt.Sprintf("Profile(%d)", int(p))
}

// ParseProfile is the inverse of Profile.String.
func ParseProfile(name string) (Profile, error) {
	for _, p := range []Profile{ProfileCompat, ProfileRFC5280, ProfileWebPKI} {
		if strings.EqualFold(name, p.String()) {
			return p, nil
		}
	}
	return 0, fmt.Errorf("x509verify: unknown profile %q (want compat, rfc5280 or webpki)", name)
}

// Lint is a rule of a stricter profile than the one in force that an
// accepted chain breaks: what a strict verifier would have refused, and
// why.
type Lint struct {
	// Err is the error the stricter profile returns for this rule; one of
	// the *...Error types with a RuleError inside (see AsRuleError).
	Err error
}

// String is Err's message.
func (l Lint) String() string { return l.Err.Error() }

// Rule returns the details of the broken rule.
func (l Lint) Rule() *RuleError {
	r, _ := AsRuleError(l.Err)
	return r
}

// certInPath is one certificate of a chain, where it stands, and what the
// verification asked for: what a profile rule needs to judge it.
type certInPath struct {
	cert  *x509.Certificate
	pos   int                 // index in chain: 0 is the leaf
	chain []*x509.Certificate // leaf first, trust anchor last
	opts  Options
}

// isAnchor: the last certificate is the trust anchor, taken as a name and
// a key (RFC 5280, 6.1.1(d)), not a certificate of the path.
func (c certInPath) isAnchor() bool { return c.pos == len(c.chain)-1 }

// isLeaf: the end-entity certificate, when it is not itself the anchor.
func (c certInPath) isLeaf() bool { return c.pos == 0 && !c.isAnchor() }

// isCA reports whether the certificate asserts basicConstraints cA=TRUE.
func (c certInPath) isCA() bool { return c.cert.BasicConstraintsValid && c.cert.IsCA }

// violation fills in the common part of a rule's error.
func (c certInPath) violation(r rule, format string, args ...any) RuleError {
	return RuleError{Cert: c.cert, Position: c.pos, Rule: r.name, Section: r.section, Profile: r.profile, Detail: fmt.Sprintf(format, args...)}
}

// rule names one profile rule: what it says, where it comes from, and the
// least strict profile that enforces it.
type rule struct {
	name    string
	section string
	profile Profile
}

// profileChecks are the rules of the stricter profiles, in the order of
// their sections; each returns its own error type or nil. The path's
// certificates are judged leaf first, each against every rule.
var profileChecks = []func(certInPath) error{
	// RFC 5280 (ProfileRFC5280 and stricter): rules_rfc5280.go.
	checkSerialNumber,
	checkIssuerNotEmpty,
	checkCASubjectNotEmpty,
	checkEmptySubjectSAN,
	checkAuthorityKeyID,
	checkSubjectKeyID,
	checkKeyCertSignNeedsCA,
	checkCANeedsKeyCertSign,
	checkBasicConstraintsCritical,
	checkNameConstraintsInCA,
	checkNameConstraintsCritical,
	checkDirectoryNameConstraints,
	checkDNSNamesUnderConstraints,
	// CA/Browser Forum Baseline Requirements (ProfileWebPKI):
	// rules_webpki.go.
	checkWebPKISANNotCritical,
	checkWebPKIRootAuthorityKeyID,
	checkWebPKILeafNotCA,
	checkWebPKILeafExtKeyUsage,
	checkWebPKIExtKeyUsageNotCritical,
	checkWebPKIRootNoExtKeyUsage,
	checkWebPKIWildcard,
	checkWebPKIKey,
}

// checkProfile judges a chain that passed every other check by the
// profile rules: the first rule that opts.Profile enforces and the chain
// breaks is returned as the error; the broken rules of stricter profiles
// are returned as lints.
func checkProfile(chain []*x509.Certificate, opts Options) ([]Lint, error) {
	var lints []Lint
	for pos, cert := range chain {
		c := certInPath{cert: cert, pos: pos, chain: chain, opts: opts}
		for _, check := range profileChecks {
			err := check(c)
			if err == nil {
				continue
			}
			r, _ := AsRuleError(err)
			if r.Profile <= opts.Profile {
				return nil, err
			}
			lints = append(lints, Lint{Err: err})
		}
	}
	return lints, nil
}

// VerifyWithLints is Verify, and also returns, for each chain, the lints:
// the rules of profiles stricter than opts.Profile that the chain breaks
// (none under ProfileWebPKI, which enforces them all). lints[i] belongs to
// chains[i].
func VerifyWithLints(leaf *x509.Certificate, opts Options) (chains [][]*x509.Certificate, lints [][]Lint, err error) {
	b, err := verify(leaf, opts)
	if err != nil {
		return nil, nil, err
	}
	return b.chains, b.lints, nil
}

// Lints judges a chain that was already verified (such as
// ConnectionState.VerifiedChains[0] of a TLS connection) by every profile
// rule, and returns the broken ones as lints, whatever their profile.
// chain runs from the leaf to the trust anchor; opts supplies what the
// rules depend on (none of them depends on Roots or the time).
func Lints(chain []*x509.Certificate, opts Options) []Lint {
	if len(chain) == 0 {
		return nil
	}
	opts.Profile = ProfileCompat
	lints, _ := checkProfile(chain, opts.withDefaults())
	return lints
}

// AsRuleError finds, in err's chain, the error of a profile rule, and
// returns its common part: certificate, position, rule, section and
// profile.
func AsRuleError(err error) (*RuleError, bool) {
	var r interface{ ruleError() *RuleError }
	if errors.As(err, &r) {
		return r.ruleError(), true
	}
	return nil, false
}
