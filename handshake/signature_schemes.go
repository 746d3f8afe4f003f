package handshake

import "github.com/glasstls/glasstls/handshake/internal/wire"

// SignatureScheme is a TLS 1.2 SignatureAndHashAlgorithm (RFC 5246,
// 7.4.1.4.1): a HashAlgorithm byte followed by a SignatureAlgorithm byte,
// read together as one uint16. The constant names and the String values are
// the ones RFC 8446, 4.2.3 gave those same code points. The type is the
// message codec's (handshake/internal/wire), so messages carry it as it is.
type SignatureScheme = wire.SignatureScheme

// The signature schemes glasstls knows. The high byte is the hash (2 = sha1,
// 4 = sha256, 5 = sha384, 6 = sha512) and the low byte the algorithm
// (1 = rsa, 3 = ecdsa) in RFC 5246, 7.4.1.4.1; 0x0804-0x0806 are RSA-PSS with
// an rsaEncryption key, added to TLS 1.2 by RFC 8446, 1.3; 0x0807 is
// Ed25519, which RFC 8422, 5.1.3 brought to TLS 1.2 with "intrinsic" as
// its hash, since EdDSA hashes the message itself.
const (
	PKCS1WithSHA256 = wire.PKCS1WithSHA256
	PKCS1WithSHA384 = wire.PKCS1WithSHA384
	PKCS1WithSHA512 = wire.PKCS1WithSHA512
	PKCS1WithSHA1   = wire.PKCS1WithSHA1

	PSSWithSHA256 = wire.PSSWithSHA256
	PSSWithSHA384 = wire.PSSWithSHA384
	PSSWithSHA512 = wire.PSSWithSHA512

	ECDSAWithP256AndSHA256 = wire.ECDSAWithP256AndSHA256
	ECDSAWithP384AndSHA384 = wire.ECDSAWithP384AndSHA384
	ECDSAWithP521AndSHA512 = wire.ECDSAWithP521AndSHA512
	ECDSAWithSHA1          = wire.ECDSAWithSHA1

	Ed25519 = wire.Ed25519

	// RSA-PSS with an id-RSASSA-PSS key (rsapss.go): RFC 8446, 4.2.3.
	PSSPSSWithSHA256 = wire.PSSPSSWithSHA256
	PSSPSSWithSHA384 = wire.PSSPSSWithSHA384
	PSSPSSWithSHA512 = wire.PSSPSSWithSHA512
)
