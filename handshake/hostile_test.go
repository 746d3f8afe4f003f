package handshake

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"io"
	"math/big"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/handshake/internal/wire"
	"github.com/glasstls/glasstls/record"
)

// hostileCase is one attack on a victim (client or server) by a man in
// the middle who rewrites what the honest peer sends.
type hostileCase struct {
	name      string
	suite     uint16 // when set, the only suite either side allows
	configure func(client, server *Config)
	hook      mitmHook // rewrites what the honest peer sends to the victim
	// victimHook rewrites what the victim sends (rarely needed).
	victimHook mitmHook

	// After a successful handshake: what the victim and the honest peer do.
	victimAfter func(victim *Conn) error
	honestAfter func(honest *Conn)

	// Exactly one of these says what must happen:
	wantAlert   record.AlertDescription // the fatal alert the victim sends (and the local error it returns)
	wantErrIs   error                   // the victim's error (no alert on the wire)
	wantOK      bool                    // the victim copes
	wantWarning record.AlertDescription // the victim sends this warning and goes on
	wantError   string                  // when set, the victim's error text exactly
}

// runHostile plays one case and checks the victim's error, the alert it
// put on the wire, and that it hung up afterwards.
func runHostile(t *testing.T, tc hostileCase, victimIsClient bool) {
	pki := loadTestPKI(t)
	clientConfig, serverConfig := pki.clientConfig(), pki.serverConfig()
	if tc.suite != 0 {
		clientConfig.CipherSuites = []uint16{tc.suite}
		serverConfig.CipherSuites = []uint16{tc.suite}
	}
	if tc.configure != nil {
		tc.configure(clientConfig, serverConfig)
	}
	c2s, s2c := tc.hook, tc.victimHook
	if victimIsClient {
		c2s, s2c = tc.victimHook, tc.hook
	}
	m, client, server := startMITM(t, clientConfig, serverConfig, !victimIsClient, c2s, s2c)
	victim, honest := server, client
	if victimIsClient {
		victim, honest = client, server
	}

	honestDone := make(chan struct{})
	go func() {
		defer close(honestDone)
		if honest.Handshake() == nil && tc.honestAfter != nil {
			tc.honestAfter(honest)
		}
	}()
	victimErr := victim.Handshake()
	if victimErr == nil && tc.victimAfter != nil {
		victimErr = tc.victimAfter(victim)
	}
	if victimErr == nil || tc.wantAlert == 0 {
		// After a fatal alert the victim must hang up by itself (checked
		// below); otherwise the test does it.
		_ = victim.Close()
	}
	select {
	case <-honestDone:
	case <-time.After(20 * time.Second):
		t.Fatal("the honest peer did not finish")
	}
	_ = honest.Close()
	m.wait(t)
	_ = victim.Close()

	victimDir := m.s2c
	if victimIsClient {
		victimDir = m.c2s
	}
	alerts := m.alertsFrom(victimIsClient)
	fatal := slices.DeleteFunc(slices.Clone(alerts), func(a record.Alert) bool { return a.Level != record.AlertLevelFatal })

	switch {
	case tc.wantAlert != 0:
		requireAlert(t, victimErr, tc.wantAlert, false)
		require.NotEmpty(t, fatal, "the victim sent no fatal alert (sent %v)", alerts)
		assert.Equal(t, record.Alert{Level: record.AlertLevelFatal, Description: tc.wantAlert}, fatal[0], "alert on the wire")
		assert.Len(t, fatal, 1, "exactly one fatal alert")
		assert.True(t, victimDir.closedAfterAlert, "the victim must close the connection after its fatal alert")
	case tc.wantErrIs != nil:
		require.ErrorIs(t, victimErr, tc.wantErrIs)
		assert.Empty(t, fatal, "no alert expected")
	case tc.wantWarning != 0:
		require.NoError(t, victimErr)
		warning := record.Alert{Level: record.AlertLevelWarning, Description: tc.wantWarning}
		assert.Equal(t, 1, countAlerts(alerts, warning), "exactly one %v warning in %v", tc.wantWarning, alerts)
		assert.Empty(t, fatal)
	default:
		require.True(t, tc.wantOK, "case says nothing about the outcome")
		require.NoError(t, victimErr)
		assert.Empty(t, fatal)
	}
	if tc.wantError != "" {
		assert.Equal(t, tc.wantError, victimErr.Error())
	}
}

// countAlerts counts the alerts equal to want.
func countAlerts(alerts []record.Alert, want record.Alert) int {
	n := 0
	for _, a := range alerts {
		if a == want {
			n++
		}
	}
	return n
}

// ---- building blocks for the cases ----

// helloFields splits a ClientHello body into its fields, length prefixes
// removed: version, random, session_id, cipher_suites,
// compression_methods, extensions (nil when absent).
func helloFields(t testing.TB, msg []byte) [][]byte {
	s := cryptobyte.String(msg[4:])
	var vers, random []byte
	var sid, suites, comp, ext cryptobyte.String
	require.True(t, s.ReadBytes(&vers, 2) && s.ReadBytes(&random, 32) &&
		s.ReadUint8LengthPrefixed(&sid) && s.ReadUint16LengthPrefixed(&suites) &&
		s.ReadUint8LengthPrefixed(&comp))
	fields := [][]byte{vers, random, sid, suites, comp, nil}
	if !s.Empty() {
		require.True(t, s.ReadUint16LengthPrefixed(&ext))
		fields[5] = ext
	}
	return fields
}

// joinHello reassembles what helloFields split, with honest lengths.
func joinHello(msg []byte, f [][]byte) []byte {
	var b cryptobyte.Builder
	b.AddBytes(f[0])
	b.AddBytes(f[1])
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(f[2]) })
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(f[3]) })
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(f[4]) })
	if f[5] != nil {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(f[5]) })
	}
	return reframe(msg, b.BytesOrPanic())
}

// serverHelloFields is helloFields for a ServerHello: version, random,
// session_id, cipher_suite, compression_method, extensions.
func serverHelloFields(t testing.TB, msg []byte) [][]byte {
	s := cryptobyte.String(msg[4:])
	var vers, random, suite, comp []byte
	var sid, ext cryptobyte.String
	require.True(t, s.ReadBytes(&vers, 2) && s.ReadBytes(&random, 32) &&
		s.ReadUint8LengthPrefixed(&sid) && s.ReadBytes(&suite, 2) && s.ReadBytes(&comp, 1))
	fields := [][]byte{vers, random, sid, suite, comp, nil}
	if !s.Empty() {
		require.True(t, s.ReadUint16LengthPrefixed(&ext))
		fields[5] = ext
	}
	return fields
}

func joinServerHello(msg []byte, f [][]byte) []byte {
	var b cryptobyte.Builder
	b.AddBytes(f[0])
	b.AddBytes(f[1])
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(f[2]) })
	b.AddBytes(f[3])
	b.AddBytes(f[4])
	if f[5] != nil {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(f[5]) })
	}
	return reframe(msg, b.BytesOrPanic())
}

// firstExtension returns the first whole extension (type, length, data) of
// an extensions block.
func firstExtension(ext []byte) []byte {
	n := int(ext[2])<<8 | int(ext[3])
	return ext[:4+n]
}

// editHello rewrites the ClientHello (or ServerHello) fields.
func editClientHello(t *testing.T, edit func(f [][]byte)) mitmHook {
	return replaceMessage(wire.TypeClientHello, 1, func(d *mitmDir, msg []byte) []byte {
		f := helloFields(t, msg)
		edit(f)
		return joinHello(msg, f)
	})
}

func editServerHello(t *testing.T, edit func(f [][]byte)) mitmHook {
	return replaceMessage(wire.TypeServerHello, 1, func(d *mitmDir, msg []byte) []byte {
		f := serverHelloFields(t, msg)
		edit(f)
		return joinServerHello(msg, f)
	})
}

// editBody rewrites the body of the nth message of a type, fixing the length.
func editBody(hsType uint8, nth int, edit func(body []byte) []byte) mitmHook {
	return replaceMessage(hsType, nth, func(d *mitmDir, msg []byte) []byte {
		return reframe(msg, edit(slices.Clone(msg[4:])))
	})
}

// twice sends the nth message of a type two times.
func twice(hsType uint8) mitmHook {
	return replaceMessage(hsType, 1, func(d *mitmDir, msg []byte) []byte {
		_ = d.send(record.TypeHandshake, msg)
		return msg
	})
}

// instead replaces the nth message of a type with a record of another
// content type, and forwards nothing more.
func instead(hsType uint8, typ record.ContentType, data []byte) mitmHook {
	return func(d *mitmDir, m mitmMsg) bool {
		if !m.is(hsType, 1) {
			return false
		}
		_ = d.send(typ, data)
		d.dropRest = true
		return true
	}
}

// insteadRaw replaces the nth message of a type with raw bytes.
func insteadRaw(hsType uint8, raw []byte) mitmHook {
	return func(d *mitmDir, m mitmMsg) bool {
		if !m.is(hsType, 1) {
			return false
		}
		_ = d.sendRaw(raw)
		d.dropRest = true
		return true
	}
}

// damageRecord lets damage change the sealed record carrying the nth
// message of a type.
func damageRecord(hsType uint8, damage func(rec []byte) []byte) mitmHook {
	return func(d *mitmDir, m mitmMsg) bool {
		if !m.is(hsType, 1) {
			return false
		}
		_ = d.sendCorrupted(m.typ, m.data, damage)
		return true
	}
}

// flipByte flips one bit of rec[i] (i < 0 counts from the end).
func flipByte(i int) func([]byte) []byte {
	return func(rec []byte) []byte {
		if i < 0 {
			i += len(rec)
		}
		rec[i] ^= 0x01
		return rec
	}
}

// truncateRecord keeps n bytes of the fragment and fixes the header.
func truncateRecord(n int) func([]byte) []byte {
	return func(rec []byte) []byte {
		rec = rec[:record.RecordHeaderLen+n]
		rec[3], rec[4] = byte(n>>8), byte(n)
		return rec
	}
}

// badFinished flips a bit of verify_data, under valid record protection.
func badFinished() mitmHook {
	return editBody(wire.TypeFinished, 1, func(body []byte) []byte {
		body[0] ^= 0x80
		return body
	})
}

// afterHandshake injects messages (sealed under the session keys) just
// before the honest peer's first application data, which then follows.
func afterHandshake(inject func(d *mitmDir)) mitmHook {
	return func(d *mitmDir, m mitmMsg) bool {
		if m.typ != record.TypeApplicationData || m.nth != 1 {
			return false
		}
		inject(d)
		return false
	}
}

func writePing(honest *Conn) { _, _ = honest.Write([]byte("ping")) }

// readPing is the victim's side of writePing.
func readPing(victim *Conn) error {
	buf := make([]byte, 4)
	if _, err := io.ReadFull(victim, buf); err != nil {
		return err
	}
	if string(buf) != "ping" {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// stallAfter forwards messages up to and including the first of type
// hsType, then nothing: the victim is left waiting.
func stallBefore(hsType uint8) mitmHook {
	return func(d *mitmDir, m mitmMsg) bool {
		if !m.is(hsType, 1) {
			return false
		}
		d.dropRest = true
		return true
	}
}

// ecdheCKE builds a ClientKeyExchange carrying point.
func ecdheCKE(t testing.TB, point []byte) []byte {
	return mustMarshal(t, wire.NewECDHEClientKeyExchange(point))
}

// offCurveP256 is a valid uncompressed P-256 point with its last bit flipped.
func offCurveP256(t testing.TB) []byte {
	priv, err := cipher.GenerateECDHEKey(rand.Reader, cipher.CurveP256)
	require.NoError(t, err)
	point := cipher.ECDHEPublicKey(priv)
	point[len(point)-1] ^= 1
	return point
}

// rsaCKE builds an RSA ClientKeyExchange from a ciphertext.
func rsaCKE(t testing.TB, encrypted []byte) []byte {
	return mustMarshal(t, wire.NewRSAClientKeyExchange(encrypted))
}

// rawRSAEncrypt computes m^e mod n with no padding check at all: how an
// attacker builds a ciphertext with any padding it likes.
func rawRSAEncrypt(pub *rsa.PublicKey, m []byte) []byte {
	c := new(big.Int).Exp(new(big.Int).SetBytes(m), big.NewInt(int64(pub.E)), pub.N)
	return c.FillBytes(make([]byte, pub.Size()))
}

// resignSKE rewrites the ServerKeyExchange with edit and signs it again
// with key (the server's own key, or another).
func resignSKE(t *testing.T, key crypto.Signer, edit func(ske *wire.ServerKeyExchange)) mitmHook {
	return resignSKEAs(t, key, cipher.KeyExchangeECDHE, edit)
}

// resignSKEAs is resignSKE for a ServerKeyExchange of the key exchange kx.
func resignSKEAs(t *testing.T, key crypto.Signer, kx cipher.KeyExchange, edit func(ske *wire.ServerKeyExchange)) mitmHook {
	return replaceMessage(wire.TypeServerKeyExchange, 1, func(d *mitmDir, msg []byte) []byte {
		parsed, err := wire.Parse(msg, kx)
		require.NoError(t, err)
		ske := parsed.(*wire.ServerKeyExchange)
		edit(ske)
		clientRandom, serverRandom := d.m.randoms()
		signature, err := signHandshake(rand.Reader, key, ske.SignatureScheme, signedParams(clientRandom, serverRandom, ske.Params()))
		require.NoError(t, err)
		ske.Signature = signature
		return mustMarshal(t, ske)
	})
}

func loadKeyPair(t testing.TB, pki *testPKI, name string) Certificate {
	cert, err := LoadX509KeyPair(pki.file(name+".pem"), pki.file(name+"-key.pem"))
	require.NoError(t, err)
	return cert
}

const (
	suiteECDHERSAGCM   = 0xC02F // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	suiteECDHERSACBC   = 0xC013 // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
	suiteRSAGCM        = 0x009C // TLS_RSA_WITH_AES_128_GCM_SHA256
	suiteECDHEECDSAGCM = 0xC02B // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
	suiteDHERSAGCM     = 0x009E // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
)

// ffdhe2048Values are DHE public values RFC 7919, 5.1 makes a peer refuse,
// in the 2048-bit group: 0, 1, p-1, p, and -2 mod p, a value outside the
// prime-order subgroup (2 is a square mod p and -1 is not, so -2 is not).
func ffdhe2048Values() map[string][]byte {
	group, _ := cipher.FFDHEGroup(cipher.FFDHE2048)
	one := big.NewInt(1)
	return map[string][]byte{
		"0":                {0},
		"1":                {1},
		"p-1":              new(big.Int).Sub(group.P, one).Bytes(),
		"p":                group.P.Bytes(),
		"outside subgroup": new(big.Int).Sub(group.P, big.NewInt(2)).Bytes(),
	}
}

// oakleyGroup2P is the 1024-bit prime of RFC 2409, 6.2: the size Logjam
// showed within reach of a nation state's precomputation.
const oakleyGroup2P = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF"

// withPSK gives both sides the pre-shared key of identity "client1".
func withPSK(client, server *Config) {
	key := []byte("a sixteen byte k")
	client.PSKIdentity, client.PSK = "client1", key
	server.PSKLookup = func(identity string) ([]byte, error) {
		if identity == "client1" {
			return key, nil
		}
		return nil, ErrUnknownPSKIdentity
	}
}

func onlyCurve(curve cipher.CurveID) func(client, server *Config) {
	return func(client, server *Config) {
		client.CurvePreferences = []cipher.CurveID{curve}
		server.CurvePreferences = []cipher.CurveID{curve}
	}
}

// coalesce sends the handshake messages from the first of type first to
// the first of type last in a single record.
func coalesce(first, last uint8) mitmHook {
	var buf []byte
	collecting := false
	return func(d *mitmDir, m mitmMsg) bool {
		if m.typ != record.TypeHandshake {
			return false
		}
		if m.data[0] == first {
			collecting = true
		}
		if !collecting {
			return false
		}
		buf = append(buf, m.data...)
		if m.data[0] == last {
			_ = d.send(record.TypeHandshake, buf)
			collecting, buf = false, nil
		}
		return true
	}
}

func mustParse(t testing.TB, msg []byte) wire.Message {
	parsed, err := wire.Parse(msg, 0)
	require.NoError(t, err)
	return parsed
}

// oversizeChain repeats der until the Certificate message exceeds
// record.MaxHandshakeMessage.
func oversizeChain(der []byte) [][]byte {
	var chain [][]byte
	for size := 0; size <= record.MaxHandshakeMessage; size += len(der) + 3 {
		chain = append(chain, der)
	}
	return chain
}

// longChain is leaf followed by the CA certificate, one certificate more
// than MaxCertificateChainLength allows, yet well under the size cap.
func longChain(leaf []byte, pki *testPKI) [][]byte {
	chain := [][]byte{leaf}
	for len(chain) <= MaxCertificateChainLength {
		chain = append(chain, pki.caDER())
	}
	return chain
}

// caDER is the test CA's certificate in DER.
func (p *testPKI) caDER() []byte {
	data, err := os.ReadFile(p.file("ca.pem"))
	if err != nil {
		panic(err)
	}
	block, _ := pem.Decode(data)
	return block.Bytes
}
