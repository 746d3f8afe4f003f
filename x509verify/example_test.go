package x509verify_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/glasstls/glasstls/x509verify"
)

func mustIssue(tmpl, parent *x509.Certificate, pub any, signer any) *x509.Certificate {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return cert
}

func ExampleVerify() {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

	// A tiny PKI: a root CA and a server certificate it signed. In a TLS
	// client the leaf comes from the server's Certificate message.
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Example Root"},
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	ca := mustIssue(caTmpl, caTmpl, &caKey.PublicKey, caKey)

	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := mustIssue(&x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "www.example.com"},
		DNSNames:  []string{"www.example.com"},
		NotBefore: now.AddDate(0, -1, 0), NotAfter: now.AddDate(0, 2, 0),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca, &leafKey.PublicKey, caKey)

	roots := x509verify.NewPool()
	roots.AddCert(ca)

	chains, err := x509verify.Verify(leaf, x509verify.Options{Roots: roots, DNSName: "www.example.com", Now: now})
	fmt.Println(len(chains), len(chains[0]), err)

	_, err = x509verify.Verify(leaf, x509verify.Options{Roots: roots, DNSName: "mail.example.com", Now: now})
	var hostErr *x509verify.HostnameError
	fmt.Println(errors.As(err, &hostErr), hostErr.Names)

	_, err = x509verify.Verify(leaf, x509verify.Options{Roots: roots, Now: now.AddDate(1, 0, 0)})
	var expired *x509verify.ExpiredError
	fmt.Println(errors.As(err, &expired))
	// Output:
	// 1 2 <nil>
	// true [DNS:www.example.com]
	// true
}
