package handshake

import (
	"bytes"
	"fmt"

	"golang.org/x/crypto/cryptobyte"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// HandshakeType values (RFC 5246, 7.4; NewSessionTicket from RFC 5077, 3.3).
const (
	typeHelloRequest       uint8 = 0
	typeClientHello        uint8 = 1
	typeServerHello        uint8 = 2
	typeNewSessionTicket   uint8 = 4
	typeCertificate        uint8 = 11
	typeServerKeyExchange  uint8 = 12
	typeCertificateRequest uint8 = 13
	typeServerHelloDone    uint8 = 14
	typeCertificateVerify  uint8 = 15
	typeClientKeyExchange  uint8 = 16
	typeFinished           uint8 = 20
	typeCertificateStatus  uint8 = 22 // RFC 6066, 8
)

// compressionNone is CompressionMethod null (RFC 5246, 7.4.1.2), the only
// one glasstls speaks: compression before encryption leaks plaintext (CRIME).
const compressionNone uint8 = 0

// curveTypeNamedCurve is ECCurveType named_curve (RFC 8422, 5.4), the only
// curve type RFC 8422 still allows.
const curveTypeNamedCurve uint8 = 3

// Fixed sizes from RFC 5246.
const (
	handshakeHeaderLen = 4  // 7.4: msg_type (1 byte) + length (uint24)
	randomLen          = 32 // 7.4.1.2: Random is 32 bytes
	maxSessionIDLen    = 32 // 7.4.1.2: SessionID <0..32>
	verifyDataLen      = 12 // 7.4.9: verify_data_length for every TLS 1.2 suite glasstls has
)

// handshakeMessage is one handshake message, in both directions.
type handshakeMessage interface {
	// marshal returns the whole message, 4-byte header included, and
	// remembers it in the message's raw field. It errors if a field
	// breaks a length rule of the RFC (e.g. a 33-byte session ID).
	marshal() ([]byte, error)
	// unmarshal decodes data, the whole message including its header,
	// and reports false if any byte is missing, left over or invalid.
	// The message keeps a private copy of data, so the caller may reuse
	// its buffer.
	unmarshal(data []byte) bool
}

// messageName returns the RFC 5246 name of a handshake type, e.g.
// "ClientHello", for errors and traces.
func messageName(typ uint8) string {
	switch typ {
	case typeHelloRequest:
		return "HelloRequest"
	case typeClientHello:
		return "ClientHello"
	case typeServerHello:
		return "ServerHello"
	case typeNewSessionTicket:
		return "NewSessionTicket"
	case typeCertificate:
		return "Certificate"
	case typeServerKeyExchange:
		return "ServerKeyExchange"
	case typeCertificateRequest:
		return "CertificateRequest"
	case typeServerHelloDone:
		return "ServerHelloDone"
	case typeCertificateVerify:
		return "CertificateVerify"
	case typeClientKeyExchange:
		return "ClientKeyExchange"
	case typeFinished:
		return "Finished"
	case typeCertificateStatus:
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
func parseHandshakeMessage(data []byte, keyExchange cipher.KeyExchange) (handshakeMessage, error) {
	if len(data) < handshakeHeaderLen {
		return nil, record.Errorf(record.AlertDecodeError, "handshake message of %d bytes is shorter than its header", len(data))
	}
	var msg handshakeMessage
	switch data[0] {
	case typeHelloRequest:
		msg = new(helloRequestMsg)
	case typeClientHello:
		msg = new(clientHelloMsg)
	case typeServerHello:
		msg = new(serverHelloMsg)
	case typeNewSessionTicket:
		msg = new(newSessionTicketMsg)
	case typeCertificate:
		msg = new(certificateMsg)
	case typeServerKeyExchange:
		msg = &serverKeyExchangeMsg{keyExchange: keyExchange}
	case typeCertificateRequest:
		msg = new(certificateRequestMsg)
	case typeServerHelloDone:
		msg = new(serverHelloDoneMsg)
	case typeCertificateVerify:
		msg = new(certificateVerifyMsg)
	case typeClientKeyExchange:
		msg = new(clientKeyExchangeMsg)
	case typeFinished:
		msg = new(finishedMsg)
	case typeCertificateStatus:
		msg = new(certificateStatusMsg)
	default:
		return nil, record.Errorf(record.AlertUnexpectedMessage, "unexpected handshake message type %d", data[0])
	}
	if !msg.unmarshal(data) {
		return nil, record.Errorf(record.AlertDecodeError, "malformed %s", messageName(data[0]))
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
		return nil, fmt.Errorf("handshake: marshaling %s: %w", messageName(typ), err)
	}
	return out, nil
}

// messageBody checks that data is exactly one message of type typ and
// returns a private copy of data (to keep as raw) and the body within it.
// Every field the parsers hand out is a sub-slice of that copy.
func messageBody(data []byte, typ uint8) (raw []byte, body cryptobyte.String, ok bool) {
	if len(data) < handshakeHeaderLen || data[0] != typ {
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
type helloRequestMsg struct{}

func (m *helloRequestMsg) marshal() ([]byte, error) {
	return marshalMessage(typeHelloRequest, func(*cryptobyte.Builder) {})
}

func (m *helloRequestMsg) unmarshal(data []byte) bool {
	_, body, ok := messageBody(data, typeHelloRequest)
	return ok && body.Empty()
}

// ---- ClientHello (RFC 5246, 7.4.1.2) ----

// clientHelloMsg is the client's opening message: its version, random,
// offered session, cipher suites, compression methods and extensions.
type clientHelloMsg struct {
	raw                []byte // the whole message as received/sent (set by both marshal and unmarshal)
	vers               uint16
	random             []byte // 32 bytes
	sessionID          []byte // <0..32>
	cipherSuites       []uint16
	compressionMethods []uint8

	serverName                   string // host_name of server_name (RFC 6066, 3)
	ocspStapling                 bool   // status_request for an OCSP response (RFC 6066, 8)
	supportedCurves              []cipher.CurveID
	supportedPoints              []uint8
	supportedSignatureAlgorithms []SignatureScheme
	ticketSupported              bool   // session_ticket extension present (RFC 5077, 3.2)
	sessionTicket                []byte // its content, empty when asking for a new ticket
	secureRenegotiationSupported bool   // renegotiation_info extension present (RFC 5746, 3.2)
	secureRenegotiation          []byte // renegotiated_connection, empty on an initial handshake
	alpnProtocols                []string
	extendedMasterSecret         bool
	encryptThenMAC               bool
	supportedVersions            []uint16 // supported_versions of a TLS 1.3 client (RFC 8446, 4.2.1)
	extensions                   []uint16 // extension types in the order received; set by unmarshal
}

func (m *clientHelloMsg) marshal() ([]byte, error) {
	switch {
	case len(m.random) != randomLen:
		return nil, marshalError("ClientHello", "random is %d bytes, want %d", len(m.random), randomLen)
	case len(m.sessionID) > maxSessionIDLen:
		return nil, marshalError("ClientHello", "session ID is %d bytes, at most %d allowed", len(m.sessionID), maxSessionIDLen)
	case len(m.cipherSuites) == 0:
		// RFC 5246, 7.4.1.2: CipherSuite cipher_suites<2..2^16-2>.
		return nil, marshalError("ClientHello", "no cipher suites")
	case len(m.compressionMethods) == 0:
		// RFC 5246, 7.4.1.2: CompressionMethod compression_methods<1..2^8-1>.
		return nil, marshalError("ClientHello", "no compression methods")
	}
	extensions, err := m.marshalExtensions()
	if err != nil {
		return nil, err
	}
	raw, err := marshalMessage(typeClientHello, func(b *cryptobyte.Builder) {
		b.AddUint16(m.vers)
		b.AddBytes(m.random)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.sessionID)
		})
		addUint16List(b, m.cipherSuites)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.compressionMethods)
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
	m.raw = raw
	return raw, nil
}

func (m *clientHelloMsg) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, typeClientHello)
	if !ok {
		return false
	}
	*m = clientHelloMsg{raw: raw}
	if !s.ReadUint16(&m.vers) || !s.ReadBytes(&m.random, randomLen) ||
		!readUint8Bytes(&s, &m.sessionID) || len(m.sessionID) > maxSessionIDLen ||
		!readUint16List(&s, &m.cipherSuites) ||
		!readUint8Bytes(&s, &m.compressionMethods) || len(m.compressionMethods) == 0 {
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
	return parseExtensions(block, &m.extensions, m.unmarshalExtension)
}

// ---- ServerHello (RFC 5246, 7.4.1.3) ----

// serverHelloMsg is the server's choice: version, random, session, one
// cipher suite, one compression method, and the extensions it accepts.
type serverHelloMsg struct {
	raw               []byte // the whole message as received/sent
	vers              uint16
	random            []byte // 32 bytes
	sessionID         []byte // <0..32>
	cipherSuite       uint16
	compressionMethod uint8

	serverNameAck                bool // empty server_name extension (RFC 6066, 3)
	ocspStapling                 bool // empty status_request: a CertificateStatus may follow Certificate (RFC 6066, 8)
	supportedPoints              []uint8
	ticketSupported              bool // empty session_ticket extension: a NewSessionTicket will follow
	secureRenegotiationSupported bool
	secureRenegotiation          []byte // client_verify_data + server_verify_data when renegotiating
	alpnProtocol                 string // the one protocol chosen (RFC 7301, 3.1)
	extendedMasterSecret         bool
	encryptThenMAC               bool
	extensions                   []uint16 // extension types in the order received; set by unmarshal
}

func (m *serverHelloMsg) marshal() ([]byte, error) {
	switch {
	case len(m.random) != randomLen:
		return nil, marshalError("ServerHello", "random is %d bytes, want %d", len(m.random), randomLen)
	case len(m.sessionID) > maxSessionIDLen:
		return nil, marshalError("ServerHello", "session ID is %d bytes, at most %d allowed", len(m.sessionID), maxSessionIDLen)
	}
	extensions, err := m.marshalExtensions()
	if err != nil {
		return nil, err
	}
	raw, err := marshalMessage(typeServerHello, func(b *cryptobyte.Builder) {
		b.AddUint16(m.vers)
		b.AddBytes(m.random)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.sessionID)
		})
		b.AddUint16(m.cipherSuite)
		b.AddUint8(m.compressionMethod)
		if len(extensions) > 0 {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddBytes(extensions)
			})
		}
	})
	if err != nil {
		return nil, err
	}
	m.raw = raw
	return raw, nil
}

func (m *serverHelloMsg) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, typeServerHello)
	if !ok {
		return false
	}
	*m = serverHelloMsg{raw: raw}
	if !s.ReadUint16(&m.vers) || !s.ReadBytes(&m.random, randomLen) ||
		!readUint8Bytes(&s, &m.sessionID) || len(m.sessionID) > maxSessionIDLen ||
		!s.ReadUint16(&m.cipherSuite) || !s.ReadUint8(&m.compressionMethod) {
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
	return parseExtensions(block, &m.extensions, m.unmarshalExtension)
}

// ---- Certificate (RFC 5246, 7.4.2 and 7.4.6) ----

// certificateMsg carries a certificate chain, leaf first, each entry an
// ASN.1 DER certificate. A client without a certificate sends an empty list.
type certificateMsg struct {
	raw          []byte
	certificates [][]byte
}

func (m *certificateMsg) marshal() ([]byte, error) {
	for i, cert := range m.certificates {
		// RFC 5246, 7.4.2: opaque ASN.1Cert<1..2^24-1>.
		if len(cert) == 0 {
			return nil, marshalError("Certificate", "certificate %d is empty", i)
		}
	}
	raw, err := marshalMessage(typeCertificate, func(b *cryptobyte.Builder) {
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, cert := range m.certificates {
				b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
					b.AddBytes(cert)
				})
			}
		})
	})
	if err != nil {
		return nil, err
	}
	m.raw = raw
	return raw, nil
}

func (m *certificateMsg) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, typeCertificate)
	if !ok {
		return false
	}
	*m = certificateMsg{raw: raw}
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
		m.certificates = append(m.certificates, cert)
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
type serverKeyExchangeMsg struct {
	raw         []byte
	keyExchange cipher.KeyExchange // which form; 0 is read as KeyExchangeECDHE

	// ECDHE (ServerECDHParams).
	curveType uint8 // must be curveTypeNamedCurve
	curve     cipher.CurveID
	publicKey []byte // ECPoint point <1..2^8-1>

	// DHE (ServerDHParams): big-endian integers.
	dhP, dhG, dhYs []byte

	signatureScheme SignatureScheme
	signature       []byte // <0..2^16-1>
}

// form is the key exchange this message is read and written as. Key
// exchanges without a ServerKeyExchange of their own (RSA, or none
// negotiated yet) read it as ECDHE, so that a stray one parses and the
// state machine refuses it as unexpected_message.
func (m *serverKeyExchangeMsg) form() cipher.KeyExchange {
	if m.keyExchange == cipher.KeyExchangeDHE {
		return m.keyExchange
	}
	return cipher.KeyExchangeECDHE
}

// params returns the ServerECDHParams or ServerDHParams bytes, the part
// that is signed together with the two randoms (RFC 8422, 5.4; RFC 5246,
// 7.4.3). It returns nil if a field is too long to encode.
func (m *serverKeyExchangeMsg) params() []byte {
	var b cryptobyte.Builder
	m.addParams(&b)
	out, err := b.Bytes()
	if err != nil {
		return nil
	}
	return out
}

// addParams writes the params of the message's form.
func (m *serverKeyExchangeMsg) addParams(b *cryptobyte.Builder) {
	if m.form() == cipher.KeyExchangeDHE {
		for _, v := range [][]byte{m.dhP, m.dhG, m.dhYs} {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddBytes(v)
			})
		}
		return
	}
	b.AddUint8(m.curveType)
	b.AddUint16(uint16(m.curve))
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(m.publicKey)
	})
}

func (m *serverKeyExchangeMsg) marshal() ([]byte, error) {
	switch m.form() {
	case cipher.KeyExchangeECDHE:
		switch {
		case m.curveType != curveTypeNamedCurve:
			return nil, marshalError("ServerKeyExchange", "curve type %d, only named_curve (3) is allowed", m.curveType)
		case len(m.publicKey) == 0:
			return nil, marshalError("ServerKeyExchange", "empty public key")
		}
	case cipher.KeyExchangeDHE:
		if len(m.dhP) == 0 || len(m.dhG) == 0 || len(m.dhYs) == 0 {
			return nil, marshalError("ServerKeyExchange", "empty dh_p, dh_g or dh_Ys")
		}
	}
	raw, err := marshalMessage(typeServerKeyExchange, func(b *cryptobyte.Builder) {
		m.addParams(b)
		// RFC 5246, 4.7: a TLS 1.2 digitally-signed element starts with
		// the SignatureAndHashAlgorithm.
		b.AddUint16(uint16(m.signatureScheme))
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.signature)
		})
	})
	if err != nil {
		return nil, err
	}
	m.raw = raw
	return raw, nil
}

// unmarshal reads data in the form m.keyExchange names (set it before
// calling; parseHandshakeMessage does).
func (m *serverKeyExchangeMsg) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, typeServerKeyExchange)
	if !ok {
		return false
	}
	*m = serverKeyExchangeMsg{raw: raw, keyExchange: m.keyExchange}
	switch m.form() {
	case cipher.KeyExchangeECDHE:
		var curve uint16
		if !s.ReadUint8(&m.curveType) || m.curveType != curveTypeNamedCurve ||
			!s.ReadUint16(&curve) ||
			!readUint8Bytes(&s, &m.publicKey) || len(m.publicKey) == 0 {
			return false
		}
		m.curve = cipher.CurveID(curve)
	case cipher.KeyExchangeDHE:
		// Each of dh_p, dh_g, dh_Ys is <1..2^16-1>.
		if !readUint16Bytes(&s, &m.dhP) || len(m.dhP) == 0 ||
			!readUint16Bytes(&s, &m.dhG) || len(m.dhG) == 0 ||
			!readUint16Bytes(&s, &m.dhYs) || len(m.dhYs) == 0 {
			return false
		}
	}
	var scheme uint16
	if !s.ReadUint16(&scheme) || !readUint16Bytes(&s, &m.signature) || !s.Empty() {
		return false
	}
	m.signatureScheme = SignatureScheme(scheme)
	return true
}

// ---- CertificateRequest (RFC 5246, 7.4.4) ----

// certificateRequestMsg asks the client for a certificate of one of the
// given types, signed with one of the given schemes, issued by one of the
// given CAs (DER-encoded distinguished names; empty means any).
type certificateRequestMsg struct {
	raw                          []byte
	certificateTypes             []uint8
	supportedSignatureAlgorithms []SignatureScheme
	certificateAuthorities       [][]byte
}

func (m *certificateRequestMsg) marshal() ([]byte, error) {
	switch {
	case len(m.certificateTypes) == 0:
		// ClientCertificateType certificate_types<1..2^8-1>.
		return nil, marshalError("CertificateRequest", "no certificate types")
	case len(m.supportedSignatureAlgorithms) == 0:
		// SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>.
		return nil, marshalError("CertificateRequest", "no signature algorithms")
	}
	for i, ca := range m.certificateAuthorities {
		// opaque DistinguishedName<1..2^16-1>.
		if len(ca) == 0 {
			return nil, marshalError("CertificateRequest", "certificate authority %d is empty", i)
		}
	}
	raw, err := marshalMessage(typeCertificateRequest, func(b *cryptobyte.Builder) {
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.certificateTypes)
		})
		addUint16List(b, m.supportedSignatureAlgorithms)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, ca := range m.certificateAuthorities {
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
					b.AddBytes(ca)
				})
			}
		})
	})
	if err != nil {
		return nil, err
	}
	m.raw = raw
	return raw, nil
}

func (m *certificateRequestMsg) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, typeCertificateRequest)
	if !ok {
		return false
	}
	*m = certificateRequestMsg{raw: raw}
	var authorities cryptobyte.String
	if !readUint8Bytes(&s, &m.certificateTypes) || len(m.certificateTypes) == 0 ||
		!readUint16List(&s, &m.supportedSignatureAlgorithms) ||
		// DistinguishedName certificate_authorities<0..2^16-1>.
		!s.ReadUint16LengthPrefixed(&authorities) || !s.Empty() {
		return false
	}
	for !authorities.Empty() {
		var ca []byte
		if !readUint16Bytes(&authorities, &ca) || len(ca) == 0 {
			return false
		}
		m.certificateAuthorities = append(m.certificateAuthorities, ca)
	}
	return true
}

// ---- ServerHelloDone (RFC 5246, 7.4.5) ----

// serverHelloDoneMsg ends the server's first flight; it has no body.
type serverHelloDoneMsg struct{}

func (m *serverHelloDoneMsg) marshal() ([]byte, error) {
	return marshalMessage(typeServerHelloDone, func(*cryptobyte.Builder) {})
}

func (m *serverHelloDoneMsg) unmarshal(data []byte) bool {
	_, body, ok := messageBody(data, typeServerHelloDone)
	return ok && body.Empty()
}

// ---- CertificateVerify (RFC 5246, 7.4.8) ----

// certificateVerifyMsg proves the client holds its certificate's key: a
// signature over every handshake message so far.
type certificateVerifyMsg struct {
	raw             []byte
	signatureScheme SignatureScheme
	signature       []byte // <0..2^16-1>
}

func (m *certificateVerifyMsg) marshal() ([]byte, error) {
	raw, err := marshalMessage(typeCertificateVerify, func(b *cryptobyte.Builder) {
		b.AddUint16(uint16(m.signatureScheme))
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.signature)
		})
	})
	if err != nil {
		return nil, err
	}
	m.raw = raw
	return raw, nil
}

func (m *certificateVerifyMsg) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, typeCertificateVerify)
	if !ok {
		return false
	}
	*m = certificateVerifyMsg{raw: raw}
	var scheme uint16
	if !s.ReadUint16(&scheme) || !readUint16Bytes(&s, &m.signature) || !s.Empty() {
		return false
	}
	m.signatureScheme = SignatureScheme(scheme)
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
type clientKeyExchangeMsg struct {
	raw  []byte
	body []byte
}

// newRSAClientKeyExchange wraps an RSA-encrypted pre_master_secret. An
// input too long for its 16-bit length leaves body nil, which marshal
// refuses.
func newRSAClientKeyExchange(encryptedPreMasterSecret []byte) *clientKeyExchangeMsg {
	var b cryptobyte.Builder
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(encryptedPreMasterSecret)
	})
	body, _ := b.Bytes()
	return &clientKeyExchangeMsg{body: body}
}

// newECDHEClientKeyExchange wraps the client's ephemeral public key. An
// empty key, or one too long for its 8-bit length, leaves body nil, which
// marshal refuses.
func newECDHEClientKeyExchange(publicKey []byte) *clientKeyExchangeMsg {
	if len(publicKey) == 0 {
		return &clientKeyExchangeMsg{}
	}
	var b cryptobyte.Builder
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(publicKey)
	})
	body, _ := b.Bytes()
	return &clientKeyExchangeMsg{body: body}
}

// newDHEClientKeyExchange wraps the client's public value, RFC 5246,
// 7.4.7.2's ClientDiffieHellmanPublic dh_Yc<1..2^16-1>. An empty value
// leaves body nil, which marshal refuses.
func newDHEClientKeyExchange(publicValue []byte) *clientKeyExchangeMsg {
	if len(publicValue) == 0 {
		return &clientKeyExchangeMsg{}
	}
	var b cryptobyte.Builder
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(publicValue)
	})
	body, _ := b.Bytes()
	return &clientKeyExchangeMsg{body: body}
}

// dhePublicValue reads the body as a ClientDiffieHellmanPublic; false if
// the length prefix and the body disagree or the value is empty.
func (m *clientKeyExchangeMsg) dhePublicValue() ([]byte, bool) {
	s := cryptobyte.String(m.body)
	var publicValue []byte
	if !readUint16Bytes(&s, &publicValue) || len(publicValue) == 0 || !s.Empty() {
		return nil, false
	}
	return publicValue, true
}

// rsaEncryptedPreMasterSecret reads the body as an RSA
// EncryptedPreMasterSecret; false if the length prefix and the body
// disagree.
func (m *clientKeyExchangeMsg) rsaEncryptedPreMasterSecret() ([]byte, bool) {
	s := cryptobyte.String(m.body)
	var encrypted []byte
	if !readUint16Bytes(&s, &encrypted) || !s.Empty() {
		return nil, false
	}
	return encrypted, true
}

// ecdhePublicKey reads the body as a ClientECDiffieHellmanPublic; false if
// the length prefix and the body disagree or the key is empty.
func (m *clientKeyExchangeMsg) ecdhePublicKey() ([]byte, bool) {
	s := cryptobyte.String(m.body)
	var publicKey []byte
	if !readUint8Bytes(&s, &publicKey) || len(publicKey) == 0 || !s.Empty() {
		return nil, false
	}
	return publicKey, true
}

func (m *clientKeyExchangeMsg) marshal() ([]byte, error) {
	// Both supported forms start with a length, so a real body is never
	// empty (the empty "implicit" form of fixed-DH certificates is not
	// supported).
	if len(m.body) == 0 {
		return nil, marshalError("ClientKeyExchange", "empty body")
	}
	raw, err := marshalMessage(typeClientKeyExchange, func(b *cryptobyte.Builder) {
		b.AddBytes(m.body)
	})
	if err != nil {
		return nil, err
	}
	m.raw = raw
	return raw, nil
}

func (m *clientKeyExchangeMsg) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, typeClientKeyExchange)
	if !ok || s.Empty() {
		return false
	}
	*m = clientKeyExchangeMsg{raw: raw, body: s}
	return true
}

// ---- Finished (RFC 5246, 7.4.9) ----

// finishedMsg carries verify_data, the PRF over the master secret and the
// transcript that proves both sides saw the same handshake.
type finishedMsg struct {
	raw        []byte
	verifyData []byte // 12 bytes
}

func (m *finishedMsg) marshal() ([]byte, error) {
	if len(m.verifyData) != verifyDataLen {
		return nil, marshalError("Finished", "verify_data is %d bytes, want %d", len(m.verifyData), verifyDataLen)
	}
	raw, err := marshalMessage(typeFinished, func(b *cryptobyte.Builder) {
		b.AddBytes(m.verifyData)
	})
	if err != nil {
		return nil, err
	}
	m.raw = raw
	return raw, nil
}

func (m *finishedMsg) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, typeFinished)
	// RFC 5246, 7.4.9: opaque verify_data[verify_data_length], and every
	// TLS 1.2 suite we implement keeps the default length of 12.
	if !ok || len(s) != verifyDataLen {
		return false
	}
	*m = finishedMsg{raw: raw, verifyData: s}
	return true
}

// ---- NewSessionTicket (RFC 5077, 3.3) ----

// newSessionTicketMsg hands the client an opaque ticket to resume with,
// and a hint (in seconds, 0 = unspecified) of how long to keep it.
type newSessionTicketMsg struct {
	raw          []byte
	lifetimeHint uint32
	ticket       []byte // <0..2^16-1>; empty: the server changed its mind
}

func (m *newSessionTicketMsg) marshal() ([]byte, error) {
	raw, err := marshalMessage(typeNewSessionTicket, func(b *cryptobyte.Builder) {
		b.AddUint32(m.lifetimeHint)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(m.ticket)
		})
	})
	if err != nil {
		return nil, err
	}
	m.raw = raw
	return raw, nil
}

func (m *newSessionTicketMsg) unmarshal(data []byte) bool {
	raw, s, ok := messageBody(data, typeNewSessionTicket)
	if !ok {
		return false
	}
	*m = newSessionTicketMsg{raw: raw}
	return s.ReadUint32(&m.lifetimeHint) && readUint16Bytes(&s, &m.ticket) && s.Empty()
}
