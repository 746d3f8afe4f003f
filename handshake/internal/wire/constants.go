package wire

// Certificate types of RFC 5246, 7.4.4 (ecdsa_sign from RFC 8422, 5.5).
const (
	CertTypeRSASign   uint8 = 1
	CertTypeECDSASign uint8 = 64
)
