package x509verify

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/glasstls/glasstls/internal/certgen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var profiles = []Profile{ProfileCompat, ProfileRFC5280, ProfileWebPKI}

// ruleChain describes root -> intermediate(s) -> leaf made by certgen, each
// well-formed under every profile unless a case changes it.
type ruleChain struct {
	root      []certgen.CAOption
	inter     []certgen.CAOption
	noInter   bool // the root issues the leaf directly
	selfIssue bool // add a self-issued intermediate (key rollover) below inter
	extraCA   bool // add a second, ordinary intermediate below inter
	leaf      func(*certgen.Template)
	leafSPKI  []byte // replaces the leaf's subjectPublicKeyInfo (a DSA key)
	host      string // default www.example.com; "-" for none
	maxDepth  int
}

func (rc ruleChain) build(t *testing.T) (*x509.Certificate, Options) {
	t.Helper()
	root, err := certgen.NewCA("Rules Root", rc.root...)
	require.NoError(t, err)
	opts := Options{Roots: NewPool(), Intermediates: NewPool(), Now: testNow, DNSName: "www.example.com", MaxDepth: rc.maxDepth}
	opts.Roots.AddCert(root.Cert)
	issuer := root
	if !rc.noInter {
		issuer, err = root.NewIntermediate("Rules Intermediate", rc.inter...)
		require.NoError(t, err)
		opts.Intermediates.AddCert(issuer.Cert)
	}
	if rc.selfIssue {
		issuer, err = issuer.NewIntermediate(issuer.Cert.Subject.CommonName)
		require.NoError(t, err)
		opts.Intermediates.AddCert(issuer.Cert)
	}
	if rc.extraCA {
		issuer, err = issuer.NewIntermediate("Rules Second Intermediate")
		require.NoError(t, err)
		opts.Intermediates.AddCert(issuer.Cert)
	}
	tmpl := certgen.Template{CommonName: "www.example.com", DNSNames: []string{"www.example.com"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if rc.leaf != nil {
		rc.leaf(&tmpl)
	}
	leaf, _, err := issuer.Issue(tmpl)
	require.NoError(t, err)
	if rc.leafSPKI != nil {
		leaf, err = certgen.ReplaceSubjectPublicKeyInfo(leaf, rc.leafSPKI, issuer)
		require.NoError(t, err)
	}
	switch rc.host {
	case "":
	case "-":
		opts.DNSName = ""
	default:
		opts.DNSName = rc.host
	}
	return leaf, opts
}

func withTemplate(f func(*x509.Certificate)) func(*certgen.Template) {
	return func(t *certgen.Template) { t.Modify = f }
}

// subjectDER is the DER of a test certificate subject's first RDN,
// O=glasstls test PKI (pkix orders O before CN).
func orgDER(t *testing.T, org string) []byte {
	der, err := asn1.Marshal(pkix.Name{Organization: []string{org}}.ToRDNSequence())
	require.NoError(t, err)
	return der
}

var oidServerAuth = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}

// TestProfileRules has one certificate per rule that breaks exactly that
// rule (lints lists every rule the chain breaks, normally just one),
// verified under each of the three profiles. want gives, per profile, the
// error type expected, or "" for a chain that is accepted.
func TestProfileRules(t *testing.T) {
	const (
		ok     = ""
		rfc    = "RFC 5280"
		webpki = "Web PKI"
	)
	tests := []struct {
		name  string
		chain func(t *testing.T) ruleChain
		// want is the error type's name under Compat, RFC5280, WebPKI.
		want  [3]string
		lints []string
	}{
		{"well-formed chain", func(*testing.T) ruleChain { return ruleChain{} }, [3]string{ok, ok, ok}, nil},
		{"well-formed chain, P-521 and RSA keys", func(*testing.T) ruleChain {
			return ruleChain{inter: []certgen.CAOption{certgen.WithKeyType(certgen.RSA2048)}, leaf: func(t *certgen.Template) { t.KeyType = certgen.ECDSAP521 }}
		}, [3]string{ok, ok, ok}, nil},

		// RFC 5280, 4.1.2.2
		{"serial number zero", func(*testing.T) ruleChain {
			return ruleChain{leaf: withTemplate(func(c *x509.Certificate) { c.SerialNumber = big.NewInt(0) })}
		}, [3]string{ok, "SerialNumberError", "SerialNumberError"}, []string{"SerialNumberError"}},
		{"serial number of 21 octets", func(*testing.T) ruleChain {
			return ruleChain{leaf: withTemplate(func(c *x509.Certificate) { c.SerialNumber = new(big.Int).Lsh(big.NewInt(1), 160) })}
		}, [3]string{ok, "SerialNumberError", "SerialNumberError"}, []string{"SerialNumberError"}},
		{"serial number of 20 octets", func(*testing.T) ruleChain {
			return ruleChain{leaf: withTemplate(func(c *x509.Certificate) { c.SerialNumber = new(big.Int).Lsh(big.NewInt(1), 158) })} // 159 bits: 20 octets in DER
		}, [3]string{ok, ok, ok}, nil},
		// RFC 5280, 4.1.2.4: the root (exempt as trust anchor) has an
		// empty subject, so the leaf it issues has an empty issuer.
		{"empty issuer", func(*testing.T) ruleChain {
			return ruleChain{noInter: true, root: []certgen.CAOption{certgen.WithCATemplate(func(c *x509.Certificate) { c.Subject = pkix.Name{} })}}
		}, [3]string{ok, "EmptyIssuerError", "EmptyIssuerError"}, []string{"EmptyIssuerError"}},
		// RFC 5280, 4.1.2.6: a CA (here a leaf that is a CA, so that no
		// certificate names it as issuer) with an empty subject; the
		// leaf-is-CA rule of the Web PKI comes with it.
		{"CA with an empty subject", func(*testing.T) ruleChain {
			return ruleChain{leaf: withTemplate(func(c *x509.Certificate) {
				c.Subject = pkix.Name{}
				c.IsCA = true
				c.KeyUsage |= x509.KeyUsageCertSign
			})}
		}, [3]string{ok, "EmptySubjectError", "EmptySubjectError"}, []string{"EmptySubjectError", "LeafIsCAError"}},
		// RFC 5280, 4.2.1.6
		{"empty subject, subjectAltName not critical", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) {
				t.DNSNames = nil
				t.ExtraExtensions = []pkix.Extension{certgen.SubjectAltNameDNS(false, "www.example.com")}
				t.Modify = func(c *x509.Certificate) { c.Subject = pkix.Name{} }
			}}
		}, [3]string{ok, "EmptySubjectSANError", "EmptySubjectSANError"}, []string{"EmptySubjectSANError"}},
		{"empty subject, subjectAltName critical", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) {
				t.DNSNames = nil
				t.ExtraExtensions = []pkix.Extension{certgen.SubjectAltNameDNS(true, "www.example.com")}
				t.Modify = func(c *x509.Certificate) { c.Subject = pkix.Name{} }
			}}
		}, [3]string{ok, ok, ok}, nil},
		// CA/B BR 7.1.2.7.12
		{"subjectAltName critical with a subject", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) {
				t.DNSNames = nil
				t.ExtraExtensions = []pkix.Extension{certgen.SubjectAltNameDNS(true, "www.example.com")}
			}}
		}, [3]string{ok, ok, "CriticalSANError"}, []string{"CriticalSANError"}},
		// RFC 5280, 4.2.1.1
		{"no authorityKeyIdentifier", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) { t.OmitAuthorityKeyID = true }}
		}, [3]string{ok, "AuthorityKeyIDError", "AuthorityKeyIDError"}, []string{"AuthorityKeyIDError"}},
		{"authorityKeyIdentifier without keyIdentifier", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) {
				t.ExtraExtensions = []pkix.Extension{certgen.AuthorityKeyID(nil, []byte{0x30, 0}, 1)}
			}}
		}, [3]string{ok, "AuthorityKeyIDError", "AuthorityKeyIDError"}, []string{"AuthorityKeyIDError"}},
		// RFC 5280, 4.2.1.2: the intermediate is made a CA through a
		// hand-written basicConstraints, which keeps crypto/x509 from
		// adding a subjectKeyIdentifier; the leaf names it by an
		// authorityKeyIdentifier of its own.
		{"CA without subjectKeyIdentifier", func(*testing.T) ruleChain {
			return ruleChain{
				inter: []certgen.CAOption{certgen.WithCATemplate(func(c *x509.Certificate) {
					c.IsCA, c.BasicConstraintsValid = false, false
					c.ExtraExtensions = append(c.ExtraExtensions, certgen.BasicConstraints(true, true))
				})},
				leaf: withTemplate(func(c *x509.Certificate) { c.AuthorityKeyId = []byte{1, 2, 3, 4} }),
			}
		}, [3]string{ok, "SubjectKeyIDError", "SubjectKeyIDError"}, []string{"SubjectKeyIDError"}},
		// CA/B BR 7.1.2.1.3
		{"root authorityKeyIdentifier naming another key", func(*testing.T) ruleChain {
			return ruleChain{root: []certgen.CAOption{certgen.WithExtensions(certgen.AuthorityKeyID([]byte{9, 9, 9}, nil, 0))}}
		}, [3]string{ok, ok, "RootAuthorityKeyIDError"}, []string{"RootAuthorityKeyIDError"}},
		{"root authorityKeyIdentifier with issuer and serial", func(*testing.T) ruleChain {
			return ruleChain{root: []certgen.CAOption{certgen.WithCATemplate(func(c *x509.Certificate) {
				c.SubjectKeyId = []byte{7, 7, 7}
				c.ExtraExtensions = append(c.ExtraExtensions, certgen.AuthorityKeyID([]byte{7, 7, 7}, []byte{0x30, 0}, 1))
			})}}
		}, [3]string{ok, ok, "RootAuthorityKeyIDError"}, []string{"RootAuthorityKeyIDError"}},
		{"root authorityKeyIdentifier equal to its subjectKeyIdentifier", func(*testing.T) ruleChain {
			return ruleChain{root: []certgen.CAOption{certgen.WithCATemplate(func(c *x509.Certificate) {
				c.SubjectKeyId = []byte{7, 7, 7}
				c.ExtraExtensions = append(c.ExtraExtensions, certgen.AuthorityKeyID([]byte{7, 7, 7}, nil, 0))
			})}}
		}, [3]string{ok, ok, ok}, nil},
		// RFC 5280, 4.2.1.9
		{"CA basicConstraints not critical", func(*testing.T) ruleChain {
			return ruleChain{inter: []certgen.CAOption{certgen.WithCATemplate(func(c *x509.Certificate) {
				c.IsCA, c.BasicConstraintsValid = false, false
				c.SubjectKeyId = []byte{5, 5, 5, 5}
				c.ExtraExtensions = append(c.ExtraExtensions, certgen.BasicConstraints(true, false))
			})}}
		}, [3]string{ok, "BasicConstraintsError", "BasicConstraintsError"}, []string{"BasicConstraintsError"}},
		// RFC 5280, 4.2.1.3
		{"keyCertSign without cA", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) { t.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign }}
		}, [3]string{ok, "KeyCertSignError", "KeyCertSignError"}, []string{"KeyCertSignError"}},
		{"cA without keyUsage", func(*testing.T) ruleChain {
			return ruleChain{inter: []certgen.CAOption{certgen.WithCATemplate(func(c *x509.Certificate) { c.KeyUsage = 0 })}}
		}, [3]string{ok, "KeyCertSignError", "KeyCertSignError"}, []string{"KeyCertSignError"}},
		// CA/B BR 7.1.2.7.8
		{"leaf is a CA", func(*testing.T) ruleChain {
			return ruleChain{leaf: withTemplate(func(c *x509.Certificate) {
				c.IsCA = true
				c.KeyUsage |= x509.KeyUsageCertSign
			})}
		}, [3]string{ok, ok, "LeafIsCAError"}, []string{"LeafIsCAError"}},
		// RFC 5280, 4.2.1.10
		{"nameConstraints in a leaf", func(*testing.T) ruleChain {
			return ruleChain{leaf: withTemplate(func(c *x509.Certificate) {
				c.PermittedDNSDomains = []string{"example.com"}
				c.PermittedDNSDomainsCritical = true
			})}
		}, [3]string{ok, "NameConstraintsUsageError", "NameConstraintsUsageError"}, []string{"NameConstraintsUsageError"}},
		{"nameConstraints not critical", func(*testing.T) ruleChain {
			return ruleChain{inter: []certgen.CAOption{certgen.WithCATemplate(func(c *x509.Certificate) {
				c.PermittedDNSDomains = []string{"example.com"}
			})}}
		}, [3]string{ok, "NameConstraintsUsageError", "NameConstraintsUsageError"}, []string{"NameConstraintsUsageError"}},
		// RFC 5280, 4.2.1.10: crypto/x509 cannot process directoryName
		// constraints and refuses them when critical, so Compat does too;
		// the strict profiles apply them.
		{"directoryName constraint, subject outside", func(t *testing.T) ruleChain {
			return ruleChain{inter: []certgen.CAOption{certgen.WithExtensions(certgen.DirectoryNameConstraints(orgDER(t, "Somebody Else"), true))}}
		}, [3]string{"UnhandledCriticalExtensionError", "DirectoryNameConstraintError", "DirectoryNameConstraintError"}, nil},
		{"directoryName constraint, subject inside", func(t *testing.T) ruleChain {
			return ruleChain{inter: []certgen.CAOption{certgen.WithExtensions(certgen.DirectoryNameConstraints(orgDER(t, "glasstls test PKI"), true))}}
		}, [3]string{"UnhandledCriticalExtensionError", ok, ok}, nil},
		{"directoryName constraint not critical, subject outside", func(t *testing.T) ruleChain {
			return ruleChain{inter: []certgen.CAOption{certgen.WithExtensions(certgen.DirectoryNameConstraints(orgDER(t, "Somebody Else"), false))}}
		}, [3]string{ok, "DirectoryNameConstraintError", "DirectoryNameConstraintError"}, []string{"DirectoryNameConstraintError", "NameConstraintsUsageError"}},
		// RFC 5280, 4.2.1.6 and 4.2.1.10
		{"invalid DNS name under name constraints", func(*testing.T) ruleChain {
			return ruleChain{
				inter: []certgen.CAOption{certgen.WithCATemplate(func(c *x509.Certificate) {
					c.PermittedDNSDomains = []string{"example.com"}
					c.PermittedDNSDomainsCritical = true
				})},
				leaf: func(t *certgen.Template) { t.DNSNames = []string{"www.example.com", "bad_name.example.com"} },
			}
		}, [3]string{ok, "InvalidDNSNameError", "InvalidDNSNameError"}, []string{"InvalidDNSNameError"}},
		{"invalid DNS name without name constraints", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) { t.DNSNames = []string{"www.example.com", "bad_name.example.com"} }}
		}, [3]string{ok, ok, ok}, nil},
		// CA/B BR 7.1.2.7.10, 7.1.2.7.6, 7.1.2.1.2
		{"leaf without extKeyUsage", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) { t.ExtKeyUsage = nil }}
		}, [3]string{ok, ok, "ExtKeyUsageProfileError"}, []string{"ExtKeyUsageProfileError"}},
		{"leaf with anyExtendedKeyUsage", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) { t.ExtKeyUsage = append(t.ExtKeyUsage, x509.ExtKeyUsageAny) }}
		}, [3]string{ok, ok, "ExtKeyUsageProfileError"}, []string{"ExtKeyUsageProfileError"}},
		{"critical extKeyUsage", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) {
				t.ExtKeyUsage = nil
				t.ExtraExtensions = []pkix.Extension{certgen.ExtKeyUsage(true, oidServerAuth)}
			}}
		}, [3]string{ok, ok, "ExtKeyUsageProfileError"}, []string{"ExtKeyUsageProfileError"}},
		{"root with extKeyUsage", func(*testing.T) ruleChain {
			return ruleChain{root: []certgen.CAOption{certgen.WithCATemplate(func(c *x509.Certificate) {
				c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
			})}}
		}, [3]string{ok, ok, "ExtKeyUsageProfileError"}, []string{"ExtKeyUsageProfileError"}},
		// CA/B BR 3.2.2.6
		{"wildcard over *.com", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) { t.DNSNames = []string{"*.com"} }, host: "example.com"}
		}, [3]string{ok, ok, "WildcardPublicSuffixError"}, []string{"WildcardPublicSuffixError"}},
		{"wildcard over *.co.uk", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) { t.DNSNames = []string{"*.co.uk"} }, host: "example.co.uk"}
		}, [3]string{ok, ok, "WildcardPublicSuffixError"}, []string{"WildcardPublicSuffixError"}},
		{"wildcard over a registered domain", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) { t.DNSNames = []string{"*.example.co.uk"} }, host: "www.example.co.uk"}
		}, [3]string{ok, ok, ok}, nil},
		// CA/B BR 6.1.5
		{"RSA-1024 leaf", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) { t.KeyType = certgen.RSA1024 }}
		}, [3]string{ok, ok, "WeakKeyError"}, []string{"WeakKeyError"}},
		{"P-224 leaf", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) { t.KeyType = certgen.ECDSAP224 }}
		}, [3]string{ok, ok, "WeakKeyError"}, []string{"WeakKeyError"}},
		{"Ed25519 leaf", func(*testing.T) ruleChain {
			return ruleChain{leaf: func(t *certgen.Template) { t.KeyType = certgen.Ed25519 }}
		}, [3]string{ok, ok, "WeakKeyError"}, []string{"WeakKeyError"}},
		{"DSA leaf", func(*testing.T) ruleChain {
			return ruleChain{leafSPKI: certgen.ToyDSAPublicKeyInfo()}
		}, [3]string{ok, ok, "WeakKeyError"}, []string{"WeakKeyError"}},
		{"RSA-1024 root", func(*testing.T) ruleChain {
			return ruleChain{root: []certgen.CAOption{certgen.WithKeyType(certgen.RSA1024)}}
		}, [3]string{ok, ok, "WeakKeyError"}, []string{"WeakKeyError"}},
		// Under every profile (RFC 9155, RFC 6151).
		{"SHA-1 signature", func(*testing.T) ruleChain {
			return ruleChain{inter: []certgen.CAOption{certgen.WithKeyType(certgen.RSA2048)},
				leaf: withTemplate(func(c *x509.Certificate) { c.SignatureAlgorithm = x509.SHA1WithRSA })}
		}, [3]string{"InsecureAlgorithmError", "InsecureAlgorithmError", "InsecureAlgorithmError"}, nil},
		// RFC 5280, 6.1 (issue 12, item 2), under every profile.
		{"requireExplicitPolicy=0 without policies", func(*testing.T) ruleChain {
			return ruleChain{inter: []certgen.CAOption{certgen.WithExtensions(certgen.PolicyConstraints(0, -1, true))}}
		}, [3]string{"PolicyError", "PolicyError", "PolicyError"}, nil},
		// RFC 5280, 6.1.4(l): MaxDepth does not count self-issued
		// intermediates.
		{"MaxDepth 3 with a self-issued intermediate", func(*testing.T) ruleChain {
			return ruleChain{selfIssue: true, maxDepth: 3}
		}, [3]string{ok, ok, ok}, nil},
		{"MaxDepth 3 with two intermediates", func(*testing.T) ruleChain {
			return ruleChain{extraCA: true, maxDepth: 3}
		}, [3]string{"ChainTooLongError", "ChainTooLongError", "ChainTooLongError"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaf, opts := tt.chain(t).build(t)
			for i, profile := range profiles {
				opts.Profile = profile
				chains, lints, err := VerifyWithLints(leaf, opts)
				if tt.want[i] == "" {
					require.NoError(t, err, "profile %v", profile)
					require.NotEmpty(t, chains)
					if profile == ProfileWebPKI {
						assert.Empty(t, lints[0], "ProfileWebPKI enforces every rule, so it has no lints")
					}
					continue
				}
				require.Error(t, err, "profile %v", profile)
				assert.Equal(t, "*x509verify."+tt.want[i], fmt.Sprintf("%T", err), "profile %v: %v", profile, err)
				if r, ok := AsRuleError(err); ok {
					assert.LessOrEqual(t, r.Profile, profile)
					assert.Contains(t, err.Error(), r.Section)
					assert.Contains(t, err.Error(), fmt.Sprintf("position %d", r.Position))
				}
			}
			// Under Compat, the chain's lints name exactly the rules it
			// breaks; so does Lints on the verified chain.
			opts.Profile = ProfileCompat
			chains, lints, err := VerifyWithLints(leaf, opts)
			if err != nil {
				assert.Empty(t, tt.lints, "a chain refused under Compat has no lints")
				return
			}
			assert.Equal(t, tt.lints, lintTypes(lints[0]))
			assert.Equal(t, tt.lints, lintTypes(Lints(chains[0], opts)))
			for _, l := range lints[0] {
				assert.True(t, strings.HasPrefix(l.String(), "x509verify: certificate "), l.String())
				assert.NotNil(t, l.Rule())
			}
		})
	}
}

func lintTypes(lints []Lint) []string {
	var out []string
	for _, l := range lints {
		out = append(out, strings.TrimPrefix(fmt.Sprintf("%T", l.Err), "*x509verify."))
	}
	return out
}

func TestParseProfile(t *testing.T) {
	for _, p := range profiles {
		got, err := ParseProfile(p.String())
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	_, err := ParseProfile("strict")
	assert.Error(t, err)
}
