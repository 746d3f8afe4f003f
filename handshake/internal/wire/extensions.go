package wire

import (
	"errors"
	"slices"

	"golang.org/x/crypto/cryptobyte"
)

// ExtensionType values (RFC 5246, 7.4.1.4 and the RFCs that define each).
const (
	ExtServerName           uint16 = 0      // RFC 6066, 3
	ExtStatusRequest        uint16 = 5      // RFC 6066, 8
	ExtSupportedGroups      uint16 = 10     // RFC 8422, 5.1.1 (was elliptic_curves)
	ExtECPointFormats       uint16 = 11     // RFC 8422, 5.1.2
	ExtSignatureAlgorithms  uint16 = 13     // RFC 5246, 7.4.1.4.1
	ExtALPN                 uint16 = 16     // RFC 7301, 3.1
	ExtEncryptThenMAC       uint16 = 22     // RFC 7366, 2
	ExtExtendedMasterSecret uint16 = 23     // RFC 7627, 5.1
	ExtSessionTicket        uint16 = 35     // RFC 5077, 3.2
	ExtSupportedVersions    uint16 = 43     // RFC 8446, 4.2.1
	ExtRenegotiationInfo    uint16 = 0xff01 // RFC 5746, 3.2
)

// ExtensionName is the name an extension type has in the RFC that defines
// it (and in IANA's registry), or "unknown".
func ExtensionName(typ uint16) string {
	switch typ {
	case ExtServerName:
		return "server_name"
	case ExtStatusRequest:
		return "status_request"
	case ExtSupportedGroups:
		return "supported_groups"
	case ExtECPointFormats:
		return "ec_point_formats"
	case ExtSignatureAlgorithms:
		return "signature_algorithms"
	case ExtALPN:
		return "application_layer_protocol_negotiation"
	case ExtEncryptThenMAC:
		return "encrypt_then_mac"
	case ExtExtendedMasterSecret:
		return "extended_master_secret"
	case ExtSessionTicket:
		return "session_ticket"
	case ExtSupportedVersions:
		return "supported_versions"
	case ExtRenegotiationInfo:
		return "renegotiation_info"
	}
	return "unknown"
}

// SCSVRenegotiation is TLS_EMPTY_RENEGOTIATION_INFO_SCSV: a fake cipher suite
// a client may send instead of an empty renegotiation_info (RFC 5746, 3.3).
const SCSVRenegotiation uint16 = 0x00ff

// PointFormatUncompressed is the only ECPointFormat RFC 8422, 5.1.2 still
// allows.
const PointFormatUncompressed uint8 = 0

// nameTypeHostName is the only NameType of RFC 6066, 3.
const nameTypeHostName uint8 = 0

// extensionSet remembers which extension types a hello has carried, so a
// repeated one is caught (RFC 5246, 7.4.1.4: "There MUST NOT be more than one
// extension of the same type"). A hello carries a dozen or so: a search of
// the first few is the cheapest check. A hello stuffed with 16k tiny
// extensions would make that search quadratic, so from the 33rd type on a
// bitmap over all 2^16 types (8 KiB) keeps the check constant-time. The
// bitmap lives on the heap: on the stack it would grow the stack of every
// connection's goroutine past 8 KiB, for every hello.
type extensionSet struct {
	first [32]uint16
	n     int                 // how many of first are used
	all   *[65536 / 64]uint64 // every type so far, once first is full
}

// add records typ and reports whether it was new.
func (s *extensionSet) add(typ uint16) bool {
	if s.all == nil {
		if slices.Contains(s.first[:s.n], typ) {
			return false
		}
		if s.n < len(s.first) {
			s.first[s.n] = typ
			s.n++
			return true
		}
		s.all = new([65536 / 64]uint64)
		for _, t := range s.first {
			s.all[t/64] |= 1 << (t % 64)
		}
	}
	word, bit := typ/64, uint64(1)<<(typ%64)
	if s.all[word]&bit != 0 {
		return false
	}
	s.all[word] |= bit
	return true
}

// decodeExtensions reads an extensions block: a sequence of
// Extension { ExtensionType extension_type; opaque extension_data<0..2^16-1>; }
// (RFC 5246, 7.4.1.4). It appends each type to *seen in order, rejects a
// duplicate, and has decode read each extension_data, which must be used up
// exactly. decode reads a type it does not know as opaque bytes: RFC 5246,
// 7.4.1.4 lets a server ignore them, and GREASE values (RFC 8701) rely on
// that.
func decodeExtensions(d *decoder, seen *[]uint16, decode func(d *decoder, typ uint16)) {
	var set extensionSet
	block := d.open(2)
	for d.more() {
		extension := d.beginGroup()
		var typ uint16
		if d.uint16(&typ, "extension_type", extensionValue, "") {
			d.check(set.add(typ))
			*seen = append(*seen, typ)
		}
		data := d.open(2)
		if data.ok {
			decode(d, typ)
		}
		d.close(data, "extension_data", "")
		d.endGroup(extension, "Extension", d.value(extensionValue, uint64(typ)))
	}
	d.close(block, "extensions", "")
}

// addExtension writes one Extension: its type and its length-prefixed data.
func addExtension(b *cryptobyte.Builder, typ uint16, data cryptobyte.BuilderContinuation) {
	b.AddUint16(typ)
	b.AddUint16LengthPrefixed(data)
}

// addEmptyExtension writes an extension whose presence is the whole message
// (extended_master_secret, encrypt_then_mac, the server's acknowledgements).
func addEmptyExtension(b *cryptobyte.Builder, typ uint16) {
	b.AddUint16(typ)
	b.AddUint16(0)
}

// ---- ClientHello ----

// marshalExtensions returns the ClientHello's extensions, each present only
// if its field is set, or nil if none is.
func (m *ClientHello) marshalExtensions() ([]byte, error) {
	var b cryptobyte.Builder
	if m.ServerName != "" {
		// RFC 6066, 3: a ServerNameList with one host_name entry.
		addExtension(&b, ExtServerName, func(b *cryptobyte.Builder) {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddUint8(nameTypeHostName)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
					b.AddBytes([]byte(m.ServerName))
				})
			})
		})
	}
	if m.OCSPStapling {
		// RFC 6066, 8: CertificateStatusRequest with status_type ocsp and
		// an OCSPStatusRequest naming no responders and no extensions.
		addExtension(&b, ExtStatusRequest, func(b *cryptobyte.Builder) {
			b.AddUint8(StatusTypeOCSP)
			b.AddUint16(0) // ResponderID responder_id_list<0..2^16-1>
			b.AddUint16(0) // Extensions request_extensions
		})
	}
	if len(m.SupportedPoints) > 0 {
		addExtension(&b, ExtECPointFormats, func(b *cryptobyte.Builder) {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddBytes(m.SupportedPoints)
			})
		})
	}
	if len(m.SupportedCurves) > 0 {
		addExtension(&b, ExtSupportedGroups, func(b *cryptobyte.Builder) {
			addUint16List(b, m.SupportedCurves)
		})
	}
	if m.TicketSupported {
		// RFC 5077, 3.2: the extension data is the ticket itself, empty
		// when the client has none yet but would like one.
		addExtension(&b, ExtSessionTicket, func(b *cryptobyte.Builder) {
			b.AddBytes(m.SessionTicket)
		})
	}
	if len(m.SupportedSignatureAlgorithms) > 0 {
		addExtension(&b, ExtSignatureAlgorithms, func(b *cryptobyte.Builder) {
			addUint16List(b, m.SupportedSignatureAlgorithms)
		})
	}
	if len(m.ALPNProtocols) > 0 {
		for _, proto := range m.ALPNProtocols {
			if proto == "" {
				return nil, errors.New("handshake: empty ALPN protocol name")
			}
		}
		addExtension(&b, ExtALPN, func(b *cryptobyte.Builder) {
			addProtocolNameList(b, m.ALPNProtocols)
		})
	}
	if m.EncryptThenMAC {
		addEmptyExtension(&b, ExtEncryptThenMAC)
	}
	if m.ExtendedMasterSecret {
		addEmptyExtension(&b, ExtExtendedMasterSecret)
	}
	if len(m.SupportedVersions) > 0 {
		// RFC 8446, 4.2.1: ProtocolVersion versions<2..254>.
		addExtension(&b, ExtSupportedVersions, func(b *cryptobyte.Builder) {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
				for _, v := range m.SupportedVersions {
					b.AddUint16(v)
				}
			})
		})
	}
	if m.SecureRenegotiationSupported {
		addExtension(&b, ExtRenegotiationInfo, func(b *cryptobyte.Builder) {
			addRenegotiationInfo(b, m.SecureRenegotiation)
		})
	}
	return b.Bytes()
}

// decodeExtension reads one ClientHello extension's data into m.
func (m *ClientHello) decodeExtension(d *decoder, typ uint16) {
	switch typ {
	case ExtServerName:
		m.ServerName = decodeServerNameList(d)
	case ExtStatusRequest:
		// RFC 6066, 8: status_type, then for ocsp an OCSPStatusRequest of
		// responder_id_list<0..2^16-1> and request_extensions<0..2^16-1>,
		// which a server stapling a response it already has may ignore.
		// Another status_type is one we cannot answer: ignored as a whole.
		var statusType uint8
		if d.uint8(&statusType, "status_type", statusTypeValue, "CertificateStatusType") && statusType != StatusTypeOCSP {
			d.rest(new([]byte), "contents")
			return
		}
		var responderIDs, requestExtensions []byte
		d.opaque(2, &responderIDs, "responder_id_list", "OCSP responders the client trusts; empty: the server knows")
		d.opaque(2, &requestExtensions, "request_extensions", "")
		m.OCSPStapling = true
	case ExtSupportedGroups:
		// RFC 8422, 5.1.1: NamedCurve named_curve_list<2..2^16-1>.
		uint16List(d, 2, &m.SupportedCurves, "named_group_list", "", "NamedGroup", curveValue)
		d.check(len(m.SupportedCurves) > 0)
	case ExtECPointFormats:
		decodePointFormats(d, &m.SupportedPoints)
	case ExtSignatureAlgorithms:
		// RFC 5246, 7.4.1.4.1: supported_signature_algorithms<2..2^16-2>.
		uint16List(d, 2, &m.SupportedSignatureAlgorithms, "supported_signature_algorithms", "", "SignatureAndHashAlgorithm", schemeValue)
		d.check(len(m.SupportedSignatureAlgorithms) > 0)
	case ExtALPN:
		decodeProtocolNameList(d, &m.ALPNProtocols)
	case ExtEncryptThenMAC:
		// RFC 7366, 2: "extension_data" is empty.
		m.EncryptThenMAC = true
	case ExtExtendedMasterSecret:
		// RFC 7627, 5.1: "extension_data" is empty.
		m.ExtendedMasterSecret = true
	case ExtSessionTicket:
		// RFC 5077, 3.2: the whole extension_data is the ticket.
		m.TicketSupported = true
		d.rest(&m.SessionTicket, "contents")
	case ExtSupportedVersions:
		// RFC 8446, 4.2.1: ProtocolVersion versions<2..254>.
		uint16List(d, 1, &m.SupportedVersions, "versions", "", "ProtocolVersion", versionValue)
		d.check(len(m.SupportedVersions) > 0)
	case ExtRenegotiationInfo:
		m.SecureRenegotiationSupported = true
		decodeRenegotiationInfo(d, &m.SecureRenegotiation)
	default:
		d.rest(new([]byte), "contents")
	}
	// Nothing may follow an extension's contents (decodeExtensions'
	// close checks it); for encrypt_then_mac and extended_master_secret
	// that means the data must be empty.
}

// ---- ServerHello ----

// marshalExtensions returns the ServerHello's extensions, each present only
// if its field is set, or nil if none is.
func (m *ServerHello) marshalExtensions() ([]byte, error) {
	var b cryptobyte.Builder
	if m.ServerNameAck {
		// RFC 6066, 3: the server's server_name has empty data.
		addEmptyExtension(&b, ExtServerName)
	}
	if m.OCSPStapling {
		// RFC 6066, 8: empty, promising a CertificateStatus message.
		addEmptyExtension(&b, ExtStatusRequest)
	}
	if len(m.SupportedPoints) > 0 {
		addExtension(&b, ExtECPointFormats, func(b *cryptobyte.Builder) {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddBytes(m.SupportedPoints)
			})
		})
	}
	if m.TicketSupported {
		// RFC 5077, 3.2: empty, promising a NewSessionTicket.
		addEmptyExtension(&b, ExtSessionTicket)
	}
	if m.ALPNProtocol != "" {
		// RFC 7301, 3.1: the same ProtocolNameList, with exactly one name.
		addExtension(&b, ExtALPN, func(b *cryptobyte.Builder) {
			addProtocolNameList(b, []string{m.ALPNProtocol})
		})
	}
	if m.EncryptThenMAC {
		addEmptyExtension(&b, ExtEncryptThenMAC)
	}
	if m.ExtendedMasterSecret {
		addEmptyExtension(&b, ExtExtendedMasterSecret)
	}
	if m.SecureRenegotiationSupported {
		addExtension(&b, ExtRenegotiationInfo, func(b *cryptobyte.Builder) {
			addRenegotiationInfo(b, m.SecureRenegotiation)
		})
	}
	return b.Bytes()
}

// decodeExtension reads one ServerHello extension's data into m. Whether
// the server may send it at all (only what the client offered, RFC 5246,
// 7.4.1.4) is the state machine's check, using m.Extensions. Every
// extension the server sends has fixed contents, and the acknowledgements
// (server_name, status_request, session_ticket, EMS, EtM) are empty.
func (m *ServerHello) decodeExtension(d *decoder, typ uint16) {
	switch typ {
	case ExtServerName:
		m.ServerNameAck = true
	case ExtStatusRequest:
		m.OCSPStapling = true
	case ExtECPointFormats:
		decodePointFormats(d, &m.SupportedPoints)
	case ExtSessionTicket:
		m.TicketSupported = true
	case ExtALPN:
		// RFC 7301, 3.1: the same ProtocolNameList, with exactly one name.
		var protocols []string
		decodeProtocolNameList(d, &protocols)
		if d.check(len(protocols) == 1) {
			m.ALPNProtocol = protocols[0]
		}
	case ExtEncryptThenMAC:
		m.EncryptThenMAC = true
	case ExtExtendedMasterSecret:
		m.ExtendedMasterSecret = true
	case ExtRenegotiationInfo:
		m.SecureRenegotiationSupported = true
		decodeRenegotiationInfo(d, &m.SecureRenegotiation)
	default:
		d.rest(new([]byte), "contents")
	}
}

// ---- Shared pieces ----

// decodeServerNameList reads RFC 6066, 3's
//
//	struct { NameType name_type; select (name_type) { case host_name: HostName; } name; } ServerName;
//	opaque HostName<1..2^16-1>;
//	struct { ServerName server_name_list<1..2^16-1> } ServerNameList;
//
// and returns the host_name. Entries of other name types are skipped (none
// exists, but RFC 6066, 3 expects servers to ignore what they don't know);
// a second host_name is an error ("MUST NOT contain more than one name of the
// same name_type").
func decodeServerNameList(d *decoder) string {
	list := d.open(2)
	d.check(d.more())
	hostName, found := "", false
	for d.more() {
		serverName := d.beginGroup()
		var nameType uint8
		var name []byte
		d.uint8(&nameType, "name_type", nameTypeValue, "")
		if d.opaque(2, &name, "host_name", "") && d.check(len(name) > 0) {
			if f := d.last(); f != nil {
				f.Value = string(name)
			}
			if nameType == nameTypeHostName && d.check(!found) {
				hostName, found = string(name), true
			}
		}
		d.endGroup(serverName, "ServerName", nil)
	}
	d.close(list, "server_name_list", "")
	return hostName
}

// decodePointFormats reads RFC 8422, 5.1.2's ECPointFormat ec_point_format_list<1..2^8-1>.
func decodePointFormats(d *decoder, out *[]uint8) {
	d.uint8List(1, out, "ec_point_format_list", "", "ECPointFormat", pointFormatValue)
	d.check(len(*out) > 0)
}

// decodeProtocolNameList reads RFC 7301, 3.1's
// ProtocolName protocol_name_list<2..2^16-1>, opaque ProtocolName<1..2^8-1>.
func decodeProtocolNameList(d *decoder, out *[]string) {
	list := d.open(2)
	d.check(d.more())
	for d.more() {
		var name []byte
		if d.opaque(1, &name, "ProtocolName", "") && d.check(len(name) > 0) {
			if f := d.last(); f != nil {
				f.Value = string(name)
			}
			*out = append(*out, string(name))
		}
	}
	d.close(list, "protocol_name_list", "")
}

// decodeRenegotiationInfo reads RFC 5746, 3.2's
// struct { opaque renegotiated_connection<0..255>; } RenegotiationInfo.
func decodeRenegotiationInfo(d *decoder, out *[]byte) {
	d.opaque(1, out, "renegotiated_connection", "empty on an initial handshake (RFC 5746, 3.2)")
}

// addProtocolNameList writes RFC 7301, 3.1's ProtocolNameList.
func addProtocolNameList(b *cryptobyte.Builder, protocols []string) {
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, proto := range protocols {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddBytes([]byte(proto))
			})
		}
	})
}

// addRenegotiationInfo writes RFC 5746, 3.2's
// struct { opaque renegotiated_connection<0..255>; } RenegotiationInfo.
func addRenegotiationInfo(b *cryptobyte.Builder, renegotiatedConnection []byte) {
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(renegotiatedConnection)
	})
}

// uint16Value covers the 16-bit code points sent in lists: cipher suites,
// curves, signature schemes.
type uint16Value interface {
	~uint16
}

// addUint16List writes values as a uint16-length-prefixed list.
func addUint16List[T uint16Value](b *cryptobyte.Builder, values []T) {
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, v := range values {
			b.AddUint16(uint16(v))
		}
	})
}
