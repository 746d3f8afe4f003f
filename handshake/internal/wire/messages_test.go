package wire

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// seq returns n bytes start, start+1, ... so fields are distinguishable.
func seq(start byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = start + byte(i)
	}
	return out
}

// testMessage is one fully populated message and what parsing its
// marshaled form must give back.
type testMessage struct {
	name string
	msg  Message
	// want is msg as the parser should return it, minus raw (nil: msg
	// itself is already what the parser returns).
	want Message
}

// testMessages returns one populated message of every type, fresh each
// call so tests may mutate them.
func testMessages() []testMessage {
	fullClientHello := &ClientHello{
		Vers:                         0x0303,
		Random:                       seq(0x10, 32),
		SessionID:                    seq(0x80, 32),
		CipherSuites:                 []uint16{0xc02b, 0xc02f, 0x0a0a, SCSVRenegotiation},
		CompressionMethods:           []uint8{CompressionNone},
		ServerName:                   "example.com",
		SupportedCurves:              []cipher.CurveID{cipher.CurveX25519, cipher.CurveP256, cipher.CurveP384},
		SupportedPoints:              []uint8{PointFormatUncompressed},
		SupportedSignatureAlgorithms: []SignatureScheme{ECDSAWithP256AndSHA256, ECDSAWithP384AndSHA384, PSSWithSHA256, PSSWithSHA384, PSSWithSHA512, PKCS1WithSHA256, PKCS1WithSHA384, PKCS1WithSHA512, ECDSAWithP521AndSHA512},
		TicketSupported:              true,
		SessionTicket:                seq(0x40, 100),
		SecureRenegotiationSupported: true,
		SecureRenegotiation:          seq(0x60, 12),
		ALPNProtocols:                []string{"h2", "http/1.1"},
		ExtendedMasterSecret:         true,
		EncryptThenMAC:               true,
		SupportedVersions:            []uint16{0x0304, 0x0303},
		OCSPStapling:                 true,
	}
	wantClientHello := *fullClientHello
	// The order marshal writes them in.
	wantClientHello.Extensions = []uint16{ExtServerName, ExtStatusRequest, ExtECPointFormats, ExtSupportedGroups, ExtSessionTicket,
		ExtSignatureAlgorithms, ExtALPN, ExtEncryptThenMAC, ExtExtendedMasterSecret, ExtSupportedVersions, ExtRenegotiationInfo}

	fullServerHello := &ServerHello{
		Vers:                         0x0303,
		Random:                       seq(0x20, 32),
		SessionID:                    seq(0x90, 16),
		CipherSuite:                  0xc02f,
		CompressionMethod:            CompressionNone,
		ServerNameAck:                true,
		SupportedPoints:              []uint8{PointFormatUncompressed},
		TicketSupported:              true,
		SecureRenegotiationSupported: true,
		SecureRenegotiation:          seq(0x70, 24),
		ALPNProtocol:                 "h2",
		ExtendedMasterSecret:         true,
		EncryptThenMAC:               true,
		OCSPStapling:                 true,
	}
	wantServerHello := *fullServerHello
	wantServerHello.Extensions = []uint16{ExtServerName, ExtStatusRequest, ExtECPointFormats, ExtSessionTicket, ExtALPN,
		ExtEncryptThenMAC, ExtExtendedMasterSecret, ExtRenegotiationInfo}

	return []testMessage{
		{name: "HelloRequest", msg: &HelloRequest{}},
		{name: "ClientHello", msg: fullClientHello, want: &wantClientHello},
		{name: "ClientHello/minimal", msg: &ClientHello{
			Vers:               0x0303,
			Random:             seq(0, 32),
			SessionID:          []byte{},
			CipherSuites:       []uint16{0x002f},
			CompressionMethods: []uint8{CompressionNone},
		}},
		{name: "ClientHello/empty-renegotiation-and-ticket", msg: &ClientHello{
			Vers:                         0x0303,
			Random:                       seq(0, 32),
			SessionID:                    []byte{},
			CipherSuites:                 []uint16{0xc02f},
			CompressionMethods:           []uint8{CompressionNone},
			TicketSupported:              true,
			SessionTicket:                []byte{},
			SecureRenegotiationSupported: true,
			SecureRenegotiation:          []byte{},
		}, want: &ClientHello{
			Vers:                         0x0303,
			Random:                       seq(0, 32),
			SessionID:                    []byte{},
			CipherSuites:                 []uint16{0xc02f},
			CompressionMethods:           []uint8{CompressionNone},
			TicketSupported:              true,
			SessionTicket:                []byte{},
			SecureRenegotiationSupported: true,
			SecureRenegotiation:          []byte{},
			Extensions:                   []uint16{ExtSessionTicket, ExtRenegotiationInfo},
		}},
		{name: "ServerHello", msg: fullServerHello, want: &wantServerHello},
		{name: "ServerHello/minimal", msg: &ServerHello{
			Vers:        0x0303,
			Random:      seq(0x20, 32),
			SessionID:   []byte{},
			CipherSuite: 0x009c,
		}},
		{name: "Certificate", msg: &Certificate{Certificates: [][]byte{seq(1, 300), seq(2, 5)}}},
		{name: "Certificate/empty", msg: &Certificate{}},
		{name: "ServerKeyExchange", msg: &ServerKeyExchange{
			CurveType:       CurveTypeNamedCurve,
			Curve:           cipher.CurveX25519,
			PublicKey:       seq(0x33, 32),
			SignatureScheme: PSSWithSHA256,
			Signature:       seq(0x44, 256),
		}},
		{name: "CertificateRequest", msg: &CertificateRequest{
			CertificateTypes:             []uint8{1, 64},
			SupportedSignatureAlgorithms: []SignatureScheme{ECDSAWithP256AndSHA256, PKCS1WithSHA256},
			CertificateAuthorities:       [][]byte{seq(0x30, 20), seq(0x31, 7)},
		}},
		{name: "CertificateRequest/no-CAs", msg: &CertificateRequest{
			CertificateTypes:             []uint8{1},
			SupportedSignatureAlgorithms: []SignatureScheme{PKCS1WithSHA256},
		}},
		{name: "ServerHelloDone", msg: &ServerHelloDone{}},
		{name: "CertificateVerify", msg: &CertificateVerify{SignatureScheme: ECDSAWithP384AndSHA384, Signature: seq(0x55, 103)}},
		{name: "ClientKeyExchange/RSA", msg: NewRSAClientKeyExchange(seq(0x66, 256))},
		{name: "ClientKeyExchange/ECDHE", msg: NewECDHEClientKeyExchange(seq(0x04, 65))},
		{name: "Finished", msg: &Finished{VerifyData: seq(0x77, 12)}},
		{name: "CertificateStatus", msg: &CertificateStatus{Response: seq(0x30, 300)}},
		{name: "NewSessionTicket", msg: &NewSessionTicket{LifetimeHint: 7200, Ticket: seq(0x88, 150)}},
		{name: "NewSessionTicket/empty", msg: &NewSessionTicket{LifetimeHint: 0, Ticket: []byte{}}},
	}
}

// withRaw returns a shallow copy of m whose raw field is raw (messages
// without a raw field are returned as they are).
func withRaw(m Message, raw []byte) Message {
	switch m := m.(type) {
	case *ClientHello:
		c := *m
		c.Raw = raw
		return &c
	case *ServerHello:
		c := *m
		c.Raw = raw
		return &c
	case *Certificate:
		c := *m
		c.Raw = raw
		return &c
	case *ServerKeyExchange:
		c := *m
		c.Raw = raw
		return &c
	case *CertificateRequest:
		c := *m
		c.Raw = raw
		return &c
	case *CertificateVerify:
		c := *m
		c.Raw = raw
		return &c
	case *ClientKeyExchange:
		c := *m
		c.Raw = raw
		return &c
	case *Finished:
		c := *m
		c.Raw = raw
		return &c
	case *CertificateStatus:
		c := *m
		c.Raw = raw
		return &c
	case *NewSessionTicket:
		c := *m
		c.Raw = raw
		return &c
	}
	return m
}

// rawOf returns m's raw field, or nil for the messages that have none.
func rawOf(m Message) []byte {
	switch m := m.(type) {
	case *ClientHello:
		return m.Raw
	case *ServerHello:
		return m.Raw
	case *Certificate:
		return m.Raw
	case *ServerKeyExchange:
		return m.Raw
	case *CertificateRequest:
		return m.Raw
	case *CertificateVerify:
		return m.Raw
	case *ClientKeyExchange:
		return m.Raw
	case *Finished:
		return m.Raw
	case *CertificateStatus:
		return m.Raw
	case *NewSessionTicket:
		return m.Raw
	}
	return nil
}

// unmarshal decodes data into m as Parse would, for tests of one type.
func unmarshal(m Message, data []byte) bool {
	d := newDecoder(bytes.Clone(data), false)
	decodeMessage(d, m)
	return d.ok()
}

// frame puts a handshake header with the right length in front of body.
func frame(typ uint8, body []byte) []byte {
	n := len(body)
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

func TestMessagesRoundTrip(t *testing.T) {
	for _, tt := range testMessages() {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.msg.Marshal()
			require.NoError(t, err)
			typ := data[0]
			if typ != TypeHelloRequest && typ != TypeServerHelloDone {
				assert.Equal(t, data, rawOf(tt.msg), "marshal must remember its output in raw")
			}
			assert.Equal(t, len(data)-MessageHeaderLen, int(data[1])<<16|int(data[2])<<8|int(data[3]), "header length")

			input := bytes.Clone(data)
			parsed, err := Parse(input, 0)
			require.NoError(t, err)
			want := tt.want
			if want == nil {
				want = tt.msg
			}
			assert.Equal(t, withRaw(want, data), parsed)

			// The parsed message owns its bytes: scribbling over the
			// input must not change it.
			for i := range input {
				input[i] ^= 0xff
			}
			assert.Equal(t, withRaw(want, data), parsed)

			// And it marshals back to the very same bytes.
			again, err := parsed.Marshal()
			require.NoError(t, err)
			assert.Equal(t, data, again)
		})
	}
}

func TestMessageNames(t *testing.T) {
	tests := []struct {
		typ  uint8
		want string
	}{
		{TypeHelloRequest, "HelloRequest"},
		{TypeClientHello, "ClientHello"},
		{TypeServerHello, "ServerHello"},
		{TypeNewSessionTicket, "NewSessionTicket"},
		{TypeCertificate, "Certificate"},
		{TypeServerKeyExchange, "ServerKeyExchange"},
		{TypeCertificateRequest, "CertificateRequest"},
		{TypeServerHelloDone, "ServerHelloDone"},
		{TypeCertificateVerify, "CertificateVerify"},
		{TypeClientKeyExchange, "ClientKeyExchange"},
		{TypeFinished, "Finished"},
		{TypeCertificateStatus, "CertificateStatus"},
		{3, "HandshakeType(3)"},
		{255, "HandshakeType(255)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, MessageName(tt.typ))
		// The table makes each message, which knows its own type.
		if _, newMessage := messageTypes(tt.typ); newMessage != nil {
			assert.Equal(t, tt.typ, newMessage().Type(), tt.want)
		}
	}
}

// bodyPrefixesThatParse lists the body lengths, shorter than the full
// body, at which a message is still complete: a hello cut right before its
// optional extensions block.
func bodyPrefixesThatParse(m Message) map[int]bool {
	switch m := m.(type) {
	case *ClientHello:
		return map[int]bool{2 + 32 + 1 + len(m.SessionID) + 2 + 2*len(m.CipherSuites) + 1 + len(m.CompressionMethods): true}
	case *ServerHello:
		return map[int]bool{2 + 32 + 1 + len(m.SessionID) + 2 + 1: true}
	}
	return nil
}

func TestTruncatedMessagesFail(t *testing.T) {
	for _, tt := range testMessages() {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.msg.Marshal()
			require.NoError(t, err)
			typ, body := data[0], data[MessageHeaderLen:]

			// Cut anywhere, header left as is: the length disagrees.
			for n := 0; n < len(data); n++ {
				_, err := Parse(data[:n], 0)
				assert.Error(t, err, "prefix of %d bytes", n)
			}
			_, err = Parse(append(bytes.Clone(data), 0), 0)
			assert.Error(t, err, "trailing byte")

			// Cut the body and fix up the header, so only the body's own
			// structure can catch it.
			complete := bodyPrefixesThatParse(tt.msg)
			for n := 0; n < len(body); n++ {
				msg, err := Parse(frame(typ, body[:n]), 0)
				if cke, ok := msg.(*ClientKeyExchange); ok {
					// The body is opaque until the state machine asks
					// for one form; that is where a cut must show. (A
					// cut RSA body can happen to be a valid ECDHE one,
					// so ask only for the form it was built as.)
					assert.False(t, ckeFormOK(tt.msg, cke), "ClientKeyExchange body cut to %d bytes", n)
					continue
				}
				if complete[n] {
					assert.NoError(t, err, "body of %d bytes is a complete hello", n)
					continue
				}
				assert.Error(t, err, "body cut to %d bytes", n)
			}

			// A byte after the body, header fixed up.
			msg, err := Parse(frame(typ, append(bytes.Clone(body), 0)), 0)
			if cke, ok := msg.(*ClientKeyExchange); ok {
				assert.False(t, ckeFormOK(tt.msg, cke), "ClientKeyExchange with a trailing byte")
				return
			}
			assert.Error(t, err, "trailing byte inside the body")
		})
	}
}

// ckeFormOK reads got in the form (RSA or ECDHE) that orig, a valid
// ClientKeyExchange, decodes as, and reports whether that succeeds.
func ckeFormOK(orig Message, got *ClientKeyExchange) bool {
	if _, isRSA := orig.(*ClientKeyExchange).RSAEncryptedPreMasterSecret(); isRSA {
		_, ok := got.RSAEncryptedPreMasterSecret()
		return ok
	}
	_, ok := got.ECDHEPublicKey()
	return ok
}

func TestClientKeyExchangeForms(t *testing.T) {
	epms := seq(1, 256)
	rsaMsg := NewRSAClientKeyExchange(epms)
	got, ok := rsaMsg.RSAEncryptedPreMasterSecret()
	require.True(t, ok)
	assert.Equal(t, epms, got)
	_, ok = rsaMsg.ECDHEPublicKey()
	assert.False(t, ok, "a 256-byte RSA body is not an ECDHE body")

	point := seq(4, 65)
	ecdheMsg := NewECDHEClientKeyExchange(point)
	got, ok = ecdheMsg.ECDHEPublicKey()
	require.True(t, ok)
	assert.Equal(t, point, got)
	_, ok = ecdheMsg.RSAEncryptedPreMasterSecret()
	assert.False(t, ok, "a 65-byte ECDHE body is not an RSA body")

	// Inputs that cannot be encoded give a message marshal refuses.
	for name, m := range map[string]*ClientKeyExchange{
		"empty ECDHE key":    NewECDHEClientKeyExchange(nil),
		"ECDHE key too long": NewECDHEClientKeyExchange(make([]byte, 256)),
		"RSA too long":       NewRSAClientKeyExchange(make([]byte, 1<<16)),
	} {
		_, err := m.Marshal()
		assert.Error(t, err, name)
	}
	// An empty RSA ciphertext still has its two length bytes.
	empty := NewRSAClientKeyExchange(nil)
	got, ok = empty.RSAEncryptedPreMasterSecret()
	assert.True(t, ok)
	assert.Empty(t, got)

	_, err := Parse(frame(TypeClientKeyExchange, nil), 0)
	assert.Error(t, err, "empty ClientKeyExchange body")
}

func TestServerKeyExchangeParams(t *testing.T) {
	m := &ServerKeyExchange{CurveType: CurveTypeNamedCurve, Curve: cipher.CurveP256, PublicKey: []byte{4, 1, 2}}
	// RFC 8422, 5.4: curve_type, named_curve, then the point with a 1-byte length.
	assert.Equal(t, []byte{3, 0, 23, 3, 4, 1, 2}, m.Params())

	data, err := m.Marshal()
	require.NoError(t, err)
	assert.Equal(t, m.Params(), data[MessageHeaderLen:MessageHeaderLen+len(m.Params())], "params are the start of the body")

	for name, bad := range map[string]*ServerKeyExchange{
		"explicit curve": {CurveType: 1, Curve: cipher.CurveP256, PublicKey: []byte{4}},
		"no curve type":  {Curve: cipher.CurveP256, PublicKey: []byte{4}},
		"empty point":    {CurveType: CurveTypeNamedCurve, Curve: cipher.CurveP256},
		"long point":     {CurveType: CurveTypeNamedCurve, Curve: cipher.CurveP256, PublicKey: make([]byte, 256)},
	} {
		_, err := bad.Marshal()
		assert.Error(t, err, name)
	}
	assert.Nil(t, (&ServerKeyExchange{PublicKey: make([]byte, 256)}).Params())

	// Parsing rejects a curve type other than named_curve.
	body := []byte{1, 0, 23, 1, 4, 4, 1, 0, 0}
	_, err = Parse(frame(TypeServerKeyExchange, body), 0)
	assert.Error(t, err)
	body[0] = CurveTypeNamedCurve
	_, err = Parse(frame(TypeServerKeyExchange, body), 0)
	assert.NoError(t, err, "control: the same body with named_curve parses")
}

func TestMarshalRefusesInvalidFields(t *testing.T) {
	validCH := func() *ClientHello {
		return &ClientHello{Vers: 0x0303, Random: seq(0, 32), CipherSuites: []uint16{0xc02f}, CompressionMethods: []uint8{0}}
	}
	validSH := func() *ServerHello {
		return &ServerHello{Vers: 0x0303, Random: seq(0, 32), CipherSuite: 0xc02f}
	}
	tests := []struct {
		name string
		msg  Message
	}{
		{"ClientHello short random", func() Message { m := validCH(); m.Random = seq(0, 31); return m }()},
		{"ClientHello 33-byte session ID", func() Message { m := validCH(); m.SessionID = seq(0, 33); return m }()},
		{"ClientHello no cipher suites", func() Message { m := validCH(); m.CipherSuites = nil; return m }()},
		{"ClientHello no compression", func() Message { m := validCH(); m.CompressionMethods = nil; return m }()},
		{"ClientHello empty ALPN name", func() Message { m := validCH(); m.ALPNProtocols = []string{"h2", ""}; return m }()},
		{"ClientHello long renegotiation_info", func() Message {
			m := validCH()
			m.SecureRenegotiationSupported, m.SecureRenegotiation = true, make([]byte, 256)
			return m
		}()},
		{"ServerHello long random", func() Message { m := validSH(); m.Random = seq(0, 33); return m }()},
		{"ServerHello 33-byte session ID", func() Message { m := validSH(); m.SessionID = seq(0, 33); return m }()},
		{"ServerHello long ALPN", func() Message { m := validSH(); m.ALPNProtocol = string(make([]byte, 256)); return m }()},
		{"Certificate empty entry", &Certificate{Certificates: [][]byte{seq(0, 3), {}}}},
		{"CertificateRequest no types", &CertificateRequest{SupportedSignatureAlgorithms: []SignatureScheme{PKCS1WithSHA256}}},
		{"CertificateRequest no algorithms", &CertificateRequest{CertificateTypes: []uint8{1}}},
		{"CertificateRequest empty CA", &CertificateRequest{CertificateTypes: []uint8{1}, SupportedSignatureAlgorithms: []SignatureScheme{PKCS1WithSHA256}, CertificateAuthorities: [][]byte{{}}}},
		{"CertificateVerify long signature", &CertificateVerify{Signature: make([]byte, 1<<16)}},
		{"Finished 11 bytes", &Finished{VerifyData: seq(0, 11)}},
		{"Finished 13 bytes", &Finished{VerifyData: seq(0, 13)}},
		{"CertificateStatus empty response", &CertificateStatus{}},
		{"NewSessionTicket long ticket", &NewSessionTicket{Ticket: make([]byte, 1<<16)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.msg.Marshal()
			assert.Error(t, err)
		})
	}
	// Controls: the valid bases do marshal.
	_, err := validCH().Marshal()
	assert.NoError(t, err)
	_, err = validSH().Marshal()
	assert.NoError(t, err)
}

func TestParseHandshakeMessageAlerts(t *testing.T) {
	validFinished := frame(TypeFinished, seq(0, 12))
	tests := []struct {
		name      string
		data      []byte
		wantAlert record.AlertDescription
		wantMsg   string
	}{
		{"empty", nil, record.AlertDecodeError, ""},
		{"three bytes", []byte{TypeFinished, 0, 0}, record.AlertDecodeError, ""},
		{"unknown type 3", frame(3, nil), record.AlertUnexpectedMessage, ""},
		{"certificate_url", frame(21, seq(0, 5)), record.AlertUnexpectedMessage, ""},
		{"short Finished", frame(TypeFinished, seq(0, 11)), record.AlertDecodeError, "malformed Finished"},
		{"HelloRequest with a body", frame(TypeHelloRequest, []byte{0}), record.AlertDecodeError, "malformed HelloRequest"},
		{"ServerHelloDone with a body", frame(TypeServerHelloDone, []byte{0}), record.AlertDecodeError, "malformed ServerHelloDone"},
		{"ClientHello length too long", []byte{TypeClientHello, 0, 0, 50, 3, 3}, record.AlertDecodeError, "malformed ClientHello"},
		// RFC 6066, 8: OCSPResponse<1..2^24-1>, and ocsp is the only status_type.
		{"CertificateStatus empty response", frame(TypeCertificateStatus, []byte{1, 0, 0, 0}), record.AlertDecodeError, "malformed CertificateStatus"},
		{"CertificateStatus other type", frame(TypeCertificateStatus, []byte{2, 0, 0, 1, 7}), record.AlertDecodeError, "malformed CertificateStatus"},
		{"CertificateStatus trailing byte", frame(TypeCertificateStatus, []byte{1, 0, 0, 1, 7, 0}), record.AlertDecodeError, "malformed CertificateStatus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := Parse(tt.data, 0)
			require.Error(t, err)
			assert.Nil(t, msg)
			var alertErr *record.AlertError
			require.True(t, errors.As(err, &alertErr), "error %v is not an AlertError", err)
			assert.Equal(t, tt.wantAlert, alertErr.Description)
			if tt.wantMsg != "" {
				assert.Contains(t, err.Error(), tt.wantMsg)
			}
		})
	}
	msg, err := Parse(validFinished, 0)
	require.NoError(t, err, "control")
	assert.IsType(t, &Finished{}, msg)
}

// helloBody builds a ClientHello (client=true) or ServerHello body with a
// hand-made extensions block, so tests can write what marshal never would.
type rawExtension struct {
	typ  uint16
	data []byte
}

func buildHello(t testing.TB, client bool, exts []rawExtension) []byte {
	t.Helper()
	var b cryptobyte.Builder
	b.AddUint16(0x0303)
	b.AddBytes(seq(0, 32))
	b.AddUint8(0) // empty session ID
	if client {
		b.AddUint16(2)
		b.AddUint16(0xc02f)
		b.AddUint8(1)
		b.AddUint8(CompressionNone)
	} else {
		b.AddUint16(0xc02f)
		b.AddUint8(CompressionNone)
	}
	if exts != nil {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, e := range exts {
				b.AddUint16(e.typ)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e.data) })
			}
		})
	}
	body, err := b.Bytes()
	require.NoError(t, err)
	typ := TypeServerHello
	if client {
		typ = TypeClientHello
	}
	return frame(typ, body)
}

// ext is shorthand for a raw extension in tables.
func ext(typ uint16, data ...byte) rawExtension { return rawExtension{typ, data} }

func TestClientHelloExtensions(t *testing.T) {
	tests := []struct {
		name  string
		exts  []rawExtension
		ok    bool
		check func(t *testing.T, m *ClientHello)
	}{
		{"no extensions block", nil, true, func(t *testing.T, m *ClientHello) {
			assert.Empty(t, m.Extensions)
			assert.False(t, m.ExtendedMasterSecret)
			assert.False(t, m.SecureRenegotiationSupported)
		}},
		{"empty extensions block", []rawExtension{}, true, func(t *testing.T, m *ClientHello) {
			assert.Empty(t, m.Extensions)
		}},
		{"GREASE and unknown extensions are skipped", []rawExtension{
			ext(0x0a0a), ext(0x1234, 1, 2, 3), ext(ExtExtendedMasterSecret), ext(0xfafa, 0),
		}, true, func(t *testing.T, m *ClientHello) {
			assert.Equal(t, []uint16{0x0a0a, 0x1234, ExtExtendedMasterSecret, 0xfafa}, m.Extensions)
			assert.True(t, m.ExtendedMasterSecret)
		}},
		{"server_name", []rawExtension{ext(ExtServerName, 0, 8, 0, 0, 5, 'a', '.', 'c', 'o', 'm')}, true, func(t *testing.T, m *ClientHello) {
			assert.Equal(t, "a.com", m.ServerName)
		}},
		{"server_name skips unknown name types", []rawExtension{ext(ExtServerName, 0, 12, 7, 0, 1, 'x', 0, 0, 5, 'a', '.', 'c', 'o', 'm')}, true, func(t *testing.T, m *ClientHello) {
			assert.Equal(t, "a.com", m.ServerName)
		}},
		{"session_ticket with a ticket", []rawExtension{ext(ExtSessionTicket, 9, 8, 7)}, true, func(t *testing.T, m *ClientHello) {
			assert.True(t, m.TicketSupported)
			assert.Equal(t, []byte{9, 8, 7}, m.SessionTicket)
		}},
		{"empty renegotiation_info", []rawExtension{ext(ExtRenegotiationInfo, 0)}, true, func(t *testing.T, m *ClientHello) {
			assert.True(t, m.SecureRenegotiationSupported)
			assert.Empty(t, m.SecureRenegotiation)
		}},
		{"supported_versions", []rawExtension{ext(ExtSupportedVersions, 4, 3, 4, 3, 3)}, true, func(t *testing.T, m *ClientHello) {
			assert.Equal(t, []uint16{0x0304, 0x0303}, m.SupportedVersions)
		}},

		{"duplicated extension", []rawExtension{ext(ExtExtendedMasterSecret), ext(ExtExtendedMasterSecret)}, false, nil},
		{"duplicated unknown extension", []rawExtension{ext(0x1234), ext(0x1234)}, false, nil},
		{"duplicated extension far apart", []rawExtension{ext(ExtALPN, 0, 3, 2, 'h', '2'), ext(0x0a0a), ext(ExtEncryptThenMAC), ext(ExtALPN, 0, 3, 2, 'h', '2')}, false, nil},
		{"40 unknown extensions", unknownExtensions(40), true, func(t *testing.T, m *ClientHello) {
			assert.Len(t, m.Extensions, 40)
		}},
		{"40 extensions, the 3rd again", append(unknownExtensions(40), ext(0x7003)), false, nil},
		{"40 extensions, the 32nd again", append(unknownExtensions(40), ext(0x7032)), false, nil},
		{"40 extensions, the 33rd again", append(unknownExtensions(40), ext(0x7033)), false, nil},
		{"40 extensions, the 40th again", append(unknownExtensions(40), ext(0x7040)), false, nil},
		{"extended_master_secret with data", []rawExtension{ext(ExtExtendedMasterSecret, 0)}, false, nil},
		{"encrypt_then_mac with data", []rawExtension{ext(ExtEncryptThenMAC, 0)}, false, nil},
		{"server_name empty list", []rawExtension{ext(ExtServerName, 0, 0)}, false, nil},
		{"server_name empty host", []rawExtension{ext(ExtServerName, 0, 3, 0, 0, 0)}, false, nil},
		{"server_name two hosts", []rawExtension{ext(ExtServerName, 0, 8, 0, 0, 1, 'a', 0, 0, 1, 'b')}, false, nil},
		{"server_name trailing byte", []rawExtension{ext(ExtServerName, 0, 4, 0, 0, 1, 'a', 0)}, false, nil},
		{"server_name list too long", []rawExtension{ext(ExtServerName, 0, 9, 0, 0, 1, 'a')}, false, nil},
		{"supported_groups empty", []rawExtension{ext(ExtSupportedGroups, 0, 0)}, false, nil},
		{"supported_groups odd", []rawExtension{ext(ExtSupportedGroups, 0, 3, 0, 29, 0)}, false, nil},
		{"ec_point_formats empty", []rawExtension{ext(ExtECPointFormats, 0)}, false, nil},
		{"signature_algorithms empty", []rawExtension{ext(ExtSignatureAlgorithms, 0, 0)}, false, nil},
		{"signature_algorithms odd", []rawExtension{ext(ExtSignatureAlgorithms, 0, 1, 4)}, false, nil},
		{"ALPN empty list", []rawExtension{ext(ExtALPN, 0, 0)}, false, nil},
		{"ALPN empty name", []rawExtension{ext(ExtALPN, 0, 4, 2, 'h', '2', 0)}, false, nil},
		{"renegotiation_info short", []rawExtension{ext(ExtRenegotiationInfo, 2, 1)}, false, nil},
		{"renegotiation_info no length", []rawExtension{ext(ExtRenegotiationInfo)}, false, nil},
		{"supported_versions odd", []rawExtension{ext(ExtSupportedVersions, 3, 3, 3, 3)}, false, nil},
		{"supported_versions empty", []rawExtension{ext(ExtSupportedVersions, 0)}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := buildHello(t, true, tt.exts)
			msg, err := Parse(data, 0)
			if !tt.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			tt.check(t, msg.(*ClientHello))
		})
	}
}

func TestClientHelloFixedFields(t *testing.T) {
	// body builds a ClientHello body from its pieces so each test breaks one.
	body := func(sessionID []byte, suites []byte, compression []byte, tail []byte) []byte {
		b := []byte{3, 3}
		b = append(b, seq(0, 32)...)
		b = append(b, byte(len(sessionID)))
		b = append(b, sessionID...)
		b = append(b, byte(len(suites)>>8), byte(len(suites)))
		b = append(b, suites...)
		b = append(b, byte(len(compression)))
		b = append(b, compression...)
		return append(b, tail...)
	}
	suite := []byte{0xc0, 0x2f}
	tests := []struct {
		name string
		body []byte
		ok   bool
	}{
		{"valid", body(seq(0, 32), suite, []byte{0}, nil), true},
		{"GREASE suite kept", body(nil, []byte{0x0a, 0x0a, 0xc0, 0x2f}, []byte{0}, nil), true},
		{"33-byte session ID", body(seq(0, 33), suite, []byte{0}, nil), false},
		{"empty cipher suites", body(nil, nil, []byte{0}, nil), false},
		{"odd cipher suites", body(nil, []byte{0xc0, 0x2f, 0x00}, []byte{0}, nil), false},
		{"empty compression methods", body(nil, suite, nil, nil), false},
		{"one stray byte after compression", body(nil, suite, []byte{0}, []byte{0}), false},
		{"extensions length too long", body(nil, suite, []byte{0}, []byte{0, 5, 0, 23, 0, 0}), false},
		{"extensions length too short", body(nil, suite, []byte{0}, []byte{0, 3, 0, 23, 0, 0}), false},
		{"bytes after extensions", body(nil, suite, []byte{0}, []byte{0, 4, 0, 23, 0, 0, 0}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m ClientHello
			assert.Equal(t, tt.ok, unmarshal(&m, frame(TypeClientHello, tt.body)))
		})
	}
	var m ClientHello
	require.True(t, unmarshal(&m, frame(TypeClientHello, body(nil, []byte{0x0a, 0x0a, 0xc0, 0x2f}, []byte{0}, nil))))
	assert.Equal(t, []uint16{0x0a0a, 0xc02f}, m.CipherSuites, "unknown suites are kept for the caller to skip")
}

func TestServerHelloExtensions(t *testing.T) {
	tests := []struct {
		name  string
		exts  []rawExtension
		ok    bool
		check func(t *testing.T, m *ServerHello)
	}{
		{"no extensions block", nil, true, func(t *testing.T, m *ServerHello) {
			assert.Empty(t, m.Extensions)
			assert.False(t, m.SecureRenegotiationSupported)
		}},
		{"unknown extension recorded, skipped", []rawExtension{ext(ExtSupportedVersions, 3, 4), ext(0x2a2a, 1)}, true, func(t *testing.T, m *ServerHello) {
			assert.Equal(t, []uint16{ExtSupportedVersions, 0x2a2a}, m.Extensions)
		}},
		{"acknowledgements", []rawExtension{ext(ExtServerName), ext(ExtSessionTicket), ext(ExtExtendedMasterSecret), ext(ExtEncryptThenMAC)}, true, func(t *testing.T, m *ServerHello) {
			assert.True(t, m.ServerNameAck)
			assert.True(t, m.TicketSupported)
			assert.True(t, m.ExtendedMasterSecret)
			assert.True(t, m.EncryptThenMAC)
		}},
		{"ALPN", []rawExtension{ext(ExtALPN, 0, 3, 2, 'h', '2')}, true, func(t *testing.T, m *ServerHello) {
			assert.Equal(t, "h2", m.ALPNProtocol)
		}},
		{"renegotiation_info", []rawExtension{ext(ExtRenegotiationInfo, 2, 7, 8)}, true, func(t *testing.T, m *ServerHello) {
			assert.True(t, m.SecureRenegotiationSupported)
			assert.Equal(t, []byte{7, 8}, m.SecureRenegotiation)
		}},

		{"duplicated extension", []rawExtension{ext(ExtRenegotiationInfo, 0), ext(ExtRenegotiationInfo, 0)}, false, nil},
		{"ALPN with two protocols", []rawExtension{ext(ExtALPN, 0, 6, 2, 'h', '2', 2, 'h', '3')}, false, nil},
		{"ALPN empty list", []rawExtension{ext(ExtALPN, 0, 0)}, false, nil},
		{"server_name with data", []rawExtension{ext(ExtServerName, 0, 0)}, false, nil},
		{"session_ticket with data", []rawExtension{ext(ExtSessionTicket, 1)}, false, nil},
		{"extended_master_secret with data", []rawExtension{ext(ExtExtendedMasterSecret, 0)}, false, nil},
		{"ec_point_formats empty", []rawExtension{ext(ExtECPointFormats, 0)}, false, nil},
		{"renegotiation_info trailing byte", []rawExtension{ext(ExtRenegotiationInfo, 0, 0)}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := Parse(buildHello(t, false, tt.exts), 0)
			if !tt.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			tt.check(t, msg.(*ServerHello))
		})
	}

	// A 33-byte session ID, built by hand.
	body := append([]byte{3, 3}, seq(0, 32)...)
	body = append(body, 33)
	body = append(body, seq(0, 33)...)
	body = append(body, 0xc0, 0x2f, 0)
	_, err := Parse(frame(TypeServerHello, body), 0)
	assert.Error(t, err, "33-byte session ID")
	body[34] = 32
	body = append(body[:35+32], body[35+33:]...)
	_, err = Parse(frame(TypeServerHello, body), 0)
	assert.NoError(t, err, "control: a 32-byte session ID")
}

func TestCertificateRequestAndCertificateFields(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"Certificate empty list", frame(TypeCertificate, []byte{0, 0, 0}), true},
		{"Certificate empty entry", frame(TypeCertificate, []byte{0, 0, 3, 0, 0, 0}), false},
		{"Certificate list too long", frame(TypeCertificate, []byte{0, 0, 5, 0, 0, 1, 9}), false},
		{"CertificateRequest valid", frame(TypeCertificateRequest, []byte{1, 1, 0, 2, 4, 1, 0, 0}), true},
		{"CertificateRequest no types", frame(TypeCertificateRequest, []byte{0, 0, 2, 4, 1, 0, 0}), false},
		{"CertificateRequest no algorithms", frame(TypeCertificateRequest, []byte{1, 1, 0, 0, 0, 0}), false},
		{"CertificateRequest empty CA", frame(TypeCertificateRequest, []byte{1, 1, 0, 2, 4, 1, 0, 2, 0, 0}), false},
		{"NewSessionTicket no ticket length", frame(TypeNewSessionTicket, []byte{0, 0, 0, 1}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.data, 0)
			assert.Equal(t, tt.ok, err == nil, "err = %v", err)
		})
	}
}

// unknownExtensions is n empty extensions of unassigned types 0x7001,
// 0x7002, ... (numbered in hex the way the table reads them: the 32nd is
// 0x7032).
func unknownExtensions(n int) []rawExtension {
	var exts []rawExtension
	for i := 1; i <= n; i++ {
		typ := uint16(0x7000 + (i/10)<<4 + i%10)
		exts = append(exts, ext(typ))
	}
	return exts
}
