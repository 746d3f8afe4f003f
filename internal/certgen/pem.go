package certgen

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// PEM block types (RFC 7468, 5 and 10).
const (
	certificateBlockType = "CERTIFICATE"
	privateKeyBlockType  = "PRIVATE KEY" // PKCS #8, RFC 5208
)

// EncodeCertPEM wraps a certificate's DER in a "CERTIFICATE" PEM block.
func EncodeCertPEM(cert *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: certificateBlockType, Bytes: cert.Raw})
}

// EncodeKeyPEM encodes a private key as an unencrypted PKCS #8
// "PRIVATE KEY" PEM block, the form both OpenSSL 3 and Go read for every key
// type.
func EncodeKeyPEM(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("certgen: encoding key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: privateKeyBlockType, Bytes: der}), nil
}

// ParseCertPEM parses the first "CERTIFICATE" block in data. Blocks of
// other types before it are skipped.
func ParseCertPEM(data []byte) (*x509.Certificate, error) {
	der, err := firstBlock(data, certificateBlockType)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// ParseKeyPEM parses the first PKCS #8 "PRIVATE KEY" block in data into a
// signer (an *rsa.PrivateKey or *ecdsa.PrivateKey).
func ParseKeyPEM(data []byte) (crypto.Signer, error) {
	der, err := firstBlock(data, privateKeyBlockType)
	if err != nil {
		return nil, err
	}
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("certgen: %T is not a crypto.Signer", key)
	}
	return signer, nil
}

func firstBlock(data []byte, blockType string) ([]byte, error) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, fmt.Errorf("certgen: no %q PEM block found", blockType)
		}
		if block.Type == blockType {
			return block.Bytes, nil
		}
	}
}

// LoadPair reads a certificate file and its private key file, as written by
// WritePair, and checks that they belong together.
func LoadPair(certPath, keyPath string) (*x509.Certificate, crypto.Signer, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, err
	}
	cert, err := ParseCertPEM(certPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", certPath, err)
	}
	key, err := ParseKeyPEM(keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", keyPath, err)
	}
	if !publicKeysEqual(cert.PublicKey, key.Public()) {
		return nil, nil, fmt.Errorf("certgen: %s does not hold the key of %s", keyPath, certPath)
	}
	return cert, key, nil
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}

// WritePair writes dir/base.pem (the certificate) and dir/base-key.pem (its
// PKCS #8 key, mode 0600 as befits a private key even a test one).
func WritePair(dir, base string, cert *x509.Certificate, key crypto.Signer) error {
	if cert == nil || key == nil {
		return errors.New("certgen: WritePair needs a certificate and a key")
	}
	keyPEM, err := EncodeKeyPEM(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, base+".pem"), EncodeCertPEM(cert), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, base+"-key.pem"), keyPEM, 0o600)
}
