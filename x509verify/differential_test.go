package x509verify

import (
	"crypto/ecdsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/glasstls/glasstls/internal/certgen"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// diffCase describes a root -> intermediate -> leaf PKI by its knobs; the
// differential test builds it and asks both this package and crypto/x509.
type diffCase struct {
	leafValidity, interValidity, rootValidity string // "ok", "expired", "future"
	interNotCA                                bool
	interSignOnly                             bool // keyUsage without keyCertSign
	rootPathLen                               int  // -1: absent
	interPathLen                              int  // -1: absent
	interEKU, leafEKU                         []x509.ExtKeyUsage
	wantEKU                                   []x509.ExtKeyUsage
	leafDNS                                   []string
	host                                      string
	interPermitted, interExcluded             []string
	leafCritical                              bool
	interRequireExplicit                      bool // critical policyConstraints requireExplicitPolicy=0
	policies                                  bool // every certificate asserts a policy
	withIntermediate, rootTrusted             bool
}

var (
	validities = []string{"ok", "ok", "ok", "ok", "expired", "future"}
	ekuChoices = [][]x509.ExtKeyUsage{
		nil, nil,
		{x509.ExtKeyUsageServerAuth},
		{x509.ExtKeyUsageClientAuth},
		{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		{x509.ExtKeyUsageAny},
	}
	wantEKUChoices = [][]x509.ExtKeyUsage{nil, nil, {x509.ExtKeyUsageClientAuth}, {x509.ExtKeyUsageAny}}
	dnsChoices     = [][]string{{"www.example.com"}, {"*.example.com"}, {"evil.org"}, {"www.example.com", "evil.org"}, nil}
	hostChoices    = []string{"", "www.example.com", "WWW.Example.Com.", "a.b.example.com", "evil.org", "example.com"}
	subtreeChoices = [][]string{nil, nil, {"example.com"}, {".example.com"}, {"evil.org"}}
	pathLenChoices = []int{-1, -1, 0, 1}
)

// randomCase starts from the valid diffBase and changes zero to three
// knobs at random, so that both verdicts come up often and failures mix.
func randomCase(r *rand.Rand) diffCase {
	c := diffBase
	pick := func(n int) int { return r.IntN(n) }
	for range pick(4) {
		switch pick(15) {
		case 0:
			c.leafValidity = validities[pick(len(validities))]
		case 1:
			c.interValidity = validities[pick(len(validities))]
		case 2:
			c.rootValidity = validities[pick(len(validities))]
		case 3:
			c.interNotCA = !c.interNotCA
		case 4:
			c.interSignOnly = !c.interSignOnly
		case 5:
			c.rootPathLen = pathLenChoices[pick(len(pathLenChoices))]
		case 6:
			c.interPathLen = pathLenChoices[pick(len(pathLenChoices))]
		case 7:
			c.interEKU = ekuChoices[pick(len(ekuChoices))]
		case 8:
			c.leafEKU = ekuChoices[pick(len(ekuChoices))]
		case 9:
			c.wantEKU = wantEKUChoices[pick(len(wantEKUChoices))]
		case 10:
			c.leafDNS = dnsChoices[pick(len(dnsChoices))]
		case 11:
			c.host = hostChoices[pick(len(hostChoices))]
		case 12:
			c.interPermitted = subtreeChoices[pick(len(subtreeChoices))]
		case 13:
			c.interExcluded = subtreeChoices[pick(len(subtreeChoices))]
		case 14:
			switch pick(5) {
			case 0:
				c.leafCritical = true
			case 1:
				c.withIntermediate = false
			case 2:
				c.rootTrusted = false
			case 3:
				c.interRequireExplicit = !c.interRequireExplicit
			case 4:
				c.policies = !c.policies
			}
		}
	}
	return c
}

func validityMod(v string) func(*x509.Certificate) {
	return func(c *x509.Certificate) {
		switch v {
		case "expired":
			c.NotBefore, c.NotAfter = testNow.Add(-100*day), testNow.Add(-day)
		case "future":
			c.NotBefore, c.NotAfter = testNow.Add(day), testNow.Add(100*day)
		}
	}
}

func pathLenMod(n int) func(*x509.Certificate) {
	return func(c *x509.Certificate) {
		if !c.IsCA {
			return // CreateCertificate refuses pathLenConstraint on non-CAs
		}
		c.MaxPathLen = n
		c.MaxPathLenZero = n == 0
	}
}

type diffKeys struct{ root, inter, leaf *ecdsa.PrivateKey }

// build returns the leaf and matching options for both verifiers.
func (c diffCase) build(t *testing.T, keys diffKeys) (*x509.Certificate, Options, x509.VerifyOptions) {
	root := issue(t, caTmpl("Diff Root", validityMod(c.rootValidity), pathLenMod(c.rootPathLen)), nil, keys.root)
	inter := issue(t, caTmpl("Diff Intermediate", validityMod(c.interValidity), func(x *x509.Certificate) {
		x.IsCA = !c.interNotCA
		if c.interNotCA || c.interSignOnly {
			x.KeyUsage = x509.KeyUsageDigitalSignature
		}
		x.ExtKeyUsage = c.interEKU
		x.PermittedDNSDomains = c.interPermitted
		x.ExcludedDNSDomains = c.interExcluded
		if c.interRequireExplicit {
			x.ExtraExtensions = append(x.ExtraExtensions, certgen.PolicyConstraints(0, -1, true))
		}
		if c.policies {
			x.Policies = []x509.OID{policyP}
		}
	}, pathLenMod(c.interPathLen)), root, keys.inter)
	leaf := issue(t, leafTmpl("Diff Leaf", c.leafDNS, validityMod(c.leafValidity), func(x *x509.Certificate) {
		x.ExtKeyUsage = c.leafEKU
		if c.leafCritical {
			x.ExtraExtensions = []pkix.Extension{unknownCriticalExt}
		}
		if c.policies {
			x.Policies = []x509.OID{policyP}
		}
	}), inter, keys.leaf)

	ours := Options{Roots: NewPool(), Intermediates: NewPool(), DNSName: c.host, Now: testNow, KeyUsages: c.wantEKU}
	theirs := x509.VerifyOptions{Roots: x509.NewCertPool(), Intermediates: x509.NewCertPool(), DNSName: c.host, CurrentTime: testNow, KeyUsages: c.wantEKU}
	if c.rootTrusted {
		ours.Roots.AddCert(root.cert)
		theirs.Roots.AddCert(root.cert)
	}
	if c.withIntermediate {
		ours.Intermediates.AddCert(inter.cert)
		theirs.Intermediates.AddCert(inter.cert)
	}
	return leaf.cert, ours, theirs
}

// compareWithStdlib runs both verifiers and checks that they agree. (On
// the knobs of diffCase they always should; the deliberate differences
// have their own test, TestDifferentialDeliberate.)
func compareWithStdlib(t *testing.T, c diffCase, keys diffKeys) {
	t.Helper()
	leaf, ours, theirs := c.build(t, keys)
	_, ourErr := Verify(leaf, ours)
	_, theirErr := leaf.Verify(theirs)

	assert.Equalf(t, theirErr == nil, ourErr == nil, "case %+v\nours:   %v\ntheirs: %v", c, ourErr, theirErr)
}

func newDiffKeys(t *testing.T) diffKeys {
	return diffKeys{root: newKey(t), inter: newKey(t), leaf: newKey(t)}
}

// base is a valid configuration the table below varies one knob of.
var diffBase = diffCase{
	leafValidity: "ok", interValidity: "ok", rootValidity: "ok",
	rootPathLen: -1, interPathLen: -1,
	leafEKU:          []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	leafDNS:          []string{"www.example.com"},
	host:             "www.example.com",
	withIntermediate: true, rootTrusted: true,
}

func TestDifferentialTable(t *testing.T) {
	keys := newDiffKeys(t)
	tests := []struct {
		name   string
		mod    func(*diffCase)
		wantOK bool
	}{
		{"base", func(*diffCase) {}, true},
		{"expired leaf", func(c *diffCase) { c.leafValidity = "expired" }, false},
		{"future intermediate", func(c *diffCase) { c.interValidity = "future" }, false},
		{"expired root", func(c *diffCase) { c.rootValidity = "expired" }, false},
		{"intermediate not CA", func(c *diffCase) { c.interNotCA = true }, false},
		{"root pathLen 0", func(c *diffCase) { c.rootPathLen = 0 }, false},
		{"root pathLen 1", func(c *diffCase) { c.rootPathLen = 1 }, true},
		{"intermediate pathLen 0", func(c *diffCase) { c.interPathLen = 0 }, true},
		{"client-only intermediate", func(c *diffCase) { c.interEKU = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} }, false},
		{"client-only intermediate, client wanted", func(c *diffCase) {
			c.interEKU = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
			c.leafEKU = nil
			c.wantEKU = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		}, true},
		{"wildcard leaf", func(c *diffCase) { c.leafDNS = []string{"*.example.com"} }, true},
		{"wildcard too deep", func(c *diffCase) { c.leafDNS = []string{"*.example.com"}; c.host = "a.b.example.com" }, false},
		{"wrong host", func(c *diffCase) { c.host = "evil.org" }, false},
		{"permitted subtree", func(c *diffCase) { c.interPermitted = []string{"example.com"} }, true},
		{"outside permitted subtree", func(c *diffCase) { c.interPermitted = []string{"example.org"} }, false},
		{"excluded subtree", func(c *diffCase) { c.interExcluded = []string{".example.com"} }, false},
		{"wildcard covering an excluded name", func(c *diffCase) {
			c.leafDNS = []string{"*.example.com"}
			c.interExcluded = []string{"www.example.com"}
		}, false},
		{"critical extension", func(c *diffCase) { c.leafCritical = true }, false},
		// Issue 12, item 2: crypto/x509 handles policyConstraints itself,
		// so it never reaches UnhandledCriticalExtensions; RFC 5280, 6.1
		// processing must refuse the path all the same.
		{"requireExplicitPolicy=0 without policies", func(c *diffCase) { c.interRequireExplicit = true }, false},
		{"requireExplicitPolicy=0 with policies", func(c *diffCase) { c.interRequireExplicit = true; c.policies = true }, true},
		{"missing intermediate", func(c *diffCase) { c.withIntermediate = false }, false},
		{"untrusted root", func(c *diffCase) { c.rootTrusted = false }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := diffBase
			tt.mod(&c)
			leaf, ours, _ := c.build(t, keys)
			_, err := Verify(leaf, ours)
			require.Equal(t, tt.wantOK, err == nil, "ours: %v", err)
			compareWithStdlib(t, c, keys)
		})
	}
}

func TestDifferentialRandom(t *testing.T) {
	trials := 300
	if testing.Short() {
		trials = 50
	}
	keys := newDiffKeys(t)
	r := rand.New(rand.NewPCG(5246, 5280)) // fixed seed: failures reproduce
	var ok int
	for i := range trials {
		c := randomCase(r)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			compareWithStdlib(t, c, keys)
			leaf, ours, _ := c.build(t, keys)
			if _, err := Verify(leaf, ours); err == nil {
				ok++
			}
		})
	}
	// The generator must produce both verdicts, or the comparison is empty.
	assert.Greater(t, ok, trials/20, "too few valid chains generated")
	assert.Less(t, ok, trials-trials/20, "too few invalid chains generated")
	t.Logf("%d/%d chains valid", ok, trials)
}

// TestDifferentialDeliberate pins the cases where this package and
// crypto/x509 disagree on purpose, each decided by the RFC rule named.
func TestDifferentialDeliberate(t *testing.T) {
	tests := []struct {
		name   string
		rule   string
		build  func(t *testing.T) (*x509.Certificate, Options, x509.VerifyOptions)
		oursOK bool
	}{
		{
			name: "self-issued rollover certificate and pathLenConstraint",
			// RFC 5280, 6.1.4(l): max_path_length is decremented only for
			// certificates that are not self-issued. crypto/x509 counts
			// every intermediate and refuses.
			rule: "RFC 5280, 6.1.4(l)",
			build: func(t *testing.T) (*x509.Certificate, Options, x509.VerifyOptions) {
				root := issue(t, caTmpl("Root", pathLenMod(1)), nil, nil)
				oldInter := issue(t, caTmpl("Inter"), root, nil)
				newInter := issue(t, caTmpl("Inter"), oldInter, nil)
				leaf := issue(t, leafTmpl("leaf", []string{"www.example.com"}), newInter, nil)
				return leaf.cert,
					Options{Roots: poolOf(root), Intermediates: poolOf(oldInter, newInter), Now: testNow},
					x509.VerifyOptions{Roots: stdPool(root), Intermediates: stdPool(oldInter, newInter), CurrentTime: testNow}
			},
			oursOK: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaf, ours, theirs := tt.build(t)
			_, ourErr := Verify(leaf, ours)
			_, theirErr := leaf.Verify(theirs)
			assert.Equal(t, tt.oursOK, ourErr == nil, "ours (%s): %v", tt.rule, ourErr)
			assert.Equal(t, !tt.oursOK, theirErr == nil, "crypto/x509 no longer differs on %s: %v", tt.rule, theirErr)
		})
	}
}

func stdPool(certs ...*node) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c.cert)
	}
	return p
}
