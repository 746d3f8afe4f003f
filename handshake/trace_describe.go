package handshake

import (
	"crypto/x509"
	"fmt"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// This file decodes records and handshake messages field by field for
// Config.Trace, straight from the bytes, labelling every byte with the name
// RFC 5246's presentation language gives it. It never fails: what it
// cannot decode it labels "unparsed".

// fieldReader walks a byte string, turning each read into a Field whose
// offsets are absolute within the string being described.
type fieldReader struct {
	data []byte
	off  int
	bad  bool // a read ran past the end: the rest is unparsed
}

func (r *fieldReader) take(n int) (int, []byte, bool) {
	if r.bad || n < 0 || len(r.data)-r.off < n {
		r.bad = true
		return r.off, nil, false
	}
	start := r.off
	r.off += n
	return start, r.data[start:r.off], true
}

// uint reads an n-byte big-endian integer; decode turns it into the Field's
// Value (nil: the number itself).
func (r *fieldReader) uint(name string, n int, decode func(uint64) any, note string) (Field, uint64) {
	start, b, ok := r.take(n)
	if !ok {
		return Field{}, 0
	}
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	f := Field{Name: name, Start: start, End: r.off, Value: v, Note: note}
	if decode != nil {
		f.Value = decode(v)
	}
	return f, v
}

// opaque reads n bytes shown in hex.
func (r *fieldReader) opaque(name string, n int, note string) Field {
	start, b, ok := r.take(n)
	if !ok {
		return Field{}
	}
	return Field{Name: name, Start: start, End: r.off, Value: HexBytes(b), Note: note}
}

// vector reads a variable-length vector with an lenBytes-byte length
// prefix (RFC 5246, 4.3). elems decodes the contents; nil shows them as
// opaque bytes.
func (r *fieldReader) vector(name string, lenBytes int, note string, elems func(*fieldReader) []Field) Field {
	start := r.off
	lengthField, n := r.uint("length", lenBytes, nil, "")
	if r.bad {
		return Field{}
	}
	contentStart := r.off
	if _, _, ok := r.take(int(n)); !ok {
		r.off = start // leave the length bytes to "unparsed"
		return Field{}
	}
	f := Field{Name: name, Start: start, End: r.off, Note: note, Fields: []Field{lengthField}}
	if n == 0 {
		return f
	}
	if elems == nil {
		f.Fields = append(f.Fields, Field{Name: "contents", Start: contentStart, End: r.off, Value: HexBytes(r.data[contentStart:r.off])})
		return f
	}
	sub := &fieldReader{data: r.data[:r.off], off: contentStart}
	f.Fields = append(f.Fields, sub.rest(elems(sub))...)
	return f
}

// group makes a structure of fields read one after the other, leaving out
// those whose read failed (the zero Field); none left gives the zero Field.
func group(name string, value any, fields ...Field) Field {
	var kept []Field
	for _, f := range fields {
		if f.Name != "" {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		return Field{}
	}
	return Field{Name: name, Start: kept[0].Start, End: kept[len(kept)-1].End, Value: value, Fields: kept}
}

// list reads elements until the reader is empty.
func list(read func(*fieldReader) Field) func(*fieldReader) []Field {
	return func(r *fieldReader) []Field {
		var fields []Field
		for !r.bad && r.off < len(r.data) {
			if f := read(r); !r.bad {
				fields = append(fields, f)
			}
		}
		return fields
	}
}

// rest appends an "unparsed" field for whatever the reader did not consume,
// so that every byte stays labelled.
func (r *fieldReader) rest(fields []Field) []Field {
	out := fields[:0:0]
	for _, f := range fields {
		if f.Name != "" { // a failed read returns the zero Field
			out = append(out, f)
		}
	}
	// A failed read leaves off where it started: from there on, nothing
	// was decoded.
	if r.off < len(r.data) {
		out = append(out, Field{Name: "unparsed", Start: r.off, End: len(r.data), Value: HexBytes(r.data[r.off:])})
	}
	return out
}

// shift moves fields' offsets by n, for fields of a fragment placed after
// the record header.
func shift(fields []Field, n int) []Field {
	out := make([]Field, len(fields))
	for i, f := range fields {
		f.Start += n
		f.End += n
		f.Fields = shift(f.Fields, n)
		out[i] = f
	}
	return out
}

// Decoders from numbers to names.

func versionValue(v uint64) any { return enum16(uint16(v), record.VersionName(uint16(v))) }

func suiteValue(v uint64) any {
	id := uint16(v)
	switch {
	case id == wire.SCSVRenegotiation:
		return enum16(id, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV")
	case id&0x0f0f == 0x0a0a && id>>8 == id&0xff:
		return enum16(id, "GREASE") // RFC 8701
	}
	if s, ok := cipher.SuiteByID(id); ok {
		return enum16(id, s.Name)
	}
	return enum16(id, "unknown")
}

func curveValue(v uint64) any {
	return enum16(uint16(v), cipher.CurveID(v).String())
}

func schemeValue(v uint64) any {
	return enum16(uint16(v), SignatureScheme(v).String())
}

func extensionValue(v uint64) any {
	names := map[uint16]string{
		wire.ExtServerName: "server_name", wire.ExtStatusRequest: "status_request", wire.ExtSupportedGroups: "supported_groups",
		wire.ExtECPointFormats: "ec_point_formats", wire.ExtSignatureAlgorithms: "signature_algorithms",
		wire.ExtALPN: "application_layer_protocol_negotiation", wire.ExtEncryptThenMAC: "encrypt_then_mac",
		wire.ExtExtendedMasterSecret: "extended_master_secret", wire.ExtSessionTicket: "session_ticket",
		wire.ExtSupportedVersions: "supported_versions", wire.ExtRenegotiationInfo: "renegotiation_info",
	}
	name, ok := names[uint16(v)]
	if !ok {
		name = "unknown"
	}
	return enum16(uint16(v), name)
}

func named8(names map[uint8]string) func(uint64) any {
	return func(v uint64) any {
		name, ok := names[uint8(v)]
		if !ok {
			name = "unknown"
		}
		return enum8(uint8(v), name)
	}
}

func messageTypeValue(v uint64) any { return enum8(uint8(v), wire.MessageName(uint8(v))) }

func contentTypeValue(v uint64) any {
	return enum8(uint8(v), record.ContentType(v).String())
}

// describeRecordHeader labels the 5-byte record header (RFC 5246, 6.2.1).
// A protected record's header is the same five bytes, but RFC 5246, 6.2.3
// calls the record a TLSCiphertext, so the label says which it is.
func describeRecordHeader(wire []byte, protected bool) Field {
	r := &fieldReader{data: wire}
	typ, _ := r.uint("type", 1, contentTypeValue, "ContentType: which protocol the fragment carries")
	version, _ := r.uint("version", 2, versionValue, "ProtocolVersion of the record layer")
	length, _ := r.uint("length", 2, nil, "bytes of fragment that follow")
	if r.bad {
		return Field{Name: "unparsed", End: len(wire), Value: HexBytes(wire)}
	}
	if protected {
		return group("TLSCiphertext header", nil, typ, version, length)
	}
	return group("TLSPlaintext header", nil, typ, version, length)
}

// describeProtected labels an encrypted fragment by the suite's framing:
// GenericAEADCipher (RFC 5246, 6.2.3.3) or GenericBlockCipher (6.2.3.2).
func describeProtected(wire []byte, plaintextLen int, suite *cipher.Suite, encryptThenMAC bool) []Field {
	start, end := record.RecordHeaderLen, len(wire)
	var fields []Field
	add := func(name string, n int, note string) {
		if n <= 0 || start+n > end {
			return
		}
		fields = append(fields, Field{Name: name, Start: start, End: start + n, Value: HexBytes(wire[start : start+n]), Note: note})
		start += n
	}
	if suite == nil {
		add("encrypted fragment", end-start, "")
		return fields
	}
	switch suite.Bulk {
	case cipher.BulkAES128GCM, cipher.BulkAES256GCM:
		add("nonce_explicit", 8, "the second half of the GCM nonce; glasstls sends the sequence number (RFC 5288, 3)")
		add("encrypted content", plaintextLen, "AES-GCM ciphertext, as long as the plaintext")
		add("authentication tag", end-start, "GCM tag over the ciphertext and seq_num + type + version + length (RFC 5246, 6.2.3.3)")
	case cipher.BulkChaCha20Poly1305:
		add("encrypted content", plaintextLen, "ChaCha20 ciphertext; the nonce is write_IV XOR seq_num, never sent (RFC 7905, 2)")
		add("authentication tag", end-start, "Poly1305 tag (RFC 7905)")
	default: // CBC
		add("IV", 16, "random per record (RFC 5246, 6.2.3.2: TLS 1.1+ explicit IV)")
		if encryptThenMAC {
			add("encrypted content, MAC'd", end-start-suite.MACLen, "AES-CBC over content + padding + padding_length")
			add("MAC", end-start, "HMAC over seq_num, header and the ciphertext, checked before decrypting (RFC 7366, 3)")
		} else {
			add("encrypted content", end-start, "AES-CBC over content + MAC + padding + padding_length (MAC-then-encrypt)")
		}
	}
	add("encrypted fragment", end-start, "")
	return fields
}

// describeContent labels a record's plaintext fragment by content type.
func describeContent(typ record.ContentType, fragment []byte) []Field {
	r := &fieldReader{data: fragment}
	var fields []Field
	switch typ {
	case record.TypeChangeCipherSpec:
		f, _ := r.uint("type", 1, named8(map[uint8]string{1: "change_cipher_spec"}), "RFC 5246, 7.1: switch to the pending keys")
		fields = append(fields, f)
	case record.TypeAlert:
		if len(fragment) < 2 {
			break
		}
		level, _ := r.uint("level", 1, func(v uint64) any { return enum8(uint8(v), record.AlertLevel(v).String()) }, "RFC 5246, 7.2")
		desc, _ := r.uint("description", 1, func(v uint64) any { return enum8(uint8(v), record.AlertDescription(v).String()) }, "")
		fields = append(fields, Field{Name: "Alert", End: r.off, Fields: []Field{level, desc}})
	case record.TypeHandshake:
		// A record may carry several messages, or a piece of one.
		for !r.bad && len(fragment)-r.off >= wire.MessageHeaderLen {
			n := int(fragment[r.off+1])<<16 | int(fragment[r.off+2])<<8 | int(fragment[r.off+3])
			if len(fragment)-r.off < wire.MessageHeaderLen+n {
				break
			}
			start := r.off
			msg := fragment[start : start+wire.MessageHeaderLen+n]
			fields = append(fields, Field{Name: wire.MessageName(msg[0]), Start: start, End: start + len(msg), Fields: shift(describeMessage(msg), start)})
			r.off += len(msg)
		}
		if r.off < len(fragment) {
			fields = append(fields, Field{Name: "handshake message fragment", Start: r.off, End: len(fragment), Value: HexBytes(fragment[r.off:]), Note: "continued in the next record"})
		}
		return fields
	case record.TypeApplicationData:
		if len(fragment) > 0 {
			fields = append(fields, Field{Name: "application_data", End: len(fragment), Value: HexBytes(fragment)})
		}
		return fields
	}
	return r.rest(fields)
}

// describeMessage decodes a whole handshake message (RFC 5246, 7.4),
// header included.
func describeMessage(msg []byte) []Field {
	r := &fieldReader{data: msg}
	typ, t := r.uint("msg_type", 1, messageTypeValue, "HandshakeType")
	length, _ := r.uint("length", 3, nil, "bytes of body that follow")
	fields := []Field{typ, length}
	if r.bad {
		return r.rest(fields)
	}
	body := []Field{}
	switch uint8(t) {
	case wire.TypeClientHello:
		body = describeHello(r, true)
	case wire.TypeServerHello:
		body = describeHello(r, false)
	case wire.TypeCertificate:
		body = append(body, r.vector("certificate_list", 3, "the chain, leaf first (RFC 5246, 7.4.2)", list(describeCertificate)))
	case wire.TypeServerKeyExchange:
		curveType, _ := r.uint("curve_type", 1, named8(map[uint8]string{3: "named_curve"}), "ECCurveType (RFC 8422, 5.4)")
		curve, _ := r.uint("namedcurve", 2, curveValue, "the group of the ephemeral key")
		point := r.vector("public", 1, "the server's ephemeral ECDH public key", nil)
		scheme, _ := r.uint("algorithm", 2, schemeValue, "SignatureAndHashAlgorithm (RFC 5246, 7.4.1.4.1)")
		sig := r.vector("signature", 2, "over client_random + server_random + ServerECDHParams, with the certificate's key", nil)
		body = append(body, group("params", nil, curveType, curve, point), scheme, sig)
	case wire.TypeCertificateRequest:
		body = append(body,
			r.vector("certificate_types", 1, "ClientCertificateType list (RFC 5246, 7.4.4)", list(func(r *fieldReader) Field {
				f, _ := r.uint("certificate_type", 1, named8(map[uint8]string{wire.CertTypeRSASign: "rsa_sign", wire.CertTypeECDSASign: "ecdsa_sign"}), "")
				return f
			})),
			r.vector("supported_signature_algorithms", 2, "", list(func(r *fieldReader) Field {
				f, _ := r.uint("SignatureAndHashAlgorithm", 2, schemeValue, "")
				return f
			})),
			r.vector("certificate_authorities", 2, "DistinguishedNames of acceptable CAs", list(func(r *fieldReader) Field {
				return r.vector("DistinguishedName", 2, "", nil)
			})))
	case wire.TypeClientKeyExchange:
		// The body's shape depends on the key exchange: ECDHE sends a
		// 1-byte-length point, RSA a 2-byte-length ciphertext (RFC 5246,
		// 7.4.7.1; RFC 8422, 5.7).
		rest := msg[r.off:]
		if len(rest) > 0 && int(rest[0])+1 == len(rest) {
			body = append(body, r.vector("ecdh_Yc", 1, "the client's ephemeral ECDH public key", nil))
		} else {
			body = append(body, r.vector("EncryptedPreMasterSecret", 2, "pre_master_secret, RSA-encrypted (PKCS #1 v1.5) to the server's certificate key", nil))
		}
	case wire.TypeCertificateVerify:
		scheme, _ := r.uint("algorithm", 2, schemeValue, "SignatureAndHashAlgorithm")
		body = append(body, scheme, r.vector("signature", 2, "over every handshake message so far (RFC 5246, 7.4.8)", nil))
	case wire.TypeFinished:
		body = append(body, r.opaque("verify_data", len(msg)-r.off, "PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]"))
	case wire.TypeCertificateStatus:
		statusType, _ := r.uint("status_type", 1, named8(map[uint8]string{wire.StatusTypeOCSP: "ocsp"}), "CertificateStatusType (RFC 6066, 8)")
		body = append(body, statusType, r.vector("response", 3, "the DER OCSPResponse for the leaf (RFC 6960, 4.2.1), stapled", nil))
	case wire.TypeNewSessionTicket:
		hint, _ := r.uint("ticket_lifetime_hint", 4, nil, "seconds (RFC 5077, 3.3)")
		body = append(body, hint, r.vector("ticket", 2, "the session state, encrypted with a key only the server knows", nil))
	}
	return r.rest(append(fields, body...))
}

// describeHello decodes ClientHello (RFC 5246, 7.4.1.2) or ServerHello
// (7.4.1.3) after the header.
func describeHello(r *fieldReader, client bool) []Field {
	var fields []Field
	name := "server_version"
	if client {
		name = "client_version"
	}
	version, _ := r.uint(name, 2, versionValue, "")
	fields = append(fields, version,
		r.opaque("random", wire.RandomLen, "Random (RFC 5246, 7.4.1.2): gmt_unix_time (4 bytes) + random_bytes (28); glasstls, like OpenSSL and crypto/tls, sends 32 random bytes, as a clock here fingerprints the host and nothing needs it. Feeds the master secret and key block"),
		r.vector("session_id", 1, "names a session to resume (RFC 5246, 7.4.1.2)", nil))
	if client {
		fields = append(fields,
			r.vector("cipher_suites", 2, "offered, most preferred first", list(func(r *fieldReader) Field {
				f, _ := r.uint("CipherSuite", 2, suiteValue, "")
				return f
			})),
			r.vector("compression_methods", 1, "", list(func(r *fieldReader) Field {
				f, _ := r.uint("CompressionMethod", 1, named8(map[uint8]string{0: "null"}), "")
				return f
			})))
	} else {
		suite, _ := r.uint("cipher_suite", 2, suiteValue, "the server's choice")
		compression, _ := r.uint("compression_method", 1, named8(map[uint8]string{0: "null"}), "")
		fields = append(fields, suite, compression)
	}
	if !r.bad && r.off < len(r.data) {
		fields = append(fields, r.vector("extensions", 2, "", list(func(r *fieldReader) Field {
			return describeExtension(r, client)
		})))
	}
	return fields
}

// describeExtension decodes one hello extension (RFC 5246, 7.4.1.4).
func describeExtension(r *fieldReader, client bool) Field {
	typ, t := r.uint("extension_type", 2, extensionValue, "")
	var elems func(*fieldReader) []Field
	u16s := func(name string, decode func(uint64) any) func(*fieldReader) []Field {
		return list(func(r *fieldReader) Field { f, _ := r.uint(name, 2, decode, ""); return f })
	}
	one := func(f func(*fieldReader) Field) func(*fieldReader) []Field {
		return func(r *fieldReader) []Field { return []Field{f(r)} }
	}
	switch uint16(t) {
	case wire.ExtServerName:
		elems = one(func(r *fieldReader) Field {
			return r.vector("server_name_list", 2, "", list(func(r *fieldReader) Field {
				nameType, _ := r.uint("name_type", 1, named8(map[uint8]string{0: "host_name"}), "")
				host := r.vector("host_name", 2, "", nil)
				if len(host.Fields) == 2 {
					host.Value = string(host.Fields[1].Value.(HexBytes))
				}
				return group("ServerName", nil, nameType, host)
			}))
		})
	case wire.ExtSupportedGroups:
		elems = one(func(r *fieldReader) Field { return r.vector("named_group_list", 2, "", u16s("NamedGroup", curveValue)) })
	case wire.ExtECPointFormats:
		elems = one(func(r *fieldReader) Field {
			return r.vector("ec_point_format_list", 1, "", list(func(r *fieldReader) Field {
				f, _ := r.uint("ECPointFormat", 1, named8(map[uint8]string{0: "uncompressed"}), "")
				return f
			}))
		})
	case wire.ExtSignatureAlgorithms:
		elems = one(func(r *fieldReader) Field {
			return r.vector("supported_signature_algorithms", 2, "", u16s("SignatureAndHashAlgorithm", schemeValue))
		})
	case wire.ExtALPN:
		elems = one(func(r *fieldReader) Field {
			return r.vector("protocol_name_list", 2, "", list(func(r *fieldReader) Field {
				p := r.vector("ProtocolName", 1, "", nil)
				if len(p.Fields) == 2 {
					p.Value = string(p.Fields[1].Value.(HexBytes))
				}
				return p
			}))
		})
	case wire.ExtSupportedVersions:
		if client {
			elems = one(func(r *fieldReader) Field { return r.vector("versions", 1, "", u16s("ProtocolVersion", versionValue)) })
		}
	case wire.ExtRenegotiationInfo:
		elems = one(func(r *fieldReader) Field {
			return r.vector("renegotiated_connection", 1, "empty on an initial handshake (RFC 5746, 3.2)", nil)
		})
	}
	data := r.vector("extension_data", 2, "", elems)
	return group("Extension", typ.Value, typ, data)
}

// describeCertificate decodes one ASN.1Cert, naming its subject and issuer.
func describeCertificate(r *fieldReader) Field {
	f := r.vector("ASN.1Cert", 3, "", nil)
	if len(f.Fields) == 2 {
		if cert, err := x509.ParseCertificate(f.Fields[1].Value.(HexBytes)); err == nil {
			f.Note = fmt.Sprintf("subject %q, issuer %q, valid %s to %s", cert.Subject.String(), cert.Issuer.String(),
				cert.NotBefore.UTC().Format("2006-01-02"), cert.NotAfter.UTC().Format("2006-01-02"))
		}
		f.Value = nil // the DER is in the "contents" child
	}
	return f
}
