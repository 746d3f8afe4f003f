package wire

import (
	"bytes"
	"crypto/x509"
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

// Message is one handshake message, in both directions.
type Message interface {
	// Type is the message's HandshakeType.
	Type() uint8
	// Marshal returns the whole message, 4-byte header included, and
	// remembers it in the message's Raw field. It errors if a field
	// breaks a length rule of the RFC (e.g. a 33-byte session ID).
	Marshal() ([]byte, error)
	// decode reads the body (the header is read already) into the
	// message, which keeps sub-slices of d.data; Parse and Describe share it.
	decode(d *decoder)
}

// messageTypes is every handshake message glasstls knows, the one table to
// extend with a new message: its type, its RFC name, and an empty message to
// parse into.
func messageTypes(typ uint8) (name string, newMessage func() Message) {
	switch typ {
	case TypeHelloRequest:
		return "HelloRequest", func() Message { return new(HelloRequest) }
	case TypeClientHello:
		return "ClientHello", func() Message { return new(ClientHello) }
	case TypeServerHello:
		return "ServerHello", func() Message { return new(ServerHello) }
	case TypeNewSessionTicket:
		return "NewSessionTicket", func() Message { return new(NewSessionTicket) }
	case TypeCertificate:
		return "Certificate", func() Message { return new(Certificate) }
	case TypeServerKeyExchange:
		return "ServerKeyExchange", func() Message { return new(ServerKeyExchange) }
	case TypeCertificateRequest:
		return "CertificateRequest", func() Message { return new(CertificateRequest) }
	case TypeServerHelloDone:
		return "ServerHelloDone", func() Message { return new(ServerHelloDone) }
	case TypeCertificateVerify:
		return "CertificateVerify", func() Message { return new(CertificateVerify) }
	case TypeClientKeyExchange:
		return "ClientKeyExchange", func() Message { return new(ClientKeyExchange) }
	case TypeFinished:
		return "Finished", func() Message { return new(Finished) }
	case TypeCertificateStatus:
		return "CertificateStatus", func() Message { return new(CertificateStatus) }
	}
	return fmt.Sprintf("HandshakeType(%d)", typ), nil
}

// MessageName returns the RFC 5246 name of a handshake type, e.g.
// "ClientHello", for errors and traces.
func MessageName(typ uint8) string {
	name, _ := messageTypes(typ)
	return name
}

// Parse decodes one whole handshake message, header included, into a
// pointer to its message struct (*ClientHello, ...). The message keeps a
// private copy of data, so the caller may reuse its buffer. A type
// glasstls never expects is an unexpected_message alert; a message that
// does not decode is decode_error (RFC 5246, 7.2.2).
//
// keyExchange is the negotiated suite's (0 before ServerHello): RFC 5246,
// 7.4.3's ServerKeyExchange is a select on it, not self-describing.
func Parse(data []byte, keyExchange cipher.KeyExchange) (Message, error) {
	if len(data) < MessageHeaderLen {
		return nil, record.Errorf(record.AlertDecodeError, "handshake message of %d bytes is shorter than its header", len(data))
	}
	name, newMessage := messageTypes(data[0])
	if newMessage == nil {
		return nil, record.Errorf(record.AlertUnexpectedMessage, "unexpected handshake message type %d", data[0])
	}
	msg := newMessage()
	d := newDecoder(bytes.Clone(data), false)
	d.keyExchange = keyExchange
	decodeMessage(d, msg)
	if !d.ok() {
		return nil, record.Errorf(record.AlertDecodeError, "malformed %s", name)
	}
	return msg, nil
}

// Describe labels every byte of a whole handshake message, header
// included, with the names RFC 5246 gives its fields: the fields Parse
// reads, read by the same code. It never fails: bytes it cannot decode are
// labelled "unparsed". kx is the negotiated key exchange (0 if not known
// yet): it says how to read a ServerKeyExchange and a ClientKeyExchange.
func Describe(msg []byte, kx cipher.KeyExchange) []Field {
	d := newDecoder(msg, true)
	d.keyExchange = kx
	var m Message
	if len(msg) > 0 {
		if _, newMessage := messageTypes(msg[0]); newMessage != nil {
			m = newMessage()
		}
	}
	decodeMessage(d, m)
	return d.fields
}

// decodeMessage reads RFC 5246, 7.4's
// struct { HandshakeType msg_type; uint24 length; body } Handshake
// with msg decoding the body (nil: a type glasstls does not know).
func decodeMessage(d *decoder, msg Message) {
	var typ uint8
	var length uint32
	d.uint8(&typ, "msg_type", messageTypeValue, "HandshakeType")
	if v, ok := d.uint(3, "length", nil, "bytes of body that follow"); ok {
		length = uint32(v)
	}
	d.check(int(length) == d.end-d.off)
	if msg != nil && !d.bad && d.check(typ == msg.Type()) {
		msg.decode(d)
	}
	d.finish()
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

// marshalError reports a field that breaks a length rule, so Marshal never
// produces a message that our own parser (or a peer's) would refuse.
func marshalError(msg, format string, args ...any) error {
	return fmt.Errorf("handshake: cannot marshal "+msg+": "+format, args...)
}

// ---- HelloRequest (RFC 5246, 7.4.1.1) ----

// HelloRequest asks the client to start a new handshake; it has no body.
type HelloRequest struct{}

func (m *HelloRequest) Marshal() ([]byte, error) {
	return marshalMessage(TypeHelloRequest, func(*cryptobyte.Builder) {})
}

func (m *HelloRequest) Type() uint8     { return TypeHelloRequest }
func (m *HelloRequest) decode(*decoder) {}

// ---- ClientHello (RFC 5246, 7.4.1.2) ----

// ClientHello is the client's opening message: its version, random,
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

// randomNote explains Random (RFC 5246, 7.4.1.2) in both hellos.
const randomNote = "Random (RFC 5246, 7.4.1.2): gmt_unix_time (4 bytes) + random_bytes (28); glasstls, like OpenSSL and crypto/tls, sends 32 random bytes, as a clock here fingerprints the host and nothing needs it. Feeds the master secret and key block"

func (m *ClientHello) Type() uint8 { return TypeClientHello }

func (m *ClientHello) decode(d *decoder) {
	*m = ClientHello{Raw: d.data}
	d.uint16(&m.Vers, "client_version", versionValue, "")
	d.bytes(&m.Random, RandomLen, "random", randomNote)
	d.opaque(1, &m.SessionID, "session_id", "names a session to resume (RFC 5246, 7.4.1.2)")
	d.check(len(m.SessionID) <= MaxSessionIDLen)
	// RFC 5246, 7.4.1.2: CipherSuite cipher_suites<2..2^16-2>;
	// CompressionMethod compression_methods<1..2^8-1>.
	uint16List(d, 2, &m.CipherSuites, "cipher_suites", "offered, most preferred first", "CipherSuite", suiteValue)
	d.check(len(m.CipherSuites) > 0)
	d.uint8List(1, &m.CompressionMethods, "compression_methods", "", "CompressionMethod", compressionValue)
	d.check(len(m.CompressionMethods) > 0)
	// "the presence of extensions can be detected by determining whether
	// there are bytes following the compression_methods".
	if d.more() {
		decodeExtensions(d, &m.Extensions, m.decodeExtension)
	}
}

// ---- ServerHello (RFC 5246, 7.4.1.3) ----

// ServerHello is the server's choice: version, random, session, one
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

func (m *ServerHello) Type() uint8 { return TypeServerHello }

func (m *ServerHello) decode(d *decoder) {
	*m = ServerHello{Raw: d.data}
	d.uint16(&m.Vers, "server_version", versionValue, "")
	d.bytes(&m.Random, RandomLen, "random", randomNote)
	d.opaque(1, &m.SessionID, "session_id", "names a session to resume (RFC 5246, 7.4.1.2)")
	d.check(len(m.SessionID) <= MaxSessionIDLen)
	d.uint16(&m.CipherSuite, "cipher_suite", suiteValue, "the server's choice")
	d.uint8(&m.CompressionMethod, "compression_method", compressionValue, "")
	// RFC 5246, 7.4.1.3: as in the ClientHello, extensions are optional.
	if d.more() {
		decodeExtensions(d, &m.Extensions, m.decodeExtension)
	}
}

// ---- Certificate (RFC 5246, 7.4.2 and 7.4.6) ----

// Certificate carries a certificate chain, leaf first, each entry an
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

func (m *Certificate) Type() uint8 { return TypeCertificate }

func (m *Certificate) decode(d *decoder) {
	*m = Certificate{Raw: d.data}
	// RFC 5246, 7.4.2: ASN.1Cert certificate_list<0..2^24-1>;
	// opaque ASN.1Cert<1..2^24-1>.
	list := d.open(3)
	for d.more() {
		var cert []byte
		if d.opaque(3, &cert, "ASN.1Cert", "") && d.check(len(cert) > 0) {
			m.Certificates = append(m.Certificates, cert)
			if f := d.last(); f != nil {
				f.Note = describeCertificate(cert)
			}
		}
	}
	d.close(list, "certificate_list", "the chain, leaf first (RFC 5246, 7.4.2)")
}

// describeCertificate names a certificate's subject, issuer and validity,
// for the trace.
func describeCertificate(der []byte) string {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("subject %q, issuer %q, valid %s to %s", cert.Subject.String(), cert.Issuer.String(),
		cert.NotBefore.UTC().Format("2006-01-02"), cert.NotAfter.UTC().Format("2006-01-02"))
}

// ---- ServerKeyExchange (RFC 5246, 7.4.3; ECDHE form from RFC 8422, 5.4) ----

// ServerKeyExchange is the server's share of an ephemeral key exchange.
// RFC 5246, 7.4.3 defines it as a select on the negotiated
// KeyExchangeAlgorithm, so its shape is not in its bytes: the parser is
// told the key exchange (KeyExchange; zero means ECDHE) and reads one of
//
//	ECDHE:     ServerECDHParams  { curve_type, namedcurve, public<1..2^8-1> }   RFC 8422, 5.4
//	DHE:       ServerDHParams    { dh_p<1..2^16-1>, dh_g<1..2^16-1>, dh_Ys<1..2^16-1> }   RFC 5246, 7.4.3
//	PSK:       psk_identity_hint<0..2^16-1>                                     RFC 4279, 2
//	ECDHE_PSK: psk_identity_hint<0..2^16-1>, ServerECDHParams                    RFC 5489, 2
//
// ECDHE and DHE end with the signature over client_random + server_random +
// params; the PSK forms have none (the key authenticates the server).
type ServerKeyExchange struct {
	Raw         []byte
	KeyExchange cipher.KeyExchange // which form; 0 is read as KeyExchangeECDHE

	// ECDHE (ServerECDHParams).
	CurveType uint8 // must be curveTypeNamedCurve
	Curve     cipher.CurveID
	PublicKey []byte // ECPoint point <1..2^8-1>

	// DHE (ServerDHParams): big-endian integers.
	DHP, DHG, DHYs []byte

	// PSK and ECDHE_PSK: a hint to help the client pick its identity.
	PSKIdentityHint []byte

	SignatureScheme SignatureScheme
	Signature       []byte // <0..2^16-1>
}

// form is the key exchange this message is read and written as. Key
// exchanges without a ServerKeyExchange of their own (RSA, or none
// negotiated yet) read it as ECDHE, so that a stray one parses and the
// state machine refuses it as unexpected_message.
func (m *ServerKeyExchange) form() cipher.KeyExchange {
	switch m.KeyExchange {
	case cipher.KeyExchangeDHE, cipher.KeyExchangePSK, cipher.KeyExchangeECDHEPSK:
		return m.KeyExchange
	}
	return cipher.KeyExchangeECDHE
}

// signed reports whether the form ends with a signature.
func (m *ServerKeyExchange) signed() bool {
	f := m.form()
	return f == cipher.KeyExchangeECDHE || f == cipher.KeyExchangeDHE
}

// Params returns the ServerECDHParams or ServerDHParams bytes, the part
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
	switch m.form() {
	case cipher.KeyExchangePSK:
		addPSKIdentityHint(b, m.PSKIdentityHint)
		return
	case cipher.KeyExchangeECDHEPSK:
		addPSKIdentityHint(b, m.PSKIdentityHint)
	case cipher.KeyExchangeDHE:
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

// addPSKIdentityHint writes RFC 4279, 2's psk_identity_hint<0..2^16-1>.
func addPSKIdentityHint(b *cryptobyte.Builder, hint []byte) {
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(hint)
	})
}

func (m *ServerKeyExchange) Marshal() ([]byte, error) {
	switch m.form() {
	case cipher.KeyExchangeECDHE, cipher.KeyExchangeECDHEPSK:
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
		if !m.signed() {
			return
		}
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

func (m *ServerKeyExchange) Type() uint8 { return TypeServerKeyExchange }

// decode reads the body in the form m.KeyExchange names (Parse and
// Describe set it from the negotiated suite).
func (m *ServerKeyExchange) decode(d *decoder) {
	*m = ServerKeyExchange{Raw: d.data, KeyExchange: d.keyExchange}
	var scheme uint16
	if f := m.form(); f == cipher.KeyExchangePSK || f == cipher.KeyExchangeECDHEPSK {
		d.opaque(2, &m.PSKIdentityHint, "psk_identity_hint", "helps the client choose its PSK identity (RFC 4279, 2)")
		if f == cipher.KeyExchangePSK {
			return
		}
	}
	params := d.beginGroup()
	switch m.form() {
	case cipher.KeyExchangeECDHE, cipher.KeyExchangeECDHEPSK:
		var curve uint16
		d.uint8(&m.CurveType, "curve_type", curveTypeValue, "ECCurveType (RFC 8422, 5.4)")
		d.check(m.CurveType == CurveTypeNamedCurve)
		d.uint16(&curve, "namedcurve", curveValue, "the group of the ephemeral key")
		d.opaque(1, &m.PublicKey, "public", "the server's ephemeral ECDH public key")
		d.check(len(m.PublicKey) > 0)
		m.Curve = cipher.CurveID(curve)
	case cipher.KeyExchangeDHE:
		// RFC 5246, 7.4.3: each of dh_p, dh_g, dh_Ys is <1..2^16-1>.
		d.opaque(2, &m.DHP, "dh_p", "the prime modulus of the DH group")
		d.check(len(m.DHP) > 0)
		d.opaque(2, &m.DHG, "dh_g", "the generator of the DH group")
		d.check(len(m.DHG) > 0)
		d.opaque(2, &m.DHYs, "dh_Ys", "the server's DH public value, g^Xs mod p")
		d.check(len(m.DHYs) > 0)
	}
	d.endGroup(params, "params", nil)
	if !m.signed() {
		return // ECDHE_PSK: the key, not a signature, authenticates the server
	}
	// RFC 5246, 4.7: a TLS 1.2 digitally-signed element starts with the
	// SignatureAndHashAlgorithm.
	d.uint16(&scheme, "algorithm", schemeValue, "SignatureAndHashAlgorithm (RFC 5246, 7.4.1.4.1)")
	signatureNote := "over client_random + server_random + ServerECDHParams, with the certificate's key"
	if m.form() == cipher.KeyExchangeDHE {
		signatureNote = "over client_random + server_random + ServerDHParams, with the certificate's key"
	}
	d.opaque(2, &m.Signature, "signature", signatureNote)
	m.SignatureScheme = SignatureScheme(scheme)
}

// ---- CertificateRequest (RFC 5246, 7.4.4) ----

// CertificateRequest asks the client for a certificate of one of the
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

func (m *CertificateRequest) Type() uint8 { return TypeCertificateRequest }

func (m *CertificateRequest) decode(d *decoder) {
	*m = CertificateRequest{Raw: d.data}
	// ClientCertificateType certificate_types<1..2^8-1>.
	d.uint8List(1, &m.CertificateTypes, "certificate_types", "ClientCertificateType list (RFC 5246, 7.4.4)", "certificate_type", certTypeValue)
	d.check(len(m.CertificateTypes) > 0)
	// SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>.
	uint16List(d, 2, &m.SupportedSignatureAlgorithms, "supported_signature_algorithms", "", "SignatureAndHashAlgorithm", schemeValue)
	d.check(len(m.SupportedSignatureAlgorithms) > 0)
	// DistinguishedName certificate_authorities<0..2^16-1>;
	// opaque DistinguishedName<1..2^16-1>.
	authorities := d.open(2)
	for d.more() {
		var ca []byte
		if d.opaque(2, &ca, "DistinguishedName", "") && d.check(len(ca) > 0) {
			m.CertificateAuthorities = append(m.CertificateAuthorities, ca)
		}
	}
	d.close(authorities, "certificate_authorities", "DistinguishedNames of acceptable CAs")
}

// ---- ServerHelloDone (RFC 5246, 7.4.5) ----

// ServerHelloDone ends the server's first flight; it has no body.
type ServerHelloDone struct{}

func (m *ServerHelloDone) Marshal() ([]byte, error) {
	return marshalMessage(TypeServerHelloDone, func(*cryptobyte.Builder) {})
}

func (m *ServerHelloDone) Type() uint8     { return TypeServerHelloDone }
func (m *ServerHelloDone) decode(*decoder) {}

// ---- CertificateVerify (RFC 5246, 7.4.8) ----

// CertificateVerify proves the client holds its certificate's key: a
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

func (m *CertificateVerify) Type() uint8 { return TypeCertificateVerify }

func (m *CertificateVerify) decode(d *decoder) {
	*m = CertificateVerify{Raw: d.data}
	var scheme uint16
	d.uint16(&scheme, "algorithm", schemeValue, "SignatureAndHashAlgorithm")
	d.opaque(2, &m.Signature, "signature", "over every handshake message so far (RFC 5246, 7.4.8)")
	m.SignatureScheme = SignatureScheme(scheme)
}

// ---- ClientKeyExchange (RFC 5246, 7.4.7) ----

// ClientKeyExchange carries the client's share of the key exchange. Its
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

// NewRSAClientKeyExchange wraps an RSA-encrypted pre_master_secret. An
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

// NewECDHEClientKeyExchange wraps the client's ephemeral public key. An
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

// NewDHEClientKeyExchange wraps the client's public value, RFC 5246,
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

// DHEPublicValue reads the body as a ClientDiffieHellmanPublic; false if
// the length prefix and the body disagree or the value is empty.
func (m *ClientKeyExchange) DHEPublicValue() ([]byte, bool) {
	var publicValue []byte
	d := newDecoder(m.Body, false)
	decodeDHEBody(d, &publicValue)
	d.finish()
	return publicValue, d.ok()
}

// NewPSKClientKeyExchange wraps the client's PSK identity, RFC 4279, 2's
// psk_identity<0..2^16-1>, followed for ECDHE_PSK by the client's
// ClientECDiffieHellmanPublic (RFC 5489, 2; publicKey nil for plain PSK).
// An empty (non-nil) publicKey leaves body nil, which marshal refuses.
func NewPSKClientKeyExchange(identity, publicKey []byte) *ClientKeyExchange {
	var b cryptobyte.Builder
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes(identity)
	})
	if publicKey != nil {
		if len(publicKey) == 0 {
			return &ClientKeyExchange{}
		}
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddBytes(publicKey)
		})
	}
	body, _ := b.Bytes()
	return &ClientKeyExchange{Body: body}
}

// PSKIdentity reads the body as a PSK ClientKeyExchange: the identity and,
// withECDHE, the ECDHE public key after it (RFC 5489, 2). False if a
// length and the body disagree or the key is empty.
func (m *ClientKeyExchange) PSKIdentity(withECDHE bool) (identity, publicKey []byte, ok bool) {
	d := newDecoder(m.Body, false)
	decodePSKBody(d, &identity, &publicKey, withECDHE)
	d.finish()
	return identity, publicKey, d.ok()
}

// RSAEncryptedPreMasterSecret reads the body as an RSA
// EncryptedPreMasterSecret; false if the length prefix and the body
// disagree.
func (m *ClientKeyExchange) RSAEncryptedPreMasterSecret() ([]byte, bool) {
	var encrypted []byte
	d := newDecoder(m.Body, false)
	decodeRSABody(d, &encrypted)
	d.finish()
	return encrypted, d.ok()
}

// ECDHEPublicKey reads the body as a ClientECDiffieHellmanPublic; false if
// the length prefix and the body disagree or the key is empty.
func (m *ClientKeyExchange) ECDHEPublicKey() ([]byte, bool) {
	var publicKey []byte
	d := newDecoder(m.Body, false)
	decodeECDHEBody(d, &publicKey)
	d.finish()
	return publicKey, d.ok()
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

func (m *ClientKeyExchange) Type() uint8 { return TypeClientKeyExchange }

func (m *ClientKeyExchange) decode(d *decoder) {
	*m = ClientKeyExchange{Raw: d.data, Body: d.data[d.off:d.end]}
	d.check(len(m.Body) > 0)
	// Parse keeps the body opaque: the state machine asks for the form it
	// expects with RSAEncryptedPreMasterSecret, ECDHEPublicKey or
	// DHEPublicValue, which read it with the same functions as the trace.
	kx := d.keyExchange
	if !d.label {
		kx = 0
	}
	switch kx {
	case cipher.KeyExchangeRSA:
		decodeRSABody(d, new([]byte))
	case cipher.KeyExchangeECDHE:
		decodeECDHEBody(d, new([]byte))
	case cipher.KeyExchangeDHE:
		decodeDHEBody(d, new([]byte))
	case cipher.KeyExchangePSK, cipher.KeyExchangeECDHEPSK:
		decodePSKBody(d, new([]byte), new([]byte), kx == cipher.KeyExchangeECDHEPSK)
	default:
		d.rest(new([]byte), "exchange_keys")
	}
}

// decodeRSABody reads RFC 5246, 7.4.7.1's
// opaque EncryptedPreMasterSecret<0..2^16-1> (public-key-encrypted).
func decodeRSABody(d *decoder, encrypted *[]byte) {
	d.opaque(2, encrypted, "EncryptedPreMasterSecret", "pre_master_secret, RSA-encrypted (PKCS #1 v1.5) to the server's certificate key")
}

// decodeDHEBody reads RFC 5246, 7.4.7.2's ClientDiffieHellmanPublic:
// opaque dh_Yc<1..2^16-1>.
func decodeDHEBody(d *decoder, publicValue *[]byte) {
	d.opaque(2, publicValue, "dh_Yc", "the client's DH public value, g^Xc mod p")
	d.check(len(*publicValue) > 0)
}

// decodePSKBody reads RFC 4279, 2's opaque psk_identity<0..2^16-1> and, for
// ECDHE_PSK, RFC 5489, 2's ClientECDiffieHellmanPublic after it.
func decodePSKBody(d *decoder, identity, publicKey *[]byte, withECDHE bool) {
	d.opaque(2, identity, "psk_identity", "names the pre-shared key (RFC 4279, 2)")
	if withECDHE {
		decodeECDHEBody(d, publicKey)
	}
}

// decodeECDHEBody reads RFC 8422, 5.7's ClientECDiffieHellmanPublic:
// opaque point <1..2^8-1>.
func decodeECDHEBody(d *decoder, publicKey *[]byte) {
	d.opaque(1, publicKey, "ecdh_Yc", "the client's ephemeral ECDH public key")
	d.check(len(*publicKey) > 0)
}

// ---- Finished (RFC 5246, 7.4.9) ----

// Finished carries verify_data, the PRF over the master secret and the
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

func (m *Finished) Type() uint8 { return TypeFinished }

func (m *Finished) decode(d *decoder) {
	*m = Finished{Raw: d.data}
	// RFC 5246, 7.4.9: opaque verify_data[verify_data_length], and every
	// TLS 1.2 suite we implement keeps the default length of 12.
	d.bytes(&m.VerifyData, d.end-d.off, "verify_data", "PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]")
	d.check(len(m.VerifyData) == VerifyDataLen)
}

// ---- NewSessionTicket (RFC 5077, 3.3) ----

// NewSessionTicket hands the client an opaque ticket to resume with,
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

func (m *NewSessionTicket) Type() uint8 { return TypeNewSessionTicket }

func (m *NewSessionTicket) decode(d *decoder) {
	*m = NewSessionTicket{Raw: d.data}
	d.uint32(&m.LifetimeHint, "ticket_lifetime_hint", nil, "seconds (RFC 5077, 3.3)")
	d.opaque(2, &m.Ticket, "ticket", "the session state, encrypted with a key only the server knows")
}
