package certgen

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"
)

// DefaultValidity is the validity window of every certificate that does not
// ask for another: 2025-01-01 to 2125-01-01 UTC. It is a century wide so that
// checked-in test files never expire under the tests.
func DefaultValidity() (notBefore, notAfter time.Time) {
	return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2125, 1, 1, 0, 0, 0, 0, time.UTC)
}

// Issuer is a certificate authority: a CA certificate and the private key
// that signs certificates issued under it.
type Issuer struct {
	// Cert is the CA's own certificate.
	Cert *x509.Certificate
	// Key is the CA's private key; Key.Public() matches Cert.PublicKey.
	Key crypto.Signer
}

// CAOption adjusts how NewCA builds a root certificate.
type CAOption func(*caConfig)

type caConfig struct {
	keyType      KeyType
	notBefore    time.Time
	notAfter     time.Time
	subjectKeyID []byte
	policies     []x509.OID
	extensions   []pkix.Extension
	modify       []func(*x509.Certificate)
	noAKI        bool
}

// WithKeyType chooses the CA's key algorithm (default ECDSAP256).
func WithKeyType(k KeyType) CAOption {
	return func(c *caConfig) { c.keyType = k }
}

// WithValidity sets the CA certificate's notBefore/notAfter
// (default DefaultValidity).
func WithValidity(notBefore, notAfter time.Time) CAOption {
	return func(c *caConfig) { c.notBefore, c.notAfter = notBefore, notAfter }
}

// WithSubjectKeyID sets the CA's subjectKeyIdentifier (RFC 5280, 4.2.1.2)
// instead of deriving it from the public key. Copying a genuine CA's value
// into an impostor makes certificates it signs point at the genuine CA by
// authorityKeyIdentifier too, so that only the signature gives the forgery
// away, and a verifier cannot tell it from a tampered certificate.
func WithSubjectKeyID(id []byte) CAOption {
	return func(c *caConfig) { c.subjectKeyID = append([]byte(nil), id...) }
}

// WithPolicies puts policies in the CA's certificatePolicies extension
// (RFC 5280, 4.2.1.4); AnyPolicy is one of them like any other.
func WithPolicies(policies ...x509.OID) CAOption {
	return func(c *caConfig) { c.policies = append(c.policies, policies...) }
}

// WithExtensions adds extensions to the CA certificate, for those that
// crypto/x509 cannot write from a template (policyConstraints,
// policyMappings, inhibitAnyPolicy: see extensions.go). An extension with
// the OID of one crypto/x509 writes replaces it.
func WithExtensions(exts ...pkix.Extension) CAOption {
	return func(c *caConfig) { c.extensions = append(c.extensions, exts...) }
}

// WithCATemplate lets a test change the CA's certificate template just
// before it is signed, to make a certificate that breaks one rule.
func WithCATemplate(modify func(*x509.Certificate)) CAOption {
	return func(c *caConfig) { c.modify = append(c.modify, modify) }
}

// WithoutAuthorityKeyID leaves the authorityKeyIdentifier extension
// (RFC 5280, 4.2.1.1) out of an intermediate CA's certificate.
func WithoutAuthorityKeyID() CAOption {
	return func(c *caConfig) { c.noAKI = true }
}

// NewCA makes a self-signed root CA whose subject is CN=name,
// O=glasstls test PKI.
func NewCA(name string, opts ...CAOption) (*Issuer, error) {
	return newCA(name, nil, opts)
}

// NewIntermediate makes a CA certificate for name signed by i: an
// intermediate CA (RFC 5280, 6.1: every certificate between the trust
// anchor and the leaf).
func (i *Issuer) NewIntermediate(name string, opts ...CAOption) (*Issuer, error) {
	if i == nil || i.Cert == nil || i.Key == nil {
		return nil, errors.New("certgen: issuer has no certificate or key")
	}
	return newCA(name, i, opts)
}

func newCA(name string, parent *Issuer, opts []CAOption) (*Issuer, error) {
	cfg := caConfig{keyType: ECDSAP256}
	cfg.notBefore, cfg.notAfter = DefaultValidity()
	for _, o := range opts {
		o(&cfg)
	}
	if name == "" {
		return nil, errors.New("certgen: CA name must not be empty")
	}
	if !cfg.notBefore.Before(cfg.notAfter) {
		return nil, errors.New("certgen: CA notBefore must precede notAfter")
	}
	key, err := GenerateKey(cfg.keyType)
	if err != nil {
		return nil, err
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      subject(name),
		NotBefore:    cfg.notBefore,
		NotAfter:     cfg.notAfter,
		// RFC 5280, 4.2.1.3: keyCertSign is what lets this key sign
		// certificates; cRLSign is customary for roots.
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          cfg.subjectKeyID,
		Policies:              cfg.policies,
		ExtraExtensions:       cfg.extensions,
	}
	for _, m := range cfg.modify {
		m(tmpl)
	}
	parentCert, signer := tmpl, key
	if parent != nil {
		parentCert, signer = parentForSigning(parent.Cert, cfg.noAKI), parent.Key
		if !cfg.noAKI && tmpl.AuthorityKeyId == nil {
			// crypto/x509 writes no authorityKeyIdentifier when subject
			// and issuer names are equal, taking that for self-signed;
			// a self-issued key-rollover certificate needs one all the
			// same (RFC 5280, 4.2.1.1 exempts only self-signed ones).
			tmpl.AuthorityKeyId = parent.Cert.SubjectKeyId
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("certgen: signing CA %q: %w", name, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Issuer{Cert: cert, Key: key}, nil
}

// Template describes an end-entity certificate for Issuer.Issue. Zero
// fields take the defaults documented on each field.
type Template struct {
	// CommonName becomes the subject CN. Host names are matched against
	// DNSNames and IPAddresses, not against this (RFC 6125, 6.4.4).
	CommonName string
	// KeyType is the algorithm of the freshly generated leaf key
	// (default ECDSAP256).
	KeyType KeyType
	// DNSNames and IPAddresses go into subjectAltName (RFC 5280, 4.2.1.6).
	DNSNames    []string
	IPAddresses []net.IP
	// ExtKeyUsage lists the purposes (RFC 5280, 4.2.1.12); empty means
	// none is added, which crypto/x509 treats as "any".
	ExtKeyUsage []x509.ExtKeyUsage
	// KeyUsage defaults to digitalSignature, plus keyEncipherment for RSA
	// keys, because RSA key exchange encrypts the preMasterSecret to the
	// certificate's key (RFC 5246, 7.4.7.1).
	KeyUsage x509.KeyUsage
	// NotBefore and NotAfter default to DefaultValidity; either may be set
	// alone.
	NotBefore, NotAfter time.Time
	// Policies go into certificatePolicies (RFC 5280, 4.2.1.4).
	Policies []x509.OID
	// ExtraExtensions are added as they are (see WithExtensions).
	ExtraExtensions []pkix.Extension
	// Modify, if set, changes the template just before it is signed, to
	// make a certificate that breaks one rule.
	Modify func(*x509.Certificate)
	// OmitAuthorityKeyID leaves authorityKeyIdentifier (RFC 5280, 4.2.1.1)
	// out, which conforming CAs never do.
	OmitAuthorityKeyID bool
}

// Issue generates a key pair for t and returns a certificate for it signed
// by the issuer, together with the new private key.
func (i *Issuer) Issue(t Template) (*x509.Certificate, crypto.Signer, error) {
	if i == nil || i.Cert == nil || i.Key == nil {
		return nil, nil, errors.New("certgen: issuer has no certificate or key")
	}
	notBefore, notAfter := DefaultValidity()
	if !t.NotBefore.IsZero() {
		notBefore = t.NotBefore
	}
	if !t.NotAfter.IsZero() {
		notAfter = t.NotAfter
	}
	if !notBefore.Before(notAfter) {
		return nil, nil, errors.New("certgen: notBefore must precede notAfter")
	}
	key, err := GenerateKey(t.KeyType)
	if err != nil {
		return nil, nil, err
	}
	keyUsage := t.KeyUsage
	if keyUsage == 0 {
		keyUsage = DefaultKeyUsage(t.KeyType)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject(t.CommonName),
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              keyUsage,
		ExtKeyUsage:           t.ExtKeyUsage,
		DNSNames:              t.DNSNames,
		IPAddresses:           t.IPAddresses,
		BasicConstraintsValid: true,
		IsCA:                  false,
		Policies:              t.Policies,
		ExtraExtensions:       t.ExtraExtensions,
	}
	if t.Modify != nil {
		t.Modify(tmpl)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentForSigning(i.Cert, t.OmitAuthorityKeyID), key.Public(), i.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("certgen: issuing %q: %w", t.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return cert, key, nil
}

// parentForSigning returns the issuer certificate to hand to
// x509.CreateCertificate, which copies the issuer's subjectKeyIdentifier
// into the new certificate's authorityKeyIdentifier: without one (noAKI),
// it writes none.
func parentForSigning(parent *x509.Certificate, noAKI bool) *x509.Certificate {
	if !noAKI {
		return parent
	}
	p := *parent
	p.SubjectKeyId = nil
	return &p
}

// DefaultKeyUsage is the keyUsage Issue gives a leaf of key type k when the
// template leaves it zero.
func DefaultKeyUsage(k KeyType) x509.KeyUsage {
	if k == RSA2048 || k == RSA1024 {
		return x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	}
	return x509.KeyUsageDigitalSignature
}

func subject(cn string) pkix.Name {
	return pkix.Name{CommonName: cn, Organization: []string{"glasstls test PKI"}}
}

// randomSerial draws a positive 127-bit serial: RFC 5280, 4.1.2.2 allows up
// to 20 octets and wants serials unique per issuer, which randomness gives.
func randomSerial() (*big.Int, error) {
	limit := new(big.Int).Lsh(big.NewInt(1), 127)
	n, err := rand.Int(rand.Reader, limit)
	if err != nil {
		return nil, err
	}
	return n.Add(n, big.NewInt(1)), nil
}
