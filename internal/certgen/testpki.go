package certgen

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"net"
	"path/filepath"
	"time"
)

// Names used by the checked-in test PKI.
const (
	// RootCAName is the common name of the test root CA, and also of the
	// impostor "evil" CA that tries to pass for it.
	RootCAName = "glasstls Test Root CA"
	// ClientCommonName is the common name of the client certificates.
	ClientCommonName = "glasstls test client"
	// ClientDNSName is the client certificates' subjectAltName.
	ClientDNSName = "client.glasstls.test"
	// WrongHostName is the only name in the wrong-host certificate.
	WrongHostName = "other.example"
)

// ServerTemplate describes a TLS server certificate for the names tests dial:
// localhost, glasstls.test, *.glasstls.test, 127.0.0.1 and ::1, with EKU
// serverAuth and the default keyUsage for k.
func ServerTemplate(k KeyType) Template {
	return Template{
		CommonName:  "localhost",
		KeyType:     k,
		DNSNames:    []string{"localhost", "*.glasstls.test", "glasstls.test"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
}

// ClientTemplate describes a TLS client certificate (RFC 5246, 7.4.6):
// CN ClientCommonName, SAN ClientDNSName, EKU clientAuth, keyUsage
// digitalSignature because the client proves possession by signing
// CertificateVerify (RFC 5246, 7.4.8).
func ClientTemplate(k KeyType) Template {
	return Template{
		CommonName:  ClientCommonName,
		KeyType:     k,
		DNSNames:    []string{ClientDNSName},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		KeyUsage:    x509.KeyUsageDigitalSignature,
	}
}

// TestPKIFiles lists, in writing order, the base names WriteTestPKI writes;
// each base has base.pem and base-key.pem.
func TestPKIFiles() []string {
	return []string{
		"ca", "server-rsa", "server-ecdsa", "client-rsa", "client-ecdsa",
		"expired", "evil-ca", "forged", "wrong-host",
		"server-ecdsa-p521", "server-ed25519", "client-ed25519",
	}
}

// laterLeaves are the leaves added to the test PKI after the first set,
// each issued by the root: AddTestPKILeaves writes them alone, so that the
// files already checked in (and the golden transcripts that embed them)
// stay as they are.
func laterLeaves() map[string]Template {
	return map[string]Template{
		"server-ecdsa-p521": ServerTemplate(ECDSAP521),
		"server-ed25519":    ServerTemplate(Ed25519),
		"client-ed25519":    ClientTemplate(Ed25519),
	}
}

// AddTestPKILeaves issues the named later leaves (see laterLeaves) with
// the root CA already in dir (ca.pem, ca-key.pem) and writes them into dir,
// leaving every other file as it is.
func AddTestPKILeaves(dir string, bases ...string) error {
	rootCert, rootKey, err := LoadPair(filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ca-key.pem"))
	if err != nil {
		return err
	}
	root := &Issuer{Cert: rootCert, Key: rootKey}
	templates := laterLeaves()
	for _, base := range bases {
		tmpl, ok := templates[base]
		if !ok {
			return fmt.Errorf("certgen: %q is not a later leaf of the test PKI", base)
		}
		cert, key, err := root.Issue(tmpl)
		if err != nil {
			return fmt.Errorf("certgen: %s: %w", base, err)
		}
		if err := WritePair(dir, base, cert, key); err != nil {
			return err
		}
	}
	return nil
}

// WriteTestPKI creates the whole test PKI afresh and writes it into dir,
// overwriting existing files. See testdata/README.md for what each file is.
func WriteTestPKI(dir string) error {
	root, err := NewCA(RootCAName)
	if err != nil {
		return err
	}
	// The impostor is what an attacker can really make: a self-made CA
	// with the genuine root's name but its own key, so its
	// subjectKeyIdentifier (a hash of that key) differs too, and forged.pem
	// names it in its authorityKeyIdentifier (RFC 5280, 4.2.1.1). A
	// verifier that looks issuers up by name alone finds the genuine root;
	// the key identifiers and the signature show it is not the issuer, so
	// forged.pem is signed by an unknown authority.
	evil, err := NewCA(RootCAName)
	if err != nil {
		return err
	}

	// The broken leaves are RSA so that they can be served with every
	// TLS 1.2 key exchange glasstls implements, plain RSA included.
	expired := ServerTemplate(RSA2048)
	expired.DNSNames = []string{"localhost"}
	expired.IPAddresses = nil
	expired.NotBefore = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	expired.NotAfter = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

	forged := ServerTemplate(RSA2048)
	forged.DNSNames = []string{"localhost"}
	forged.IPAddresses = nil

	wrongHost := ServerTemplate(RSA2048)
	wrongHost.CommonName = WrongHostName
	wrongHost.DNSNames = []string{WrongHostName}
	wrongHost.IPAddresses = nil

	leaves := []struct {
		base   string
		issuer *Issuer
		tmpl   Template
	}{
		{"server-rsa", root, ServerTemplate(RSA2048)},
		{"server-ecdsa", root, ServerTemplate(ECDSAP256)},
		{"client-rsa", root, ClientTemplate(RSA2048)},
		{"client-ecdsa", root, ClientTemplate(ECDSAP256)},
		{"expired", root, expired},
		{"forged", evil, forged},
		{"wrong-host", root, wrongHost},
	}
	for base, tmpl := range laterLeaves() {
		leaves = append(leaves, struct {
			base   string
			issuer *Issuer
			tmpl   Template
		}{base, root, tmpl})
	}

	pairs := map[string]struct {
		cert *x509.Certificate
		key  crypto.Signer
	}{
		"ca":      {root.Cert, root.Key},
		"evil-ca": {evil.Cert, evil.Key},
	}
	for _, l := range leaves {
		cert, key, err := l.issuer.Issue(l.tmpl)
		if err != nil {
			return fmt.Errorf("certgen: %s: %w", l.base, err)
		}
		pairs[l.base] = struct {
			cert *x509.Certificate
			key  crypto.Signer
		}{cert, key}
	}
	for _, base := range TestPKIFiles() {
		p := pairs[base]
		if err := WritePair(dir, base, p.cert, p.key); err != nil {
			return err
		}
	}
	return nil
}
