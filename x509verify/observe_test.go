package x509verify

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestObserveReportsEveryCheck checks that Options.Observe sees each check
// of a valid chain in the order Verify runs them, and the failing check of
// an expired leaf with its error.
func TestObserveReportsEveryCheck(t *testing.T) {
	p := newPKI(t)
	var seen []string
	opts := p.opts()
	opts.Observe = func(c Check) {
		assert.NotEmpty(t, c.Section)
		seen = append(seen, c.Cert.Subject.CommonName+": "+c.Name)
		assert.NoError(t, c.Err, c.Name)
		if c.Name == "signature" {
			require.NotNil(t, c.Issuer)
		}
	}
	_, err := Verify(p.leaf.cert, opts)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"www.example.com: critical extensions understood",
		"www.example.com: validity period",
		"www.example.com: host name in subjectAltName",
		"www.example.com: signature algorithm acceptable",
		"www.example.com: signature",
		"Test Intermediate: validity period",
		"Test Intermediate: critical extensions understood",
		"Test Intermediate: basicConstraints cA",
		"Test Intermediate: keyUsage keyCertSign",
		"Test Intermediate: pathLenConstraint",
		"Test Intermediate: name constraints",
		"Test Intermediate: signature algorithm acceptable",
		"Test Intermediate: signature",
		"Test Root: validity period",
		"Test Root: critical extensions understood",
		"Test Root: pathLenConstraint",
		"Test Root: name constraints",
		"Test Root: trust anchor in the root pool",
		"www.example.com: certificate policies",
		"www.example.com: extendedKeyUsage",
		"www.example.com: profile rules (" + opts.Profile.String() + ")",
	}, seen)

	expired := issue(t, leafTmpl("old.example.com", []string{"www.example.com"}, func(c *x509.Certificate) {
		c.NotAfter = testNow.Add(-day)
	}), p.inter, nil)
	var last Check
	opts.Observe = func(c Check) { last = c }
	_, err = Verify(expired.cert, opts)
	require.Error(t, err)
	assert.Equal(t, "validity period", last.Name)
	assert.Equal(t, err, last.Err)
}
