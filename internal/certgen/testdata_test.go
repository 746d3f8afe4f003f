package certgen

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glasstls/glasstls/internal/interop"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testdataDir is the repository's top-level testdata: go test runs in the
// package directory, two levels below the module root.
const testdataDir = "../../testdata"

// verifyTime is a fixed instant inside the default validity window so the
// checks below do not depend on the wall clock.
var verifyTime = time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)

func loadTestPair(t *testing.T, base string) (*x509.Certificate, any) {
	t.Helper()
	cert, key, err := LoadPair(filepath.Join(testdataDir, base+".pem"), filepath.Join(testdataDir, base+"-key.pem"))
	require.NoError(t, err, base)
	return cert, key
}

func rootPool(t *testing.T, base string) *x509.CertPool {
	t.Helper()
	ca, _ := loadTestPair(t, base)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return pool
}

func TestCheckedInFilesMatchDescription(t *testing.T) {
	year := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	serverDNS := []string{"localhost", "*.glasstls.test", "glasstls.test"}
	serverIPs := []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}
	sigEnc := x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	serverAuth := []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	clientAuth := []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}

	tests := []struct {
		base      string
		isCA      bool
		keyType   KeyType
		cn        string
		issuerCN  string
		dns       []string
		ips       []net.IP
		eku       []x509.ExtKeyUsage
		keyUsage  x509.KeyUsage
		notBefore time.Time
		notAfter  time.Time
	}{
		{"ca", true, ECDSAP256, RootCAName, RootCAName, nil, nil, nil, x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature, year(2025), year(2125)},
		{"evil-ca", true, ECDSAP256, RootCAName, RootCAName, nil, nil, nil, x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature, year(2025), year(2125)},
		{"server-rsa", false, RSA2048, "localhost", RootCAName, serverDNS, serverIPs, serverAuth, sigEnc, year(2025), year(2125)},
		{"server-ecdsa", false, ECDSAP256, "localhost", RootCAName, serverDNS, serverIPs, serverAuth, x509.KeyUsageDigitalSignature, year(2025), year(2125)},
		{"client-rsa", false, RSA2048, ClientCommonName, RootCAName, []string{ClientDNSName}, nil, clientAuth, x509.KeyUsageDigitalSignature, year(2025), year(2125)},
		{"client-ecdsa", false, ECDSAP256, ClientCommonName, RootCAName, []string{ClientDNSName}, nil, clientAuth, x509.KeyUsageDigitalSignature, year(2025), year(2125)},
		{"expired", false, RSA2048, "localhost", RootCAName, []string{"localhost"}, nil, serverAuth, sigEnc, year(2020), year(2021)},
		{"forged", false, RSA2048, "localhost", RootCAName, []string{"localhost"}, nil, serverAuth, sigEnc, year(2025), year(2125)},
		{"wrong-host", false, RSA2048, WrongHostName, RootCAName, []string{WrongHostName}, nil, serverAuth, sigEnc, year(2025), year(2125)},
		{"server-ecdsa-p521", false, ECDSAP521, "localhost", RootCAName, serverDNS, serverIPs, serverAuth, x509.KeyUsageDigitalSignature, year(2025), year(2125)},
		{"server-ed25519", false, Ed25519, "localhost", RootCAName, serverDNS, serverIPs, serverAuth, x509.KeyUsageDigitalSignature, year(2025), year(2125)},
		{"client-ed25519", false, Ed25519, ClientCommonName, RootCAName, []string{ClientDNSName}, nil, clientAuth, x509.KeyUsageDigitalSignature, year(2025), year(2125)},
	}
	require.Len(t, tests, len(TestPKIFiles()))
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			cert, key := loadTestPair(t, tt.base)
			assert.Equal(t, tt.isCA, cert.IsCA)
			assert.True(t, cert.BasicConstraintsValid)
			assert.Equal(t, tt.cn, cert.Subject.CommonName)
			assert.Equal(t, tt.issuerCN, cert.Issuer.CommonName)
			assert.Equal(t, tt.dns, cert.DNSNames)
			require.Len(t, cert.IPAddresses, len(tt.ips))
			for i, ip := range tt.ips {
				assert.True(t, ip.Equal(cert.IPAddresses[i]), "IP %d: %v", i, cert.IPAddresses[i])
			}
			assert.Equal(t, tt.eku, cert.ExtKeyUsage)
			assert.Equal(t, tt.keyUsage, cert.KeyUsage)
			assert.True(t, tt.notBefore.Equal(cert.NotBefore), "notBefore %v", cert.NotBefore)
			assert.True(t, tt.notAfter.Equal(cert.NotAfter), "notAfter %v", cert.NotAfter)
			switch tt.keyType {
			case RSA2048:
				k, ok := key.(*rsa.PrivateKey)
				require.True(t, ok, "key is %T", key)
				assert.Equal(t, 2048, k.N.BitLen())
			case ECDSAP256:
				k, ok := key.(*ecdsa.PrivateKey)
				require.True(t, ok, "key is %T", key)
				assert.Equal(t, elliptic.P256(), k.Curve)
			case ECDSAP521:
				k, ok := key.(*ecdsa.PrivateKey)
				require.True(t, ok, "key is %T", key)
				assert.Equal(t, elliptic.P521(), k.Curve)
			case Ed25519:
				_, ok := key.(ed25519.PrivateKey)
				require.True(t, ok, "key is %T", key)
			}
		})
	}
}

func TestCheckedInFilesHoldOneCertificate(t *testing.T) {
	for _, base := range TestPKIFiles() {
		data, err := os.ReadFile(filepath.Join(testdataDir, base+".pem"))
		require.NoError(t, err)
		assert.Equal(t, 1, strings.Count(string(data), "-----BEGIN CERTIFICATE-----"), base)
		keyData, err := os.ReadFile(filepath.Join(testdataDir, base+"-key.pem"))
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(keyData), "-----BEGIN PRIVATE KEY-----\n"), base)
	}
}

// TestEvilCAImpersonatesRoot: the impostor takes the real root's name but,
// having its own key, has its own subjectKeyIdentifier, which forged.pem
// names as its authorityKeyIdentifier (RFC 5280, 4.2.1.1).
func TestEvilCAImpersonatesRoot(t *testing.T) {
	root, _ := loadTestPair(t, "ca")
	evil, _ := loadTestPair(t, "evil-ca")
	forged, _ := loadTestPair(t, "forged")
	assert.Equal(t, root.RawSubject, evil.RawSubject)
	require.NotEmpty(t, evil.SubjectKeyId)
	assert.NotEqual(t, root.SubjectKeyId, evil.SubjectKeyId)
	assert.Equal(t, root.RawSubject, forged.RawIssuer)
	assert.Equal(t, evil.SubjectKeyId, forged.AuthorityKeyId)
	assert.NotEqual(t, root.SubjectKeyId, forged.AuthorityKeyId)
	assert.False(t, root.PublicKey.(*ecdsa.PublicKey).Equal(evil.PublicKey))
	assert.Error(t, forged.CheckSignatureFrom(root))
	assert.NoError(t, forged.CheckSignatureFrom(evil))
}

func TestCheckedInChainsVerify(t *testing.T) {
	tests := []struct {
		base    string
		roots   string
		dnsName string
		usage   x509.ExtKeyUsage
		wantErr any // nil, or a pointer to the error type x509 returns
	}{
		{"server-rsa", "ca", "localhost", x509.ExtKeyUsageServerAuth, nil},
		{"server-rsa", "ca", "www.glasstls.test", x509.ExtKeyUsageServerAuth, nil},
		{"server-rsa", "ca", "glasstls.test", x509.ExtKeyUsageServerAuth, nil},
		{"server-rsa", "ca", "127.0.0.1", x509.ExtKeyUsageServerAuth, nil},
		{"server-ecdsa", "ca", "::1", x509.ExtKeyUsageServerAuth, nil},
		{"server-ecdsa", "ca", "localhost", x509.ExtKeyUsageServerAuth, nil},
		{"server-ecdsa", "ca", "a.b.glasstls.test", x509.ExtKeyUsageServerAuth, &x509.HostnameError{}},
		{"client-rsa", "ca", "", x509.ExtKeyUsageClientAuth, nil},
		{"client-ecdsa", "ca", "", x509.ExtKeyUsageClientAuth, nil},
		{"client-ecdsa", "ca", "", x509.ExtKeyUsageServerAuth, &x509.CertificateInvalidError{}},
		{"server-rsa", "ca", "", x509.ExtKeyUsageClientAuth, &x509.CertificateInvalidError{}},
		{"expired", "ca", "localhost", x509.ExtKeyUsageServerAuth, &x509.CertificateInvalidError{}},
		{"forged", "ca", "localhost", x509.ExtKeyUsageServerAuth, &x509.UnknownAuthorityError{}},
		{"forged", "evil-ca", "localhost", x509.ExtKeyUsageServerAuth, nil},
		{"server-rsa", "evil-ca", "localhost", x509.ExtKeyUsageServerAuth, &x509.UnknownAuthorityError{}},
		{"wrong-host", "ca", "localhost", x509.ExtKeyUsageServerAuth, &x509.HostnameError{}},
		{"wrong-host", "ca", WrongHostName, x509.ExtKeyUsageServerAuth, nil},
	}
	for _, tt := range tests {
		t.Run(tt.base+"/"+tt.roots+"/"+tt.dnsName, func(t *testing.T) {
			leaf, _ := loadTestPair(t, tt.base)
			_, err := leaf.Verify(x509.VerifyOptions{
				Roots:       rootPool(t, tt.roots),
				DNSName:     tt.dnsName,
				CurrentTime: verifyTime,
				KeyUsages:   []x509.ExtKeyUsage{tt.usage},
			})
			if tt.wantErr == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorAs(t, err, tt.wantErr)
		})
	}
}

func TestOpenSSLAgrees(t *testing.T) {
	openssl := interop.RequireOpenSSL(t)
	tests := []struct {
		base    string
		extra   []string
		wantOK  bool
		wantMsg string
	}{
		{"server-rsa", nil, true, ""},
		{"server-ecdsa", nil, true, ""},
		{"server-ecdsa-p521", []string{"-purpose", "sslserver", "-verify_hostname", "localhost"}, true, ""},
		{"server-ed25519", []string{"-purpose", "sslserver", "-verify_hostname", "localhost"}, true, ""},
		{"client-ed25519", []string{"-purpose", "sslclient"}, true, ""},
		{"client-rsa", nil, true, ""},
		{"client-ecdsa", nil, true, ""},
		{"server-rsa", []string{"-purpose", "sslserver", "-verify_hostname", "localhost"}, true, ""},
		{"server-ecdsa", []string{"-purpose", "sslserver", "-verify_ip", "::1"}, true, ""},
		{"client-rsa", []string{"-purpose", "sslclient"}, true, ""},
		// The key identifiers tell OpenSSL the real root is not the issuer.
		{"forged", nil, false, "unable to get local issuer certificate"},
		{"expired", nil, false, "certificate has expired"},
		{"wrong-host", nil, true, ""},
		{"wrong-host", []string{"-verify_hostname", "localhost"}, false, "hostname mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.base+strings.Join(tt.extra, "_"), func(t *testing.T) {
			args := append([]string{"verify", "-CAfile", filepath.Join(testdataDir, "ca.pem")}, tt.extra...)
			args = append(args, filepath.Join(testdataDir, tt.base+".pem"))
			out, err := exec.Command(openssl, args...).CombinedOutput()
			if tt.wantOK {
				assert.NoError(t, err, "%s", out)
				assert.Contains(t, string(out), ": OK")
				return
			}
			assert.Error(t, err, "%s", out)
			assert.Contains(t, string(out), tt.wantMsg)
		})
	}
	for _, base := range TestPKIFiles() {
		out, err := exec.Command(openssl, "pkey", "-noout", "-in", filepath.Join(testdataDir, base+"-key.pem")).CombinedOutput()
		assert.NoError(t, err, "openssl cannot read %s-key.pem: %s", base, out)
	}
}
