package handshake

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"io"

	"golang.org/x/crypto/cryptobyte"
	cryptobyteasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// RSASSA-PSS keys. A certificate's key may say rsaEncryption, good for any
// RSA use, or id-RSASSA-PSS (RFC 4055, 3.1), good for PSS signatures only:
// such a key is what `openssl genpkey -algorithm RSA-PSS` makes. TLS 1.2
// signs with it through the rsa_pss_pss_* schemes (RFC 8446, 4.2.3, code
// points TLS 1.2 may use, RFC 8446, 1.3), never through rsa_pss_rsae_* or
// PKCS #1 v1.5, and never decrypts with it (no RSA key exchange).
//
// crypto/x509 parses neither such a certificate's key (PublicKey is nil,
// PublicKeyAlgorithm UnknownPublicKeyAlgorithm) nor such a PKCS #8 private
// key, so glasstls reads them itself: the key inside is an ordinary
// RSAPublicKey / RSAPrivateKey (RFC 8017, A.1), only the algorithm
// identifier around it differs. The optional RSASSA-PSS-params that may
// restrict the hash are not read: the scheme names the hash, and the
// signature is checked with it.

// oidRSASSAPSS is id-RSASSA-PSS (RFC 4055, 3.1; RFC 8017, A.2.3).
var oidRSASSAPSS = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}

// RSAPSSPublicKey is the public key of an id-RSASSA-PSS certificate: an
// RSA key that may only make PSS signatures. glasstls puts one in
// x509.Certificate.PublicKey for such certificates (where crypto/x509
// leaves nil).
type RSAPSSPublicKey struct {
	*rsa.PublicKey
}

// Equal reports whether x is an RSAPSSPublicKey with the same key.
func (k *RSAPSSPublicKey) Equal(x crypto.PublicKey) bool {
	other, ok := x.(*RSAPSSPublicKey)
	return ok && k.PublicKey.Equal(other.PublicKey)
}

// rsaPSSPrivateKey is the private half: a crypto.Signer that makes PSS
// signatures only, and no crypto.Decrypter.
type rsaPSSPrivateKey struct {
	key *rsa.PrivateKey
}

func (k *rsaPSSPrivateKey) Public() crypto.PublicKey {
	return &RSAPSSPublicKey{&k.key.PublicKey}
}

func (k *rsaPSSPrivateKey) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	pss, ok := opts.(*rsa.PSSOptions)
	if !ok {
		return nil, errors.New("glasstls: an RSASSA-PSS key makes PSS signatures only")
	}
	return rsa.SignPSS(rand, k.key, pss.Hash, digest, pss)
}

// parseCertificate is x509.ParseCertificate that also reads the key of an
// id-RSASSA-PSS certificate.
func parseCertificate(der []byte) (*x509.Certificate, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	if cert.PublicKey == nil {
		if key, ok := parseRSAPSSPublicKeyInfo(cert.RawSubjectPublicKeyInfo); ok {
			cert.PublicKey = key
		}
	}
	return cert, nil
}

// parseRSAPSSPublicKeyInfo reads a SubjectPublicKeyInfo (RFC 5280,
// 4.1.2.7) whose algorithm is id-RSASSA-PSS.
func parseRSAPSSPublicKeyInfo(spki []byte) (*RSAPSSPublicKey, bool) {
	s := cryptobyte.String(spki)
	var info, algorithm cryptobyte.String
	var oid asn1.ObjectIdentifier
	var bits asn1.BitString
	if !s.ReadASN1(&info, cryptobyteasn1.SEQUENCE) || !s.Empty() ||
		!info.ReadASN1(&algorithm, cryptobyteasn1.SEQUENCE) ||
		!algorithm.ReadASN1ObjectIdentifier(&oid) || !oid.Equal(oidRSASSAPSS) ||
		!info.ReadASN1BitString(&bits) || !info.Empty() || bits.BitLength%8 != 0 {
		return nil, false
	}
	key, err := x509.ParsePKCS1PublicKey(bits.Bytes)
	if err != nil {
		return nil, false
	}
	return &RSAPSSPublicKey{key}, true
}

// parseRSAPSSPrivateKey reads a PKCS #8 PrivateKeyInfo (RFC 5208, 5) whose
// algorithm is id-RSASSA-PSS.
func parseRSAPSSPrivateKey(der []byte) (*rsaPSSPrivateKey, bool) {
	s := cryptobyte.String(der)
	var info, algorithm cryptobyte.String
	var version int
	var oid asn1.ObjectIdentifier
	var privateKey []byte
	if !s.ReadASN1(&info, cryptobyteasn1.SEQUENCE) || !s.Empty() ||
		!info.ReadASN1Integer(&version) || version != 0 ||
		!info.ReadASN1(&algorithm, cryptobyteasn1.SEQUENCE) ||
		!algorithm.ReadASN1ObjectIdentifier(&oid) || !oid.Equal(oidRSASSAPSS) ||
		!info.ReadASN1Bytes(&privateKey, cryptobyteasn1.OCTET_STRING) {
		return nil, false
	}
	key, err := x509.ParsePKCS1PrivateKey(privateKey)
	if err != nil {
		return nil, false
	}
	return &rsaPSSPrivateKey{key}, true
}
