package handshake

import (
	"context"
	"crypto"
	"math/big"
	"testing"
	"time"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// TestHostileServer feeds our client what a hostile or broken server (or
// a man in the middle) sends, and checks the alert the client puts on the
// wire, the error it returns, and that it hangs up.
func TestHostileServer(t *testing.T) {
	pki := loadTestPKI(t)
	serverKey := pki.rsa.PrivateKey.(crypto.Signer)
	otherKey := loadKeyPair(t, pki, "client-rsa").PrivateKey.(crypto.Signer)
	rsaOnly := func(client, server *Config) { server.Certificates = []Certificate{pki.rsa} }
	rsaOnlyCurve := func(curve cipher.CurveID) func(client, server *Config) {
		return func(client, server *Config) {
			rsaOnly(client, server)
			onlyCurve(curve)(client, server)
		}
	}

	cases := []hostileCase{
		// ---- ServerHello framing and content ----
		{name: "ServerHello truncated", hook: editBody(wire.TypeServerHello, 1, func(b []byte) []byte { return b[:len(b)-2] }), wantAlert: record.AlertDecodeError},
		{name: "ServerHello with trailing garbage", hook: editBody(wire.TypeServerHello, 1, func(b []byte) []byte { return append(b, 0) }), wantAlert: record.AlertDecodeError},
		{name: "ServerHello duplicated extension", hook: editServerHello(t, func(f [][]byte) { f[5] = append(f[5], firstExtension(f[5])...) }), wantAlert: record.AlertDecodeError},
		{name: "ServerHello extension lengths disagree", hook: editServerHello(t, func(f [][]byte) { f[5] = append(f[5], 0xff, 0x01, 0x00, 0x09, 0) }), wantAlert: record.AlertDecodeError},
		{name: "ServerHello session ID of 33 bytes", hook: editServerHello(t, func(f [][]byte) { f[2] = make([]byte, 33) }), wantAlert: record.AlertDecodeError},
		{name: "ServerHello suite not offered", suite: suiteECDHERSAGCM, hook: editServerHello(t, func(f [][]byte) { f[3] = []byte{0xC0, 0x30} }), wantAlert: record.AlertIllegalParameter},
		{name: "ServerHello compression method 1", hook: editServerHello(t, func(f [][]byte) { f[4] = []byte{1} }), wantAlert: record.AlertIllegalParameter},
		{name: "ServerHello TLS 1.1", hook: editServerHello(t, func(f [][]byte) { f[0] = []byte{3, 2} }), wantAlert: record.AlertProtocolVersion},
		// RFC 8422, 5.2: the server's ec_point_formats must contain uncompressed.
		{name: "ServerHello ec_point_formats without uncompressed", suite: suiteECDHERSAGCM, hook: replaceMessage(wire.TypeServerHello, 1, func(d *mitmDir, msg []byte) []byte {
			serverHello := mustParse(t, msg).(*wire.ServerHello)
			serverHello.SupportedPoints = []uint8{1, 2} // ansiX962_compressed_prime, _char2
			return mustMarshal(t, serverHello)
		}), wantAlert: record.AlertIllegalParameter},
		{name: "server flight in one record", hook: coalesce(wire.TypeServerHello, wire.TypeServerHelloDone), wantOK: true},
		{name: "ServerHello split over one-byte records", hook: replaceMessage(wire.TypeServerHello, 1, func(d *mitmDir, msg []byte) []byte {
			for i := 0; i < len(msg)-1; i++ {
				_ = d.send(record.TypeHandshake, msg[i:i+1])
			}
			return msg[len(msg)-1:]
		}), wantOK: true},

		// ---- messages out of order ----
		{name: "ServerHelloDone first", hook: replaceMessage(wire.TypeServerHello, 1, func(d *mitmDir, msg []byte) []byte {
			d.dropRest = true
			return mustMarshal(t, &wire.ServerHelloDone{})
		}), wantAlert: record.AlertUnexpectedMessage},
		{name: "Certificate twice", suite: suiteECDHERSAGCM, hook: twice(wire.TypeCertificate), wantAlert: record.AlertUnexpectedMessage},
		{name: "ServerKeyExchange missing", suite: suiteECDHERSAGCM, hook: replaceMessage(wire.TypeServerKeyExchange, 1, func(d *mitmDir, msg []byte) []byte { return nil }), wantAlert: record.AlertUnexpectedMessage},
		{name: "ChangeCipherSpec before ServerHelloDone", hook: beforeMessage(record.TypeHandshake, int(wire.TypeServerHelloDone), func(d *mitmDir) {
			_ = d.send(record.TypeChangeCipherSpec, []byte{1})
		}, true), wantAlert: record.AlertUnexpectedMessage},
		{name: "Finished before ChangeCipherSpec", hook: beforeMessage(record.TypeChangeCipherSpec, -1, func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, mustMarshal(t, &wire.Finished{VerifyData: make([]byte, 12)}))
		}, true), wantAlert: record.AlertUnexpectedMessage},
		{name: "application data before the handshake ends", hook: instead(wire.TypeCertificate, record.TypeApplicationData, []byte("hello")), wantAlert: record.AlertUnexpectedMessage},
		{name: "NewSessionTicket not announced", hook: beforeMessage(record.TypeChangeCipherSpec, -1, func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, mustMarshal(t, &wire.NewSessionTicket{Ticket: []byte{1, 2, 3}}))
		}, true), wantAlert: record.AlertUnexpectedMessage},

		// RFC 5246, 7.4.1.1: a client ignores HelloRequest while negotiating...
		{name: "HelloRequest during the handshake is ignored", hook: beforeMessage(record.TypeHandshake, int(wire.TypeCertificate), func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, mustMarshal(t, &wire.HelloRequest{}))
		}, false), wantOK: true},
		// ...but not without end.
		{name: "a flood of HelloRequests during the handshake", hook: beforeMessage(record.TypeHandshake, int(wire.TypeCertificate), func(d *mitmDir) {
			for range record.MaxEmptyRecords + 1 {
				_ = d.send(record.TypeHandshake, mustMarshal(t, &wire.HelloRequest{}))
			}
		}, false), wantAlert: record.AlertUnexpectedMessage},

		// The same just before the server's ChangeCipherSpec, within the same bound.
		{name: "HelloRequest before ChangeCipherSpec is ignored", hook: beforeMessage(record.TypeChangeCipherSpec, -1, func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, mustMarshal(t, &wire.HelloRequest{}))
		}, false), wantOK: true},
		{name: "a flood of HelloRequests before ChangeCipherSpec", hook: beforeMessage(record.TypeChangeCipherSpec, -1, func(d *mitmDir) {
			for range record.MaxEmptyRecords + 1 {
				_ = d.send(record.TypeHandshake, mustMarshal(t, &wire.HelloRequest{}))
			}
		}, false), wantAlert: record.AlertUnexpectedMessage},

		// ---- after the handshake ----
		{name: "HelloRequest after the handshake (renegotiation)", hook: afterHandshake(func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, mustMarshal(t, &wire.HelloRequest{}))
		}), honestAfter: writePing, victimAfter: readPing, wantWarning: record.AlertNoRenegotiation},
		// One warning for the connection, the rest ignored, and a bound (post_handshake.go).
		{name: "HelloRequests after the handshake, up to the bound", hook: afterHandshake(func(d *mitmDir) {
			for range record.MaxEmptyRecords {
				_ = d.send(record.TypeHandshake, mustMarshal(t, &wire.HelloRequest{}))
			}
		}), honestAfter: writePing, victimAfter: readPing, wantWarning: record.AlertNoRenegotiation},
		{name: "a flood of HelloRequests after the handshake", hook: afterHandshake(func(d *mitmDir) {
			for range record.MaxEmptyRecords + 1 {
				_ = d.send(record.TypeHandshake, mustMarshal(t, &wire.HelloRequest{}))
			}
		}), honestAfter: writePing, victimAfter: readPing, wantAlert: record.AlertUnexpectedMessage},
		{name: "malformed HelloRequest after the handshake", hook: afterHandshake(func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, []byte{wire.TypeHelloRequest, 0, 0, 1, 0})
		}), honestAfter: writePing, victimAfter: readPing, wantAlert: record.AlertDecodeError},
		{name: "ServerHello after the handshake", hook: afterHandshake(func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, d.m.serverHello.Raw)
		}), honestAfter: writePing, victimAfter: readPing, wantAlert: record.AlertUnexpectedMessage},
		{name: "handshake message interleaved with application data", hook: afterHandshake(func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, []byte{wire.TypeHelloRequest})
		}), honestAfter: writePing, victimAfter: readPing, wantAlert: record.AlertUnexpectedMessage},
		{name: "truncation after the handshake", hook: afterHandshake(func(d *mitmDir) { d.dropRest = true }),
			honestAfter: func(honest *Conn) { writePing(honest); _ = honest.Close() },
			victimAfter: func(victim *Conn) error {
				if err := readPing(victim); err != nil {
					return err
				}
				_, err := victim.Read(make([]byte, 1))
				return err
			}, wantErrIs: ErrTruncated},

		// ---- records ----
		{name: "unknown content type", hook: insteadRaw(wire.TypeCertificate, rawRecord(24, record.VersionTLS12, []byte{1})), wantAlert: record.AlertUnexpectedMessage},
		{name: "record over 2^14+2048", hook: insteadRaw(wire.TypeCertificate, []byte{22, 3, 3, 0x48, 0x01}), wantAlert: record.AlertRecordOverflow},
		{name: "record version changes after ServerHello", hook: func(d *mitmDir, m mitmMsg) bool {
			if !m.is(wire.TypeCertificate, 1) {
				return false
			}
			d.to.SetWriteVersion(record.VersionTLS10)
			_ = d.send(m.typ, m.data)
			d.dropRest = true
			return true
		}, wantAlert: record.AlertProtocolVersion},
		{name: "bad record MAC on Finished", hook: damageRecord(wire.TypeFinished, flipByte(-1)), wantAlert: record.AlertBadRecordMAC},
		{name: "short AEAD record", suite: suiteECDHERSAGCM, hook: damageRecord(wire.TypeFinished, truncateRecord(7)), wantAlert: record.AlertBadRecordMAC},

		// ---- ServerKeyExchange ----
		{name: "ServerKeyExchange signed with the wrong key", suite: suiteECDHERSAGCM, configure: rsaOnly,
			hook: resignSKE(t, otherKey, func(*wire.ServerKeyExchange) {}), wantAlert: record.AlertDecryptError},
		{name: "ServerKeyExchange signature damaged", suite: suiteECDHERSAGCM, configure: rsaOnly,
			hook: editBody(wire.TypeServerKeyExchange, 1, func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), wantAlert: record.AlertDecryptError},
		{name: "ServerKeyExchange with a signature algorithm not offered", suite: suiteECDHERSAGCM, configure: rsaOnly,
			hook: resignSKE(t, serverKey, func(ske *wire.ServerKeyExchange) { ske.SignatureScheme = 0x0201 }), wantAlert: record.AlertIllegalParameter},
		{name: "ServerKeyExchange ECDSA scheme for an RSA key", suite: suiteECDHERSAGCM, configure: rsaOnly,
			hook: editBody(wire.TypeServerKeyExchange, 1, func(b []byte) []byte {
				ske := mustParse(t, reframe([]byte{wire.TypeServerKeyExchange}, b)).(*wire.ServerKeyExchange)
				ske.SignatureScheme = ECDSAWithP256AndSHA256
				return mustMarshal(t, ske)[4:]
			}), wantAlert: record.AlertIllegalParameter}, // a scheme the key cannot make, as for CertificateVerify
		{name: "ServerKeyExchange group not offered", suite: suiteECDHERSAGCM, configure: rsaOnlyCurve(cipher.CurveP256),
			hook: resignSKE(t, serverKey, func(ske *wire.ServerKeyExchange) { ske.Curve = cipher.CurveP384 }), wantAlert: record.AlertIllegalParameter},
		{name: "ServerKeyExchange P-256 point off the curve", suite: suiteECDHERSAGCM, configure: rsaOnlyCurve(cipher.CurveP256),
			hook: resignSKE(t, serverKey, func(ske *wire.ServerKeyExchange) { ske.PublicKey = offCurveP256(t) }), wantAlert: record.AlertIllegalParameter},
		{name: "ServerKeyExchange P-256 point at infinity", suite: suiteECDHERSAGCM, configure: rsaOnlyCurve(cipher.CurveP256),
			hook: resignSKE(t, serverKey, func(ske *wire.ServerKeyExchange) { ske.PublicKey = []byte{0} }), wantAlert: record.AlertIllegalParameter},
		{name: "ServerKeyExchange X25519 all-zero secret", suite: suiteECDHERSAGCM, configure: rsaOnlyCurve(cipher.CurveX25519),
			hook: resignSKE(t, serverKey, func(ske *wire.ServerKeyExchange) { ske.PublicKey = make([]byte, 32) }), wantAlert: record.AlertIllegalParameter},

		// A DHE group below cipher.MinDHPrimeBits: insufficient_security
		// (RFC 7919, 4; Logjam), signed by the real key so only the size
		// can be the reason.
		{name: "ServerKeyExchange 1024-bit DHE group", suite: suiteDHERSAGCM, configure: rsaOnly,
			hook: resignSKEAs(t, serverKey, cipher.KeyExchangeDHE, func(ske *wire.ServerKeyExchange) {
				p, _ := new(big.Int).SetString(oakleyGroup2P, 16)
				ske.DHP, ske.DHG, ske.DHYs = p.Bytes(), []byte{2}, []byte{4}
			}), wantAlert: record.AlertInsufficientSecurity},
		{name: "ServerKeyExchange DHE group with an even p", suite: suiteDHERSAGCM, configure: rsaOnly,
			hook: resignSKEAs(t, serverKey, cipher.KeyExchangeDHE, func(ske *wire.ServerKeyExchange) {
				ske.DHP[len(ske.DHP)-1] ^= 1
			}), wantAlert: record.AlertIllegalParameter},
		{name: "ServerKeyExchange DHE signature damaged", suite: suiteDHERSAGCM, configure: rsaOnly,
			hook: editBody(wire.TypeServerKeyExchange, 1, func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), wantAlert: record.AlertDecryptError},
		{name: "ServerKeyExchange DHE params truncated", suite: suiteDHERSAGCM, configure: rsaOnly,
			hook: editBody(wire.TypeServerKeyExchange, 1, func(b []byte) []byte { return b[:300] }), wantAlert: record.AlertDecodeError},

		// ---- Finished, deadlines, certificates ----
		{name: "bad server Finished", hook: badFinished(), wantAlert: record.AlertDecryptError},
		{name: "bad server Finished with RSA key exchange", suite: suiteRSAGCM, hook: badFinished(), wantAlert: record.AlertDecryptError},
		{name: "server stops mid-handshake", configure: func(client, server *Config) { client.HandshakeTimeout = 300 * time.Millisecond },
			hook: stallBefore(wire.TypeCertificate), wantErrIs: context.DeadlineExceeded},
		{name: "server stops before Finished", configure: func(client, server *Config) { client.HandshakeTimeout = 300 * time.Millisecond },
			hook: stallBefore(wire.TypeFinished), wantErrIs: context.DeadlineExceeded},
		{name: "certificate chain over the size cap", hook: replaceMessage(wire.TypeCertificate, 1, func(d *mitmDir, msg []byte) []byte {
			return mustMarshal(t, &wire.Certificate{Certificates: oversizeChain(pki.rsa.Certificate[0])})
		}), wantAlert: record.AlertIllegalParameter},
		{name: "certificate chain too long", configure: rsaOnly, hook: replaceMessage(wire.TypeCertificate, 1, func(d *mitmDir, msg []byte) []byte {
			return mustMarshal(t, &wire.Certificate{Certificates: longChain(pki.rsa.Certificate[0], pki)})
		}), wantAlert: record.AlertBadCertificate},
		{name: "empty certificate chain", hook: replaceMessage(wire.TypeCertificate, 1, func(d *mitmDir, msg []byte) []byte {
			return mustMarshal(t, &wire.Certificate{})
		}), wantAlert: record.AlertDecodeError},
		{name: "certificate that does not parse", hook: replaceMessage(wire.TypeCertificate, 1, func(d *mitmDir, msg []byte) []byte {
			return mustMarshal(t, &wire.Certificate{Certificates: [][]byte{{0x30, 0x03, 1, 2, 3}}})
		}), wantAlert: record.AlertBadCertificate},
	}
	// RFC 7919, 5.1: the client checks dh_Ys as the server checks dh_Yc.
	for name, value := range ffdhe2048Values() {
		cases = append(cases, hostileCase{name: "ServerKeyExchange DHE public value " + name, suite: suiteDHERSAGCM, configure: rsaOnly,
			hook:      resignSKEAs(t, serverKey, cipher.KeyExchangeDHE, func(ske *wire.ServerKeyExchange) { ske.DHYs = value }),
			wantAlert: record.AlertIllegalParameter})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runHostile(t, tc, true)
		})
	}
}
