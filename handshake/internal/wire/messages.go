package wire

import (
	"bytes"
	"fmt"

	"golang.org/x/crypto/cryptobyte"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// HandshakeType values (RFC 5246, 7.4; NewSessionTicket from RFC 5077, 3.3).
const (
	TypeHelloRequest       uint8 = 0
	TypeClientHello        uint8 = 1
	TypeServerHello        uint8 = 2
	TypeNewSessionTicket   uint8 = 4
	TypeCertificate        uint8 = 11
	TypeServerKeyExchange  uint8 = 12
	TypeCertificateRequest uint8 = 13
	TypeServerHelloDone    uint8 = 14
	TypeCertificateVerify  uint8 = 15
	TypeClientKeyExchange  uint8 = 16
	TypeFinished           uint8 = 20
	TypeCertificateStatus  uint8 = 22 // RFC 6066, 8
)

// compressionNone is CompressionMethod null (RFC 5246, 7.4.1.2), the only
// one glasstls speaks: compression before encryption leaks plaintext (CRIME).
const CompressionNone uint8 = 0

// curveTypeNamedCurve is ECCurveType named_curve (RFC 8422, 5.4), the only
// curve type RFC 8422 still allows.
const CurveTypeNamedCurve uint8 = 3

// Fixed sizes from RFC 5246.
const (
	MessageHeaderLen = 4  // 7.4: msg_type (1 byte) + length (uint24)
	RandomLen        = 32 // 7.4.1.2: Random is 32 bytes
	MaxSessionIDLen  = 32 // 7.4.1.2: SessionID <0..32>
	VerifyDataLen    = 12 // 7.4.9: verify_data_length for every TLS 1.2 suite glasstls has
)

// handshakeMessage is one handshake message, in both directions.
type Message interface {
	// marshal returns the whole message, 4-byte header included, and
	// remembers it in the message's raw field. It errors if a field
	// breaks a length rule of the RFC (e.g. a 33-byte session ID).
	Marshal() ([]byte, error)
	// unmarshal decodes data, the whole message including its header,
	// and reports false if any byte is missing, left over or invalid.
	// The message keeps a private copy of data, so the caller may reuse
	// its buffer.
	unmarshal(data []byte) bool
}

// messageName returns the RFC 5246 name of a handshake type, e.g.
// "ClientHello", for errors and traces.
func MessageName(typ uint8) string {
	switch typ {
	case TypeHelloRequest:
		return "HelloRequest"
	case TypeClientHello:
		return "ClientHello"
	case TypeServerHello:
		return "ServerHello"
	case TypeNewSessionTicket:
		return "NewSessionTicket"
	case TypeCertificate:
		return "Certificate"
	case TypeServerKeyExchange:
		return "ServerKeyExchange"
	case TypeCertificateRequest:
		return "CertificateRequest"
	case TypeServerHelloDone:
		return "ServerHelloDone"
	case TypeCertificateVerify:
		return "CertificateVerify"
	case TypeClientKeyExchange:
		return "ClientKeyExchange"
	case TypeFinished:
		return "Finished"
	case TypeCertificateStatus:
		return "CertificateStatus"
	}
	return fmt.Sprintf("HandshakeType(%d)", typ)
}

// parseHandshakeMessage decodes one whole handshake message, header
// included, into a pointer to its message struct (*clientHelloMsg, ...).
// A type glasstls never expects is an unexpected_message alert; a message
// that does not decode is decode_error (RFC 5246, 7.2.2).
//
// keyExchange is the negotiated suite's (0 before ServerHello): RFC 5246,
// 7.4.3's ServerKeyExchange is a select on it, not self-describing.
func Parse(data []byte, keyExchange cipher.KeyExchange) (Message, error) {
	if len(data) < MessageHeaderLen {
		return nil, record.Errorf(record.AlertDecodeError, "handshake message of %d bytes is shorter than its header", len(data))
	}
	var msg Message
	switch data[0] {
	case TypeHelloRequest:
		msg = new(HelloRequest)
	case TypeClientHello:
		msg = new(ClientHello)
	case TypeServerHello:
		msg = new(ServerHello)
	case TypeNewSessionTicket:
		msg = new(NewSessionTicket)
	case TypeCertificate:
		msg = new(Certificate)
	case TypeServerKeyExchange:
		msg = &ServerKeyExchange{KeyExchange: keyExchange}
	case TypeCertificateRequest:
		msg = new(CertificateRequest)
	case TypeServerHelloDone:
		msg = new(ServerHelloDone)
	case TypeCertificateVerify:
		msg = new(CertificateVerify)
	case TypeClientKeyExchange:
		msg = new(ClientKeyExchange)
	case TypeFinished:
		msg = new(Finished)
	case TypeCertificateStatus:
		msg = new(CertificateStatus)
	default:
		return nil, record.Errorf(record.AlertUnexpectedMessage, "unexpected handshake message type %d", data[0])
	}
	if !msg.unmarshal(data) {
		return nil, record.Errorf(record.AlertDecodeError, "malformed %s", MessageName(data[0]))
	}
	return msg, nil
}

// marshalSizeHint fits every message of a handshake with one certificate
// of a typical size; a longer message grows the buffer as usual.
const marshalSizeHint = 512

// marshalMessage frames a body as RFC 5246, 7.4's
// struct { HandshakeType msg_type; uint24 length; body } Handshake.
func marshalMessage(typ uint8, body cryptobyte.BuilderContinuation) ([]byte, error) {
	// Performance: room for a typical message up front, so the builder
	// does not grow (and copy) its buffer field by field.
	b := cryptobyte.NewBuilder(make([]byte, 0, marshalSizeHint))
	b.AddUint8(typ)
	b.AddUint24LengthPrefixed(body)
	out, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("handshake: marshaling %s: %w", MessageName(typ), err)
	}
	return out, nil
}

// messageBody checks that data is exactly one message of type typ and
// returns a private copy of data (to keep as raw) and the body within it.
// Every field the parsers hand out is a sub-slice of that copy.
func messageBody(data []byte, typ uint8) (raw []byte, body cryptobyte.String, ok bool) {
	if len(data) < MessageHeaderLen || data[0] != typ {
		return nil, nil, false
	}
	raw = bytes.Clone(data)
	s := cryptobyte.String(raw[1:])
	if !s.ReadUint24LengthPrefixed(&body) || !s.Empty() {
		return nil, nil, false
	}
	return raw, body, true
}

// marshalError reports a field that breaks a length rule, so marshal never
// produces a message that our own parser (or a peer's) would refuse.
func marshalError(msg, format string, args ...any) error {
	return fmt.Errorf("handshake: cannot marshal "+msg+": "+format, args...)
}

// ---- HelloRequest (RFC 5246, 7.4.1.1) ----

// helloRequestMsg asks the client to start a new handshake; it has no body.
type HelloRequest struct{}

func (m *HelloRequest) Marshal() ([]byte, error) {
	return marshalMessage(TypeHelloRequest, func(*cryptobyte.Builder) {})
}

func (m *HelloRequest) unmarshal(data []byte) bool {
	_, body, ok := messageBody(data, TypeHelloRequest)
	return ok && body.Empty()
}

// ---- ClientHello (RFC 5246, 7.4.1.2) ----

// clientHelloMsg is the client's opening message: its version, random,
// offered session, cipher suites, compression methods and extensions.
type ClientHello struct {
	Raw                []byte // the whole message as received/sent (set by both marshal and unmarshal)
	Vers               uint16
	Random             []byte // 32 bytes
	SessionID          []byte // <0..32>
	CipherSuites       []uint16
	CompressionMethods []uint8

	ServerName                   string // host_name of server_name (RFC 6066, 3)
	OCSPStapling                 bool   // status_request for an OCSP response (RFC 6066, 8)
	SupportedCurves              []cipher.CurveID
	SupportedPoints              []uint8
	SupportedSignatureAlgorithms []SignatureScheme
	TicketSupported              bool   // session_ticket extension present (RFC 5077, 3.2)
	SessionTicket                []byte // its content, empty when asking for a new ticket
	SecureRenegotiationSupported bool   // renegotiation_info extension present (RFC 5746, 3.2)
	SecureRenegotiation          []byte // renegotiated_connection, empty on an initial handshake
	ALPNProtocols                []string
	ExtendedMasterSecret         bool
	EncryptThenMAC               bool
	SupportedVersions            []uint16 // supported_versions of a TLS 1.3 client (RFC 8446, 4.2.1)
	Extensions                   []uint16 // extension types in the order received; set by unmarshal
}

func (m *ClientHello) Marshal() ([]byte, error) {
	switch {
	case len(m.Random) != RandomLen:
		return nil, marshalError("ClientHello", "random is %d bytes, want %d", len(m.Random), RandomLen)
	case len(m.SessionID) > MaxSessionIDLen:
		return nil, marshalError("ClientHello", "session ID is %d bytes, at most %d allowed", len(m.SessionID), MaxSessionIDLen)
	case len(m.CipherSuites) == 0:
		// RFC 5246, 7.4.1.2: CipherSuite cipher_suites<2..2^16-2>.
		return nil, marshalError("ClientHello", "no cipher suites")
	case len(m.CompressionMethods) == 0:
		// RFC 5246, 7.4.1.2: CompressionMethod compression_methods<1..2^8-1>.
		return nil, marshalError("ClientHello", "no compression methods")
	}
	extensions, err := m.marshalExtensions()
	if err != nil {
		return nil, err
	}
	raw, err := marshalMessage(TypeClientHello, func(b *cryptobyte.Builder) {
		b.AddUint16(m.Vers)
		b.AddBytes(m.Random)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.SessionID)
		})
		addUint16List(b, m.CipherSuites)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.CompressionMethods)
		})
		// RFC 5246, 7.4.1.2: the extensions block may be left out
		// entirely, which the oldest servers need.
		if len(extensions) > 0 {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddBytes(extensions)
			})
		}
	})
	if err != nil {
		return nil, err
	}
	m.Raw = raw
	return raw, nil
}

func (m *ClientHello) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, TypeClientHello)
	if !ok {
		return false
	}
	*m = ClientHello{Raw: raw}
	if !s.ReadUint16(&m.Vers) || !s.ReadBytes(&m.Random, RandomLen) ||
		!readUint8Bytes(&s, &m.SessionID) || len(m.SessionID) > MaxSessionIDLen ||
		!readUint16List(&s, &m.CipherSuites) ||
		!readUint8Bytes(&s, &m.CompressionMethods) || len(m.CompressionMethods) == 0 {
		return false
	}
	// RFC 5246, 7.4.1.2: "the presence of extensions can be detected by
	// determining whether there are bytes following the
	// compression_methods".
	if s.Empty() {
		return true
	}
	var block cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&block) || !s.Empty() {
		return false
	}
	return parseExtensions(block, &m.Extensions, m.unmarshalExtension)
}

// ---- ServerHello (RFC 5246, 7.4.1.3) ----

// serverHelloMsg is the server's choice: version, random, session, one
// cipher suite, one compression method, and the extensions it accepts.
type ServerHello struct {
	Raw               []byte // the whole message as received/sent
	Vers              uint16
	Random            []byte // 32 bytes
	SessionID         []byte // <0..32>
	CipherSuite       uint16
	CompressionMethod uint8

	ServerNameAck                bool // empty server_name extension (RFC 6066, 3)
	OCSPStapling                 bool // empty status_request: a CertificateStatus may follow Certificate (RFC 6066, 8)
	SupportedPoints              []uint8
	TicketSupported              bool // empty session_ticket extension: a NewSessionTicket will follow
	SecureRenegotiationSupported bool
	SecureRenegotiation          []byte // client_verify_data + server_verify_data when renegotiating
	ALPNProtocol                 string // the one protocol chosen (RFC 7301, 3.1)
	ExtendedMasterSecret         bool
	EncryptThenMAC               bool
	Extensions                   []uint16 // extension types in the order received; set by unmarshal
}

func (m *ServerHello) Marshal() ([]byte, error) {
	switch {
	case len(m.Random) != RandomLen:
		return nil, marshalError("ServerHello", "random is %d bytes, want %d", len(m.Random), RandomLen)
	case len(m.SessionID) > MaxSessionIDLen:
		return nil, marshalError("ServerHello", "session ID is %d bytes, at most %d allowed", len(m.SessionID), MaxSessionIDLen)
	}
	extensions, err := m.marshalExtensions()
	if err != nil {
		return nil, err
	}
	raw, err := marshalMessage(TypeServerHello, func(b *cryptobyte.Builder) {
		b.AddUint16(m.Vers)
		b.AddBytes(m.Random)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.SessionID)
		})
		b.AddUint16(m.CipherSuite)
		b.AddUint8(m.CompressionMethod)
		if len(extensions) > 0 {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddBytes(extensions)
			})
		}
	})
	if err != nil {
		return nil, err
	}
	m.Raw = raw
	return raw, nil
}

func (m *ServerHello) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, TypeServerHello)
	if !ok {
		return false
	}
	*m = ServerHello{Raw: raw}
	if !s.ReadUint16(&m.Vers) || !s.ReadBytes(&m.Random, RandomLen) ||
		!readUint8Bytes(&s, &m.SessionID) || len(m.SessionID) > MaxSessionIDLen ||
		!s.ReadUint16(&m.CipherSuite) || !s.ReadUint8(&m.CompressionMethod) {
		return false
	}
	// RFC 5246, 7.4.1.3: as in the ClientHello, extensions are optional.
	if s.Empty() {
		return true
	}
	var block cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&block) || !s.Empty() {
		return false
	}
	return parseExtensions(block, &m.Extensions, m.unmarshalExtension)
}

// ---- Certificate (RFC 5246, 7.4.2 and 7.4.6) ----

// certificateMsg carries a certificate chain, leaf first, each entry an
// ASN.1 DER certificate. A client without a certificate sends an empty list.
type Certificate struct {
	Raw          []byte
	Certificates [][]byte
}

func (m *Certificate) Marshal() ([]byte, error) {
	for i, cert := range m.Certificates {
		// RFC 5246, 7.4.2: opaque ASN.1Cert<1..2^24-1>.
		if len(cert) == 0 {
			return nil, marshalError("Certificate", "certificate %d is empty", i)
		}
	}
	raw, err := marshalMessage(TypeCertificate, func(b *cryptobyte.Builder) {
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, cert := range m.Certificates {
				b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
					b.AddBytes(cert)
				})
			}
		})
	})
	if err != nil {
		return nil, err
	}
	m.Raw = raw
	return raw, nil
}

func (m *Certificate) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, TypeCertificate)
	if !ok {
		return false
	}
	*m = Certificate{Raw: raw}
	// RFC 5246, 7.4.2: ASN.1Cert certificate_list<0..2^24-1>.
	var list cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&list) || !s.Empty() {
		return false
	}
	for !list.Empty() {
		var cert []byte
		if !readUint24Bytes(&list, &cert) || len(cert) == 0 {
			return false
		}
		m.Certificates = append(m.Certificates, cert)
	}
	return true
}

// ---- ServerKeyExchange (RFC 5246, 7.4.3; ECDHE form from RFC 8422, 5.4) ----

// serverKeyExchangeMsg is the server's share of an ephemeral key exchange.
// RFC 5246, 7.4.3 defines it as a select on the negotiated
// KeyExchangeAlgorithm, so its shape is not in its bytes: the parser is
// told the key exchange (keyExchange; zero means ECDHE) and reads one of
//
//	ECDHE: ServerECDHParams  { curve_type, namedcurve, public<1..2^8-1> }   RFC 8422, 5.4
//	DHE:   ServerDHParams    { dh_p<1..2^16-1>, dh_g<1..2^16-1>, dh_Ys<1..2^16-1> }   RFC 5246, 7.4.3
//
// followed by the signature over client_random + server_random + params.
type ServerKeyExchange struct {
	Raw         []byte
	KeyExchange cipher.KeyExchange // which form; 0 is read as KeyExchangeECDHE

	// ECDHE (ServerECDHParams).
	CurveType uint8 // must be curveTypeNamedCurve
	Curve     cipher.CurveID
	PublicKey []byte // ECPoint point <1..2^8-1>

	// DHE (ServerDHParams): big-endian integers.
	DHP, DHG, DHYs []byte

	SignatureScheme SignatureScheme
	Signature       []byte // <0..2^16-1>
}

// form is the key exchange this message is read and written as. Key
// exchanges without a ServerKeyExchange of their own (RSA, or none
// negotiated yet) read it as ECDHE, so that a stray one parses and the
// state machine refuses it as unexpected_message.
func (m *ServerKeyExchange) form() cipher.KeyExchange {
	if m.KeyExchange == cipher.KeyExchangeDHE {
		return m.KeyExchange
	}
	return cipher.KeyExchangeECDHE
}

// params returns the ServerECDHParams or ServerDHParams bytes, the part
// that is signed together with the two randoms (RFC 8422, 5.4; RFC 5246,
// 7.4.3). It returns nil if a field is too long to encode.
func (m *ServerKeyExchange) Params() []byte {
	var b cryptobyte.Builder
	m.addParams(&b)
	out, err := b.Bytes()
	if err != nil {
		return nil
	}
	return out
}

// addParams writes the params of the message's form.
func (m *ServerKeyExchange) addParams(b *cryptobyte.Builder) {
	if m.form() == cipher.KeyExchangeDHE {
		for _, v := range [][]byte{m.DHP, m.DHG, m.DHYs} {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddBytes(v)
			})
		}
		return
	}
	b.AddUint8(m.CurveType)
	b.AddUint16(uint16(m.Curve))
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(m.PublicKey)
	})
}

func (m *ServerKeyExchange) Marshal() ([]byte, error) {
	switch m.form() {
	case cipher.KeyExchangeECDHE:
		switch {
		case m.CurveType != CurveTypeNamedCurve:
			return nil, marshalError("ServerKeyExchange", "curve type %d, only named_curve (3) is allowed", m.CurveType)
		case len(m.PublicKey) == 0:
			return nil, marshalError("ServerKeyExchange", "empty public key")
		}
	case cipher.KeyExchangeDHE:
		if len(m.DHP) == 0 || len(m.DHG) == 0 || len(m.DHYs) == 0 {
			return nil, marshalError("ServerKeyExchange", "empty dh_p, dh_g or dh_Ys")
		}
	}
	raw, err := marshalMessage(TypeServerKeyExchange, func(b *cryptobyte.Builder) {
		m.addParams(b)
		// RFC 5246, 4.7: a TLS 1.2 digitally-signed element starts with
		// the SignatureAndHashAlgorithm.
		b.AddUint16(uint16(m.SignatureScheme))
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.Signature)
		})
	})
	if err != nil {
		return nil, err
	}
	m.Raw = raw
	return raw, nil
}

// unmarshal reads data in the form m.keyExchange names (set it before
// calling; parseHandshakeMessage does).
func (m *ServerKeyExchange) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, TypeServerKeyExchange)
	if !ok {
		return false
	}
	*m = ServerKeyExchange{Raw: raw, KeyExchange: m.KeyExchange}
	switch m.form() {
	case cipher.KeyExchangeECDHE:
		var curve uint16
		if !s.ReadUint8(&m.CurveType) || m.CurveType != CurveTypeNamedCurve ||
			!s.ReadUint16(&curve) ||
			!readUint8Bytes(&s, &m.PublicKey) || len(m.PublicKey) == 0 {
			return false
		}
		m.Curve = cipher.CurveID(curve)
	case cipher.KeyExchangeDHE:
		// Each of dh_p, dh_g, dh_Ys is <1..2^16-1>.
		if !readUint16Bytes(&s, &m.DHP) || len(m.DHP) == 0 ||
			!readUint16Bytes(&s, &m.DHG) || len(m.DHG) == 0 ||
			!readUint16Bytes(&s, &m.DHYs) || len(m.DHYs) == 0 {
			return false
		}
	}
	var scheme uint16
	if !s.ReadUint16(&scheme) || !readUint16Bytes(&s, &m.Signature) || !s.Empty() {
		return false
	}
	m.SignatureScheme = SignatureScheme(scheme)
	return true
}

// ---- CertificateRequest (RFC 5246, 7.4.4) ----

// certificateRequestMsg asks the client for a certificate of one of the
// given types, signed with one of the given schemes, issued by one of the
// given CAs (DER-encoded distinguished names; empty means any).
type CertificateRequest struct {
	Raw                          []byte
	CertificateTypes             []uint8
	SupportedSignatureAlgorithms []SignatureScheme
	CertificateAuthorities       [][]byte
}

func (m *CertificateRequest) Marshal() ([]byte, error) {
	switch {
	case len(m.CertificateTypes) == 0:
		// ClientCertificateType certificate_types<1..2^8-1>.
		return nil, marshalError("CertificateRequest", "no certificate types")
	case len(m.SupportedSignatureAlgorithms) == 0:
		// SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>.
		return nil, marshalError("CertificateRequest", "no signature algorithms")
	}
	for i, ca := range m.CertificateAuthorities {
		// opaque DistinguishedName<1..2^16-1>.
		if len(ca) == 0 {
			return nil, marshalError("CertificateRequest", "certificate authority %d is empty", i)
		}
	}
	raw, err := marshalMessage(TypeCertificateRequest, func(b *cryptobyte.Builder) {
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.CertificateTypes)
		})
		addUint16List(b, m.SupportedSignatureAlgorithms)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, ca := range m.CertificateAuthorities {
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
					b.AddBytes(ca)
				})
			}
		})
	})
	if err != nil {
		return nil, err
	}
	m.Raw = raw
	return raw, nil
}

func (m *CertificateRequest) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, TypeCertificateRequest)
	if !ok {
		return false
	}
	*m = CertificateRequest{Raw: raw}
	var authorities cryptobyte.String
	if !readUint8Bytes(&s, &m.CertificateTypes) || len(m.CertificateTypes) == 0 ||
		!readUint16List(&s, &m.SupportedSignatureAlgorithms) ||
		// DistinguishedName certificate_authorities<0..2^16-1>.
		!s.ReadUint16LengthPrefixed(&authorities) || !s.Empty() {
		return false
	}
	for !authorities.Empty() {
		var ca []byte
		if !readUint16Bytes(&authorities, &ca) || len(ca) == 0 {
			return false
		}
		m.CertificateAuthorities = append(m.CertificateAuthorities, ca)
	}
	return true
}

// ---- ServerHelloDone (RFC 5246, 7.4.5) ----

// serverHelloDoneMsg ends the server's first flight; it has no body.
type ServerHelloDone struct{}

func (m *ServerHelloDone) Marshal() ([]byte, error) {
	return marshalMessage(TypeServerHelloDone, func(*cryptobyte.Builder) {})
}

func (m *ServerHelloDone) unmarshal(data []byte) bool {
	_, body, ok := messageBody(data, TypeServerHelloDone)
	return ok && body.Empty()
}

// ---- CertificateVerify (RFC 5246, 7.4.8) ----

// certificateVerifyMsg proves the client holds its certificate's key: a
// signature over every handshake message so far.
type CertificateVerify struct {
	Raw             []byte
	SignatureScheme SignatureScheme
	Signature       []byte // <0..2^16-1>
}

func (m *CertificateVerify) Marshal() ([]byte, error) {
	raw, err := marshalMessage(TypeCertificateVerify, func(b *cryptobyte.Builder) {
		b.AddUint16(uint16(m.SignatureScheme))
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.Signature)
		})
	})
	if err != nil {
		return nil, err
	}
	m.Raw = raw
	return raw, nil
}

func (m *CertificateVerify) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, TypeCertificateVerify)
	if !ok {
		return false
	}
	*m = CertificateVerify{Raw: raw}
	var scheme uint16
	if !s.ReadUint16(&scheme) || !readUint16Bytes(&s, &m.Signature) || !s.Empty() {
		return false
	}
	m.SignatureScheme = SignatureScheme(scheme)
	return true
}

// ---- ClientKeyExchange (RFC 5246, 7.4.7) ----

// clientKeyExchangeMsg carries the client's share of the key exchange. Its
// body has no self-describing shape: with RSA it is an
// EncryptedPreMasterSecret opaque<0..2^16-1> (7.4.7.1), with ECDHE a
// ClientECDiffieHellmanPublic opaque<1..2^8-1> (RFC 8422, 5.7), with DHE
// a ClientDiffieHellmanPublic opaque<1..2^16-1> (7.4.7.2). So the
// message keeps the raw body, and the state machine, which knows the key
// exchange, asks for the form it expects.
type ClientKeyExchange struct {
	Raw  []byte
	Body []byte
}

// newRSAClientKeyExchange wraps an RSA-encrypted pre_master_secret. An
// input too long for its 16-bit length leaves body nil, which marshal
// refuses.
func NewRSAClientKeyExchange(encryptedPreMasterSecret []byte) *ClientKeyExchange {
	var b cryptobyte.Builder
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(encryptedPreMasterSecret)
	})
	body, _ := b.Bytes()
	return &ClientKeyExchange{Body: body}
}

// newECDHEClientKeyExchange wraps the client's ephemeral public key. An
// empty key, or one too long for its 8-bit length, leaves body nil, which
// marshal refuses.
func NewECDHEClientKeyExchange(publicKey []byte) *ClientKeyExchange {
	if len(publicKey) == 0 {
		return &ClientKeyExchange{}
	}
	var b cryptobyte.Builder
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(publicKey)
	})
	body, _ := b.Bytes()
	return &ClientKeyExchange{Body: body}
}

// newDHEClientKeyExchange wraps the client's public value, RFC 5246,
// 7.4.7.2's ClientDiffieHellmanPublic dh_Yc<1..2^16-1>. An empty value
// leaves body nil, which marshal refuses.
func NewDHEClientKeyExchange(publicValue []byte) *ClientKeyExchange {
	if len(publicValue) == 0 {
		return &ClientKeyExchange{}
	}
	var b cryptobyte.Builder
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(publicValue)
	})
	body, _ := b.Bytes()
	return &ClientKeyExchange{Body: body}
}

// dhePublicValue reads the body as a ClientDiffieHellmanPublic; false if
// the length prefix and the body disagree or the value is empty.
func (m *ClientKeyExchange) DHEPublicValue() ([]byte, bool) {
	s := cryptobyte.String(m.Body)
	var publicValue []byte
	if !readUint16Bytes(&s, &publicValue) || len(publicValue) == 0 || !s.Empty() {
		return nil, false
	}
	return publicValue, true
}

// rsaEncryptedPreMasterSecret reads the body as an RSA
// EncryptedPreMasterSecret; false if the length prefix and the body
// disagree.
func (m *ClientKeyExchange) RSAEncryptedPreMasterSecret() ([]byte, bool) {
	s := cryptobyte.String(m.Body)
	var encrypted []byte
	if !readUint16Bytes(&s, &encrypted) || !s.Empty() {
		return nil, false
	}
	return encrypted, true
}

// ecdhePublicKey reads the body as a ClientECDiffieHellmanPublic; false if
// the length prefix and the body disagree or the key is empty.
func (m *ClientKeyExchange) ECDHEPublicKey() ([]byte, bool) {
	s := cryptobyte.String(m.Body)
	var publicKey []byte
	if !readUint8Bytes(&s, &publicKey) || len(publicKey) == 0 || !s.Empty() {
		return nil, false
	}
	return publicKey, true
}

func (m *ClientKeyExchange) Marshal() ([]byte, error) {
	// Both supported forms start with a length, so a real body is never
	// empty (the empty "implicit" form of fixed-DH certificates is not
	// supported).
	if len(m.Body) == 0 {
		return nil, marshalError("ClientKeyExchange", "empty body")
	}
	raw, err := marshalMessage(TypeClientKeyExchange, func(b *cryptobyte.Builder) {
		b.AddBytes(m.Body)
	})
	if err != nil {
		return nil, err
	}
	m.Raw = raw
	return raw, nil
}

func (m *ClientKeyExchange) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, TypeClientKeyExchange)
	if !ok || s.Empty() {
		return false
	}
	*m = ClientKeyExchange{Raw: raw, Body: s}
	return true
}

// ---- Finished (RFC 5246, 7.4.9) ----

// finishedMsg carries verify_data, the PRF over the master secret and the
// transcript that proves both sides saw the same handshake.
type Finished struct {
	Raw        []byte
	VerifyData []byte // 12 bytes
}

func (m *Finished) Marshal() ([]byte, error) {
	if len(m.VerifyData) != VerifyDataLen {
		return nil, marshalError("Finished", "verify_data is %d bytes, want %d", len(m.VerifyData), VerifyDataLen)
	}
	raw, err := marshalMessage(TypeFinished, func(b *cryptobyte.Builder) {
		b.AddBytes(m.VerifyData)
	})
	if err != nil {
		return nil, err
	}
	m.Raw = raw
	return raw, nil
}

func (m *Finished) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, TypeFinished)
	// RFC 5246, 7.4.9: opaque verify_data[verify_data_length], and every
	// TLS 1.2 suite we implement keeps the default length of 12.
	if !ok || len(s) != VerifyDataLen {
		return false
	}
	*m = Finished{Raw: raw, VerifyData: s}
	return true
}

// ---- NewSessionTicket (RFC 5077, 3.3) ----

// newSessionTicketMsg hands the client an opaque ticket to resume with,
// and a hint (in seconds, 0 = unspecified) of how long to keep it.
type NewSessionTicket struct {
	Raw          []byte
	LifetimeHint uint32
	Ticket       []byte // <0..2^16-1>; empty: the server changed its mind
}

func (m *NewSessionTicket) Marshal() ([]byte, error) {
	raw, err := marshalMessage(TypeNewSessionTicket, func(b *cryptobyte.Builder) {
		b.AddUint32(m.LifetimeHint)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.Ticket)
		})
	})
	if err != nil {
		return nil, err
	}
	m.Raw = raw
	return raw, nil
}

func (m *NewSessionTicket) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, TypeNewSessionTicket)
	if !ok {
		return false
	}
	*m = NewSessionTicket{Raw: raw}
	return s.ReadUint32(&m.LifetimeHint) && readUint16Bytes(&s, &m.Ticket) && s.Empty()
}
