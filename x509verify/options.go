package x509verify

import (
	"crypto/x509"
	"net"
	"slices"
	"time"
)

// DefaultMaxDepth is the chain length limit used when Options.MaxDepth is
// zero: at most this many certificates, leaf and root included. Real web
// PKI chains have 3 or 4.
const DefaultMaxDepth = 10

// MaxSignatureChecks is the work budget of one Verify call: path building
// gives up after this many signature verifications. Each costs well under a
// millisecond, so a hostile pool of look-alike issuers costs at most a few
// tens of milliseconds.
const MaxSignatureChecks = 100

// Options says what to verify a leaf certificate against.
type Options struct {
	// Roots are the trust anchors. Required: a nil Roots is an error
	// (ErrNoRoots), never an implicit use of the system store.
	Roots *Pool
	// Intermediates are untrusted certificates that may be used to build
	// a path to a root, typically the rest of the peer's Certificate
	// message. May be nil.
	Intermediates *Pool
	// DNSName, if set, must match a dNSName in the leaf's subjectAltName
	// (or, if it is an IP literal, an iPAddress).
	DNSName string
	// IP, if set, must match an iPAddress in the leaf's subjectAltName.
	IP net.IP
	// Now is the time validity periods are checked at; zero means
	// time.Now().
	Now time.Time
	// KeyUsages are acceptable extended key usages; the chain must allow at
	// least one. Empty means x509.ExtKeyUsageServerAuth;
	// x509.ExtKeyUsageAny accepts anything.
	KeyUsages []x509.ExtKeyUsage
	// MaxDepth is the longest acceptable chain in certificates, leaf and
	// root included, not counting self-issued intermediates (RFC 5280,
	// 6.1.4(l): key rollover certificates); zero (or negative) means
	// DefaultMaxDepth. The signature budget (MaxSignatureChecks) bounds
	// the search whatever the chain looks like.
	MaxDepth int
	// Profile chooses how strictly the certificates are judged; the zero
	// value, ProfileCompat, accepts what crypto/x509 accepts.
	Profile Profile

	// The user-initial-policy-set and its three companions are the inputs
	// of RFC 5280, 6.1 certificate-policy processing (6.1.1(c) and
	// (e)-(g)), as crypto/x509.VerifyOptions.CertificatePolicies. The zero
	// values accept any policy, and a path without policies, unless a CA
	// in the path demands otherwise with policyConstraints or
	// inhibitAnyPolicy.

	// CertificatePolicies is the user-initial-policy-set: the policies
	// the caller accepts. Empty means {anyPolicy}, any policy at all.
	CertificatePolicies []x509.OID
	// RequireExplicitPolicy is initial-explicit-policy: the path must be
	// valid for at least one policy in CertificatePolicies.
	RequireExplicitPolicy bool
	// InhibitPolicyMapping is initial-policy-mapping-inhibit: policy
	// mappings in the path are not honoured.
	InhibitPolicyMapping bool
	// InhibitAnyPolicy is initial-any-policy-inhibit: anyPolicy in a
	// certificate does not stand for other policies.
	InhibitAnyPolicy bool

	// Observe, if set, is called after each check Verify runs, with its
	// result: a tracer uses it to show how a chain was verified (or where
	// it failed). Checks on candidate issuers that lead nowhere are
	// reported too. It must not keep the Check's certificates' memory
	// beyond what crypto/x509 allows (they are shared).
	Observe func(Check)
}

// Check is one check Verify ran, reported to Options.Observe.
type Check struct {
	// Cert is the certificate checked; Issuer, for a signature check, is
	// the candidate whose key was tried (nil otherwise).
	Cert, Issuer *x509.Certificate
	// Name says what was checked, e.g. "signature", "validity".
	Name string
	// Section is where RFC 5280 (or the RFC named) states the rule.
	Section string
	// Err is nil when the check passed.
	Err error
}

// observe reports a check's result to Observe and returns err unchanged,
// so a check reads `if err := opts.observe(...checkX()); err != nil`.
func (o *Options) observe(cert, issuer *x509.Certificate, name, section string, err error) error {
	if o.Observe != nil {
		o.Observe(Check{Cert: cert, Issuer: issuer, Name: name, Section: section, Err: err})
	}
	return err
}

// withDefaults fills in the documented defaults.
func (o Options) withDefaults() Options {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if len(o.KeyUsages) == 0 {
		o.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	} else {
		o.KeyUsages = slices.Clone(o.KeyUsages)
	}
	o.CertificatePolicies = slices.Clone(o.CertificatePolicies)
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	return o
}
