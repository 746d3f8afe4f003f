package main

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/internal/interop"
	"github.com/glasstls/glasstls/record"
	"github.com/glasstls/glasstls/x509verify"
)

func testPKI(t *testing.T) *pki {
	t.Helper()
	p, err := loadPKI(interop.TestdataDir(t))
	require.NoError(t, err)
	return p
}

// want is what one round must show, written out here independently of
// the round's own declaration in the demo.
type want struct {
	detector string // "" for a control round that must succeed
	alert    record.AlertDescription
	cause    func(error) bool
	inClear  bool // the attacker can read the alert on the wire
}

func causeIs[T error]() func(error) bool {
	return func(err error) bool {
		var target T
		return errors.As(err, &target)
	}
}

// namesakeFound: the issuer is unknown although a trusted certificate with
// its name was found (the real root), because it holds another key.
func namesakeFound(err error) bool {
	var unknown *x509verify.UnknownAuthorityError
	return errors.As(err, &unknown) && len(unknown.OtherKeys) > 0
}

// TestDemos runs every attack and checks that the defence fired: the
// detecting side raised the right alert itself, the other side received
// that alert, the error wraps the typed cause, and, where the alert goes
// out before the detector's keys are on, the attacker saw it on the wire.
func TestDemos(t *testing.T) {
	p := testPKI(t)
	tests := []struct {
		demo   string
		rounds []want
	}{
		{"tamper", []want{{"server", record.AlertBadRecordMAC, nil, false}}},
		{"downgrade", []want{
			{"server", record.AlertDecryptError, nil, true},
			{"server", record.AlertBadRecordMAC, nil, true},
		}},
		{"rollback", []want{
			{detector: ""},
			{"server", record.AlertBadRecordMAC, nil, true},
			{"server", record.AlertBadRecordMAC, nil, true},
		}},
		{"forged", []want{{"client", record.AlertUnknownCA, namesakeFound, true}}},
		{"tampered-cert", []want{{"client", record.AlertBadCertificate, causeIs[*x509verify.BadSignatureError](), true}}},
		{"expired", []want{{"client", record.AlertCertificateExpired, causeIs[*x509verify.ExpiredError](), true}}},
		{"wrong-host", []want{{"client", record.AlertBadCertificate, causeIs[*x509verify.HostnameError](), true}}},
		{"insecure", []want{
			{detector: ""}, // InsecureSkipVerify: no error anywhere, which is the point
			{"client", record.AlertUnknownCA, namesakeFound, true},
		}},
	}
	require.Len(t, tests, len(demos()), "every demo has a row here")
	for _, tt := range tests {
		t.Run(tt.demo, func(t *testing.T) {
			d := findDemo(t, tt.demo)
			var out bytes.Buffer
			rounds, err := d.run(p, &syncWriter{w: &out})
			require.NoError(t, err)
			t.Log(out.String())
			require.Len(t, rounds, len(tt.rounds))
			for i, w := range tt.rounds {
				v := rounds[i].verdict
				require.NotNil(t, v)
				assert.Empty(t, rounds[i].unexpected(), "round %d", i)
				if w.detector == "" {
					assert.NoError(t, v.caught, "round %d: control", i)
					assert.NoError(t, v.told, "round %d: control", i)
					continue
				}
				assert.Equal(t, w.detector, v.detector, "round %d", i)
				assertAlert(t, v.caught, w.alert, false)
				assertAlert(t, v.told, w.alert, true)
				if w.cause != nil {
					assert.True(t, w.cause(v.caught), "round %d: cause of %v", i, v.caught)
				}
				if w.inClear {
					from := serverToClient
					if w.detector == "client" {
						from = clientToServer
					}
					assert.Contains(t, v.alerts, wireAlert{dir: from, description: int(w.alert)}, "round %d: on the wire", i)
				} else {
					assert.NotEmpty(t, v.alerts, "round %d: an (encrypted) alert went on the wire", i)
				}
			}
			assert.Contains(t, out.String(), "CAUGHT by the ")
			assert.NotContains(t, out.String(), "NOT CAUGHT")
		})
	}
}

func assertAlert(t *testing.T, err error, d record.AlertDescription, remote bool) {
	t.Helper()
	var alertErr *record.AlertError
	if assert.True(t, errors.As(err, &alertErr), "want an alert, got %v", err) {
		assert.Equal(t, d, alertErr.Description, "%v", err)
		assert.Equal(t, remote, alertErr.Remote, "remote? %v", err)
	}
}

func findDemo(t *testing.T, name string) demo {
	t.Helper()
	for _, d := range demos() {
		if d.name == name {
			return d
		}
	}
	t.Fatalf("no demo %q", name)
	return demo{}
}

// TestHonestConnectionThroughRelay is the control for all demos: through
// an attacker that changes nothing, the same client and server connect and
// exchange data without any error, so every error above is the attack's.
func TestHonestConnectionThroughRelay(t *testing.T) {
	p := testPKI(t)
	server, err := p.serverConfig("server-rsa")
	require.NoError(t, err)
	var got []byte
	s := &scenario{
		client: p.clientConfig(), server: server, attacker: &mitm{},
		clientApp: func(c *handshake.Conn) error {
			_, err := c.Write([]byte("pay alice 100"))
			return err
		},
		serverApp: func(c *handshake.Conn) error {
			buf := make([]byte, 64)
			n, err := c.Read(buf)
			got = buf[:n]
			return err
		},
	}
	o, err := s.run()
	require.NoError(t, err)
	assert.NoError(t, o.clientErr)
	assert.NoError(t, o.serverErr)
	assert.Equal(t, "pay alice 100", string(got))
}

// TestRunAll runs the program's entry point as a user would.
func TestRunAll(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run("all", interop.TestdataDir(t), &out))
	for _, d := range demos() {
		assert.Contains(t, out.String(), "=== "+d.name+":")
	}
	assert.Error(t, run("no-such-demo", interop.TestdataDir(t), io.Discard))
}

func TestStripSuites(t *testing.T) {
	var b cryptobyte.Builder
	b.AddUint8(handshakeClientHello)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16(0x0303)
		b.AddBytes(make([]byte, 32))
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte{7, 7}) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, id := range []uint16{0xC02F, 0x002F, 0x00FF} {
				b.AddUint16(id)
			}
		})
		b.AddBytes([]byte{1, 0, 0xAA, 0xBB}) // compression + "extensions"
	})
	msg := b.BytesOrPanic()

	edited, removed, err := stripSuites(msg, func(id uint16) bool { return id != 0xC02F })
	require.NoError(t, err)
	assert.Equal(t, []uint16{0xC02F}, removed)
	assert.Len(t, edited, len(msg)-2)
	assert.Equal(t, len(edited)-handshakeHeaderLen, int(edited[1])<<16|int(edited[2])<<8|int(edited[3]), "length field")
	assert.Equal(t, msg[len(msg)-4:], edited[len(edited)-4:], "the rest is untouched")

	_, _, err = stripSuites(msg[:20], func(uint16) bool { return true })
	assert.Error(t, err)
}

func TestTamperLeafKey(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(interop.TestdataDir(t), "server-rsa.pem"))
	require.NoError(t, err)
	block, _ := pem.Decode(data)
	require.NotNil(t, block)
	var b cryptobyte.Builder
	b.AddUint8(handshakeCertificate)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(block.Bytes) })
		})
	})
	msg := b.BytesOrPanic()
	original := bytes.Clone(msg)

	require.NoError(t, tamperLeafKey(msg, io.Discard))
	diff := 0
	for i := range msg {
		if msg[i] != original[i] {
			diff++
		}
	}
	assert.Equal(t, 1, diff, "exactly one byte changed")
	tampered, err := leafCertificate(msg)
	require.NoError(t, err, "the tampered certificate still parses")
	honest, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.Equal(t, honest.RawTBSCertificate[:10], tampered.RawTBSCertificate[:10])
	assert.NotEqual(t, honest.RawSubjectPublicKeyInfo, tampered.RawSubjectPublicKeyInfo, "the change is in the key")
	caPEM, err := os.ReadFile(filepath.Join(interop.TestdataDir(t), "ca.pem"))
	require.NoError(t, err)
	caBlock, _ := pem.Decode(caPEM)
	require.NotNil(t, caBlock)
	ca, err := x509.ParseCertificate(caBlock.Bytes)
	require.NoError(t, err)
	require.NoError(t, honest.CheckSignatureFrom(ca), "the untouched certificate verifies")
	assert.Error(t, tampered.CheckSignatureFrom(ca), "the tampered one does not")

	assert.Error(t, tamperLeafKey([]byte{11, 0, 0, 0}, io.Discard))
}

// FuzzStripSuites: the attacker's ClientHello editor never panics, and
// keeping everything gives back the message it was given.
func FuzzStripSuites(f *testing.F) {
	f.Add([]byte{1, 0, 0, 40, 3, 3})
	f.Fuzz(func(t *testing.T, msg []byte) {
		edited, removed, err := stripSuites(msg, func(uint16) bool { return true })
		if err != nil {
			return
		}
		assert.Empty(t, removed)
		if len(msg) >= handshakeHeaderLen && int(msg[1])<<16|int(msg[2])<<8|int(msg[3]) == len(msg)-handshakeHeaderLen {
			assert.Equal(t, msg, edited)
		}
	})
}

// FuzzTamperLeafKey: the certificate editor never panics on any message.
func FuzzTamperLeafKey(f *testing.F) {
	f.Add([]byte{11, 0, 0, 3, 0, 0, 0})
	f.Fuzz(func(t *testing.T, msg []byte) {
		_ = tamperLeafKey(msg, io.Discard)
	})
}

// TestInsecureClientIsReadAndChanged checks the insecure demo's claim
// itself: with InsecureSkipVerify the attacker reads the password and the
// client gets the attacker's IBAN, with no error; verifying, the client
// refuses and never sends the request.
func TestInsecureClientIsReadAndChanged(t *testing.T) {
	var out bytes.Buffer
	rounds, err := demoInsecure(testPKI(t), &syncWriter{w: &out})
	require.NoError(t, err)
	t.Log(out.String())
	require.Len(t, rounds, 2)
	assert.Contains(t, out.String(), "attacker reads: \"GET /account HTTP/1.0\\r\\nAuthorization: Basic YWxpY2U6aHVudGVyMg==")
	assert.Contains(t, out.String(), "client got:     \"HTTP/1.0 200 OK\\r\\n\\r\\nbalance 100 EUR; pay your rent to IBAN DE99 MALLORY\"")
	assert.Contains(t, out.String(), "THE ATTACK WORKED")
	assert.NoError(t, rounds[0].verdict.caught, "the insecure client saw no error")
	assert.NoError(t, rounds[0].verdict.told, "nor did the attacker or the server")
	assertAlert(t, rounds[1].verdict.caught, record.AlertUnknownCA, false)
	// Only one request reached the attacker: the verifying client's never left.
	assert.Equal(t, 1, strings.Count(out.String(), "attacker reads:"))
}
