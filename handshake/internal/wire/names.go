package wire

import (
	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// Names of code points, for the labels Describe gives fields. Each turns
// the number read into an Enum; an unknown value is named "unknown".

func versionValue(v uint64) any { return Enum16(uint16(v), record.VersionName(uint16(v))) }

func suiteValue(v uint64) any {
	id := uint16(v)
	switch {
	case id == SCSVRenegotiation:
		return Enum16(id, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV")
	case id&0x0f0f == 0x0a0a && id>>8 == id&0xff:
		return Enum16(id, "GREASE") // RFC 8701
	}
	if s, ok := cipher.SuiteByID(id); ok {
		return Enum16(id, s.Name)
	}
	return Enum16(id, "unknown")
}

func curveValue(v uint64) any  { return Enum16(uint16(v), cipher.CurveID(v).String()) }
func schemeValue(v uint64) any { return Enum16(uint16(v), SignatureScheme(v).String()) }

func extensionValue(v uint64) any { return Enum16(uint16(v), ExtensionName(uint16(v))) }

func messageTypeValue(v uint64) any { return Enum8(uint8(v), MessageName(uint8(v))) }

func contentTypeValue(v uint64) any { return Enum8(uint8(v), record.ContentType(v).String()) }

// name8 names a one-byte code point from a short list of (value, name).
func name8(v uint64, known uint8, name string) any {
	if uint8(v) == known {
		return Enum8(uint8(v), name)
	}
	return Enum8(uint8(v), "unknown")
}

func compressionValue(v uint64) any { return name8(v, CompressionNone, "null") }
func pointFormatValue(v uint64) any { return name8(v, PointFormatUncompressed, "uncompressed") }
func nameTypeValue(v uint64) any    { return name8(v, nameTypeHostName, "host_name") }
func curveTypeValue(v uint64) any   { return name8(v, CurveTypeNamedCurve, "named_curve") }
func statusTypeValue(v uint64) any  { return name8(v, StatusTypeOCSP, "ocsp") }
func changeCipherSpecValue(v uint64) any {
	return name8(v, 1, "change_cipher_spec")
}

func certTypeValue(v uint64) any {
	if uint8(v) == CertTypeRSASign {
		return Enum8(uint8(v), "rsa_sign")
	}
	return name8(v, CertTypeECDSASign, "ecdsa_sign")
}

func alertLevelValue(v uint64) any { return Enum8(uint8(v), record.AlertLevel(v).String()) }
func alertValue(v uint64) any      { return Enum8(uint8(v), record.AlertDescription(v).String()) }
