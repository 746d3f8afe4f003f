package certgen

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// oidDSA is id-dsa (RFC 3279, 2.3.2).
var oidDSA = asn1.ObjectIdentifier{1, 2, 840, 10040, 4, 1}

// ToyDSAPublicKeyInfo is a SubjectPublicKeyInfo for a DSA key (RFC 3279,
// 2.3.2) with tiny made-up parameters. crypto/x509 parses DSA keys but
// cannot put one in a certificate, and a test about refusing DSA keys
// does not need one that works.
func ToyDSAPublicKeyInfo() []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oidDSA)
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // Dss-Parms: p, q, g
				b.AddASN1BigInt(big.NewInt(23))
				b.AddASN1BigInt(big.NewInt(11))
				b.AddASN1BigInt(big.NewInt(4))
			})
		})
		var y cryptobyte.Builder
		y.AddASN1BigInt(big.NewInt(8))
		b.AddASN1BitString(y.BytesOrPanic())
	})
	return b.BytesOrPanic()
}

// ReplaceSubjectPublicKeyInfo returns cert with its subjectPublicKeyInfo
// swapped for spki and signed again by issuer, for keys crypto/x509
// cannot write. The issuer's key must be ECDSA, and cert signed with
// ECDSA-SHA256 (what NewCA and Issue make by default).
func ReplaceSubjectPublicKeyInfo(cert *x509.Certificate, spki []byte, issuer *Issuer) (*x509.Certificate, error) {
	if cert.SignatureAlgorithm != x509.ECDSAWithSHA256 {
		return nil, errors.New("certgen: ReplaceSubjectPublicKeyInfo needs an ECDSA-SHA256 certificate")
	}
	// TBSCertificate ::= SEQUENCE { version [0], serialNumber, signature,
	// issuer, validity, subject, subjectPublicKeyInfo, ... } (RFC 5280,
	// 4.1): the seventh element is replaced, the rest copied.
	in := cryptobyte.String(cert.RawTBSCertificate)
	var fields cryptobyte.String
	if !in.ReadASN1(&fields, cbasn1.SEQUENCE) {
		return nil, errors.New("certgen: tbsCertificate does not parse")
	}
	var tbs cryptobyte.Builder
	tbs.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for i := 0; !fields.Empty(); i++ {
			var field cryptobyte.String
			if !fields.ReadAnyASN1Element(&field, new(cbasn1.Tag)) {
				b.SetError(errors.New("certgen: tbsCertificate does not parse"))
				return
			}
			if i == 6 {
				b.AddBytes(spki)
			} else {
				b.AddBytes(field)
			}
		}
	})
	tbsDER, err := tbs.Bytes()
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(tbsDER)
	sig, err := issuer.Key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return nil, err
	}
	// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm,
	// signatureValue }; the algorithm is the original's.
	outer := cryptobyte.String(cert.Raw)
	var certFields, tbsOld, sigAlg cryptobyte.String
	if !outer.ReadASN1(&certFields, cbasn1.SEQUENCE) ||
		!certFields.ReadASN1Element(&tbsOld, cbasn1.SEQUENCE) ||
		!certFields.ReadASN1Element(&sigAlg, cbasn1.SEQUENCE) {
		return nil, errors.New("certgen: certificate does not parse")
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbsDER)
		b.AddBytes(sigAlg)
		b.AddASN1BitString(sig)
	})
	der, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}
