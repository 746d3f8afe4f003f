package handshake

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// TestHostileClient feeds our server what a hostile or broken client (or a
// man in the middle) sends, and checks the alert the server puts on the
// wire, the error Handshake (or Read) returns, and that it hangs up.
func TestHostileClient(t *testing.T) {
	pki := loadTestPKI(t)
	serverRSA := pki.rsa.PrivateKey.(*rsa.PrivateKey)
	clientCert := loadKeyPair(t, pki, "client-rsa")
	// RSA key exchange failures all surface the same way: the client's
	// Finished record does not open under the server's (random) keys.
	const rsaKexError = "glasstls: local error: bad_record_mac: record failed to open"

	cases := []hostileCase{
		// ---- ClientHello framing ----
		{name: "ClientHello truncated", hook: editBody(wire.TypeClientHello, 1, func(b []byte) []byte { return b[:len(b)-3] }), wantAlert: record.AlertDecodeError},
		{name: "ClientHello cut inside the random", hook: editBody(wire.TypeClientHello, 1, func(b []byte) []byte { return b[:20] }), wantAlert: record.AlertDecodeError},
		{name: "ClientHello with trailing garbage", hook: editBody(wire.TypeClientHello, 1, func(b []byte) []byte { return append(b, 0, 0, 0) }), wantAlert: record.AlertDecodeError},
		// A ClientHello may be as long as its encoding allows (TestLargestClientHello); one byte more cannot be decoded.
		{name: "ClientHello longer than its encoding allows", hook: instead(wire.TypeClientHello, record.TypeHandshake, []byte{wire.TypeClientHello, 0x02, 0x01, 0x45}), wantAlert: record.AlertDecodeError},
		{name: "ClientHello extension lengths disagree", hook: editClientHello(t, func(f [][]byte) { f[5] = append(f[5], 0x00, 0x17, 0x00, 0x05) }), wantAlert: record.AlertDecodeError},
		{name: "ClientHello extensions block longer than the message", hook: replaceMessage(wire.TypeClientHello, 1, func(d *mitmDir, msg []byte) []byte {
			f := helloFields(t, msg)
			out := joinHello(msg, f)
			out[len(out)-len(f[5])-1]++ // the low byte of the block's length
			return out
		}), wantAlert: record.AlertDecodeError},
		{name: "ClientHello duplicated extension", hook: editClientHello(t, func(f [][]byte) { f[5] = append(f[5], firstExtension(f[5])...) }), wantAlert: record.AlertDecodeError},
		{name: "ClientHello empty cipher suite list", hook: editClientHello(t, func(f [][]byte) { f[3] = nil }), wantAlert: record.AlertDecodeError},
		{name: "ClientHello odd cipher suite list", hook: editClientHello(t, func(f [][]byte) { f[3] = f[3][:3] }), wantAlert: record.AlertDecodeError},
		{name: "ClientHello without null compression", hook: editClientHello(t, func(f [][]byte) { f[4] = []byte{1} }), wantAlert: record.AlertIllegalParameter},
		{name: "ClientHello no compression methods", hook: editClientHello(t, func(f [][]byte) { f[4] = nil }), wantAlert: record.AlertDecodeError},
		{name: "ClientHello session ID of 33 bytes", hook: editClientHello(t, func(f [][]byte) { f[2] = make([]byte, 33) }), wantAlert: record.AlertDecodeError},
		{name: "ClientHello TLS 1.1 only", hook: editClientHello(t, func(f [][]byte) { f[0] = []byte{3, 2} }), wantAlert: record.AlertProtocolVersion},
		{name: "ClientHello split over one-byte records", hook: replaceMessage(wire.TypeClientHello, 1, func(d *mitmDir, msg []byte) []byte {
			for i := 0; i < len(msg)-1; i++ {
				_ = d.send(record.TypeHandshake, msg[i:i+1])
			}
			return msg[len(msg)-1:]
		}), wantOK: true},
		{name: "ClientHello after empty records", hook: replaceMessage(wire.TypeClientHello, 1, func(d *mitmDir, msg []byte) []byte {
			for range record.MaxEmptyRecords {
				_ = d.sendRaw(rawRecord(record.TypeHandshake, record.VersionTLS10, nil))
			}
			return msg
		}), wantOK: true},
		{name: "two ClientHellos in one record", hook: replaceMessage(wire.TypeClientHello, 1, func(d *mitmDir, msg []byte) []byte {
			return append(slices.Clone(msg), msg...)
		}), wantAlert: record.AlertUnexpectedMessage},
		{name: "client flight in one record", hook: coalesce(wire.TypeCertificate, wire.TypeCertificateVerify), configure: func(client, server *Config) {
			client.Certificates = []Certificate{clientCert}
			server.ClientAuth = RequireAnyClientCert
		}, wantOK: true},

		// ---- messages out of order ----
		{name: "ClientKeyExchange first", hook: replaceMessage(wire.TypeClientHello, 1, func(d *mitmDir, msg []byte) []byte { return ecdheCKE(t, make([]byte, 32)) }), wantAlert: record.AlertUnexpectedMessage},
		{name: "Finished before ChangeCipherSpec", hook: beforeMessage(record.TypeChangeCipherSpec, -1, func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, mustMarshal(t, &wire.Finished{VerifyData: make([]byte, 12)}))
		}, true), wantAlert: record.AlertUnexpectedMessage},
		{name: "Certificate twice", hook: twice(wire.TypeCertificate), configure: func(client, server *Config) {
			client.Certificates = []Certificate{clientCert}
			server.ClientAuth = RequestClientCert
		}, wantAlert: record.AlertUnexpectedMessage},
		{name: "ChangeCipherSpec first", hook: instead(wire.TypeClientHello, record.TypeChangeCipherSpec, []byte{1}), wantAlert: record.AlertUnexpectedMessage},
		{name: "ChangeCipherSpec before ClientKeyExchange", hook: beforeMessage(record.TypeHandshake, int(wire.TypeClientKeyExchange), func(d *mitmDir) {
			_ = d.send(record.TypeChangeCipherSpec, []byte{1})
		}, true), wantAlert: record.AlertUnexpectedMessage},
		{name: "ChangeCipherSpec in the middle of a message", hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
			_ = d.send(record.TypeHandshake, msg[:3])
			_ = d.send(record.TypeChangeCipherSpec, []byte{1})
			d.dropRest = true
			return nil
		}), wantAlert: record.AlertUnexpectedMessage},
		{name: "ChangeCipherSpec payload 2", hook: func(d *mitmDir, m mitmMsg) bool {
			if m.typ != record.TypeChangeCipherSpec {
				return false
			}
			_ = d.send(record.TypeChangeCipherSpec, []byte{2})
			d.dropRest = true
			return true
		}, wantAlert: record.AlertDecodeError},
		{name: "application data instead of ClientKeyExchange", hook: instead(wire.TypeClientKeyExchange, record.TypeApplicationData, []byte("GET / HTTP/1.0\r\n\r\n")), wantAlert: record.AlertUnexpectedMessage},

		// ---- after the handshake ----
		{name: "ClientHello after the handshake (renegotiation)", hook: afterHandshake(func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, d.m.clientHello.Raw)
		}), honestAfter: writePing, victimAfter: readPing, wantWarning: record.AlertNoRenegotiation},
		{name: "a flood of ClientHellos after the handshake", hook: afterHandshake(func(d *mitmDir) {
			for range record.MaxEmptyRecords + 1 {
				_ = d.send(record.TypeHandshake, d.m.clientHello.Raw)
			}
		}), honestAfter: writePing, victimAfter: readPing, wantAlert: record.AlertUnexpectedMessage},
		{name: "Finished after the handshake", hook: afterHandshake(func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, mustMarshal(t, &wire.Finished{VerifyData: make([]byte, 12)}))
		}), honestAfter: writePing, victimAfter: readPing, wantAlert: record.AlertUnexpectedMessage},
		{name: "handshake message interleaved with application data", hook: afterHandshake(func(d *mitmDir) {
			_ = d.send(record.TypeHandshake, []byte{wire.TypeClientHello, 0, 0})
		}), honestAfter: writePing, victimAfter: readPing, wantAlert: record.AlertUnexpectedMessage},
		{name: "ChangeCipherSpec after the handshake", hook: afterHandshake(func(d *mitmDir) {
			_ = d.send(record.TypeChangeCipherSpec, []byte{1})
		}), honestAfter: writePing, victimAfter: readPing, wantAlert: record.AlertUnexpectedMessage},

		// ---- records ----
		{name: "unknown content type", hook: insteadRaw(wire.TypeClientHello, rawRecord(99, record.VersionTLS10, []byte{1, 2, 3})), wantAlert: record.AlertUnexpectedMessage},
		{name: "record over 2^14+2048", hook: insteadRaw(wire.TypeClientHello, []byte{22, 3, 1, 0x48, 0x01}), wantAlert: record.AlertRecordOverflow},
		{name: "record version 2.0", hook: insteadRaw(wire.TypeClientHello, []byte{22, 2, 0, 0, 4}), wantAlert: record.AlertProtocolVersion},
		{name: "plaintext HTTP request", hook: insteadRaw(wire.TypeClientHello, []byte("GET / HTTP/1.1\r\n\r\n")), wantAlert: record.AlertProtocolVersion},
		{name: "record version changes after ServerHello", hook: func(d *mitmDir, m mitmMsg) bool {
			if !m.is(wire.TypeClientKeyExchange, 1) {
				return false
			}
			d.to.SetWriteVersion(record.VersionTLS11)
			_ = d.send(m.typ, m.data)
			d.dropRest = true
			return true
		}, wantAlert: record.AlertProtocolVersion},
		{name: "flood of empty handshake records", hook: func(d *mitmDir, m mitmMsg) bool {
			for range record.MaxEmptyRecords + 1 {
				_ = d.sendRaw(rawRecord(record.TypeHandshake, record.VersionTLS10, nil))
			}
			d.dropRest = true
			return true
		}, wantAlert: record.AlertUnexpectedMessage},
		{name: "bad record MAC", hook: damageRecord(wire.TypeFinished, flipByte(-1)), wantAlert: record.AlertBadRecordMAC},
		{name: "bad CBC padding", suite: suiteECDHERSACBC, configure: func(client, server *Config) { client.DisableEncryptThenMAC = true },
			hook: damageRecord(wire.TypeFinished, flipByte(-17)), wantAlert: record.AlertBadRecordMAC},
		{name: "bad CBC padding with encrypt-then-MAC", suite: suiteECDHERSACBC, hook: damageRecord(wire.TypeFinished, flipByte(-21)), wantAlert: record.AlertBadRecordMAC},
		{name: "short AEAD record", suite: suiteECDHERSAGCM, hook: damageRecord(wire.TypeFinished, truncateRecord(10)), wantAlert: record.AlertBadRecordMAC},
		{name: "wrong explicit nonce", suite: suiteECDHERSAGCM, hook: damageRecord(wire.TypeFinished, flipByte(record.RecordHeaderLen)), wantAlert: record.AlertBadRecordMAC},

		// ---- key exchange ----
		{name: "RSA ClientKeyExchange ciphertext one byte short", suite: suiteRSAGCM, hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
			cke, _ := mustParse(t, msg).(*wire.ClientKeyExchange).RSAEncryptedPreMasterSecret()
			return rsaCKE(t, cke[1:])
		}), wantAlert: record.AlertBadRecordMAC, wantError: rsaKexError},
		{name: "RSA ClientKeyExchange of 47 bytes", suite: suiteRSAGCM, hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
			encrypted, err := rsa.EncryptPKCS1v15(rand.Reader, &serverRSA.PublicKey, append([]byte{3, 3}, make([]byte, 45)...))
			require.NoError(t, err)
			return rsaCKE(t, encrypted)
		}), wantAlert: record.AlertBadRecordMAC, wantError: rsaKexError},
		{name: "RSA ClientKeyExchange bad PKCS#1 padding", suite: suiteRSAGCM, hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
			block := make([]byte, serverRSA.Size())
			block[1] = 1 // block type 1 (signature padding), not 2
			for i := 2; i < len(block)-49; i++ {
				block[i] = 0xff
			}
			block[len(block)-48], block[len(block)-47] = 3, 3
			return rsaCKE(t, rawRSAEncrypt(&serverRSA.PublicKey, block))
		}), wantAlert: record.AlertBadRecordMAC, wantError: rsaKexError},
		{name: "RSA ClientKeyExchange wrong pre-master version", suite: suiteRSAGCM, hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
			encrypted, err := rsa.EncryptPKCS1v15(rand.Reader, &serverRSA.PublicKey, append([]byte{3, 1}, make([]byte, 46)...))
			require.NoError(t, err)
			return rsaCKE(t, encrypted)
		}), wantAlert: record.AlertBadRecordMAC, wantError: rsaKexError},
		{name: "RSA ClientKeyExchange length prefix wrong", suite: suiteRSAGCM, hook: editBody(wire.TypeClientKeyExchange, 1, func(b []byte) []byte { b[0]++; return b }), wantAlert: record.AlertDecodeError},
		{name: "P-256 point off the curve", configure: onlyCurve(cipher.CurveP256), hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
			return ecdheCKE(t, offCurveP256(t))
		}), wantAlert: record.AlertIllegalParameter},
		{name: "P-256 point at infinity", configure: onlyCurve(cipher.CurveP256), hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
			return ecdheCKE(t, []byte{0})
		}), wantAlert: record.AlertIllegalParameter},
		{name: "P-256 compressed point", configure: onlyCurve(cipher.CurveP256), hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
			point := offCurveP256(t)[:33]
			point[0] = 2
			return ecdheCKE(t, point)
		}), wantAlert: record.AlertIllegalParameter},
		{name: "X25519 share giving the all-zero secret", configure: onlyCurve(cipher.CurveX25519), hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
			return ecdheCKE(t, make([]byte, 32))
		}), wantAlert: record.AlertIllegalParameter},
		{name: "X25519 share of the wrong length", configure: onlyCurve(cipher.CurveX25519), hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
			return ecdheCKE(t, make([]byte, 31))
		}), wantAlert: record.AlertIllegalParameter},

		// RFC 4279 and RFC 5489: the PSK forms of ClientKeyExchange.
		{name: "PSK ClientKeyExchange identity length wrong", suite: 0x00A8, configure: withPSK,
			hook: editBody(wire.TypeClientKeyExchange, 1, func(b []byte) []byte { b[1]++; return b }), wantAlert: record.AlertDecodeError},
		{name: "ECDHE_PSK ClientKeyExchange without the ECDHE share", suite: 0xCCAC, configure: withPSK,
			hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
				return mustMarshal(t, wire.NewPSKClientKeyExchange([]byte("client1"), nil))
			}), wantAlert: record.AlertDecodeError},
		{name: "ECDHE_PSK ClientKeyExchange X25519 share giving the all-zero secret", suite: 0xCCAC, configure: func(client, server *Config) {
			withPSK(client, server)
			onlyCurve(cipher.CurveX25519)(client, server)
		}, hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
			return mustMarshal(t, wire.NewPSKClientKeyExchange([]byte("client1"), make([]byte, 32)))
		}), wantAlert: record.AlertIllegalParameter},
		{name: "PSK ClientKeyExchange identity over 128 bytes, hidden", suite: 0x00A8, configure: withPSK,
			hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
				return mustMarshal(t, wire.NewPSKClientKeyExchange(make([]byte, 60000), nil))
			}), wantAlert: record.AlertDecryptError},

		// RFC 7919, 5.1: 1 < dh_Yc < p-1, and in the order-q subgroup.
		{name: "DHE ClientKeyExchange length prefix wrong", suite: suiteDHERSAGCM, hook: editBody(wire.TypeClientKeyExchange, 1, func(b []byte) []byte { b[0]++; return b }), wantAlert: record.AlertDecodeError},

		// ---- Finished, deadlines, certificates ----
		{name: "bad client Finished", hook: badFinished(), wantAlert: record.AlertDecryptError},
		{name: "client stops mid-handshake", configure: func(client, server *Config) { server.HandshakeTimeout = 300 * time.Millisecond },
			hook: stallBefore(wire.TypeClientKeyExchange), wantErrIs: context.DeadlineExceeded},
		{name: "client certificate chain over the size cap", configure: func(client, server *Config) {
			client.Certificates = []Certificate{clientCert}
			server.ClientAuth = RequestClientCert
		}, hook: replaceMessage(wire.TypeCertificate, 1, func(d *mitmDir, msg []byte) []byte {
			return mustMarshal(t, &wire.Certificate{Certificates: oversizeChain(clientCert.Certificate[0])})
		}), wantAlert: record.AlertIllegalParameter},
		{name: "client certificate chain too long", configure: func(client, server *Config) {
			client.Certificates = []Certificate{clientCert}
			server.ClientAuth = RequestClientCert
		}, hook: replaceMessage(wire.TypeCertificate, 1, func(d *mitmDir, msg []byte) []byte {
			return mustMarshal(t, &wire.Certificate{Certificates: longChain(clientCert.Certificate[0], pki)})
		}), wantAlert: record.AlertBadCertificate},
	}
	for name, value := range ffdhe2048Values() {
		cases = append(cases, hostileCase{name: "DHE public value " + name, suite: suiteDHERSAGCM,
			hook: replaceMessage(wire.TypeClientKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
				return mustMarshal(t, wire.NewDHEClientKeyExchange(value))
			}), wantAlert: record.AlertIllegalParameter})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runHostile(t, tc, false)
		})
	}
}
