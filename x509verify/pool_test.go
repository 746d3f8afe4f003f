package x509verify

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pemOf(certs ...*node) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.cert.Raw})...)
	}
	return out
}

func TestPool(t *testing.T) {
	a := issue(t, caTmpl("A"), nil, nil)
	a2 := issue(t, caTmpl("A"), nil, nil) // same subject, other key
	b := issue(t, caTmpl("B"), nil, nil)

	p := NewPool()
	assert.Equal(t, 0, p.Len())
	p.AddCert(a.cert)
	p.AddCert(a.cert) // duplicate
	p.AddCert(nil)
	p.AddCert(&x509.Certificate{}) // not parsed
	assert.Equal(t, 1, p.Len())

	junk := []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" +
		"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
	assert.False(t, p.AppendPEM(junk))
	assert.False(t, p.AppendPEM(pemOf(a)), "only a duplicate")
	assert.True(t, p.AppendPEM(append(junk, pemOf(a2, b)...)))
	assert.Equal(t, 3, p.Len())

	// One entry per distinct name, in order, as certificate_authorities wants.
	assert.Equal(t, [][]byte{a.cert.RawSubject, b.cert.RawSubject}, p.Subjects())
	assert.True(t, p.contains(a2.cert))

	var zero Pool
	zero.AddCert(a.cert)
	assert.Equal(t, 1, zero.Len())

	var nilPool *Pool
	assert.Equal(t, 0, nilPool.Len())
	assert.Nil(t, nilPool.Subjects())
	assert.Nil(t, nilPool.issuersOf(a.cert))
}

func TestPoolIssuersOfPrefersKeyIdentifier(t *testing.T) {
	root := issue(t, caTmpl("Root"), nil, nil)
	other := issue(t, caTmpl("Root"), nil, nil)
	leaf := issue(t, leafTmpl("leaf", nil), root, nil)
	require.NotEmpty(t, leaf.cert.AuthorityKeyId)
	noSKID := issue(t, caTmpl("Root", func(c *x509.Certificate) { c.SubjectKeyId = nil }), nil, nil)
	// CreateCertificate fills in a SubjectKeyId for CAs; strip it by hand.
	noSKID.cert.SubjectKeyId = nil

	p := poolOf(other, noSKID, root)
	assert.Equal(t, []*x509.Certificate{root.cert, noSKID.cert, other.cert}, p.issuersOf(leaf.cert))
}

func TestLoadPool(t *testing.T) {
	dir := t.TempDir()
	a := issue(t, caTmpl("A"), nil, nil)
	b := issue(t, caTmpl("B"), nil, nil)
	bundle := filepath.Join(dir, "bundle.pem")
	require.NoError(t, os.WriteFile(bundle, pemOf(a, b), 0o600))
	empty := filepath.Join(dir, "empty.pem")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	certDir := filepath.Join(dir, "certs")
	require.NoError(t, os.Mkdir(certDir, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(certDir, "a.pem"), pemOf(a), 0o600))
	require.NoError(t, os.Symlink("a.pem", filepath.Join(certDir, "deadbeef.0")))

	tests := []struct {
		name    string
		files   []string
		dirs    []string
		wantLen int
	}{
		{"first usable bundle wins", []string{filepath.Join(dir, "missing"), empty, bundle}, []string{certDir}, 2},
		{"directory fallback, symlinks deduplicated", []string{empty}, []string{certDir}, 1},
		{"nothing found", []string{empty}, []string{filepath.Join(dir, "nope")}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := loadPool(tt.files, tt.dirs)
			if tt.wantLen == 0 {
				assert.Error(t, err)
				assert.Nil(t, p)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantLen, p.Len())
		})
	}
}

func TestSystemPool(t *testing.T) {
	const debianBundle = "/etc/ssl/certs/ca-certificates.crt"
	if _, err := os.Stat(debianBundle); err != nil {
		// CI's machine is Debian: there a missing bundle is a failure.
		require.NotEqual(t, "true", os.Getenv("CI"), "%s not present under CI=true: %v", debianBundle, err)
		t.Skipf("%s not present (allowed outside CI only): %v", debianBundle, err)
	}
	t.Setenv("SSL_CERT_FILE", "")
	t.Setenv("SSL_CERT_DIR", "")
	p, err := SystemPool()
	require.NoError(t, err)
	// Debian ships well over a hundred roots; a handful would mean a
	// parsing problem.
	assert.Greater(t, p.Len(), 50)
	assert.NotEmpty(t, p.Subjects())
}

// TestSystemPoolLoadedOnce covers issue 12, item 7: the trust store is read
// and parsed once per process, not on every verification. Two calls must
// hand out the very same parsed certificates (a re-read would parse new
// ones), in pools that do not share their index: adding to one leaves the
// other, and the cache, unchanged.
func TestSystemPoolLoadedOnce(t *testing.T) {
	first, err := SystemPool()
	if err != nil {
		require.NotEqual(t, "true", os.Getenv("CI"), "no system trust store under CI=true: %v", err)
		t.Skipf("no system trust store (allowed outside CI only): %v", err)
	}
	second, err := SystemPool()
	require.NoError(t, err)
	require.Equal(t, first.Len(), second.Len())
	for i := range first.certs {
		require.Same(t, first.certs[i], second.certs[i], "certificate %d was parsed again", i)
	}

	extra := issue(t, caTmpl("Not in the system store"), nil, nil)
	first.AddCert(extra.cert)
	assert.Equal(t, second.Len()+1, first.Len())
	third, err := SystemPool()
	require.NoError(t, err)
	assert.Equal(t, second.Len(), third.Len(), "adding to a returned pool changed the cache")
	assert.False(t, third.contains(extra.cert))
}

func TestPoolClone(t *testing.T) {
	a := issue(t, caTmpl("A"), nil, nil)
	b := issue(t, caTmpl("A"), nil, nil)
	p := poolOf(a)
	c := p.Clone()
	c.AddCert(b.cert)
	assert.Equal(t, 1, p.Len())
	assert.Equal(t, 2, c.Len())
	assert.Len(t, p.issuersOf(a.cert), 1, "the clone shares the subject index")
	assert.Len(t, c.issuersOf(a.cert), 2)
	assert.Equal(t, 0, (*Pool)(nil).Clone().Len())
}
