package x509verify

import (
	"encoding/pem"
	"os"
	"testing"

	"crypto/x509"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTrustStoreRootsUnderWebPKI keeps the strict profile honest: every
// root of the machine's trust store (Debian's bundle, the Mozilla root
// program's TLS roots) must parse and be accepted as a trust anchor
// under ProfileWebPKI, or the profile refuses the real Web PKI. Each root
// is verified as its own chain, at a time inside its validity period, so
// that expiry (checked under every profile) does not hide a profile rule.
func TestTrustStoreRootsUnderWebPKI(t *testing.T) {
	const bundle = "/etc/ssl/certs/ca-certificates.crt"
	data, err := os.ReadFile(bundle)
	if err != nil {
		require.NotEqual(t, "true", os.Getenv("CI"), "%s not present under CI=true: %v", bundle, err)
		t.Skipf("%s not present (allowed outside CI only): %v", bundle, err)
	}
	var roots int
	for len(data) > 0 {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		root, err := x509.ParseCertificate(block.Bytes)
		require.NoError(t, err, "root %d of %s does not parse", roots, bundle)
		roots++
		pool := NewPool()
		pool.AddCert(root)
		now := root.NotBefore.Add(root.NotAfter.Sub(root.NotBefore) / 2)
		_, err = Verify(root, Options{Roots: pool, Now: now, Profile: ProfileWebPKI})
		assert.NoError(t, err, "root %q refused under ProfileWebPKI", root.Subject)
		assert.Empty(t, Lints([]*x509.Certificate{root}, Options{}), "root %q has lints", root.Subject)
	}
	// Debian ships well over a hundred roots.
	assert.Greater(t, roots, 50)
	t.Logf("%d roots accepted under ProfileWebPKI", roots)
}
