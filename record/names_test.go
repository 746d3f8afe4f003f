package record_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/glasstls/glasstls/record"
)

func TestContentTypeString(t *testing.T) {
	tests := []struct {
		typ  record.ContentType
		want string
	}{
		{record.TypeChangeCipherSpec, "change_cipher_spec"},
		{record.TypeAlert, "alert"},
		{record.TypeHandshake, "handshake"},
		{record.TypeApplicationData, "application_data"},
		{24, "content_type(24)"},
		{0, "content_type(0)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.typ.String())
	}
}

func TestVersionName(t *testing.T) {
	tests := []struct {
		v    uint16
		want string
	}{
		{0x0300, "SSLv3"},
		{record.VersionTLS10, "TLSv1.0"},
		{record.VersionTLS11, "TLSv1.1"},
		{record.VersionTLS12, "TLSv1.2"},
		{record.VersionTLS13, "TLSv1.3"},
		{0x7f17, "0x7f17"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, record.VersionName(tt.v))
	}
}

func TestAlertStrings(t *testing.T) {
	tests := []struct {
		d    record.AlertDescription
		want string
	}{
		{record.AlertCloseNotify, "close_notify"},
		{record.AlertUnexpectedMessage, "unexpected_message"},
		{record.AlertBadRecordMAC, "bad_record_mac"},
		{record.AlertDecryptionFailed, "decryption_failed"},
		{record.AlertRecordOverflow, "record_overflow"},
		{record.AlertDecompressionFailure, "decompression_failure"},
		{record.AlertHandshakeFailure, "handshake_failure"},
		{record.AlertNoCertificate, "no_certificate"},
		{record.AlertBadCertificate, "bad_certificate"},
		{record.AlertUnsupportedCertificate, "unsupported_certificate"},
		{record.AlertCertificateRevoked, "certificate_revoked"},
		{record.AlertCertificateExpired, "certificate_expired"},
		{record.AlertCertificateUnknown, "certificate_unknown"},
		{record.AlertIllegalParameter, "illegal_parameter"},
		{record.AlertUnknownCA, "unknown_ca"},
		{record.AlertAccessDenied, "access_denied"},
		{record.AlertDecodeError, "decode_error"},
		{record.AlertDecryptError, "decrypt_error"},
		{record.AlertExportRestriction, "export_restriction"},
		{record.AlertProtocolVersion, "protocol_version"},
		{record.AlertInsufficientSecurity, "insufficient_security"},
		{record.AlertInternalError, "internal_error"},
		{record.AlertInappropriateFallback, "inappropriate_fallback"},
		{record.AlertUserCanceled, "user_canceled"},
		{record.AlertNoRenegotiation, "no_renegotiation"},
		{record.AlertUnsupportedExtension, "unsupported_extension"},
		{record.AlertCertificateUnobtainable, "certificate_unobtainable"},
		{record.AlertUnrecognizedName, "unrecognized_name"},
		{record.AlertBadCertificateStatusResponse, "bad_certificate_status_response"},
		{record.AlertBadCertificateHashValue, "bad_certificate_hash_value"},
		{record.AlertUnknownPSKIdentity, "unknown_psk_identity"},
		{record.AlertNoApplicationProtocol, "no_application_protocol"},
		{record.AlertDescription(255), "alert(255)"},
	}
	// The wire values are the RFC's, not just any distinct numbers.
	wire := map[record.AlertDescription]uint8{
		record.AlertCloseNotify: 0, record.AlertUnexpectedMessage: 10, record.AlertBadRecordMAC: 20,
		record.AlertRecordOverflow: 22, record.AlertHandshakeFailure: 40, record.AlertBadCertificate: 42,
		record.AlertIllegalParameter: 47, record.AlertUnknownCA: 48, record.AlertDecodeError: 50,
		record.AlertDecryptError: 51, record.AlertProtocolVersion: 70, record.AlertInternalError: 80,
		record.AlertInappropriateFallback: 86, record.AlertUserCanceled: 90, record.AlertNoRenegotiation: 100,
		record.AlertUnsupportedExtension: 110, record.AlertUnrecognizedName: 112, record.AlertNoApplicationProtocol: 120,
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.d.String())
	}
	for d, v := range wire {
		assert.Equal(t, v, uint8(d), d.String())
	}

	assert.Equal(t, "fatal handshake_failure", record.Alert{Level: record.AlertLevelFatal, Description: record.AlertHandshakeFailure}.String())
	assert.Equal(t, "warning close_notify", record.Alert{Level: record.AlertLevelWarning, Description: record.AlertCloseNotify}.String())
	assert.Equal(t, "level(3) close_notify", record.Alert{Level: 3}.String())
}
