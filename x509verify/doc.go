// Package x509verify validates X.509 certificate chains for glasstls: it
// decides whether the certificates a TLS peer sent (RFC 5246, 7.4.2) lead
// from a leaf to a trusted root and name the expected host.
//
// Parsing is left to crypto/x509.ParseCertificate. Everything after that
// is done here, one small function per rule, so the code can be read next
// to the RFCs:
//
//  1. Leaf checks, which fail immediately whatever the path:
//     critical extensions (checkCriticalExtensions, RFC 5280, 4.2),
//     validity period (checkValidity, RFC 5280, 4.1.2.5 and 6.1.3(a)(2)),
//     host name or IP address against subjectAltName only, with no Common
//     Name fallback, wildcards only as the whole left-most label matching
//     one label, ASCII case-insensitive A-label comparison and the
//     reference name's trailing dot ignored (checkHostname, RFC 9525, 6 and
//     RFC 6125, 6.4).
//
//  2. Path building (pathBuilder.extend, RFC 5280, 6.1 and RFC 4158):
//     issuers are looked up by subject name equal to the child's issuer
//     name, those whose subjectKeyIdentifier matches the child's
//     authorityKeyIdentifier tried first (Pool.issuersOf, RFC 5280,
//     4.2.1.1-2). Roots are tried before intermediates; every alternative
//     is explored depth first; a certificate whose subject and key already
//     appear in the chain is skipped (inChain), so cross-signing cannot
//     loop; the chain length is capped by Options.MaxDepth and the whole
//     search by MaxSignatureChecks signature verifications, so a hostile
//     pool cannot make verification slow.
//
//  3. Per-issuer checks, run as each candidate is appended
//     (pathBuilder.checkIssuer): the signature algorithm, refusing MD5 and
//     SHA-1 (checkSignatureAlgorithm, RFC 6151, RFC 9155); the signature
//     over tbsCertificate with the issuer's key, RSA PKCS #1 v1.5, RSA-PSS,
//     ECDSA or Ed25519 (checkSignature, RFC 5280, 6.1.3(a)(1), RFC 4055,
//     RFC 5758, RFC 8410); validity; critical extensions; for
//     intermediates, basicConstraints cA (checkIsCA, 6.1.4(k)) and
//     keyUsage keyCertSign (checkKeyCertSign, 6.1.4(n)); pathLenConstraint
//     (checkPathLen, 6.1.4(l)-(m)); name constraints on DNS names, IP
//     addresses, email addresses and URIs of every certificate below
//     (checkNameConstraints, 4.2.1.10 and 6.1.3(b)-(c)).
//     A candidate whose key fails the signature check is judged by the
//     key identifiers (notTheIssuer, RFC 5280, 4.2.1.1: the child's
//     authorityKeyIdentifier names the key that signed it). If the
//     candidate's subjectKeyIdentifier is present and differs, it is a
//     namesake, not the issuer: with no other candidate the result is
//     UnknownAuthorityError, as for a forgery from a self-made CA that
//     copied a trusted name (the forger's CA is not trusted). If they
//     match, or either is absent, the certificate names this very key, so
//     its bytes were changed after signing: BadSignatureError.
//
//  4. Whole-chain checks once a root is reached: certificate policies
//     (checkPolicies, RFC 5280, 6.1.2-6.1.5 with the valid_policy_tree kept
//     as RFC 9618's graph: certificatePolicies, policyMappings,
//     policyConstraints and inhibitAnyPolicy, against the caller's
//     Options.CertificatePolicies and the three initial flags); then
//     extended key usage, with issuers that list usages restricting
//     everything below them as crypto/x509 does (checkExtKeyUsage,
//     RFC 5280, 4.2.1.12).
//
//  5. Profile rules (checkProfile, profile.go), once the chain is
//     otherwise valid. Options.Profile chooses which ones refuse the chain:
//     ProfileCompat (the zero value) none, accepting what crypto/x509
//     accepts; ProfileRFC5280 RFC 5280's MUSTs about the certificates of
//     the path (rules_rfc5280.go); ProfileWebPKI those and the CA/Browser
//     Forum Baseline Requirements (rules_webpki.go). Each rule is one
//     function citing its section, with its own error type embedding
//     RuleError. The rules a profile does not enforce are still checked:
//     VerifyWithLints returns the ones an accepted chain breaks, as lints,
//     so a sloppy private CA learns what a strict verifier would refuse;
//     Lints does the same for a chain verified earlier.
//
// MaxDepth counts the certificates of the path but not self-issued
// intermediates (RFC 5280, 6.1.4(l)), under every profile.
//
// Trust anchors (the roots) are not required to be CA certificates nor to
// carry keyCertSign (RFC 5280, 6.1.1(d) takes a trust anchor as a name and a
// key), but their validity, critical extensions, pathLenConstraint and
// name constraints are honoured.
//
// Each failure has its own error type (UnknownAuthorityError,
// BadSignatureError, ExpiredError, HostnameError, NotCAError, PathLenError,
// KeyUsageError, ExtKeyUsageError, NameConstraintError,
// UnhandledCriticalExtensionError, InsecureAlgorithmError,
// UnsupportedAlgorithmError, PolicyError, ChainTooLongError,
// BudgetExceededError, and one per profile rule), always returned as a
// pointer, so callers can use errors.As to choose a TLS alert. Which error
// wins when several paths fail is documented on Verify.
//
// State: none, but for one read-only cache. SystemPool reads the
// machine's trust store once per process (as crypto/x509.SystemCertPool
// does) and hands out copies.
//
// Not implemented: policy qualifiers (policies are processed, but no
// qualifier is returned), revocation (CRL, OCSP), name constraints on
// directory names under ProfileCompat (the strict profiles apply them),
// and on emailAddress attributes of the subject (a critical constraint of
// a form that is not processed is refused as an unhandled critical
// extension).
// Names are compared byte for byte, not with the RFC 5280, 7.1
// normalisation, as crypto/x509 does.
package x509verify
