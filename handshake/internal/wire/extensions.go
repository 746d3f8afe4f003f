package wire

import (
	"errors"

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

// scsvRenegotiation is TLS_EMPTY_RENEGOTIATION_INFO_SCSV: a fake cipher suite
// a client may send instead of an empty renegotiation_info (RFC 5746, 3.3).
const SCSVRenegotiation uint16 = 0x00ff

// pointFormatUncompressed is the only ECPointFormat RFC 8422, 5.1.2 still
// allows.
const PointFormatUncompressed uint8 = 0

// nameTypeHostName is the only NameType of RFC 6066, 3.
const nameTypeHostName uint8 = 0

// extensionSet remembers which extension types a hello has carried, so a
// repeated one is caught (RFC 5246, 7.4.1.4: "There MUST NOT be more than one
// extension of the same type"). A bitmap over all 2^16 types costs 8 KiB and
// makes the check constant-time per extension, where a list search would be
// quadratic in a hello stuffed with 16k tiny extensions.
type extensionSet [65536 / 64]uint64

// add records typ and reports whether it was new.
func (s *extensionSet) add(typ uint16) bool {
	word, bit := typ/64, uint64(1)<<(typ%64)
	if s[word]&bit != 0 {
		return false
	}
	s[word] |= bit
	return true
}

// parseExtensions walks an extensions block: a sequence of
// Extension { ExtensionType extension_type; opaque extension_data<0..2^16-1>; }
// (RFC 5246, 7.4.1.4). It appends each type to *seen in order, rejects a
// duplicate, and hands each extension_data to handle, which must consume it
// all. handle returns true for types it does not know: RFC 5246, 7.4.1.4
// lets a server ignore them, and GREASE values (RFC 8701) rely on that.
func parseExtensions(block cryptobyte.String, seen *[]uint16, handle func(typ uint16, data cryptobyte.String) bool) bool {
	var set extensionSet
	for !block.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !block.ReadUint16(&typ) || !block.ReadUint16LengthPrefixed(&data) {
			return false
		}
		if !set.add(typ) {
			return false
		}
		*seen = append(*seen, typ)
		if !handle(typ, data) {
			return false
		}
	}
	return true
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

// unmarshalExtension decodes one ClientHello extension into m. Each case
// insists that the extension's data is used up exactly.
func (m *ClientHello) unmarshalExtension(typ uint16, data cryptobyte.String) bool {
	switch typ {
	case ExtServerName:
		name, ok := readServerNameList(&data)
		if !ok {
			return false
		}
		m.ServerName = name
	case ExtStatusRequest:
		// RFC 6066, 8: status_type, then for ocsp an OCSPStatusRequest of
		// responder_id_list<0..2^16-1> and request_extensions<0..2^16-1>,
		// which a server stapling a response it already has may ignore.
		// Another status_type is one we cannot answer: ignored as a whole.
		var statusType uint8
		if !data.ReadUint8(&statusType) {
			return false
		}
		if statusType != StatusTypeOCSP {
			return true
		}
		var responderIDs, requestExtensions cryptobyte.String
		if !data.ReadUint16LengthPrefixed(&responderIDs) || !data.ReadUint16LengthPrefixed(&requestExtensions) {
			return false
		}
		m.OCSPStapling = true
	case ExtSupportedGroups:
		// RFC 8422, 5.1.1: NamedCurve named_curve_list<2..2^16-1>.
		if !readUint16List(&data, &m.SupportedCurves) {
			return false
		}
	case ExtECPointFormats:
		if !readPointFormats(&data, &m.SupportedPoints) {
			return false
		}
	case ExtSignatureAlgorithms:
		// RFC 5246, 7.4.1.4.1: supported_signature_algorithms<2..2^16-2>.
		if !readUint16List(&data, &m.SupportedSignatureAlgorithms) {
			return false
		}
	case ExtALPN:
		if !readProtocolNameList(&data, &m.ALPNProtocols) {
			return false
		}
	case ExtEncryptThenMAC:
		// RFC 7366, 2: "extension_data" is empty.
		m.EncryptThenMAC = true
	case ExtExtendedMasterSecret:
		// RFC 7627, 5.1: "extension_data" is empty.
		m.ExtendedMasterSecret = true
	case ExtSessionTicket:
		// RFC 5077, 3.2: the whole extension_data is the ticket.
		m.TicketSupported = true
		m.SessionTicket = []byte(data)
		data = nil
	case ExtSupportedVersions:
		// RFC 8446, 4.2.1: ProtocolVersion versions<2..254>.
		var list cryptobyte.String
		if !data.ReadUint8LengthPrefixed(&list) || list.Empty() || len(list)%2 != 0 {
			return false
		}
		for !list.Empty() {
			var v uint16
			list.ReadUint16(&v)
			m.SupportedVersions = append(m.SupportedVersions, v)
		}
	case ExtRenegotiationInfo:
		m.SecureRenegotiationSupported = true
		if !readUint8Bytes(&data, &m.SecureRenegotiation) {
			return false
		}
	default:
		return true
	}
	// Nothing may follow an extension's contents; for encrypt_then_mac and
	// extended_master_secret that means the data must be empty.
	return data.Empty()
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

// unmarshalExtension decodes one ServerHello extension into m. Whether the
// server may send it at all (only what the client offered, RFC 5246,
// 7.4.1.4) is the state machine's check, using m.extensions.
func (m *ServerHello) unmarshalExtension(typ uint16, data cryptobyte.String) bool {
	switch typ {
	case ExtServerName:
		m.ServerNameAck = true
	case ExtStatusRequest:
		m.OCSPStapling = true
	case ExtECPointFormats:
		if !readPointFormats(&data, &m.SupportedPoints) {
			return false
		}
	case ExtSessionTicket:
		m.TicketSupported = true
	case ExtALPN:
		var protocols []string
		if !readProtocolNameList(&data, &protocols) || len(protocols) != 1 {
			return false
		}
		m.ALPNProtocol = protocols[0]
	case ExtEncryptThenMAC:
		m.EncryptThenMAC = true
	case ExtExtendedMasterSecret:
		m.ExtendedMasterSecret = true
	case ExtRenegotiationInfo:
		m.SecureRenegotiationSupported = true
		if !readUint8Bytes(&data, &m.SecureRenegotiation) {
			return false
		}
	default:
		return true
	}
	// Every extension the server sends has fixed contents: none left over,
	// and the empty ones (server_name, session_ticket, EMS, EtM) empty.
	return data.Empty()
}

// ---- Shared pieces ----

// readServerNameList reads RFC 6066, 3's
//
//	struct { NameType name_type; select (name_type) { case host_name: HostName; } name; } ServerName;
//	opaque HostName<1..2^16-1>;
//	struct { ServerName server_name_list<1..2^16-1> } ServerNameList;
//
// and returns the host_name. Entries of other name types are skipped (none
// exists, but RFC 6066, 3 expects servers to ignore what they don't know);
// a second host_name is an error ("MUST NOT contain more than one name of the
// same name_type").
func readServerNameList(s *cryptobyte.String) (string, bool) {
	var list cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&list) || list.Empty() {
		return "", false
	}
	hostName, found := "", false
	for !list.Empty() {
		var nameType uint8
		var name cryptobyte.String
		if !list.ReadUint8(&nameType) || !list.ReadUint16LengthPrefixed(&name) || name.Empty() {
			return "", false
		}
		if nameType != nameTypeHostName {
			continue
		}
		if found {
			return "", false
		}
		hostName, found = string(name), true
	}
	return hostName, true
}

// readPointFormats reads RFC 8422, 5.1.2's ECPointFormat ec_point_format_list<1..2^8-1>.
func readPointFormats(s *cryptobyte.String, out *[]uint8) bool {
	return readUint8Bytes(s, out) && len(*out) > 0
}

// readProtocolNameList reads RFC 7301, 3.1's
// ProtocolName protocol_name_list<2..2^16-1>, opaque ProtocolName<1..2^8-1>.
func readProtocolNameList(s *cryptobyte.String, out *[]string) bool {
	var list cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&list) || list.Empty() {
		return false
	}
	for !list.Empty() {
		var name cryptobyte.String
		if !list.ReadUint8LengthPrefixed(&name) || name.Empty() {
			return false
		}
		*out = append(*out, string(name))
	}
	return true
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

// readUint16List reads a non-empty uint16-length-prefixed list of 16-bit
// values, the shape of every <2..2^16-2> list in the RFCs.
func readUint16List[T uint16Value](s *cryptobyte.String, out *[]T) bool {
	var list cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&list) || list.Empty() || len(list)%2 != 0 {
		return false
	}
	values := make([]T, 0, len(list)/2)
	for !list.Empty() {
		var v uint16
		list.ReadUint16(&v)
		values = append(values, T(v))
	}
	*out = values
	return true
}

// addUint16List writes values as a uint16-length-prefixed list.
func addUint16List[T uint16Value](b *cryptobyte.Builder, values []T) {
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, v := range values {
			b.AddUint16(uint16(v))
		}
	})
}

// readUint8Bytes reads opaque<0..2^8-1> into out.
func readUint8Bytes(s *cryptobyte.String, out *[]byte) bool {
	var v cryptobyte.String
	if !s.ReadUint8LengthPrefixed(&v) {
		return false
	}
	*out = v
	return true
}

// readUint16Bytes reads opaque<0..2^16-1> into out.
func readUint16Bytes(s *cryptobyte.String, out *[]byte) bool {
	var v cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&v) {
		return false
	}
	*out = v
	return true
}

// readUint24Bytes reads opaque<0..2^24-1> into out.
func readUint24Bytes(s *cryptobyte.String, out *[]byte) bool {
	var v cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&v) {
		return false
	}
	*out = v
	return true
}
