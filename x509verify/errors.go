package x509verify

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Every failure has its own type so that a caller (the TLS handshake) can
// pick the right alert with errors.As. All of them are returned as pointers:
//
//	var expired *x509verify.ExpiredError
//	if errors.As(err, &expired) { ... }

// ErrNoLeaf is returned when Verify is given a nil certificate, or one that
// was not produced by x509.ParseCertificate (it has no Raw bytes to check).
var ErrNoLeaf = errors.New("x509verify: no parsed leaf certificate to verify")

// ErrNoRoots is returned when Options.Roots is nil. Trust is never taken
// implicitly from the machine: pass SystemPool() explicitly if that is what
// you want.
var ErrNoRoots = errors.New("x509verify: Options.Roots is nil; there is nothing to trust (use SystemPool() or NewPool())")

// describe names a certificate for humans: its subject, or its serial number
// when the subject is empty (RFC 5280, 4.1.2.6 allows that for leaves).
func describe(cert *x509.Certificate) string {
	if cert == nil {
		return "<nil>"
	}
	if s := cert.Subject.String(); s != "" {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("with empty subject and serial %v", cert.SerialNumber)
}

// UnknownAuthorityError means the chain cannot be continued towards a
// trust anchor (RFC 5280, 6.1) because no certificate in Roots or
// Intermediates is the issuer of Cert: none carries the subject name that
// Cert names as its issuer, or those that do (OtherKeys) hold a different
// key, as both their subjectKeyIdentifier and a failed signature check
// show (RFC 5280, 4.2.1.1). A certificate from a self-made CA that copied
// a trusted CA's name ends here: the CA that really signed it is not
// trusted.
type UnknownAuthorityError struct {
	// Cert is the certificate whose issuer could not be found.
	Cert *x509.Certificate
	// Issuer is Cert's issuer name in RFC 4514 string form.
	Issuer string
	// OtherKeys are the certificates found with Issuer's name whose
	// subjectKeyIdentifier differs from Cert's authorityKeyIdentifier and
	// whose key does not verify Cert's signature. Empty when no
	// certificate with that name was found at all.
	OtherKeys []*x509.Certificate
}

// Error explains the failure, naming the certificate involved.
func (e *UnknownAuthorityError) Error() string {
	msg := fmt.Sprintf("x509verify: certificate signed by unknown authority: no trusted certificate for issuer %q (needed by certificate %s)", e.Issuer, describe(e.Cert))
	if len(e.OtherKeys) == 0 {
		return msg
	}
	ids := make([]string, len(e.OtherKeys))
	for i, c := range e.OtherKeys {
		ids[i] = hexID(c.SubjectKeyId)
	}
	return fmt.Sprintf("%s; %d certificate(s) with that name but a different key were found "+
		"(subjectKeyIdentifier %s, while the certificate's authorityKeyIdentifier is %s, and the signature does not verify), "+
		"so the certificate was signed by another CA using the same name, which is not trusted (RFC 5280, 4.2.1.1)",
		msg, len(e.OtherKeys), strings.Join(ids, ", "), hexID(e.Cert.AuthorityKeyId))
}

// hexID formats a key identifier the way openssl x509 -text does.
func hexID(id []byte) string {
	parts := make([]string, len(id))
	for i, b := range id {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// BadSignatureError means a candidate issuer has the right name, and a
// subjectKeyIdentifier equal to Cert's authorityKeyIdentifier (or one of
// the two is absent), but its public key does not verify Cert's
// signature: Cert was altered after signing, or was signed by a different
// key under the same name and the same key identifier
// (RFC 5280, 6.1.3(a)(1)). When the key identifiers differ, the candidate
// is not the issuer at all and the result is an UnknownAuthorityError.
type BadSignatureError struct {
	// Cert is the certificate whose signature failed.
	Cert *x509.Certificate
	// Issuer is the candidate whose public key was tried.
	Issuer *x509.Certificate
	// Err is the error returned by the signature primitive.
	Err error
}

// Error explains the failure, naming the certificate involved.
func (e *BadSignatureError) Error() string {
	return fmt.Sprintf("x509verify: signature on certificate %s does not verify with the public key of issuer %s: the certificate was tampered with, or signed by a different key under the same name and key identifier (%v)", describe(e.Cert), describe(e.Issuer), e.Err)
}

// Unwrap returns the underlying signature error.
func (e *BadSignatureError) Unwrap() error { return e.Err }

// InsecureAlgorithmError means Cert is signed with an algorithm whose hash
// is broken for signatures (MD2, MD5 or SHA-1: RFC 6151, RFC 9155), so a
// valid-looking signature proves nothing.
type InsecureAlgorithmError struct {
	// Cert is the certificate carrying the weak signature.
	Cert *x509.Certificate
	// Algorithm is the signature algorithm it uses.
	Algorithm x509.SignatureAlgorithm
}

// Error explains the failure, naming the certificate involved.
func (e *InsecureAlgorithmError) Error() string {
	return fmt.Sprintf("x509verify: certificate %s is signed with %v, whose hash is broken (collisions can be forged: RFC 6151, RFC 9155); refusing it", describe(e.Cert), e.Algorithm)
}

// UnsupportedAlgorithmError means Cert's signature algorithm, or the
// issuer's public key type, is not one this package can check (it supports
// RSA PKCS #1 v1.5 and PSS, ECDSA and Ed25519), or the two do not match.
type UnsupportedAlgorithmError struct {
	// Cert is the certificate whose signature could not be checked.
	Cert *x509.Certificate
	// Algorithm is Cert's signature algorithm.
	Algorithm x509.SignatureAlgorithm
	// Reason says what exactly is unsupported.
	Reason string
}

// Error explains the failure, naming the certificate involved.
func (e *UnsupportedAlgorithmError) Error() string {
	return fmt.Sprintf("x509verify: cannot check the signature on certificate %s (algorithm %v): %s", describe(e.Cert), e.Algorithm, e.Reason)
}

// ExpiredError means Now lies outside [NotBefore, NotAfter] of Cert
// (RFC 5280, 4.1.2.5 and 6.1.3(a)(2)). NotYetValid says which side.
type ExpiredError struct {
	// Cert is the certificate outside its validity period.
	Cert *x509.Certificate
	// Now is the time the check was made at.
	Now time.Time
	// NotBefore and NotAfter are Cert's validity period.
	NotBefore, NotAfter time.Time
	// NotYetValid is true when Now is before NotBefore, false when Now is
	// after NotAfter.
	NotYetValid bool
}

// Error explains the failure, naming the certificate involved.
func (e *ExpiredError) Error() string {
	if e.NotYetValid {
		return fmt.Sprintf("x509verify: certificate %s is not yet valid: current time %s is before notBefore %s", describe(e.Cert), e.Now.UTC().Format(time.RFC3339), e.NotBefore.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("x509verify: certificate %s has expired: current time %s is after notAfter %s", describe(e.Cert), e.Now.UTC().Format(time.RFC3339), e.NotAfter.UTC().Format(time.RFC3339))
}

// HostnameError means the leaf does not name the host the caller wanted to
// reach. Only subjectAltName entries are consulted, never the Common Name
// (RFC 9525, 6.3; RFC 6125, 6.4.4 allowed the fallback, RFC 9525 removed it).
type HostnameError struct {
	// Cert is the leaf certificate.
	Cert *x509.Certificate
	// Host is the reference identity that was asked for.
	Host string
	// Names lists what the certificate does carry, as "DNS:name" and
	// "IP:address".
	Names []string
	// Reason is set when Host itself could not be used (for example a
	// U-label that should have been converted to an A-label).
	Reason string
}

// Error explains the failure, naming the certificate involved.
func (e *HostnameError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("x509verify: cannot match host %q: %s", e.Host, e.Reason)
	}
	if len(e.Names) == 0 {
		return fmt.Sprintf("x509verify: certificate %s is not valid for %q: it has no DNS or IP subjectAltName at all, and the Common Name is not consulted (RFC 9525, 6.3)", describe(e.Cert), e.Host)
	}
	return fmt.Sprintf("x509verify: certificate %s is not valid for %q; it is valid for %s", describe(e.Cert), e.Host, strings.Join(e.Names, ", "))
}

// NotCAError means Cert sits above another certificate in the chain but
// does not assert basicConstraints cA=TRUE, so it may not issue
// certificates (RFC 5280, 4.2.1.9 and 6.1.4(k)).
type NotCAError struct {
	// Cert is the certificate used as an issuer.
	Cert *x509.Certificate
}

// Error explains the failure, naming the certificate involved.
func (e *NotCAError) Error() string {
	return fmt.Sprintf("x509verify: certificate %s is used as an issuer but is not a CA (basicConstraints cA is absent or false: RFC 5280, 4.2.1.9)", describe(e.Cert))
}

// PathLenError means more intermediate CA certificates follow Cert than its
// pathLenConstraint allows (RFC 5280, 4.2.1.9 and 6.1.4(l)-(m)).
type PathLenError struct {
	// Cert carries the pathLenConstraint.
	Cert *x509.Certificate
	// MaxPathLen is Cert's pathLenConstraint.
	MaxPathLen int
	// Intermediates is how many non-self-issued intermediates follow it.
	Intermediates int
}

// Error explains the failure, naming the certificate involved.
func (e *PathLenError) Error() string {
	return fmt.Sprintf("x509verify: CA certificate %s allows at most %d intermediate CA certificate(s) below it (pathLenConstraint), but the chain has %d (RFC 5280, 6.1.4(l))", describe(e.Cert), e.MaxPathLen, e.Intermediates)
}

// KeyUsageError means an issuing CA certificate has a keyUsage extension
// without the keyCertSign bit, so its key may not sign certificates
// (RFC 5280, 4.2.1.3 and 6.1.4(n)).
type KeyUsageError struct {
	// Cert is the CA certificate lacking keyCertSign.
	Cert *x509.Certificate
	// KeyUsage is the keyUsage it does carry.
	KeyUsage x509.KeyUsage
}

// Error explains the failure, naming the certificate involved.
func (e *KeyUsageError) Error() string {
	return fmt.Sprintf("x509verify: CA certificate %s has a keyUsage extension (bits %#x) without keyCertSign, so it may not sign certificates (RFC 5280, 4.2.1.3)", describe(e.Cert), int(e.KeyUsage))
}

// ExtKeyUsageError means the chain is not valid for any of the requested
// extended key usages: Cert lists extendedKeyUsage values and none of the
// wanted ones (still allowed by the certificates above it) is among them.
type ExtKeyUsageError struct {
	// Cert is the certificate whose extendedKeyUsage ruled out the last
	// wanted usage.
	Cert *x509.Certificate
	// Wanted are the usages the caller asked for.
	Wanted []x509.ExtKeyUsage
	// Has are the usages Cert lists.
	Has []x509.ExtKeyUsage
}

// Error explains the failure, naming the certificate involved.
func (e *ExtKeyUsageError) Error() string {
	return fmt.Sprintf("x509verify: certificate %s is limited to extended key usages %s, which does not include the wanted %s (RFC 5280, 4.2.1.12)", describe(e.Cert), ekuList(e.Has), ekuList(e.Wanted))
}

// NameConstraintError means a name carried by Cert falls outside the
// permittedSubtrees, or inside the excludedSubtrees, of the nameConstraints
// extension of CA certificate Issuer (RFC 5280, 4.2.1.10 and 6.1.3(b)-(c)).
type NameConstraintError struct {
	// Cert carries the offending name.
	Cert *x509.Certificate
	// Issuer is the CA whose constraint is violated.
	Issuer *x509.Certificate
	// Kind is "DNS name", "IP address", "email address" or "URI".
	Kind string
	// Name is the offending name.
	Name string
	// Excluded is true when Name matched an excluded subtree (Constraint)
	// and false when it matched none of the permitted ones.
	Excluded bool
	// Constraint is the excluded subtree that matched, when Excluded.
	Constraint string
}

// Error explains the failure, naming the certificate involved.
func (e *NameConstraintError) Error() string {
	if e.Excluded {
		return fmt.Sprintf("x509verify: %s %q in certificate %s is inside excluded subtree %q of CA %s (RFC 5280, 4.2.1.10)", e.Kind, e.Name, describe(e.Cert), e.Constraint, describe(e.Issuer))
	}
	return fmt.Sprintf("x509verify: %s %q in certificate %s is not inside any permitted subtree of CA %s (RFC 5280, 4.2.1.10)", e.Kind, e.Name, describe(e.Cert), describe(e.Issuer))
}

// UnhandledCriticalExtensionError means Cert carries an extension marked
// critical that this package does not understand; RFC 5280, 4.2 requires
// rejecting such a certificate.
type UnhandledCriticalExtensionError struct {
	// Cert carries the extensions.
	Cert *x509.Certificate
	// OIDs are the unhandled critical extensions.
	OIDs []asn1.ObjectIdentifier
}

// Error explains the failure, naming the certificate involved.
func (e *UnhandledCriticalExtensionError) Error() string {
	oids := make([]string, len(e.OIDs))
	for i, oid := range e.OIDs {
		oids[i] = oid.String()
	}
	return fmt.Sprintf("x509verify: certificate %s has critical extension(s) %s that are not understood; RFC 5280, 4.2 says to reject it", describe(e.Cert), strings.Join(oids, ", "))
}

// PolicyError means RFC 5280, 6.1 certificate-policy processing refused the
// path at Cert: a CA in the path requires an explicit policy
// (policyConstraints requireExplicitPolicy, or Options.RequireExplicitPolicy)
// and no policy is valid for every certificate from the trust anchor down,
// or among those the caller accepts (Options.CertificatePolicies); or Cert
// maps a policy to or from anyPolicy.
type PolicyError struct {
	// Cert is the certificate at which processing failed.
	Cert *x509.Certificate
	// Position is Cert's index in the chain, the leaf being 0.
	Position int
	// Step is the step of RFC 5280, 6.1 that failed, such as "6.1.3(f)".
	Step string
	// Reason explains the failure.
	Reason string
}

// Error explains the failure, naming the certificate involved.
func (e *PolicyError) Error() string {
	return fmt.Sprintf("x509verify: certificate %s (position %d in the chain) fails certificate policy processing: %s (RFC 5280, %s)", describe(e.Cert), e.Position, e.Reason, e.Step)
}

// ChainTooLongError means the only ways found to a root need more than
// MaxDepth certificates (leaf and root included).
type ChainTooLongError struct {
	// Cert is the certificate whose issuer would exceed the limit.
	Cert *x509.Certificate
	// MaxDepth is the limit in force.
	MaxDepth int
}

// Error explains the failure, naming the certificate involved.
func (e *ChainTooLongError) Error() string {
	return fmt.Sprintf("x509verify: chain too long: reaching a root above certificate %s would take more than %d certificates (Options.MaxDepth)", describe(e.Cert), e.MaxDepth)
}

// BudgetExceededError means path building stopped after MaxSignatureChecks
// signature verifications without finding a valid chain. A pool full of
// look-alike certificates (same names, wrong keys) could otherwise make
// verification arbitrarily slow; the answer is "no" rather than "slow".
type BudgetExceededError struct {
	// Checks is how many signatures were checked.
	Checks int
}

// Error explains the failure, naming the certificate involved.
func (e *BudgetExceededError) Error() string {
	return fmt.Sprintf("x509verify: gave up after %d signature checks without finding a valid chain (too many candidate issuers)", e.Checks)
}

func ekuList(usages []x509.ExtKeyUsage) string {
	if len(usages) == 0 {
		return "[]"
	}
	names := make([]string, len(usages))
	for i, u := range usages {
		names[i] = ekuName(u)
	}
	return "[" + strings.Join(names, ", ") + "]"
}

func ekuName(u x509.ExtKeyUsage) string {
	switch u {
	case x509.ExtKeyUsageAny:
		return "any"
	case x509.ExtKeyUsageServerAuth:
		return "serverAuth"
	case x509.ExtKeyUsageClientAuth:
		return "clientAuth"
	case x509.ExtKeyUsageCodeSigning:
		return "codeSigning"
	case x509.ExtKeyUsageEmailProtection:
		return "emailProtection"
	case x509.ExtKeyUsageTimeStamping:
		return "timeStamping"
	case x509.ExtKeyUsageOCSPSigning:
		return "OCSPSigning"
	default:
		return fmt.Sprintf("ExtKeyUsage(%d)", int(u))
	}
}
