package x509verify

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func subjects(chain []*x509.Certificate) []string {
	out := make([]string, len(chain))
	for i, c := range chain {
		out[i] = c.Subject.CommonName
	}
	return out
}

func chainNames(chains [][]*x509.Certificate) [][]string {
	out := make([][]string, len(chains))
	for i, c := range chains {
		out[i] = subjects(c)
	}
	return out
}

// TestVerifyValidChains covers the shapes of PKI a real peer presents.
func TestVerifyValidChains(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T) (*x509.Certificate, Options)
		want  [][]string
	}{
		{
			name: "leaf signed directly by root",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				root := issue(t, caTmpl("Root"), nil, nil)
				leaf := issue(t, leafTmpl("leaf", []string{"a.example"}), root, nil)
				return leaf.cert, Options{Roots: poolOf(root), DNSName: "a.example", Now: testNow}
			},
			want: [][]string{{"leaf", "Root"}},
		},
		{
			name: "two intermediates",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				// Every pathLenConstraint exactly at its limit.
				root := issue(t, caTmpl("Root", func(c *x509.Certificate) { c.MaxPathLen = 2 }), nil, nil)
				i1 := issue(t, caTmpl("I1", func(c *x509.Certificate) { c.MaxPathLen = 1 }), root, nil)
				i2 := issue(t, caTmpl("I2", func(c *x509.Certificate) { c.MaxPathLenZero = true }), i1, nil)
				leaf := issue(t, leafTmpl("leaf", []string{"a.example"}), i2, nil)
				return leaf.cert, Options{Roots: poolOf(root), Intermediates: poolOf(i2, i1), DNSName: "a.example", Now: testNow}
			},
			want: [][]string{{"leaf", "I2", "I1", "Root"}},
		},
		{
			name: "several candidate issuers, one expired",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				root := issue(t, caTmpl("Root"), nil, nil)
				key := newKey(t)
				// Same name and key, two validity periods: a renewed intermediate.
				old := issue(t, caTmpl("Inter", func(c *x509.Certificate) { c.NotAfter = testNow.Add(-day) }), root, key)
				renewed := issue(t, caTmpl("Inter"), root, key)
				leaf := issue(t, leafTmpl("leaf", []string{"a.example"}), renewed, nil)
				return leaf.cert, Options{Roots: poolOf(root), Intermediates: poolOf(old, renewed), Now: testNow}
			},
			want: [][]string{{"leaf", "Inter", "Root"}},
		},
		{
			name: "cross-signed intermediate, two roots",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				rootA := issue(t, caTmpl("Root A"), nil, nil)
				rootB := issue(t, caTmpl("Root B"), nil, nil)
				inter := issue(t, caTmpl("Inter"), rootA, nil)
				cross := crossSign(t, inter, rootB)
				leaf := issue(t, leafTmpl("leaf", []string{"a.example"}), inter, nil)
				return leaf.cert, Options{Roots: poolOf(rootA, rootB), Intermediates: poolOf(inter, cross), Now: testNow}
			},
			want: [][]string{{"leaf", "Inter", "Root A"}, {"leaf", "Inter", "Root B"}},
		},
		{
			name: "new root cross-signed by old root, only old root trusted",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				oldRoot := issue(t, caTmpl("Old Root"), nil, nil)
				newRoot := issue(t, caTmpl("New Root"), nil, nil)
				bridge := crossSign(t, newRoot, oldRoot)
				inter := issue(t, caTmpl("Inter"), newRoot, nil)
				leaf := issue(t, leafTmpl("leaf", []string{"a.example"}), inter, nil)
				return leaf.cert, Options{Roots: poolOf(oldRoot), Intermediates: poolOf(inter, bridge, newRoot), Now: testNow}
			},
			want: [][]string{{"leaf", "Inter", "New Root", "Old Root"}},
		},
		{
			name: "mutual cross-signing does not loop",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				root := issue(t, caTmpl("Root"), nil, nil)
				a := issue(t, caTmpl("A"), root, nil)
				b := issue(t, caTmpl("B"), a, nil)
				aByB := crossSign(t, a, b)
				leaf := issue(t, leafTmpl("leaf", []string{"a.example"}), b, nil)
				return leaf.cert, Options{Roots: poolOf(root), Intermediates: poolOf(a, b, aByB), Now: testNow}
			},
			want: [][]string{{"leaf", "B", "A", "Root"}},
		},
		{
			name: "leaf is itself trusted",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				self := issue(t, leafTmpl("self", []string{"a.example"}), nil, nil)
				return self.cert, Options{Roots: poolOf(self), DNSName: "a.example", Now: testNow}
			},
			want: [][]string{{"self"}},
		},
		{
			name: "v1-style root without basicConstraints",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				root := issue(t, caTmpl("Bare Root", func(c *x509.Certificate) {
					c.BasicConstraintsValid, c.IsCA, c.KeyUsage = false, false, 0
				}), nil, nil)
				leaf := issue(t, leafTmpl("leaf", []string{"a.example"}), root, nil)
				return leaf.cert, Options{Roots: poolOf(root), Now: testNow}
			},
			want: [][]string{{"leaf", "Bare Root"}},
		},
		{
			name: "any EKU requested accepts a clientAuth leaf",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				root := issue(t, caTmpl("Root"), nil, nil)
				leaf := issue(t, leafTmpl("leaf", nil, func(c *x509.Certificate) {
					c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
				}), root, nil)
				return leaf.cert, Options{Roots: poolOf(root), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}, Now: testNow}
			},
			want: [][]string{{"leaf", "Root"}},
		},
		{
			name: "clientAuth requested from a client-auth CA",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				root := issue(t, caTmpl("Root", func(c *x509.Certificate) {
					c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth}
				}), nil, nil)
				leaf := issue(t, leafTmpl("leaf", nil, func(c *x509.Certificate) {
					c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
				}), root, nil)
				return leaf.cert, Options{Roots: poolOf(root), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, Now: testNow}
			},
			want: [][]string{{"leaf", "Root"}},
		},
		{
			name: "names inside permitted subtrees",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				root := issue(t, caTmpl("Root", func(c *x509.Certificate) {
					c.PermittedDNSDomains = []string{"example.com"}
					c.PermittedEmailAddresses = []string{"example.com"}
				}), nil, nil)
				leaf := issue(t, leafTmpl("leaf", []string{"example.com", "www.example.com", "*.example.com"}, func(c *x509.Certificate) {
					c.EmailAddresses = []string{"admin@example.com"}
				}), root, nil)
				return leaf.cert, Options{Roots: poolOf(root), DNSName: "WWW.Example.COM.", Now: testNow}
			},
			want: [][]string{{"leaf", "Root"}},
		},
		{
			name: "self-issued rollover certificate not counted by pathLenConstraint",
			build: func(t *testing.T) (*x509.Certificate, Options) {
				root := issue(t, caTmpl("Root", func(c *x509.Certificate) { c.MaxPathLen = 1 }), nil, nil)
				oldInter := issue(t, caTmpl("Inter"), root, nil)
				// Inter's new key certified by its old key: self-issued.
				newInter := issue(t, caTmpl("Inter"), oldInter, nil)
				leaf := issue(t, leafTmpl("leaf", nil), newInter, nil)
				return leaf.cert, Options{Roots: poolOf(root), Intermediates: poolOf(newInter, oldInter), Now: testNow}
			},
			want: [][]string{{"leaf", "Inter", "Inter", "Root"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaf, opts := tt.build(t)
			chains, err := Verify(leaf, opts)
			require.NoError(t, err)
			assert.ElementsMatch(t, tt.want, chainNames(chains))
			for _, c := range chains {
				assert.Same(t, leaf, c[0])
			}
		})
	}
}

// TestVerifySignatureAlgorithms checks every supported key type and
// signature scheme, each against a tampered twin.
func TestVerifySignatureAlgorithms(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)

	tests := []struct {
		name string
		key  crypto.Signer
		alg  x509.SignatureAlgorithm
	}{
		{"RSA PKCS#1 v1.5 SHA-256", rsaKey, x509.SHA256WithRSA},
		{"RSA PKCS#1 v1.5 SHA-512", rsaKey, x509.SHA512WithRSA},
		{"RSA-PSS SHA-256", rsaKey, x509.SHA256WithRSAPSS},
		{"RSA-PSS SHA-384", rsaKey, x509.SHA384WithRSAPSS},
		{"ECDSA P-256 SHA-384", newKey(t), x509.ECDSAWithSHA384},
		{"Ed25519", edKey, x509.PureEd25519},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := issue(t, caTmpl("Root"), nil, tt.key)
			leaf := issue(t, leafTmpl("leaf", []string{"signed.example"}, func(c *x509.Certificate) { c.SignatureAlgorithm = tt.alg }), root, nil)
			require.Equal(t, tt.alg, leaf.cert.SignatureAlgorithm)
			opts := Options{Roots: poolOf(root), Now: testNow}

			_, err := Verify(leaf.cert, opts)
			require.NoError(t, err)

			_, err = Verify(tamper(t, leaf.cert, "signed.example", "signeD.example"), opts)
			requireAs[*BadSignatureError](t, err)
		})
	}
}

func TestVerifyKeyTypeMismatch(t *testing.T) {
	// An RSA-signed certificate whose named issuer has an ECDSA key.
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	rsaRoot := issue(t, caTmpl("Root"), nil, rsaKey)
	leaf := issue(t, leafTmpl("leaf", nil), rsaRoot, nil)
	ecRoot := issue(t, caTmpl("Root"), nil, nil)
	_, err = Verify(leaf.cert, Options{Roots: poolOf(ecRoot), Now: testNow})
	assert.Contains(t, requireAs[*UnsupportedAlgorithmError](t, err).Reason, "ECDSA key")
}

// TestVerifyErrorRanking pins the documented rule for choosing among the
// failures of several candidate chains.
func TestVerifyErrorRanking(t *testing.T) {
	root := issue(t, caTmpl("Root"), nil, nil)
	key := newKey(t)
	expired := issue(t, caTmpl("Inter", func(c *x509.Certificate) { c.NotAfter = testNow.Add(-day) }), root, key)
	leaf := issue(t, leafTmpl("leaf", nil), expired, nil)

	t.Run("found-but-bad beats not found at the same position", func(t *testing.T) {
		_, err := Verify(leaf.cert, Options{Roots: poolOf(root), Intermediates: poolOf(expired), Now: testNow})
		requireAs[*ExpiredError](t, err)
	})
	t.Run("further from the leaf wins", func(t *testing.T) {
		// One candidate is expired (position 1), the other is fine but
		// its own issuer is missing (position 2): the latter is reported.
		orphanRoot := issue(t, caTmpl("Other Root"), nil, nil)
		orphan := issue(t, caTmpl("Inter"), orphanRoot, key)
		_, err := Verify(leaf.cert, Options{Roots: poolOf(root), Intermediates: poolOf(expired, orphan), Now: testNow})
		assert.Equal(t, "CN=Other Root", requireAs[*UnknownAuthorityError](t, err).Issuer)
	})
	t.Run("found-but-bad beats a namesake with another key", func(t *testing.T) {
		namesake := issue(t, caTmpl("Inter"), root, nil)
		require.NotEqual(t, leaf.cert.AuthorityKeyId, namesake.cert.SubjectKeyId)
		for _, inters := range [][]*node{{namesake, expired}, {expired, namesake}} {
			_, err := Verify(leaf.cert, Options{Roots: poolOf(root), Intermediates: poolOf(inters...), Now: testNow})
			requireAs[*ExpiredError](t, err)
		}
	})
	t.Run("EKU failure on a complete chain beats everything", func(t *testing.T) {
		valid := issue(t, caTmpl("Inter", func(c *x509.Certificate) {
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}
		}), root, key)
		_, err := Verify(leaf.cert, Options{Roots: poolOf(root), Intermediates: poolOf(expired, valid), Now: testNow})
		requireAs[*ExtKeyUsageError](t, err)
	})
}

// TestVerifyReturnedChainsAreIndependent guards against chains sharing a
// backing array, which would let one chain's tail overwrite another's.
func TestVerifyReturnedChainsAreIndependent(t *testing.T) {
	rootA := issue(t, caTmpl("Root A"), nil, nil)
	rootB := issue(t, caTmpl("Root B"), nil, nil)
	rootC := issue(t, caTmpl("Root C"), nil, nil)
	inter := issue(t, caTmpl("Inter"), rootA, nil)
	leaf := issue(t, leafTmpl("leaf", nil), inter, nil)
	chains, err := Verify(leaf.cert, Options{
		Roots:         poolOf(rootA, rootB, rootC),
		Intermediates: poolOf(inter, crossSign(t, inter, rootB), crossSign(t, inter, rootC)),
		Now:           testNow,
	})
	require.NoError(t, err)
	require.Len(t, chains, 3)
	chains[0][2] = nil
	assert.NotNil(t, chains[1][2])
	assert.NotNil(t, chains[2][2])
}
