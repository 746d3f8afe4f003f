package certgen

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hand-written extensions parse back, in crypto/x509's reading, to
// what was asked for.
func TestPolicyAndProfileExtensions(t *testing.T) {
	root, err := NewCA("Extensions Root")
	require.NoError(t, err)
	inter, err := root.NewIntermediate("Extensions Intermediate",
		WithPolicies(TestPolicy(1), AnyPolicy),
		WithExtensions(PolicyConstraints(0, 2, true), InhibitAnyPolicy(1),
			PolicyMappings(x509.PolicyMapping{IssuerDomainPolicy: TestPolicy(1), SubjectDomainPolicy: TestPolicy(2)})))
	require.NoError(t, err)
	c := inter.Cert
	assert.Empty(t, c.UnhandledCriticalExtensions)
	assert.True(t, c.RequireExplicitPolicyZero)
	assert.Equal(t, 2, c.InhibitPolicyMapping)
	assert.Equal(t, 1, c.InhibitAnyPolicy)
	require.Len(t, c.PolicyMappings, 1)
	assert.True(t, c.PolicyMappings[0].SubjectDomainPolicy.Equal(TestPolicy(2)))
	assert.Len(t, c.Policies, 2)
	assert.Equal(t, root.Cert.SubjectKeyId, c.AuthorityKeyId)
	require.NoError(t, c.CheckSignatureFrom(root.Cert))

	// A self-issued intermediate still names its issuer's key.
	rollover, err := inter.NewIntermediate("Extensions Intermediate")
	require.NoError(t, err)
	assert.Equal(t, inter.Cert.SubjectKeyId, rollover.Cert.AuthorityKeyId)

	leaf, _, err := inter.Issue(Template{CommonName: "leaf", OmitAuthorityKeyID: true})
	require.NoError(t, err)
	assert.Empty(t, leaf.AuthorityKeyId)
}

func TestReplaceSubjectPublicKeyInfo(t *testing.T) {
	root, err := NewCA("Rewrite Root")
	require.NoError(t, err)
	leaf, _, err := root.Issue(ServerTemplate(ECDSAP256))
	require.NoError(t, err)
	dsaLeaf, err := ReplaceSubjectPublicKeyInfo(leaf, ToyDSAPublicKeyInfo(), root)
	require.NoError(t, err)
	assert.Equal(t, x509.DSA, dsaLeaf.PublicKeyAlgorithm)
	assert.Equal(t, leaf.Subject.String(), dsaLeaf.Subject.String())
	assert.Equal(t, leaf.DNSNames, dsaLeaf.DNSNames)
	require.NoError(t, dsaLeaf.CheckSignatureFrom(root.Cert), "signed again by the issuer")
}
