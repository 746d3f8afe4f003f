package x509verify

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireAs asserts that err is (or wraps) a T and returns it.
func requireAs[T error](t *testing.T, err error) T {
	t.Helper()
	var target T
	require.Error(t, err)
	require.Truef(t, errors.As(err, &target), "want %T, got %T: %v", target, err, err)
	return target
}

func TestVerifyValidChain(t *testing.T) {
	p := newPKI(t)
	chains, err := Verify(p.leaf.cert, p.opts())
	require.NoError(t, err)
	require.Len(t, chains, 1)
	assert.Equal(t, []*x509.Certificate{p.leaf.cert, p.inter.cert, p.root.cert}, chains[0])
}

func TestVerifyInputErrors(t *testing.T) {
	p := newPKI(t)
	_, err := Verify(nil, p.opts())
	assert.ErrorIs(t, err, ErrNoLeaf)
	_, err = Verify(&x509.Certificate{}, p.opts())
	assert.ErrorIs(t, err, ErrNoLeaf)
	opts := p.opts()
	opts.Roots = nil
	_, err = Verify(p.leaf.cert, opts)
	assert.ErrorIs(t, err, ErrNoRoots)
}

// tamper returns a re-parsed copy of cert with one byte of old changed to
// new inside the signed part, keeping the original signature.
func tamper(t *testing.T, cert *x509.Certificate, old, replacement string) *x509.Certificate {
	t.Helper()
	require.Len(t, replacement, len(old))
	i := bytes.Index(cert.Raw, []byte(old))
	require.GreaterOrEqual(t, i, 0)
	raw := bytes.Clone(cert.Raw)
	copy(raw[i:], replacement)
	out, err := x509.ParseCertificate(raw)
	require.NoError(t, err)
	return out
}

var unknownCriticalExt = pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Critical: true, Value: []byte{0x05, 0x00}}

// TestVerifyFailures builds, for every error type, a chain that is wrong in
// exactly that one way.
func TestVerifyFailures(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T) (*x509.Certificate, Options)
		check func(t *testing.T, err error)
	}{
		{
			name: "unknown authority",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				evil := issue(t, caTmpl("Evil CA"), nil, nil)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}), evil, nil)
				return leaf.cert, p.opts()
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*UnknownAuthorityError](t, err)
				assert.Equal(t, "CN=Evil CA", e.Issuer)
				assert.Contains(t, err.Error(), `x509verify: certificate signed by unknown authority: no trusted certificate for issuer "CN=Evil CA"`)
			},
		},
		{
			name: "missing intermediate names the intermediate",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				o := p.opts()
				o.Intermediates = nil
				return p.leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, "CN=Test Intermediate", requireAs[*UnknownAuthorityError](t, err).Issuer)
			},
		},
		{
			name: "tampered leaf",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				// Change a name inside the signed tbsCertificate.
				return tamper(t, p.leaf.cert, "*.api.example", "*.aqi.example"), p.opts()
			},
			check: func(t *testing.T, err error) {
				requireAs[*BadSignatureError](t, err)
				assert.Contains(t, err.Error(), "tampered")
			},
		},
		{
			name: "impostor issuer with the same name and its own key identifier",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				impostor := issue(t, caTmpl("Test Root"), nil, nil)
				o := p.opts()
				o.Roots = poolOf(impostor)
				return p.leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*UnknownAuthorityError](t, err)
				assert.Equal(t, "CN=Test Intermediate", e.Cert.Subject.String())
				assert.Equal(t, "CN=Test Root", e.Issuer)
				require.Len(t, e.OtherKeys, 1)
				assert.Contains(t, err.Error(), "with that name but a different key")
			},
		},
		{
			name: "expired leaf",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}, func(c *x509.Certificate) {
					c.NotBefore, c.NotAfter = testNow.Add(-90*day), testNow.Add(-day)
				}), p.inter, nil)
				return leaf.cert, p.opts()
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*ExpiredError](t, err)
				assert.False(t, e.NotYetValid)
				assert.Equal(t, testNow, e.Now)
				assert.Contains(t, err.Error(), "has expired")
			},
		},
		{
			name: "not yet valid leaf",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}, func(c *x509.Certificate) {
					c.NotBefore, c.NotAfter = testNow.Add(day), testNow.Add(90*day)
				}), p.inter, nil)
				return leaf.cert, p.opts()
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*ExpiredError](t, err)
				assert.True(t, e.NotYetValid)
				assert.Contains(t, err.Error(), "not yet valid")
			},
		},
		{
			name: "expired intermediate",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				old := issue(t, caTmpl("Old Intermediate", func(c *x509.Certificate) { c.NotAfter = testNow.Add(-day) }), p.root, nil)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}), old, nil)
				o := p.opts()
				o.Intermediates = poolOf(old)
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, "CN=Old Intermediate", requireAs[*ExpiredError](t, err).Cert.Subject.String())
			},
		},
		{
			name: "expired root",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				root := issue(t, caTmpl("Old Root", func(c *x509.Certificate) { c.NotAfter = testNow.Add(-day) }), nil, nil)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}), root, nil)
				return leaf.cert, Options{Roots: poolOf(root), Now: testNow}
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, "CN=Old Root", requireAs[*ExpiredError](t, err).Cert.Subject.String())
			},
		},
		{
			name: "wrong host",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				o := p.opts()
				o.DNSName = "mail.example.com"
				return p.leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*HostnameError](t, err)
				assert.Equal(t, []string{"DNS:www.example.com", "DNS:*.api.example.com"}, e.Names)
				assert.Contains(t, err.Error(), "www.example.com")
			},
		},
		{
			name: "no Common Name fallback",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				leaf := issue(t, leafTmpl("cn-only.example.com", nil), p.inter, nil)
				o := p.opts()
				o.DNSName = "cn-only.example.com"
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				requireAs[*HostnameError](t, err)
				assert.Contains(t, err.Error(), "Common Name is not consulted")
			},
		},
		{
			name: "wrong IP",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				leaf := issue(t, leafTmpl("ip", nil, func(c *x509.Certificate) { c.IPAddresses = []net.IP{net.ParseIP("192.0.2.1")} }), p.inter, nil)
				o := p.opts()
				o.DNSName = ""
				o.IP = net.ParseIP("192.0.2.2")
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, []string{"IP:192.0.2.1"}, requireAs[*HostnameError](t, err).Names)
			},
		},
		{
			name: "intermediate is not a CA",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				notCA := issue(t, caTmpl("Not A CA", func(c *x509.Certificate) { c.IsCA = false; c.KeyUsage = 0 }), p.root, nil)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}), notCA, nil)
				o := p.opts()
				o.Intermediates = poolOf(notCA)
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, "CN=Not A CA", requireAs[*NotCAError](t, err).Cert.Subject.String())
			},
		},
		{
			name: "intermediate without basicConstraints",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				notCA := issue(t, caTmpl("No BC", func(c *x509.Certificate) { c.IsCA = false; c.BasicConstraintsValid = false; c.KeyUsage = 0 }), p.root, nil)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}), notCA, nil)
				o := p.opts()
				o.Intermediates = poolOf(notCA)
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) { requireAs[*NotCAError](t, err) },
		},
		{
			name: "pathLenConstraint 0 on root with an intermediate below",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				root := issue(t, caTmpl("Strict Root", func(c *x509.Certificate) { c.MaxPathLenZero = true }), nil, nil)
				inter := issue(t, caTmpl("Inter"), root, nil)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}), inter, nil)
				return leaf.cert, Options{Roots: poolOf(root), Intermediates: poolOf(inter), Now: testNow}
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*PathLenError](t, err)
				assert.Equal(t, 0, e.MaxPathLen)
				assert.Equal(t, 1, e.Intermediates)
			},
		},
		{
			name: "pathLenConstraint 1 with two intermediates",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				root := issue(t, caTmpl("Root"), nil, nil)
				i1 := issue(t, caTmpl("I1", func(c *x509.Certificate) { c.MaxPathLen = 1 }), root, nil)
				i2 := issue(t, caTmpl("I2"), i1, nil)
				i3 := issue(t, caTmpl("I3"), i2, nil)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}), i3, nil)
				return leaf.cert, Options{Roots: poolOf(root), Intermediates: poolOf(i1, i2, i3), Now: testNow}
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*PathLenError](t, err)
				assert.Equal(t, "CN=I1", e.Cert.Subject.String())
				assert.Equal(t, 2, e.Intermediates)
			},
		},
		{
			name: "intermediate keyUsage without keyCertSign",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				inter := issue(t, caTmpl("Sign Only", func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageDigitalSignature }), p.root, nil)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}), inter, nil)
				o := p.opts()
				o.Intermediates = poolOf(inter)
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, x509.KeyUsageDigitalSignature, requireAs[*KeyUsageError](t, err).KeyUsage)
			},
		},
		{
			name: "leaf only for clientAuth",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}, func(c *x509.Certificate) {
					c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
				}), p.inter, nil)
				return leaf.cert, p.opts()
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*ExtKeyUsageError](t, err)
				assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, e.Wanted)
				assert.Contains(t, err.Error(), "clientAuth")
			},
		},
		{
			name: "intermediate EKU restricts the leaf",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				inter := issue(t, caTmpl("Client CA", func(c *x509.Certificate) {
					c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
				}), p.root, nil)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}), inter, nil)
				o := p.opts()
				o.Intermediates = poolOf(inter)
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, "CN=Client CA", requireAs[*ExtKeyUsageError](t, err).Cert.Subject.String())
			},
		},
		{
			name: "DNS name outside permitted subtree",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				inter := issue(t, caTmpl("Example Only", func(c *x509.Certificate) { c.PermittedDNSDomains = []string{"example.com"} }), p.root, nil)
				leaf := issue(t, leafTmpl("evil.org", []string{"evil.org"}), inter, nil)
				o := p.opts()
				o.Intermediates = poolOf(inter)
				o.DNSName = "evil.org"
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*NameConstraintError](t, err)
				assert.False(t, e.Excluded)
				assert.Equal(t, "evil.org", e.Name)
				assert.Equal(t, "DNS name", e.Kind)
			},
		},
		{
			name: "wildcard covering an excluded name",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				inter := issue(t, caTmpl("No Secret", func(c *x509.Certificate) { c.ExcludedDNSDomains = []string{"secret.example.com"} }), p.root, nil)
				leaf := issue(t, leafTmpl("wild", []string{"*.example.com"}), inter, nil)
				o := p.opts()
				o.Intermediates = poolOf(inter)
				o.DNSName = "www.example.com"
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*NameConstraintError](t, err)
				assert.True(t, e.Excluded)
				assert.Equal(t, "secret.example.com", e.Constraint)
			},
		},
		{
			name: "IP outside permitted range",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				_, lan, _ := net.ParseCIDR("10.0.0.0/8")
				inter := issue(t, caTmpl("LAN CA", func(c *x509.Certificate) { c.PermittedIPRanges = []*net.IPNet{lan} }), p.root, nil)
				leaf := issue(t, leafTmpl("ip", nil, func(c *x509.Certificate) { c.IPAddresses = []net.IP{net.ParseIP("192.0.2.7")} }), inter, nil)
				o := p.opts()
				o.Intermediates = poolOf(inter)
				o.DNSName = "192.0.2.7"
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, "IP address", requireAs[*NameConstraintError](t, err).Kind)
			},
		},
		{
			name: "email in excluded subtree",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				inter := issue(t, caTmpl("Mail CA", func(c *x509.Certificate) { c.ExcludedEmailAddresses = []string{".corp.example"} }), p.root, nil)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}, func(c *x509.Certificate) {
					c.EmailAddresses = []string{"boss@hq.corp.example"}
				}), inter, nil)
				o := p.opts()
				o.Intermediates = poolOf(inter)
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*NameConstraintError](t, err)
				assert.Equal(t, "email address", e.Kind)
				assert.True(t, e.Excluded)
			},
		},
		{
			name: "unhandled critical extension on leaf",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}, func(c *x509.Certificate) {
					c.ExtraExtensions = []pkix.Extension{unknownCriticalExt}
				}), p.inter, nil)
				return leaf.cert, p.opts()
			},
			check: func(t *testing.T, err error) {
				e := requireAs[*UnhandledCriticalExtensionError](t, err)
				assert.Equal(t, []asn1.ObjectIdentifier{unknownCriticalExt.Id}, e.OIDs)
			},
		},
		{
			name: "unhandled critical extension on intermediate",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				inter := issue(t, caTmpl("Odd CA", func(c *x509.Certificate) { c.ExtraExtensions = []pkix.Extension{unknownCriticalExt} }), p.root, nil)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}), inter, nil)
				o := p.opts()
				o.Intermediates = poolOf(inter)
				return leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, "CN=Odd CA", requireAs[*UnhandledCriticalExtensionError](t, err).Cert.Subject.String())
			},
		},
		{
			name: "SHA-1 signature",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				leaf := issue(t, leafTmpl("www.example.com", []string{"www.example.com"}, func(c *x509.Certificate) {
					c.SignatureAlgorithm = x509.ECDSAWithSHA1
				}), p.inter, nil)
				return leaf.cert, p.opts()
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, x509.ECDSAWithSHA1, requireAs[*InsecureAlgorithmError](t, err).Algorithm)
			},
		},
		{
			name: "chain longer than MaxDepth",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				o := p.opts()
				o.MaxDepth = 2
				return p.leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, 2, requireAs[*ChainTooLongError](t, err).MaxDepth)
			},
		},
		{
			name: "hostile pool exhausts the signature budget",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				p := newPKI(t)
				// Many look-alike intermediates: right name, wrong key.
				fakes := NewPool()
				for range MaxSignatureChecks + 20 {
					fakes.AddCert(issue(t, caTmpl("Test Intermediate"), p.root, nil).cert)
				}
				o := p.opts()
				o.Intermediates = fakes
				return p.leaf.cert, o
			},
			check: func(t *testing.T, err error) {
				assert.Equal(t, MaxSignatureChecks, requireAs[*BudgetExceededError](t, err).Checks)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaf, opts := tt.build(t)
			chains, err := Verify(leaf, opts)
			assert.Nil(t, chains)
			tt.check(t, err)
		})
	}
}
