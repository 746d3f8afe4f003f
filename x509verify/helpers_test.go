package x509verify

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testNow is the fixed "current time" of every test, so that results do
// not depend on the day the tests run.
var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// node is a certificate together with the key it certifies.
type node struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return k
}

func serial(t testing.TB) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	require.NoError(t, err)
	return n
}

// caTmpl is a well-formed CA template valid for a year around testNow.
func caTmpl(cn string, mods ...func(*x509.Certificate)) *x509.Certificate {
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             testNow.Add(-365 * day),
		NotAfter:              testNow.Add(365 * day),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	for _, m := range mods {
		m(tmpl)
	}
	return tmpl
}

// leafTmpl is a well-formed TLS server template for dnsNames.
func leafTmpl(cn string, dnsNames []string, mods ...func(*x509.Certificate)) *x509.Certificate {
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: cn},
		DNSNames:              dnsNames,
		NotBefore:             testNow.Add(-30 * day),
		NotAfter:              testNow.Add(60 * day),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, m := range mods {
		m(tmpl)
	}
	return tmpl
}

// issue signs tmpl for key with parent, or self-signs when parent is nil.
// A nil key means a fresh one.
func issue(t testing.TB, tmpl *x509.Certificate, parent *node, key crypto.Signer) *node {
	t.Helper()
	if key == nil {
		key = newKey(t)
	}
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = serial(t)
	}
	parentCert, signer := tmpl, key
	if parent != nil {
		parentCert, signer = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), signer)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &node{cert: cert, key: key}
}

// crossSign certifies n's subject and key again, this time signed by by.
func crossSign(t testing.TB, n, by *node, mods ...func(*x509.Certificate)) *node {
	t.Helper()
	tmpl := caTmpl("", mods...)
	tmpl.Subject = n.cert.Subject
	tmpl.SubjectKeyId = n.cert.SubjectKeyId
	return issue(t, tmpl, by, n.key)
}

func poolOf(certs ...*node) *Pool {
	p := NewPool()
	for _, c := range certs {
		p.AddCert(c.cert)
	}
	return p
}

// pki is the usual three-level hierarchy: root -> intermediate -> leaf.
type pki struct {
	root, inter, leaf *node
}

func newPKI(t testing.TB) pki {
	t.Helper()
	root := issue(t, caTmpl("Test Root"), nil, nil)
	inter := issue(t, caTmpl("Test Intermediate"), root, nil)
	leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com", "*.api.example.com"}), inter, nil)
	return pki{root: root, inter: inter, leaf: leaf}
}

func (p pki) opts() Options {
	return Options{Roots: poolOf(p.root), Intermediates: poolOf(p.inter), DNSName: "www.example.com", Now: testNow}
}
