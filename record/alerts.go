package record

import "fmt"

// AlertLevel says whether an alert ends the connection (RFC 5246, 7.2).
type AlertLevel uint8

// The two alert levels of RFC 5246, 7.2.
const (
	AlertLevelWarning AlertLevel = 1
	AlertLevelFatal   AlertLevel = 2
)

// String returns "warning", "fatal", or "level(N)" for anything else.
func (l AlertLevel) String() string {
	switch l {
	case AlertLevelWarning:
		return "warning"
	case AlertLevelFatal:
		return "fatal"
	}
	return fmt.Sprintf("level(%d)", uint8(l))
}

// AlertDescription says what went wrong (RFC 5246, 7.2).
type AlertDescription uint8

// Every alert description of RFC 5246, 7.2, plus later additions. Values
// marked RESERVED in the RFC must never be sent but may still arrive from
// old peers, so they are named too.
const (
	AlertCloseNotify                  AlertDescription = 0
	AlertUnexpectedMessage            AlertDescription = 10
	AlertBadRecordMAC                 AlertDescription = 20
	AlertDecryptionFailed             AlertDescription = 21 // RESERVED since TLS 1.1 (padding oracle)
	AlertRecordOverflow               AlertDescription = 22
	AlertDecompressionFailure         AlertDescription = 30
	AlertHandshakeFailure             AlertDescription = 40
	AlertNoCertificate                AlertDescription = 41 // RESERVED, SSLv3 only
	AlertBadCertificate               AlertDescription = 42
	AlertUnsupportedCertificate       AlertDescription = 43
	AlertCertificateRevoked           AlertDescription = 44
	AlertCertificateExpired           AlertDescription = 45
	AlertCertificateUnknown           AlertDescription = 46
	AlertIllegalParameter             AlertDescription = 47
	AlertUnknownCA                    AlertDescription = 48
	AlertAccessDenied                 AlertDescription = 49
	AlertDecodeError                  AlertDescription = 50
	AlertDecryptError                 AlertDescription = 51
	AlertExportRestriction            AlertDescription = 60 // RESERVED, export ciphers are gone
	AlertProtocolVersion              AlertDescription = 70
	AlertInsufficientSecurity         AlertDescription = 71
	AlertInternalError                AlertDescription = 80
	AlertInappropriateFallback        AlertDescription = 86 // RFC 7507
	AlertUserCanceled                 AlertDescription = 90
	AlertNoRenegotiation              AlertDescription = 100
	AlertUnsupportedExtension         AlertDescription = 110
	AlertCertificateUnobtainable      AlertDescription = 111 // RFC 6066
	AlertUnrecognizedName             AlertDescription = 112 // RFC 6066
	AlertBadCertificateStatusResponse AlertDescription = 113 // RFC 6066
	AlertBadCertificateHashValue      AlertDescription = 114 // RFC 6066
	AlertUnknownPSKIdentity           AlertDescription = 115 // RFC 4279
	AlertNoApplicationProtocol        AlertDescription = 120 // RFC 7301
)

// alertNames spells each description as the RFCs do.
var alertNames = map[AlertDescription]string{
	AlertCloseNotify:                  "close_notify",
	AlertUnexpectedMessage:            "unexpected_message",
	AlertBadRecordMAC:                 "bad_record_mac",
	AlertDecryptionFailed:             "decryption_failed",
	AlertRecordOverflow:               "record_overflow",
	AlertDecompressionFailure:         "decompression_failure",
	AlertHandshakeFailure:             "handshake_failure",
	AlertNoCertificate:                "no_certificate",
	AlertBadCertificate:               "bad_certificate",
	AlertUnsupportedCertificate:       "unsupported_certificate",
	AlertCertificateRevoked:           "certificate_revoked",
	AlertCertificateExpired:           "certificate_expired",
	AlertCertificateUnknown:           "certificate_unknown",
	AlertIllegalParameter:             "illegal_parameter",
	AlertUnknownCA:                    "unknown_ca",
	AlertAccessDenied:                 "access_denied",
	AlertDecodeError:                  "decode_error",
	AlertDecryptError:                 "decrypt_error",
	AlertExportRestriction:            "export_restriction",
	AlertProtocolVersion:              "protocol_version",
	AlertInsufficientSecurity:         "insufficient_security",
	AlertInternalError:                "internal_error",
	AlertInappropriateFallback:        "inappropriate_fallback",
	AlertUserCanceled:                 "user_canceled",
	AlertNoRenegotiation:              "no_renegotiation",
	AlertUnsupportedExtension:         "unsupported_extension",
	AlertCertificateUnobtainable:      "certificate_unobtainable",
	AlertUnrecognizedName:             "unrecognized_name",
	AlertBadCertificateStatusResponse: "bad_certificate_status_response",
	AlertBadCertificateHashValue:      "bad_certificate_hash_value",
	AlertUnknownPSKIdentity:           "unknown_psk_identity",
	AlertNoApplicationProtocol:        "no_application_protocol",
}

// String returns the RFC spelling, e.g. "handshake_failure", or "alert(N)"
// for a description no RFC we know defines.
func (d AlertDescription) String() string {
	if name, ok := alertNames[d]; ok {
		return name
	}
	return fmt.Sprintf("alert(%d)", uint8(d))
}

// level is the level we send d at. RFC 5246, 7.2.2: all error alerts are
// fatal in practice; only the closure and the two "I won't" alerts are
// warnings.
func (d AlertDescription) level() AlertLevel {
	switch d {
	case AlertCloseNotify, AlertUserCanceled, AlertNoRenegotiation:
		return AlertLevelWarning
	}
	return AlertLevelFatal
}

// Alert is the two-byte alert message (RFC 5246, 7.2).
type Alert struct {
	Level       AlertLevel
	Description AlertDescription
}

// String returns e.g. "fatal handshake_failure".
func (a Alert) String() string {
	return a.Level.String() + " " + a.Description.String()
}
