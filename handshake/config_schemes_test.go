package handshake

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestConfigSignatureSchemesDropsUnknown: a scheme glasstls cannot make or
// check is never offered (signature_algorithms, CertificateRequest) nor
// accepted, just as an unknown cipher suite is dropped.
func TestConfigSignatureSchemesDropsUnknown(t *testing.T) {
	const md5sha1 = SignatureScheme(0xff01)     // BoringSSL's internal MD5+SHA-1 value
	const pkcs1Legacy = SignatureScheme(0x0420) // TLS 1.3 rsa_pkcs1_sha256_legacy
	tests := []struct {
		name string
		in   []SignatureScheme
		want []SignatureScheme
	}{
		{"nil means defaults", nil, defaultSignatureSchemes()},
		{"known kept in order", []SignatureScheme{PKCS1WithSHA256, ECDSAWithP256AndSHA256}, []SignatureScheme{PKCS1WithSHA256, ECDSAWithP256AndSHA256}},
		{"unknown dropped", []SignatureScheme{md5sha1, PKCS1WithSHA256, pkcs1Legacy}, []SignatureScheme{PKCS1WithSHA256}},
		{"only unknown leaves none", []SignatureScheme{pkcs1Legacy}, []SignatureScheme{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &Config{SignatureSchemes: tt.in}
			assert.Equal(t, tt.want, cfg.signatureSchemes())
		})
	}
}
