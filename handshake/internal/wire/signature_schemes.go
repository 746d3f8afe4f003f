package wire

import "fmt"

// SignatureScheme is a TLS 1.2 SignatureAndHashAlgorithm (RFC 5246,
// 7.4.1.4.1): a HashAlgorithm byte followed by a SignatureAlgorithm byte,
// read together as one uint16. The constant names and the String values are
// the ones RFC 8446, 4.2.3 gave those same code points.
type SignatureScheme uint16

// The signature schemes glasstls knows. The high byte is the hash (2 = sha1,
// 4 = sha256, 5 = sha384, 6 = sha512) and the low byte the algorithm
// (1 = rsa, 3 = ecdsa) in RFC 5246, 7.4.1.4.1; 0x0804-0x0806 are RSA-PSS with
// an rsaEncryption key, added to TLS 1.2 by RFC 8446, 1.3; 0x0807 is
// Ed25519, which RFC 8422, 5.1.3 brought to TLS 1.2 with "intrinsic" as
// its hash, since EdDSA hashes the message itself.
const (
	PKCS1WithSHA256 SignatureScheme = 0x0401
	PKCS1WithSHA384 SignatureScheme = 0x0501
	PKCS1WithSHA512 SignatureScheme = 0x0601
	PKCS1WithSHA1   SignatureScheme = 0x0201

	PSSWithSHA256 SignatureScheme = 0x0804
	PSSWithSHA384 SignatureScheme = 0x0805
	PSSWithSHA512 SignatureScheme = 0x0806

	ECDSAWithP256AndSHA256 SignatureScheme = 0x0403
	ECDSAWithP384AndSHA384 SignatureScheme = 0x0503
	ECDSAWithP521AndSHA512 SignatureScheme = 0x0603
	ECDSAWithSHA1          SignatureScheme = 0x0203

	Ed25519 SignatureScheme = 0x0807

	// RSA-PSS with an id-RSASSA-PSS key (rsapss.go): RFC 8446, 4.2.3.
	PSSPSSWithSHA256 SignatureScheme = 0x0809
	PSSPSSWithSHA384 SignatureScheme = 0x080a
	PSSPSSWithSHA512 SignatureScheme = 0x080b
)

// String returns the RFC 8446 name of s, e.g. "rsa_pss_rsae_sha256", or its
// code point as "0x%04x" if glasstls does not know it.
func (s SignatureScheme) String() string {
	switch s {
	case PKCS1WithSHA256:
		return "rsa_pkcs1_sha256"
	case PKCS1WithSHA384:
		return "rsa_pkcs1_sha384"
	case PKCS1WithSHA512:
		return "rsa_pkcs1_sha512"
	case PKCS1WithSHA1:
		return "rsa_pkcs1_sha1"
	case PSSWithSHA256:
		return "rsa_pss_rsae_sha256"
	case PSSWithSHA384:
		return "rsa_pss_rsae_sha384"
	case PSSWithSHA512:
		return "rsa_pss_rsae_sha512"
	case ECDSAWithP256AndSHA256:
		return "ecdsa_secp256r1_sha256"
	case ECDSAWithP384AndSHA384:
		return "ecdsa_secp384r1_sha384"
	case ECDSAWithP521AndSHA512:
		return "ecdsa_secp521r1_sha512"
	case ECDSAWithSHA1:
		return "ecdsa_sha1"
	case PSSPSSWithSHA256:
		return "rsa_pss_pss_sha256"
	case PSSPSSWithSHA384:
		return "rsa_pss_pss_sha384"
	case PSSPSSWithSHA512:
		return "rsa_pss_pss_sha512"
	case Ed25519:
		return "ed25519"
	}
	return fmt.Sprintf("0x%04x", uint16(s))
}
