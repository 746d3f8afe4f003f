package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/glasstls/glasstls/x509verify"
)

// demoChain builds a root CA, an intermediate CA and a server certificate,
// then checks the chain one link at a time, as x509verify does (RFC 5280,
// 6.1) and as a TLS client does with the server's Certificate message:
// each certificate's signature by the next one's key, the names that link
// them, the CA flag, the dates, the host name; then the whole path with
// x509verify.Verify; then a forgery.
func demoChain(w io.Writer) error {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	root, rootKey, err := makeCert("Primer Root CA", nil, nil, true, now)
	if err != nil {
		return err
	}
	intermediate, intermediateKey, err := makeCert("Primer Intermediate CA", root, rootKey, true, now)
	if err != nil {
		return err
	}
	leaf, _, err := makeCert("shop.example", intermediate, intermediateKey, false, now)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "built: root (self-signed, trusted by the client) -> intermediate -> leaf for shop.example")
	fmt.Fprintln(w, "the server sends leaf + intermediate in its Certificate message; the client has the root")

	steps := []struct {
		what string
		err  error
	}{
		{"leaf's issuer name = intermediate's subject name", nameLinks(leaf, intermediate)},
		{"leaf's signature verifies with the intermediate's public key", leaf.CheckSignatureFrom(intermediate)},
		{"intermediate's issuer name = root's subject name", nameLinks(intermediate, root)},
		{"intermediate's signature verifies with the root's public key", intermediate.CheckSignatureFrom(root)},
		{"intermediate and root are CAs (basicConstraints cA=TRUE)", isCA(intermediate, root)},
		{"every certificate is within its validity period now", validAt(now, leaf, intermediate, root)},
		{"the leaf names shop.example (subjectAltName)", leaf.VerifyHostname("shop.example")},
	}
	for i, s := range steps {
		if s.err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, s.what, s.err)
		}
		fmt.Fprintf(w, "  %d. %s: ok\n", i+1, s.what)
	}

	roots := x509verify.NewPool()
	roots.AddCert(root)
	intermediates := x509verify.NewPool()
	intermediates.AddCert(intermediate)
	opts := x509verify.Options{Roots: roots, Intermediates: intermediates, DNSName: "shop.example", Now: now}
	chains, err := x509verify.Verify(leaf, opts)
	if err != nil {
		return fmt.Errorf("x509verify.Verify: %w", err)
	}
	fmt.Fprintf(w, "x509verify.Verify does all of it at once: a path of %d certificates\n", len(chains[0]))

	// A forger makes his own "Primer Intermediate CA" and issues a
	// certificate for shop.example: the names link, the signature does not.
	fakeIntermediate, fakeKey, err := makeCert("Primer Intermediate CA", nil, nil, true, now)
	if err != nil {
		return err
	}
	forged, _, err := makeCert("shop.example", fakeIntermediate, fakeKey, false, now)
	if err != nil {
		return err
	}
	if forged.CheckSignatureFrom(intermediate) == nil {
		return errors.New("the real intermediate's key verified a forged certificate")
	}
	_, err = x509verify.Verify(forged, opts)
	if err == nil {
		return errors.New("x509verify accepted a forged certificate")
	}
	fmt.Fprintf(w, "a forger's certificate for shop.example, from his own CA with the same name:\n"+
		"  the name links, the signature does not: %v\n", err)
	_, err = x509verify.Verify(leaf, x509verify.Options{Roots: roots, Intermediates: intermediates, DNSName: "bank.example", Now: now})
	if err == nil {
		return errors.New("x509verify accepted the wrong host")
	}
	fmt.Fprintf(w, "the genuine leaf, presented for bank.example: %v\n", err)
	return nil
}

// makeCert makes a certificate for name, signed by parent's key (or self-
// signed when parent is nil), valid a year around now.
func makeCert(name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, isCA bool, now time.Time) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		BasicConstraintsValid: true,
		IsCA:                  isCA,
	}
	if isCA {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.DNSNames = []string{name}
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func nameLinks(child, parent *x509.Certificate) error {
	if !bytes.Equal(child.RawIssuer, parent.RawSubject) {
		return fmt.Errorf("issuer %q is not %q", child.Issuer, parent.Subject)
	}
	return nil
}

func isCA(certs ...*x509.Certificate) error {
	for _, c := range certs {
		if !c.BasicConstraintsValid || !c.IsCA {
			return fmt.Errorf("%q is not a CA", c.Subject)
		}
	}
	return nil
}

func validAt(now time.Time, certs ...*x509.Certificate) error {
	for _, c := range certs {
		if now.Before(c.NotBefore) || now.After(c.NotAfter) {
			return fmt.Errorf("%q is not valid at %v", c.Subject, now)
		}
	}
	return nil
}
