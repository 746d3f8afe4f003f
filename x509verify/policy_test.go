package x509verify

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"testing"

	"github.com/glasstls/glasstls/internal/certgen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	policyP = certgen.TestPolicy(1)
	policyQ = certgen.TestPolicy(2)
	policyR = certgen.TestPolicy(3)
)

// policyCA describes one CA below the root: its policies and extra
// extensions, and whether it is self-issued (named like the CA above it).
type policyCA struct {
	policies   []x509.OID
	extensions []pkix.Extension
	selfIssued bool
}

// policyPath is root -> cas... -> leaf, made with certgen.
func policyPath(t *testing.T, cas []policyCA, leafPolicies []x509.OID) (*x509.Certificate, Options, x509.VerifyOptions) {
	t.Helper()
	root, err := certgen.NewCA("Policy Root")
	require.NoError(t, err)
	ours := Options{Roots: NewPool(), Intermediates: NewPool(), Now: testNow, DNSName: "www.example.com"}
	theirs := x509.VerifyOptions{Roots: x509.NewCertPool(), Intermediates: x509.NewCertPool(), CurrentTime: testNow, DNSName: "www.example.com"}
	ours.Roots.AddCert(root.Cert)
	theirs.Roots.AddCert(root.Cert)
	issuer := root
	for i, ca := range cas {
		name := "Policy CA " + string(rune('A'+i))
		if ca.selfIssued {
			name = issuer.Cert.Subject.CommonName
		}
		issuer, err = issuer.NewIntermediate(name, certgen.WithPolicies(ca.policies...), certgen.WithExtensions(ca.extensions...))
		require.NoError(t, err)
		ours.Intermediates.AddCert(issuer.Cert)
		theirs.Intermediates.AddCert(issuer.Cert)
	}
	leaf, _, err := issuer.Issue(certgen.Template{CommonName: "www.example.com", DNSNames: []string{"www.example.com"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, Policies: leafPolicies})
	require.NoError(t, err)
	return leaf, ours, theirs
}

func TestCertificatePolicies(t *testing.T) {
	requireExplicit := certgen.PolicyConstraints(0, -1, true)
	anyPolicy := certgen.AnyPolicy
	tests := []struct {
		name   string
		cas    []policyCA
		leaf   []x509.OID
		opts   func(*Options)
		wantOK bool
		// goCan says crypto/x509 can express the case (it has no
		// RequireExplicitPolicy, InhibitPolicyMapping or InhibitAnyPolicy
		// inputs), so both verifiers must agree.
		goCan bool
	}{
		{name: "no policies anywhere", cas: []policyCA{{}}, wantOK: true, goCan: true},
		// Issue 12, item 2: a critical requireExplicitPolicy=0 and no
		// policies; RFC 5280, 4.2 forbids ignoring it.
		{name: "requireExplicitPolicy=0 without policies", cas: []policyCA{{extensions: []pkix.Extension{requireExplicit}}}, wantOK: false, goCan: true},
		{name: "requireExplicitPolicy=0, policy P throughout", cas: []policyCA{{policies: []x509.OID{policyP}, extensions: []pkix.Extension{requireExplicit}}}, leaf: []x509.OID{policyP}, wantOK: true, goCan: true},
		{name: "requireExplicitPolicy=0, leaf under another policy", cas: []policyCA{{policies: []x509.OID{policyP}, extensions: []pkix.Extension{requireExplicit}}}, leaf: []x509.OID{policyQ}, wantOK: false, goCan: true},
		{name: "requireExplicitPolicy=0, leaf without policies", cas: []policyCA{{policies: []x509.OID{policyP}, extensions: []pkix.Extension{requireExplicit}}}, wantOK: false, goCan: true},
		// RFC 5280, 4.2.1.11: SkipCerts counts the certificates "that may
		// appear in the path before an explicit policy is required for the
		// entire path"; the leaf is one of them (6.1.5(a)).
		{name: "requireExplicitPolicy=1 binds the leaf", cas: []policyCA{{policies: []x509.OID{policyP}, extensions: []pkix.Extension{certgen.PolicyConstraints(1, -1, true)}}}, wantOK: false, goCan: true},
		{name: "requireExplicitPolicy=2 leaves the leaf free", cas: []policyCA{{policies: []x509.OID{policyP}, extensions: []pkix.Extension{certgen.PolicyConstraints(2, -1, true)}}}, wantOK: true, goCan: true},
		{name: "requireExplicitPolicy=2 binds the CA below", cas: []policyCA{{policies: []x509.OID{policyP}, extensions: []pkix.Extension{certgen.PolicyConstraints(2, -1, true)}}, {}}, wantOK: false, goCan: true},
		{name: "requireExplicitPolicy=2, self-issued CA below does not count", cas: []policyCA{{policies: []x509.OID{policyP}, extensions: []pkix.Extension{certgen.PolicyConstraints(2, -1, true)}}, {policies: []x509.OID{policyP}, selfIssued: true}}, wantOK: true},
		{name: "anyPolicy CA, leaf P, explicit required", cas: []policyCA{{policies: []x509.OID{anyPolicy}, extensions: []pkix.Extension{requireExplicit}}}, leaf: []x509.OID{policyP}, wantOK: true, goCan: true},
		{name: "inhibitAnyPolicy=0 stops a leaf's anyPolicy", cas: []policyCA{{policies: []x509.OID{anyPolicy}, extensions: []pkix.Extension{requireExplicit, certgen.InhibitAnyPolicy(0)}}}, leaf: []x509.OID{anyPolicy}, wantOK: false, goCan: true},
		{name: "inhibitAnyPolicy=1 still allows the leaf's anyPolicy", cas: []policyCA{{policies: []x509.OID{anyPolicy}, extensions: []pkix.Extension{requireExplicit, certgen.InhibitAnyPolicy(1)}}}, leaf: []x509.OID{anyPolicy}, wantOK: true, goCan: true},
		{name: "policy mapping P to Q", cas: []policyCA{
			{policies: []x509.OID{policyP}, extensions: []pkix.Extension{requireExplicit}},
			{policies: []x509.OID{policyP}, extensions: []pkix.Extension{certgen.PolicyMappings(x509.PolicyMapping{IssuerDomainPolicy: policyP, SubjectDomainPolicy: policyQ})}},
		}, leaf: []x509.OID{policyQ}, wantOK: true, goCan: true},
		{name: "policy mapping P to Q, leaf asserts P", cas: []policyCA{
			{policies: []x509.OID{policyP}, extensions: []pkix.Extension{requireExplicit}},
			{policies: []x509.OID{policyP}, extensions: []pkix.Extension{certgen.PolicyMappings(x509.PolicyMapping{IssuerDomainPolicy: policyP, SubjectDomainPolicy: policyQ})}},
		}, leaf: []x509.OID{policyP}, wantOK: false, goCan: true},
		{name: "inhibitPolicyMapping=0 deletes the mapped policy", cas: []policyCA{
			{policies: []x509.OID{policyP}, extensions: []pkix.Extension{certgen.PolicyConstraints(0, 0, true)}},
			{policies: []x509.OID{policyP}, extensions: []pkix.Extension{certgen.PolicyMappings(x509.PolicyMapping{IssuerDomainPolicy: policyP, SubjectDomainPolicy: policyQ})}},
		}, leaf: []x509.OID{policyQ}, wantOK: false, goCan: true},
		{name: "mapping to anyPolicy", cas: []policyCA{
			{policies: []x509.OID{policyP}},
			{policies: []x509.OID{policyP}, extensions: []pkix.Extension{certgen.PolicyMappings(x509.PolicyMapping{IssuerDomainPolicy: policyP, SubjectDomainPolicy: anyPolicy})}},
		}, leaf: []x509.OID{policyP}, wantOK: false, goCan: true},
		{name: "user policy set matches", cas: []policyCA{{policies: []x509.OID{policyP, policyQ}}}, leaf: []x509.OID{policyP},
			opts: func(o *Options) { o.CertificatePolicies = []x509.OID{policyP}; o.RequireExplicitPolicy = true }, wantOK: true},
		{name: "user policy set does not match", cas: []policyCA{{policies: []x509.OID{policyP, policyQ}}}, leaf: []x509.OID{policyQ},
			opts: func(o *Options) { o.CertificatePolicies = []x509.OID{policyP}; o.RequireExplicitPolicy = true }, wantOK: false},
		{name: "user policy set matches through anyPolicy", cas: []policyCA{{policies: []x509.OID{anyPolicy}}}, leaf: []x509.OID{anyPolicy},
			opts: func(o *Options) { o.CertificatePolicies = []x509.OID{policyR}; o.RequireExplicitPolicy = true }, wantOK: true},
		{name: "user policy set, explicit required by the CA", cas: []policyCA{{policies: []x509.OID{policyQ}, extensions: []pkix.Extension{requireExplicit}}}, leaf: []x509.OID{policyQ},
			opts: func(o *Options) { o.CertificatePolicies = []x509.OID{policyP} }, wantOK: false, goCan: true},
		{name: "user policy set, explicit not required", cas: []policyCA{{policies: []x509.OID{policyQ}}}, leaf: []x509.OID{policyQ},
			opts: func(o *Options) { o.CertificatePolicies = []x509.OID{policyP} }, wantOK: true, goCan: true},
		{name: "initial inhibitAnyPolicy", cas: []policyCA{{policies: []x509.OID{anyPolicy}}}, leaf: []x509.OID{anyPolicy},
			opts: func(o *Options) { o.InhibitAnyPolicy = true; o.RequireExplicitPolicy = true }, wantOK: false},
		{name: "initial inhibitPolicyMapping", cas: []policyCA{
			{policies: []x509.OID{policyP}},
			{policies: []x509.OID{policyP}, extensions: []pkix.Extension{certgen.PolicyMappings(x509.PolicyMapping{IssuerDomainPolicy: policyP, SubjectDomainPolicy: policyQ})}},
		}, leaf: []x509.OID{policyQ}, opts: func(o *Options) { o.InhibitPolicyMapping = true; o.RequireExplicitPolicy = true }, wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaf, ours, theirs := policyPath(t, tt.cas, tt.leaf)
			if tt.opts != nil {
				tt.opts(&ours)
				theirs.CertificatePolicies = ours.CertificatePolicies
			}
			_, err := Verify(leaf, ours)
			if tt.wantOK {
				require.NoError(t, err)
			} else {
				var policyErr *PolicyError
				require.True(t, errors.As(err, &policyErr), "want a PolicyError, got %v", err)
				assert.Contains(t, err.Error(), "RFC 5280, 6.1.")
			}
			if tt.goCan {
				_, theirErr := leaf.Verify(theirs)
				assert.Equal(t, theirErr == nil, err == nil, "crypto/x509 disagrees: %v", theirErr)
			}
		})
	}
}
