package certgen

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewCAAndIssue(t *testing.T) {
	tests := []struct {
		name    string
		caKey   KeyType
		leafKey KeyType
		tmpl    func(KeyType) Template
		usage   x509.ExtKeyUsage
		dnsName string
		wantKU  x509.KeyUsage
	}{
		{"ecdsa CA, rsa server", ECDSAP256, RSA2048, ServerTemplate, x509.ExtKeyUsageServerAuth, "x.glasstls.test", x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment},
		{"rsa CA, ecdsa server", RSA2048, ECDSAP256, ServerTemplate, x509.ExtKeyUsageServerAuth, "127.0.0.1", x509.KeyUsageDigitalSignature},
		{"ecdsa CA, ecdsa client", ECDSAP256, ECDSAP256, ClientTemplate, x509.ExtKeyUsageClientAuth, "", x509.KeyUsageDigitalSignature},
		{"rsa CA, rsa client", RSA2048, RSA2048, ClientTemplate, x509.ExtKeyUsageClientAuth, "", x509.KeyUsageDigitalSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ca, err := NewCA("unit test CA", WithKeyType(tt.caKey))
			require.NoError(t, err)
			assert.True(t, ca.Cert.IsCA)
			assert.NotZero(t, ca.Cert.KeyUsage&x509.KeyUsageCertSign)
			assert.NotEmpty(t, ca.Cert.SubjectKeyId)
			assert.Equal(t, "unit test CA", ca.Cert.Subject.CommonName)

			leaf, key, err := ca.Issue(tt.tmpl(tt.leafKey))
			require.NoError(t, err)
			assert.True(t, publicKeysEqual(leaf.PublicKey, key.Public()))
			assert.False(t, leaf.IsCA)
			assert.Equal(t, tt.wantKU, leaf.KeyUsage)
			assert.Equal(t, ca.Cert.SubjectKeyId, leaf.AuthorityKeyId)
			switch tt.leafKey {
			case RSA2048:
				assert.IsType(t, &rsa.PrivateKey{}, key)
			case ECDSAP256:
				assert.IsType(t, &ecdsa.PrivateKey{}, key)
			}

			pool := x509.NewCertPool()
			pool.AddCert(ca.Cert)
			_, err = leaf.Verify(x509.VerifyOptions{
				Roots: pool, DNSName: tt.dnsName, CurrentTime: verifyTime,
				KeyUsages: []x509.ExtKeyUsage{tt.usage},
			})
			assert.NoError(t, err)
		})
	}
}

func TestSerialsDiffer(t *testing.T) {
	ca, err := NewCA("serial CA")
	require.NoError(t, err)
	a, _, err := ca.Issue(ClientTemplate(ECDSAP256))
	require.NoError(t, err)
	b, _, err := ca.Issue(ClientTemplate(ECDSAP256))
	require.NoError(t, err)
	assert.Positive(t, a.SerialNumber.Sign())
	assert.NotEqual(t, a.SerialNumber, b.SerialNumber)
}

func TestIssueValidity(t *testing.T) {
	ca, err := NewCA("validity CA")
	require.NoError(t, err)
	defNB, defNA := DefaultValidity()
	at := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name           string
		nb, na         time.Time
		wantNB, wantNA time.Time
		wantErr        bool
	}{
		{"defaults", time.Time{}, time.Time{}, defNB, defNA, false},
		{"explicit", at(2020), at(2021), at(2020), at(2021), false},
		{"only notAfter", time.Time{}, at(2030), defNB, at(2030), false},
		{"inverted", at(2030), at(2029), time.Time{}, time.Time{}, true},
		{"notAfter before default start", time.Time{}, at(2024), time.Time{}, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl := ServerTemplate(ECDSAP256)
			tmpl.NotBefore, tmpl.NotAfter = tt.nb, tt.na
			cert, _, err := ca.Issue(tmpl)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.True(t, tt.wantNB.Equal(cert.NotBefore), "%v", cert.NotBefore)
			assert.True(t, tt.wantNA.Equal(cert.NotAfter), "%v", cert.NotAfter)
		})
	}
}

func TestBadInputsAreErrors(t *testing.T) {
	_, err := NewCA("")
	assert.Error(t, err)
	_, err = NewCA("x", WithKeyType(KeyType(99)))
	assert.Error(t, err)
	_, err = NewCA("x", WithValidity(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.Error(t, err)
	ca, err := NewCA("x")
	require.NoError(t, err)
	_, _, err = ca.Issue(Template{KeyType: KeyType(99)})
	assert.Error(t, err)
	_, _, err = (&Issuer{}).Issue(Template{})
	assert.Error(t, err)
	_, _, err = (*Issuer)(nil).Issue(Template{})
	assert.Error(t, err)
	assert.Error(t, WritePair(t.TempDir(), "x", nil, nil))
	assert.Equal(t, "KeyType(99)", KeyType(99).String())
}

func TestWithSubjectKeyIDCopies(t *testing.T) {
	id := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	ca, err := NewCA("skid CA", WithSubjectKeyID(id))
	require.NoError(t, err)
	assert.Equal(t, id, ca.Cert.SubjectKeyId)
}

func TestWritePairLoadPairRoundTrip(t *testing.T) {
	dir := t.TempDir()
	ca, err := NewCA("round trip CA", WithKeyType(RSA2048))
	require.NoError(t, err)
	require.NoError(t, WritePair(dir, "ca", ca.Cert, ca.Key))
	leaf, key, err := ca.Issue(ServerTemplate(ECDSAP256))
	require.NoError(t, err)
	require.NoError(t, WritePair(dir, "leaf", leaf, key))

	gotCert, gotKey, err := LoadPair(filepath.Join(dir, "leaf.pem"), filepath.Join(dir, "leaf-key.pem"))
	require.NoError(t, err)
	assert.Equal(t, leaf.Raw, gotCert.Raw)
	assert.True(t, key.(*ecdsa.PrivateKey).Equal(gotKey))

	fi, err := os.Stat(filepath.Join(dir, "leaf-key.pem"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	// A key that belongs to another certificate must be refused.
	_, _, err = LoadPair(filepath.Join(dir, "leaf.pem"), filepath.Join(dir, "ca-key.pem"))
	assert.ErrorContains(t, err, "does not hold the key")
	_, _, err = LoadPair(filepath.Join(dir, "missing.pem"), filepath.Join(dir, "leaf-key.pem"))
	assert.Error(t, err)
	_, _, err = LoadPair(filepath.Join(dir, "leaf-key.pem"), filepath.Join(dir, "leaf-key.pem"))
	assert.ErrorContains(t, err, "no \"CERTIFICATE\" PEM block")
}

func TestWriteTestPKI(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, WriteTestPKI(dir))
	for _, base := range TestPKIFiles() {
		_, _, err := LoadPair(filepath.Join(dir, base+".pem"), filepath.Join(dir, base+"-key.pem"))
		assert.NoError(t, err, base)
	}
}
