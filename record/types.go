package record

import "fmt"

// ContentType is the first byte of every record: which higher-level protocol
// the fragment belongs to (RFC 5246, 6.2.1).
type ContentType uint8

// The four content types of TLS 1.2 (RFC 5246, 6.2.1 and Appendix A.1).
const (
	TypeChangeCipherSpec ContentType = 20
	TypeAlert            ContentType = 21
	TypeHandshake        ContentType = 22
	TypeApplicationData  ContentType = 23
)

// String returns the RFC spelling of the content type, e.g.
// "change_cipher_spec", or "content_type(N)" for a value TLS 1.2 does not
// define.
func (t ContentType) String() string {
	switch t {
	case TypeChangeCipherSpec:
		return "change_cipher_spec"
	case TypeAlert:
		return "alert"
	case TypeHandshake:
		return "handshake"
	case TypeApplicationData:
		return "application_data"
	}
	return fmt.Sprintf("content_type(%d)", uint8(t))
}

// known reports whether t is one of the four types TLS 1.2 defines.
func (t ContentType) known() bool {
	return t >= TypeChangeCipherSpec && t <= TypeApplicationData
}

// Protocol versions as they appear on the wire: {major, minor} as a
// big-endian uint16 (RFC 5246, 6.2.1 and Appendix E).
const (
	VersionTLS10 uint16 = 0x0301
	VersionTLS11 uint16 = 0x0302
	VersionTLS12 uint16 = 0x0303
	// VersionTLS13 is only named so that it can be recognised and refused:
	// glasstls does not implement RFC 8446.
	VersionTLS13 uint16 = 0x0304
)

// Size limits of the record layer.
const (
	// RecordHeaderLen is the size of type(1) + version(2) + length(2).
	RecordHeaderLen = 5

	// MaxPlaintext is the largest fragment before protection:
	// RFC 5246, 6.2.1: "The length MUST NOT exceed 2^14."
	MaxPlaintext = 1 << 14

	// MaxCiphertext is the largest fragment on the wire:
	// RFC 5246, 6.2.3: "The length MUST NOT exceed 2^14 + 2048."
	// Anything longer is answered with record_overflow.
	MaxCiphertext = MaxPlaintext + 2048

	// MaxHandshakeMessage caps the body length of one handshake message.
	// The protocol allows 2^24-1 bytes (a 3-byte length, RFC 5246, 7.4), but
	// buffering 16 MiB because a peer claims so would let anyone exhaust our
	// memory. 64 KiB holds real certificate chains; crypto/tls uses the same
	// cap and OpenSSL a similar one ("excessive message size").
	MaxHandshakeMessage = 65536

	// MaxEmptyRecords is how many records in a row may carry nothing for
	// the caller (empty fragments, warning alerts) before the read half
	// gives up: otherwise a peer could keep us spinning forever without
	// ever making progress.
	MaxEmptyRecords = 16
)

// VersionName returns the usual name of a protocol version ("TLSv1.2"), or
// its hexadecimal value for one that has no name.
func VersionName(v uint16) string {
	switch v {
	case 0x0300:
		return "SSLv3"
	case VersionTLS10:
		return "TLSv1.0"
	case VersionTLS11:
		return "TLSv1.1"
	case VersionTLS12:
		return "TLSv1.2"
	case VersionTLS13:
		return "TLSv1.3"
	}
	return fmt.Sprintf("0x%04x", v)
}
