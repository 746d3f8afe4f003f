package handshake

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

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
	msg  handshakeMessage
	// want is msg as the parser should return it, minus raw (nil: msg
	// itself is already what the parser returns).
	want handshakeMessage
}

// testMessages returns one populated message of every type, fresh each
// call so tests may mutate them.
func testMessages() []testMessage {
	fullClientHello := &clientHelloMsg{
		vers:                         0x0303,
		random:                       seq(0x10, 32),
		sessionID:                    seq(0x80, 32),
		cipherSuites:                 []uint16{0xc02b, 0xc02f, 0x0a0a, scsvRenegotiation},
		compressionMethods:           []uint8{compressionNone},
		serverName:                   "example.com",
		supportedCurves:              []cipher.CurveID{cipher.CurveX25519, cipher.CurveP256, cipher.CurveP384},
		supportedPoints:              []uint8{pointFormatUncompressed},
		supportedSignatureAlgorithms: []SignatureScheme{ECDSAWithP256AndSHA256, ECDSAWithP384AndSHA384, PSSWithSHA256, PSSWithSHA384, PSSWithSHA512, PKCS1WithSHA256, PKCS1WithSHA384, PKCS1WithSHA512, ECDSAWithP521AndSHA512},
		ticketSupported:              true,
		sessionTicket:                seq(0x40, 100),
		secureRenegotiationSupported: true,
		secureRenegotiation:          seq(0x60, 12),
		alpnProtocols:                []string{"h2", "http/1.1"},
		extendedMasterSecret:         true,
		encryptThenMAC:               true,
		supportedVersions:            []uint16{0x0304, 0x0303},
		ocspStapling:                 true,
	}
	wantClientHello := *fullClientHello
	// The order marshal writes them in.
	wantClientHello.extensions = []uint16{extServerName, extStatusRequest, extECPointFormats, extSupportedGroups, extSessionTicket,
		extSignatureAlgorithms, extALPN, extEncryptThenMAC, extExtendedMasterSecret, extSupportedVersions, extRenegotiationInfo}

	fullServerHello := &serverHelloMsg{
		vers:                         0x0303,
		random:                       seq(0x20, 32),
		sessionID:                    seq(0x90, 16),
		cipherSuite:                  0xc02f,
		compressionMethod:            compressionNone,
		serverNameAck:                true,
		supportedPoints:              []uint8{pointFormatUncompressed},
		ticketSupported:              true,
		secureRenegotiationSupported: true,
		secureRenegotiation:          seq(0x70, 24),
		alpnProtocol:                 "h2",
		extendedMasterSecret:         true,
		encryptThenMAC:               true,
		ocspStapling:                 true,
	}
	wantServerHello := *fullServerHello
	wantServerHello.extensions = []uint16{extServerName, extStatusRequest, extECPointFormats, extSessionTicket, extALPN,
		extEncryptThenMAC, extExtendedMasterSecret, extRenegotiationInfo}

	return []testMessage{
		{name: "HelloRequest", msg: &helloRequestMsg{}},
		{name: "ClientHello", msg: fullClientHello, want: &wantClientHello},
		{name: "ClientHello/minimal", msg: &clientHelloMsg{
			vers:               0x0303,
			random:             seq(0, 32),
			sessionID:          []byte{},
			cipherSuites:       []uint16{0x002f},
			compressionMethods: []uint8{compressionNone},
		}},
		{name: "ClientHello/empty-renegotiation-and-ticket", msg: &clientHelloMsg{
			vers:                         0x0303,
			random:                       seq(0, 32),
			sessionID:                    []byte{},
			cipherSuites:                 []uint16{0xc02f},
			compressionMethods:           []uint8{compressionNone},
			ticketSupported:              true,
			sessionTicket:                []byte{},
			secureRenegotiationSupported: true,
			secureRenegotiation:          []byte{},
		}, want: &clientHelloMsg{
			vers:                         0x0303,
			random:                       seq(0, 32),
			sessionID:                    []byte{},
			cipherSuites:                 []uint16{0xc02f},
			compressionMethods:           []uint8{compressionNone},
			ticketSupported:              true,
			sessionTicket:                []byte{},
			secureRenegotiationSupported: true,
			secureRenegotiation:          []byte{},
			extensions:                   []uint16{extSessionTicket, extRenegotiationInfo},
		}},
		{name: "ServerHello", msg: fullServerHello, want: &wantServerHello},
		{name: "ServerHello/minimal", msg: &serverHelloMsg{
			vers:        0x0303,
			random:      seq(0x20, 32),
			sessionID:   []byte{},
			cipherSuite: 0x009c,
		}},
		{name: "Certificate", msg: &certificateMsg{certificates: [][]byte{seq(1, 300), seq(2, 5)}}},
		{name: "Certificate/empty", msg: &certificateMsg{}},
		{name: "ServerKeyExchange", msg: &serverKeyExchangeMsg{
			curveType:       curveTypeNamedCurve,
			curve:           cipher.CurveX25519,
			publicKey:       seq(0x33, 32),
			signatureScheme: PSSWithSHA256,
			signature:       seq(0x44, 256),
		}},
		{name: "CertificateRequest", msg: &certificateRequestMsg{
			certificateTypes:             []uint8{1, 64},
			supportedSignatureAlgorithms: []SignatureScheme{ECDSAWithP256AndSHA256, PKCS1WithSHA256},
			certificateAuthorities:       [][]byte{seq(0x30, 20), seq(0x31, 7)},
		}},
		{name: "CertificateRequest/no-CAs", msg: &certificateRequestMsg{
			certificateTypes:             []uint8{1},
			supportedSignatureAlgorithms: []SignatureScheme{PKCS1WithSHA256},
		}},
		{name: "ServerHelloDone", msg: &serverHelloDoneMsg{}},
		{name: "CertificateVerify", msg: &certificateVerifyMsg{signatureScheme: ECDSAWithP384AndSHA384, signature: seq(0x55, 103)}},
		{name: "ClientKeyExchange/RSA", msg: newRSAClientKeyExchange(seq(0x66, 256))},
		{name: "ClientKeyExchange/ECDHE", msg: newECDHEClientKeyExchange(seq(0x04, 65))},
		{name: "Finished", msg: &finishedMsg{verifyData: seq(0x77, 12)}},
		{name: "CertificateStatus", msg: &certificateStatusMsg{response: seq(0x30, 300)}},
		{name: "NewSessionTicket", msg: &newSessionTicketMsg{lifetimeHint: 7200, ticket: seq(0x88, 150)}},
		{name: "NewSessionTicket/empty", msg: &newSessionTicketMsg{lifetimeHint: 0, ticket: []byte{}}},
	}
}

// withRaw returns a shallow copy of m whose raw field is raw (messages
// without a raw field are returned as they are).
func withRaw(m handshakeMessage, raw []byte) handshakeMessage {
	switch m := m.(type) {
	case *clientHelloMsg:
		c := *m
		c.raw = raw
		return &c
	case *serverHelloMsg:
		c := *m
		c.raw = raw
		return &c
	case *certificateMsg:
		c := *m
		c.raw = raw
		return &c
	case *serverKeyExchangeMsg:
		c := *m
		c.raw = raw
		return &c
	case *certificateRequestMsg:
		c := *m
		c.raw = raw
		return &c
	case *certificateVerifyMsg:
		c := *m
		c.raw = raw
		return &c
	case *clientKeyExchangeMsg:
		c := *m
		c.raw = raw
		return &c
	case *finishedMsg:
		c := *m
		c.raw = raw
		return &c
	case *certificateStatusMsg:
		c := *m
		c.raw = raw
		return &c
	case *newSessionTicketMsg:
		c := *m
		c.raw = raw
		return &c
	}
	return m
}

// rawOf returns m's raw field, or nil for the messages that have none.
func rawOf(m handshakeMessage) []byte {
	switch m := m.(type) {
	case *clientHelloMsg:
		return m.raw
	case *serverHelloMsg:
		return m.raw
	case *certificateMsg:
		return m.raw
	case *serverKeyExchangeMsg:
		return m.raw
	case *certificateRequestMsg:
		return m.raw
	case *certificateVerifyMsg:
		return m.raw
	case *clientKeyExchangeMsg:
		return m.raw
	case *finishedMsg:
		return m.raw
	case *certificateStatusMsg:
		return m.raw
	case *newSessionTicketMsg:
		return m.raw
	}
	return nil
}

// frame puts a handshake header with the right length in front of body.
func frame(typ uint8, body []byte) []byte {
	n := len(body)
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

func TestMessagesRoundTrip(t *testing.T) {
	for _, tt := range testMessages() {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.msg.marshal()
			require.NoError(t, err)
			typ := data[0]
			if typ != typeHelloRequest && typ != typeServerHelloDone {
				assert.Equal(t, data, rawOf(tt.msg), "marshal must remember its output in raw")
			}
			assert.Equal(t, len(data)-handshakeHeaderLen, int(data[1])<<16|int(data[2])<<8|int(data[3]), "header length")

			input := bytes.Clone(data)
			parsed, err := parseHandshakeMessage(input, 0)
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
			again, err := parsed.marshal()
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
		{typeHelloRequest, "HelloRequest"},
		{typeClientHello, "ClientHello"},
		{typeServerHello, "ServerHello"},
		{typeNewSessionTicket, "NewSessionTicket"},
		{typeCertificate, "Certificate"},
		{typeServerKeyExchange, "ServerKeyExchange"},
		{typeCertificateRequest, "CertificateRequest"},
		{typeServerHelloDone, "ServerHelloDone"},
		{typeCertificateVerify, "CertificateVerify"},
		{typeClientKeyExchange, "ClientKeyExchange"},
		{typeFinished, "Finished"},
		{3, "HandshakeType(3)"},
		{255, "HandshakeType(255)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, messageName(tt.typ))
	}
}

// bodyPrefixesThatParse lists the body lengths, shorter than the full
// body, at which a message is still complete: a hello cut right before its
// optional extensions block.
func bodyPrefixesThatParse(m handshakeMessage) map[int]bool {
	switch m := m.(type) {
	case *clientHelloMsg:
		return map[int]bool{2 + 32 + 1 + len(m.sessionID) + 2 + 2*len(m.cipherSuites) + 1 + len(m.compressionMethods): true}
	case *serverHelloMsg:
		return map[int]bool{2 + 32 + 1 + len(m.sessionID) + 2 + 1: true}
	}
	return nil
}

func TestTruncatedMessagesFail(t *testing.T) {
	for _, tt := range testMessages() {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.msg.marshal()
			require.NoError(t, err)
			typ, body := data[0], data[handshakeHeaderLen:]

			// Cut anywhere, header left as is: the length disagrees.
			for n := 0; n < len(data); n++ {
				_, err := parseHandshakeMessage(data[:n], 0)
				assert.Error(t, err, "prefix of %d bytes", n)
			}
			_, err = parseHandshakeMessage(append(bytes.Clone(data), 0), 0)
			assert.Error(t, err, "trailing byte")

			// Cut the body and fix up the header, so only the body's own
			// structure can catch it.
			complete := bodyPrefixesThatParse(tt.msg)
			for n := 0; n < len(body); n++ {
				msg, err := parseHandshakeMessage(frame(typ, body[:n]), 0)
				if cke, ok := msg.(*clientKeyExchangeMsg); ok {
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
			msg, err := parseHandshakeMessage(frame(typ, append(bytes.Clone(body), 0)), 0)
			if cke, ok := msg.(*clientKeyExchangeMsg); ok {
				assert.False(t, ckeFormOK(tt.msg, cke), "ClientKeyExchange with a trailing byte")
				return
			}
			assert.Error(t, err, "trailing byte inside the body")
		})
	}
}

// ckeFormOK reads got in the form (RSA or ECDHE) that orig, a valid
// ClientKeyExchange, decodes as, and reports whether that succeeds.
func ckeFormOK(orig handshakeMessage, got *clientKeyExchangeMsg) bool {
	if _, isRSA := orig.(*clientKeyExchangeMsg).rsaEncryptedPreMasterSecret(); isRSA {
		_, ok := got.rsaEncryptedPreMasterSecret()
		return ok
	}
	_, ok := got.ecdhePublicKey()
	return ok
}

func TestClientKeyExchangeForms(t *testing.T) {
	epms := seq(1, 256)
	rsaMsg := newRSAClientKeyExchange(epms)
	got, ok := rsaMsg.rsaEncryptedPreMasterSecret()
	require.True(t, ok)
	assert.Equal(t, epms, got)
	_, ok = rsaMsg.ecdhePublicKey()
	assert.False(t, ok, "a 256-byte RSA body is not an ECDHE body")

	point := seq(4, 65)
	ecdheMsg := newECDHEClientKeyExchange(point)
	got, ok = ecdheMsg.ecdhePublicKey()
	require.True(t, ok)
	assert.Equal(t, point, got)
	_, ok = ecdheMsg.rsaEncryptedPreMasterSecret()
	assert.False(t, ok, "a 65-byte ECDHE body is not an RSA body")

	// Inputs that cannot be encoded give a message marshal refuses.
	for name, m := range map[string]*clientKeyExchangeMsg{
		"empty ECDHE key":    newECDHEClientKeyExchange(nil),
		"ECDHE key too long": newECDHEClientKeyExchange(make([]byte, 256)),
		"RSA too long":       newRSAClientKeyExchange(make([]byte, 1<<16)),
	} {
		_, err := m.marshal()
		assert.Error(t, err, name)
	}
	// An empty RSA ciphertext still has its two length bytes.
	empty := newRSAClientKeyExchange(nil)
	got, ok = empty.rsaEncryptedPreMasterSecret()
	assert.True(t, ok)
	assert.Empty(t, got)

	_, err := parseHandshakeMessage(frame(typeClientKeyExchange, nil), 0)
	assert.Error(t, err, "empty ClientKeyExchange body")
}

func TestServerKeyExchangeParams(t *testing.T) {
	m := &serverKeyExchangeMsg{curveType: curveTypeNamedCurve, curve: cipher.CurveP256, publicKey: []byte{4, 1, 2}}
	// RFC 8422, 5.4: curve_type, named_curve, then the point with a 1-byte length.
	assert.Equal(t, []byte{3, 0, 23, 3, 4, 1, 2}, m.params())

	data, err := m.marshal()
	require.NoError(t, err)
	assert.Equal(t, m.params(), data[handshakeHeaderLen:handshakeHeaderLen+len(m.params())], "params are the start of the body")

	for name, bad := range map[string]*serverKeyExchangeMsg{
		"explicit curve": {curveType: 1, curve: cipher.CurveP256, publicKey: []byte{4}},
		"no curve type":  {curve: cipher.CurveP256, publicKey: []byte{4}},
		"empty point":    {curveType: curveTypeNamedCurve, curve: cipher.CurveP256},
		"long point":     {curveType: curveTypeNamedCurve, curve: cipher.CurveP256, publicKey: make([]byte, 256)},
	} {
		_, err := bad.marshal()
		assert.Error(t, err, name)
	}
	assert.Nil(t, (&serverKeyExchangeMsg{publicKey: make([]byte, 256)}).params())

	// Parsing rejects a curve type other than named_curve.
	body := []byte{1, 0, 23, 1, 4, 4, 1, 0, 0}
	_, err = parseHandshakeMessage(frame(typeServerKeyExchange, body), 0)
	assert.Error(t, err)
	body[0] = curveTypeNamedCurve
	_, err = parseHandshakeMessage(frame(typeServerKeyExchange, body), 0)
	assert.NoError(t, err, "control: the same body with named_curve parses")
}

func TestMarshalRefusesInvalidFields(t *testing.T) {
	validCH := func() *clientHelloMsg {
		return &clientHelloMsg{vers: 0x0303, random: seq(0, 32), cipherSuites: []uint16{0xc02f}, compressionMethods: []uint8{0}}
	}
	validSH := func() *serverHelloMsg {
		return &serverHelloMsg{vers: 0x0303, random: seq(0, 32), cipherSuite: 0xc02f}
	}
	tests := []struct {
		name string
		msg  handshakeMessage
	}{
		{"ClientHello short random", func() handshakeMessage { m := validCH(); m.random = seq(0, 31); return m }()},
		{"ClientHello 33-byte session ID", func() handshakeMessage { m := validCH(); m.sessionID = seq(0, 33); return m }()},
		{"ClientHello no cipher suites", func() handshakeMessage { m := validCH(); m.cipherSuites = nil; return m }()},
		{"ClientHello no compression", func() handshakeMessage { m := validCH(); m.compressionMethods = nil; return m }()},
		{"ClientHello empty ALPN name", func() handshakeMessage { m := validCH(); m.alpnProtocols = []string{"h2", ""}; return m }()},
		{"ClientHello long renegotiation_info", func() handshakeMessage {
			m := validCH()
			m.secureRenegotiationSupported, m.secureRenegotiation = true, make([]byte, 256)
			return m
		}()},
		{"ServerHello long random", func() handshakeMessage { m := validSH(); m.random = seq(0, 33); return m }()},
		{"ServerHello 33-byte session ID", func() handshakeMessage { m := validSH(); m.sessionID = seq(0, 33); return m }()},
		{"ServerHello long ALPN", func() handshakeMessage { m := validSH(); m.alpnProtocol = string(make([]byte, 256)); return m }()},
		{"Certificate empty entry", &certificateMsg{certificates: [][]byte{seq(0, 3), {}}}},
		{"CertificateRequest no types", &certificateRequestMsg{supportedSignatureAlgorithms: []SignatureScheme{PKCS1WithSHA256}}},
		{"CertificateRequest no algorithms", &certificateRequestMsg{certificateTypes: []uint8{1}}},
		{"CertificateRequest empty CA", &certificateRequestMsg{certificateTypes: []uint8{1}, supportedSignatureAlgorithms: []SignatureScheme{PKCS1WithSHA256}, certificateAuthorities: [][]byte{{}}}},
		{"CertificateVerify long signature", &certificateVerifyMsg{signature: make([]byte, 1<<16)}},
		{"Finished 11 bytes", &finishedMsg{verifyData: seq(0, 11)}},
		{"Finished 13 bytes", &finishedMsg{verifyData: seq(0, 13)}},
		{"CertificateStatus empty response", &certificateStatusMsg{}},
		{"NewSessionTicket long ticket", &newSessionTicketMsg{ticket: make([]byte, 1<<16)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.msg.marshal()
			assert.Error(t, err)
		})
	}
	// Controls: the valid bases do marshal.
	_, err := validCH().marshal()
	assert.NoError(t, err)
	_, err = validSH().marshal()
	assert.NoError(t, err)
}

func TestParseHandshakeMessageAlerts(t *testing.T) {
	validFinished := frame(typeFinished, seq(0, 12))
	tests := []struct {
		name      string
		data      []byte
		wantAlert record.AlertDescription
		wantMsg   string
	}{
		{"empty", nil, record.AlertDecodeError, ""},
		{"three bytes", []byte{typeFinished, 0, 0}, record.AlertDecodeError, ""},
		{"unknown type 3", frame(3, nil), record.AlertUnexpectedMessage, ""},
		{"certificate_url", frame(21, seq(0, 5)), record.AlertUnexpectedMessage, ""},
		{"short Finished", frame(typeFinished, seq(0, 11)), record.AlertDecodeError, "malformed Finished"},
		{"HelloRequest with a body", frame(typeHelloRequest, []byte{0}), record.AlertDecodeError, "malformed HelloRequest"},
		{"ServerHelloDone with a body", frame(typeServerHelloDone, []byte{0}), record.AlertDecodeError, "malformed ServerHelloDone"},
		{"ClientHello length too long", []byte{typeClientHello, 0, 0, 50, 3, 3}, record.AlertDecodeError, "malformed ClientHello"},
		// RFC 6066, 8: OCSPResponse<1..2^24-1>, and ocsp is the only status_type.
		{"CertificateStatus empty response", frame(typeCertificateStatus, []byte{1, 0, 0, 0}), record.AlertDecodeError, "malformed CertificateStatus"},
		{"CertificateStatus other type", frame(typeCertificateStatus, []byte{2, 0, 0, 1, 7}), record.AlertDecodeError, "malformed CertificateStatus"},
		{"CertificateStatus trailing byte", frame(typeCertificateStatus, []byte{1, 0, 0, 1, 7, 0}), record.AlertDecodeError, "malformed CertificateStatus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := parseHandshakeMessage(tt.data, 0)
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
	msg, err := parseHandshakeMessage(validFinished, 0)
	require.NoError(t, err, "control")
	assert.IsType(t, &finishedMsg{}, msg)
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
		b.AddUint8(compressionNone)
	} else {
		b.AddUint16(0xc02f)
		b.AddUint8(compressionNone)
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
	typ := typeServerHello
	if client {
		typ = typeClientHello
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
		check func(t *testing.T, m *clientHelloMsg)
	}{
		{"no extensions block", nil, true, func(t *testing.T, m *clientHelloMsg) {
			assert.Empty(t, m.extensions)
			assert.False(t, m.extendedMasterSecret)
			assert.False(t, m.secureRenegotiationSupported)
		}},
		{"empty extensions block", []rawExtension{}, true, func(t *testing.T, m *clientHelloMsg) {
			assert.Empty(t, m.extensions)
		}},
		{"GREASE and unknown extensions are skipped", []rawExtension{
			ext(0x0a0a), ext(0x1234, 1, 2, 3), ext(extExtendedMasterSecret), ext(0xfafa, 0),
		}, true, func(t *testing.T, m *clientHelloMsg) {
			assert.Equal(t, []uint16{0x0a0a, 0x1234, extExtendedMasterSecret, 0xfafa}, m.extensions)
			assert.True(t, m.extendedMasterSecret)
		}},
		{"server_name", []rawExtension{ext(extServerName, 0, 8, 0, 0, 5, 'a', '.', 'c', 'o', 'm')}, true, func(t *testing.T, m *clientHelloMsg) {
			assert.Equal(t, "a.com", m.serverName)
		}},
		{"server_name skips unknown name types", []rawExtension{ext(extServerName, 0, 12, 7, 0, 1, 'x', 0, 0, 5, 'a', '.', 'c', 'o', 'm')}, true, func(t *testing.T, m *clientHelloMsg) {
			assert.Equal(t, "a.com", m.serverName)
		}},
		{"session_ticket with a ticket", []rawExtension{ext(extSessionTicket, 9, 8, 7)}, true, func(t *testing.T, m *clientHelloMsg) {
			assert.True(t, m.ticketSupported)
			assert.Equal(t, []byte{9, 8, 7}, m.sessionTicket)
		}},
		{"empty renegotiation_info", []rawExtension{ext(extRenegotiationInfo, 0)}, true, func(t *testing.T, m *clientHelloMsg) {
			assert.True(t, m.secureRenegotiationSupported)
			assert.Empty(t, m.secureRenegotiation)
		}},
		{"supported_versions", []rawExtension{ext(extSupportedVersions, 4, 3, 4, 3, 3)}, true, func(t *testing.T, m *clientHelloMsg) {
			assert.Equal(t, []uint16{0x0304, 0x0303}, m.supportedVersions)
		}},

		{"duplicated extension", []rawExtension{ext(extExtendedMasterSecret), ext(extExtendedMasterSecret)}, false, nil},
		{"duplicated unknown extension", []rawExtension{ext(0x1234), ext(0x1234)}, false, nil},
		{"duplicated extension far apart", []rawExtension{ext(extALPN, 0, 3, 2, 'h', '2'), ext(0x0a0a), ext(extEncryptThenMAC), ext(extALPN, 0, 3, 2, 'h', '2')}, false, nil},
		{"extended_master_secret with data", []rawExtension{ext(extExtendedMasterSecret, 0)}, false, nil},
		{"encrypt_then_mac with data", []rawExtension{ext(extEncryptThenMAC, 0)}, false, nil},
		{"server_name empty list", []rawExtension{ext(extServerName, 0, 0)}, false, nil},
		{"server_name empty host", []rawExtension{ext(extServerName, 0, 3, 0, 0, 0)}, false, nil},
		{"server_name two hosts", []rawExtension{ext(extServerName, 0, 8, 0, 0, 1, 'a', 0, 0, 1, 'b')}, false, nil},
		{"server_name trailing byte", []rawExtension{ext(extServerName, 0, 4, 0, 0, 1, 'a', 0)}, false, nil},
		{"server_name list too long", []rawExtension{ext(extServerName, 0, 9, 0, 0, 1, 'a')}, false, nil},
		{"supported_groups empty", []rawExtension{ext(extSupportedGroups, 0, 0)}, false, nil},
		{"supported_groups odd", []rawExtension{ext(extSupportedGroups, 0, 3, 0, 29, 0)}, false, nil},
		{"ec_point_formats empty", []rawExtension{ext(extECPointFormats, 0)}, false, nil},
		{"signature_algorithms empty", []rawExtension{ext(extSignatureAlgorithms, 0, 0)}, false, nil},
		{"signature_algorithms odd", []rawExtension{ext(extSignatureAlgorithms, 0, 1, 4)}, false, nil},
		{"ALPN empty list", []rawExtension{ext(extALPN, 0, 0)}, false, nil},
		{"ALPN empty name", []rawExtension{ext(extALPN, 0, 4, 2, 'h', '2', 0)}, false, nil},
		{"renegotiation_info short", []rawExtension{ext(extRenegotiationInfo, 2, 1)}, false, nil},
		{"renegotiation_info no length", []rawExtension{ext(extRenegotiationInfo)}, false, nil},
		{"supported_versions odd", []rawExtension{ext(extSupportedVersions, 3, 3, 3, 3)}, false, nil},
		{"supported_versions empty", []rawExtension{ext(extSupportedVersions, 0)}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := buildHello(t, true, tt.exts)
			msg, err := parseHandshakeMessage(data, 0)
			if !tt.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			tt.check(t, msg.(*clientHelloMsg))
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
			var m clientHelloMsg
			assert.Equal(t, tt.ok, m.unmarshal(frame(typeClientHello, tt.body)))
		})
	}
	var m clientHelloMsg
	require.True(t, m.unmarshal(frame(typeClientHello, body(nil, []byte{0x0a, 0x0a, 0xc0, 0x2f}, []byte{0}, nil))))
	assert.Equal(t, []uint16{0x0a0a, 0xc02f}, m.cipherSuites, "unknown suites are kept for the caller to skip")
}

func TestServerHelloExtensions(t *testing.T) {
	tests := []struct {
		name  string
		exts  []rawExtension
		ok    bool
		check func(t *testing.T, m *serverHelloMsg)
	}{
		{"no extensions block", nil, true, func(t *testing.T, m *serverHelloMsg) {
			assert.Empty(t, m.extensions)
			assert.False(t, m.secureRenegotiationSupported)
		}},
		{"unknown extension recorded, skipped", []rawExtension{ext(extSupportedVersions, 3, 4), ext(0x2a2a, 1)}, true, func(t *testing.T, m *serverHelloMsg) {
			assert.Equal(t, []uint16{extSupportedVersions, 0x2a2a}, m.extensions)
		}},
		{"acknowledgements", []rawExtension{ext(extServerName), ext(extSessionTicket), ext(extExtendedMasterSecret), ext(extEncryptThenMAC)}, true, func(t *testing.T, m *serverHelloMsg) {
			assert.True(t, m.serverNameAck)
			assert.True(t, m.ticketSupported)
			assert.True(t, m.extendedMasterSecret)
			assert.True(t, m.encryptThenMAC)
		}},
		{"ALPN", []rawExtension{ext(extALPN, 0, 3, 2, 'h', '2')}, true, func(t *testing.T, m *serverHelloMsg) {
			assert.Equal(t, "h2", m.alpnProtocol)
		}},
		{"renegotiation_info", []rawExtension{ext(extRenegotiationInfo, 2, 7, 8)}, true, func(t *testing.T, m *serverHelloMsg) {
			assert.True(t, m.secureRenegotiationSupported)
			assert.Equal(t, []byte{7, 8}, m.secureRenegotiation)
		}},

		{"duplicated extension", []rawExtension{ext(extRenegotiationInfo, 0), ext(extRenegotiationInfo, 0)}, false, nil},
		{"ALPN with two protocols", []rawExtension{ext(extALPN, 0, 6, 2, 'h', '2', 2, 'h', '3')}, false, nil},
		{"ALPN empty list", []rawExtension{ext(extALPN, 0, 0)}, false, nil},
		{"server_name with data", []rawExtension{ext(extServerName, 0, 0)}, false, nil},
		{"session_ticket with data", []rawExtension{ext(extSessionTicket, 1)}, false, nil},
		{"extended_master_secret with data", []rawExtension{ext(extExtendedMasterSecret, 0)}, false, nil},
		{"ec_point_formats empty", []rawExtension{ext(extECPointFormats, 0)}, false, nil},
		{"renegotiation_info trailing byte", []rawExtension{ext(extRenegotiationInfo, 0, 0)}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := parseHandshakeMessage(buildHello(t, false, tt.exts), 0)
			if !tt.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			tt.check(t, msg.(*serverHelloMsg))
		})
	}

	// A 33-byte session ID, built by hand.
	body := append([]byte{3, 3}, seq(0, 32)...)
	body = append(body, 33)
	body = append(body, seq(0, 33)...)
	body = append(body, 0xc0, 0x2f, 0)
	_, err := parseHandshakeMessage(frame(typeServerHello, body), 0)
	assert.Error(t, err, "33-byte session ID")
	body[34] = 32
	body = append(body[:35+32], body[35+33:]...)
	_, err = parseHandshakeMessage(frame(typeServerHello, body), 0)
	assert.NoError(t, err, "control: a 32-byte session ID")
}

func TestCertificateRequestAndCertificateFields(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"Certificate empty list", frame(typeCertificate, []byte{0, 0, 0}), true},
		{"Certificate empty entry", frame(typeCertificate, []byte{0, 0, 3, 0, 0, 0}), false},
		{"Certificate list too long", frame(typeCertificate, []byte{0, 0, 5, 0, 0, 1, 9}), false},
		{"CertificateRequest valid", frame(typeCertificateRequest, []byte{1, 1, 0, 2, 4, 1, 0, 0}), true},
		{"CertificateRequest no types", frame(typeCertificateRequest, []byte{0, 0, 2, 4, 1, 0, 0}), false},
		{"CertificateRequest no algorithms", frame(typeCertificateRequest, []byte{1, 1, 0, 0, 0, 0}), false},
		{"CertificateRequest empty CA", frame(typeCertificateRequest, []byte{1, 1, 0, 2, 4, 1, 0, 2, 0, 0}), false},
		{"NewSessionTicket no ticket length", frame(typeNewSessionTicket, []byte{0, 0, 0, 1}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseHandshakeMessage(tt.data, 0)
			assert.Equal(t, tt.ok, err == nil, "err = %v", err)
		})
	}
}

func TestOpenSSLClientHello(t *testing.T) {
	// Captured from `openssl s_client -connect ... -tls1_2 -servername
	// example.com -alpn h2,http/1.1` (OpenSSL 3.0); see testdata/README.md.
	data, err := os.ReadFile(filepath.Join("testdata", "openssl_client_hello.bin"))
	require.NoError(t, err)
	msg, err := parseHandshakeMessage(data, 0)
	require.NoError(t, err)
	ch, ok := msg.(*clientHelloMsg)
	require.True(t, ok)

	assert.Equal(t, uint16(0x0303), ch.vers)
	assert.Len(t, ch.random, 32)
	assert.Empty(t, ch.sessionID)
	assert.Contains(t, ch.cipherSuites, uint16(0xc02f))
	assert.Contains(t, ch.cipherSuites, scsvRenegotiation, "OpenSSL signals RFC 5746 with the SCSV")
	assert.Equal(t, []uint8{compressionNone}, ch.compressionMethods)
	assert.Equal(t, "example.com", ch.serverName)
	assert.Equal(t, []uint8{0, 1, 2}, ch.supportedPoints)
	assert.Equal(t, []cipher.CurveID{cipher.CurveX25519, cipher.CurveP256, 30, 25, cipher.CurveP384}, ch.supportedCurves)
	assert.True(t, ch.ticketSupported)
	assert.Empty(t, ch.sessionTicket)
	assert.Equal(t, []string{"h2", "http/1.1"}, ch.alpnProtocols)
	assert.True(t, ch.encryptThenMAC)
	assert.True(t, ch.extendedMasterSecret)
	assert.False(t, ch.secureRenegotiationSupported)
	assert.Len(t, ch.supportedSignatureAlgorithms, 20)
	for _, s := range defaultSignatureSchemes() {
		assert.Contains(t, ch.supportedSignatureAlgorithms, s)
	}
	assert.Equal(t, []uint16{extServerName, extECPointFormats, extSupportedGroups, extSessionTicket,
		extALPN, extEncryptThenMAC, extExtendedMasterSecret, extSignatureAlgorithms}, ch.extensions)
	assert.Equal(t, data, ch.raw)

	// Re-marshaled (in our extension order), it parses to the same hello.
	again, err := ch.marshal()
	require.NoError(t, err)
	reparsed, err := parseHandshakeMessage(again, 0)
	require.NoError(t, err)
	want := *ch
	want.raw = again
	want.extensions = []uint16{extServerName, extECPointFormats, extSupportedGroups, extSessionTicket,
		extSignatureAlgorithms, extALPN, extEncryptThenMAC, extExtendedMasterSecret}
	assert.Equal(t, &want, reparsed)
}

// readHandshakeRecords reads TLS records from r until it has collected
// count handshake messages and returns them.
func readHandshakeMessages(t *testing.T, r io.Reader, count int) [][]byte {
	t.Helper()
	var buf []byte
	var msgs [][]byte
	for len(msgs) < count {
		header := make([]byte, 5)
		_, err := io.ReadFull(r, header)
		require.NoError(t, err)
		require.Equal(t, byte(22), header[0], "want a handshake record")
		fragment := make([]byte, int(header[3])<<8|int(header[4]))
		_, err = io.ReadFull(r, fragment)
		require.NoError(t, err)
		buf = append(buf, fragment...)
		for len(buf) >= 4 {
			n := 4 + (int(buf[1])<<16 | int(buf[2])<<8 | int(buf[3]))
			if len(buf) < n {
				break
			}
			msgs = append(msgs, buf[:n:n])
			buf = buf[n:]
		}
	}
	return msgs
}

func TestCryptoTLSClientHello(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	done := make(chan error, 1)
	go func() {
		defer client.Close()
		conn := tls.Client(client, &tls.Config{
			ServerName: "glasstls.test",
			MaxVersion: tls.VersionTLS12,
			NextProtos: []string{"h2"},
		})
		done <- conn.Handshake()
	}()
	require.NoError(t, server.SetDeadline(time.Now().Add(10*time.Second)))
	msgs := readHandshakeMessages(t, server, 1)
	server.Close()
	<-done

	msg, err := parseHandshakeMessage(msgs[0], 0)
	require.NoError(t, err)
	ch, ok := msg.(*clientHelloMsg)
	require.True(t, ok)
	assert.Equal(t, uint16(0x0303), ch.vers)
	assert.Equal(t, "glasstls.test", ch.serverName)
	assert.Equal(t, []string{"h2"}, ch.alpnProtocols)
	assert.True(t, ch.extendedMasterSecret)
	assert.True(t, ch.secureRenegotiationSupported)
	assert.Empty(t, ch.secureRenegotiation)
	assert.Contains(t, ch.supportedSignatureAlgorithms, PSSWithSHA256)
	assert.Contains(t, ch.supportedSignatureAlgorithms, ECDSAWithP256AndSHA256)
	assert.Contains(t, ch.supportedCurves, cipher.CurveX25519)
	assert.Equal(t, []uint16{0x0303}, ch.supportedVersions, "crypto/tls lists its one version even when capped at 1.2")
}

// selfSigned makes a certificate for key, for a crypto/tls server.
func selfSigned(t *testing.T, key crypto.Signer) tls.Certificate {
	t.Helper()
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "glasstls.test"},
		DNSNames:     []string{"glasstls.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, key.Public(), key)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// TestCryptoTLSServerFlight sends our marshaled ClientHello to a crypto/tls
// server, parses its whole first flight, and checks the ServerKeyExchange
// signature with verifyHandshake: marshal, parse and signatures against an
// independent implementation in one go.
func TestCryptoTLSServerFlight(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tests := []struct {
		name       string
		cert       tls.Certificate
		suite      uint16
		wantScheme SignatureScheme
	}{
		{"ECDHE-RSA", selfSigned(t, rsaKey), 0xc02f, PSSWithSHA256},
		{"ECDHE-ECDSA", selfSigned(t, ecKey), 0xc02b, ECDSAWithP256AndSHA256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, server := net.Pipe()
			defer client.Close()
			go func() {
				defer server.Close()
				conn := tls.Server(server, &tls.Config{Certificates: []tls.Certificate{tt.cert}, MaxVersion: tls.VersionTLS12})
				_ = conn.Handshake() // fails when we hang up; we only want its flight
			}()
			require.NoError(t, client.SetDeadline(time.Now().Add(10*time.Second)))

			hello := &clientHelloMsg{
				vers:                         0x0303,
				random:                       bytes.Repeat([]byte{0xa0}, 32),
				cipherSuites:                 []uint16{0x0a0a, tt.suite},
				compressionMethods:           []uint8{compressionNone},
				serverName:                   "glasstls.test",
				supportedCurves:              []cipher.CurveID{cipher.CurveX25519, cipher.CurveP256},
				supportedPoints:              []uint8{pointFormatUncompressed},
				supportedSignatureAlgorithms: defaultSignatureSchemes(),
				alpnProtocols:                []string{"h2"},
				extendedMasterSecret:         true,
				secureRenegotiationSupported: true,
			}
			data, err := hello.marshal()
			require.NoError(t, err)
			_, err = client.Write(append([]byte{22, 3, 1, byte(len(data) >> 8), byte(len(data))}, data...))
			require.NoError(t, err)

			msgs := readHandshakeMessages(t, client, 4)
			parsed := make([]handshakeMessage, len(msgs))
			for i, raw := range msgs {
				parsed[i], err = parseHandshakeMessage(raw, 0)
				require.NoError(t, err, "message %d (%s)", i, messageName(raw[0]))
			}
			sh, ok := parsed[0].(*serverHelloMsg)
			require.True(t, ok)
			cert, ok := parsed[1].(*certificateMsg)
			require.True(t, ok)
			ske, ok := parsed[2].(*serverKeyExchangeMsg)
			require.True(t, ok)
			assert.IsType(t, &serverHelloDoneMsg{}, parsed[3])
			assert.Equal(t, msgs[0], sh.raw)
			assert.Equal(t, msgs[1], cert.raw)
			assert.Equal(t, msgs[2], ske.raw)

			assert.Equal(t, uint16(0x0303), sh.vers)
			assert.Equal(t, tt.suite, sh.cipherSuite)
			assert.True(t, sh.extendedMasterSecret)
			assert.True(t, sh.secureRenegotiationSupported)
			assert.Empty(t, sh.secureRenegotiation)
			assert.Equal(t, []uint8{pointFormatUncompressed}, sh.supportedPoints)
			assert.Equal(t, tt.cert.Certificate, cert.certificates)
			assert.Equal(t, cipher.CurveX25519, ske.curve)
			assert.Len(t, ske.publicKey, 32)
			assert.Equal(t, tt.wantScheme, ske.signatureScheme)

			leaf, err := x509.ParseCertificate(cert.certificates[0])
			require.NoError(t, err)
			// RFC 8422, 5.4: the signature covers both randoms and the params.
			signed := append(append(bytes.Clone(hello.random), sh.random...), ske.params()...)
			assert.NoError(t, verifyHandshake(leaf.PublicKey, ske.signatureScheme, signed, ske.signature))
			signed[0] ^= 1
			assert.ErrorIs(t, verifyHandshake(leaf.PublicKey, ske.signatureScheme, signed, ske.signature), errBadSignature)
		})
	}
}
