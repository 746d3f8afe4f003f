package wire

import "github.com/glasstls/glasstls/prf"

// Code points and sizes of RFC 5246 and its extensions that the state
// machines use too. The HandshakeType values are with the message table
// (messages.go), the ExtensionType values with the extensions
// (extensions.go), SignatureScheme in signature_schemes.go.

// CompressionNone is CompressionMethod null (RFC 5246, 7.4.1.2), the only
// one glasstls speaks: compression before encryption leaks plaintext (CRIME).
const CompressionNone uint8 = 0

// CurveTypeNamedCurve is ECCurveType named_curve (RFC 8422, 5.4), the only
// curve type RFC 8422 still allows.
const CurveTypeNamedCurve uint8 = 3

// Certificate types of RFC 5246, 7.4.4 (ecdsa_sign from RFC 8422, 5.5).
const (
	CertTypeRSASign   uint8 = 1
	CertTypeECDSASign uint8 = 64
)

// Fixed sizes from RFC 5246.
const (
	MessageHeaderLen = 4             // 7.4: msg_type (1 byte) + length (uint24)
	RandomLen        = prf.RandomLen // 7.4.1.2: Random is 32 bytes
	MaxSessionIDLen  = 32            // 7.4.1.2: SessionID <0..32>
	VerifyDataLen    = 12            // 7.4.9: verify_data_length for every TLS 1.2 suite glasstls has
)
