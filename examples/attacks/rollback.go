package main

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"

	"golang.org/x/crypto/cryptobyte"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/prf"
	"github.com/glasstls/glasstls/record"
)

// demoRollback: RSA key exchange puts the version the client offered into
// the first two bytes of the pre-master secret (RFC 5246, 7.4.7.1), inside
// the encryption, where an attacker who rewrote ClientHello.client_version
// on the way cannot reach it. The server compares the two.
//
// To show that this comparison, and nothing else, catches a mismatch, the
// attacker here is the client: a hand-built TLS 1.2 client that knows every
// secret it uses and speaks to the server directly. It offers 0x0303 in
// ClientHello; round 1 puts 0x0303 in the pre-master too and must
// succeed; round 2 puts 0x0302 there, the only change. Round 3 sends a
// ciphertext with broken PKCS#1 padding. The server answers rounds 2 and 3
// identically, at the same step: it carries on with a random pre-master
// secret, so the client's Finished fails to decrypt (bad_record_mac).
// Answering differently would hand out a padding oracle (Bleichenbacher
// 1998, and ROBOT in 2017).
func demoRollback(p *pki, w io.Writer) ([]*round, error) {
	const suite = 0x009C // TLS_RSA_WITH_AES_128_GCM_SHA256
	fmt.Fprintf(w, "The attacker plays the client by hand with %s. ClientHello offers TLS 1.2 (0x0303).\n", suiteName(suite))
	check := "the pre-master version check (cipher.DecryptRSAPreMasterSecret), seen as a Finished record that will not decrypt"
	rounds := []*round{
		{name: "pre-master version 0x0303, as offered (control)", check: "the server accepted the hand-built client"},
		{name: "pre-master version 0x0302: rolled back", check: check, detector: "server", alert: record.AlertBadRecordMAC, plainAlert: true},
		{name: "random bytes instead of a PKCS#1 ciphertext: bad padding", check: "the same check, the same way (no padding oracle)", detector: "server", alert: record.AlertBadRecordMAC, plainAlert: true},
	}
	pmsVersions := []uint16{0x0303, 0x0302, 0x0303}
	for i, r := range rounds {
		server, err := p.serverConfig("server-rsa")
		if err != nil {
			return nil, err
		}
		server.CipherSuites = []uint16{suite}
		s := &scenario{server: server, rawClient: func(conn net.Conn) error {
			return rawRSAHandshake(conn, suite, pmsVersions[i], i == 2, w)
		}}
		if err := r.play(w, s); err != nil {
			return nil, err
		}
	}
	return rounds, nil
}

// rawRSAHandshake is a minimal TLS 1.2 client for RSA key exchange, built
// from glasstls's lower layers (record, cipher, prf) and hand-made
// messages. It offers TLS 1.2 but writes pmsVersion into the pre-master
// secret; with badPadding it sends random bytes instead of the encrypted
// pre-master. It returns nil only if the server's Finished checks out.
func rawRSAHandshake(conn net.Conn, suiteID uint16, pmsVersion uint16, badPadding bool, w io.Writer) error {
	suite, ok := cipher.SuiteByID(suiteID)
	if !ok || suite.KeyExchange != cipher.KeyExchangeRSA {
		return fmt.Errorf("suite %#04x is not an RSA key exchange suite", suiteID)
	}
	rec := record.NewConn(conn, conn)
	var transcript []byte // every handshake message, for Finished

	// ClientHello (RFC 5246, 7.4.1.2): one suite, no extensions.
	clientRandom := make([]byte, prf.RandomLen)
	if _, err := rand.Read(clientRandom); err != nil {
		return err
	}
	clientHello := handshakeMessage(1, func(b *cryptobyte.Builder) {
		b.AddUint16(0x0303)
		b.AddBytes(clientRandom)
		b.AddUint8(0) // empty session_id
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint16(suiteID) })
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) }) // null compression
	})
	transcript = append(transcript, clientHello...)
	if _, err := rec.WriteRecord(record.TypeHandshake, clientHello); err != nil {
		return err
	}

	// ServerHello, Certificate, ServerHelloDone.
	serverHello, err := readHandshake(rec, 2, &transcript)
	if err != nil {
		return err
	}
	if len(serverHello) < handshakeHeaderLen+2+prf.RandomLen {
		return errors.New("short ServerHello")
	}
	serverRandom := serverHello[handshakeHeaderLen+2 : handshakeHeaderLen+2+prf.RandomLen]
	rec.SetReadVersion(0x0303)
	rec.SetWriteVersion(0x0303)
	certificate, err := readHandshake(rec, handshakeCertificate, &transcript)
	if err != nil {
		return err
	}
	leaf, err := leafCertificate(certificate)
	if err != nil {
		return err
	}
	serverKey, ok := leaf.PublicKey.(*rsa.PublicKey)
	if !ok {
		return errors.New("server certificate has no RSA key")
	}
	if _, err := readHandshake(rec, 14, &transcript); err != nil {
		return err
	}

	// ClientKeyExchange (RFC 5246, 7.4.7.1).
	preMasterSecret, err := cipher.NewRSAPreMasterSecret(rand.Reader, pmsVersion)
	if err != nil {
		return err
	}
	encrypted, err := cipher.EncryptRSAPreMasterSecret(rand.Reader, serverKey, preMasterSecret)
	if err != nil {
		return err
	}
	if badPadding {
		_, _ = rand.Read(encrypted) // almost surely not 00 02 ... 00 || 48 bytes
	}
	fmt.Fprintf(w, "  attacker: pre-master secret begins %02x %02x (ClientHello said 03 03)%s\n",
		preMasterSecret[0], preMasterSecret[1], map[bool]string{true: "; ciphertext replaced by random bytes", false: ""}[badPadding])
	clientKeyExchange := handshakeMessage(16, func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(encrypted) })
	})
	transcript = append(transcript, clientKeyExchange...)

	// The keys, exactly as an honest client derives them (RFC 5246, 8.1 and 6.3).
	masterSecret := prf.MasterSecret(suite.PRFHash, preMasterSecret, clientRandom, serverRandom)
	kb := prf.KeysFromMasterSecret(suite.PRFHash, masterSecret, clientRandom, serverRandom, suite.MACLen, suite.KeyLen, suite.FixedIVLen)
	clientProtection, err := suite.NewProtection(cipher.Keys{MACKey: kb.ClientMACKey, Key: kb.ClientWriteKey, IV: kb.ClientIV}, false, rand.Reader)
	if err != nil {
		return err
	}
	serverProtection, err := suite.NewProtection(cipher.Keys{MACKey: kb.ServerMACKey, Key: kb.ServerWriteKey, IV: kb.ServerIV}, false, rand.Reader)
	if err != nil {
		return err
	}

	rec.SetBuffering(true)
	if _, err := rec.WriteRecord(record.TypeHandshake, clientKeyExchange); err != nil {
		return err
	}
	rec.SetWritePending(clientProtection)
	if err := rec.ChangeWriteCipherSpec(); err != nil {
		return err
	}
	finished := handshakeMessage(20, func(b *cryptobyte.Builder) {
		b.AddBytes(prf.VerifyData(suite.PRFHash, masterSecret, true, hashOf(suite.PRFHash, transcript)))
	})
	transcript = append(transcript, finished...)
	if _, err := rec.WriteRecord(record.TypeHandshake, finished); err != nil {
		return err
	}
	rec.SetBuffering(false)
	if err := rec.Flush(); err != nil {
		return err
	}

	// The server's ChangeCipherSpec and Finished, or its alert.
	rec.SetReadPending(serverProtection)
	typ, _, err := rec.ReadMessage()
	if err != nil {
		return err
	}
	if typ != record.TypeChangeCipherSpec {
		return fmt.Errorf("expected ChangeCipherSpec, got %v", typ)
	}
	if err := rec.ChangeReadCipherSpec(); err != nil {
		return err
	}
	want := prf.VerifyData(suite.PRFHash, masterSecret, false, hashOf(suite.PRFHash, transcript))
	serverFinished, err := readHandshake(rec, 20, &transcript)
	if err != nil {
		return err
	}
	if !bytes.Equal(serverFinished[handshakeHeaderLen:], want) {
		return errors.New("server Finished does not match")
	}
	fmt.Fprintf(w, "  attacker: the server's Finished checks out: the server used our pre-master secret\n")
	return nil
}

// handshakeMessage frames a handshake message: type, 24-bit length, body.
func handshakeMessage(typ uint8, body cryptobyte.BuilderContinuation) []byte {
	var b cryptobyte.Builder
	b.AddUint8(typ)
	b.AddUint24LengthPrefixed(body)
	return b.BytesOrPanic() // only fails on a length overflow, impossible here
}

// readHandshake reads the next message, requires type typ, and adds it to
// the transcript. The result is a copy, valid after the next read.
func readHandshake(rec *record.Conn, typ uint8, transcript *[]byte) ([]byte, error) {
	contentType, msg, err := rec.ReadMessage()
	if err != nil {
		return nil, err
	}
	if contentType != record.TypeHandshake || len(msg) < handshakeHeaderLen || msg[0] != typ {
		return nil, fmt.Errorf("expected handshake message %d, got %v", typ, contentType)
	}
	*transcript = append(*transcript, msg...)
	return bytes.Clone(msg), nil
}

// leafCertificate parses the first certificate of a Certificate message
// (RFC 5246, 7.4.2).
func leafCertificate(msg []byte) (*x509.Certificate, error) {
	s := cryptobyte.String(msg[handshakeHeaderLen:])
	var list, der cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&list) || !list.ReadUint24LengthPrefixed(&der) {
		return nil, errors.New("malformed Certificate message")
	}
	return x509.ParseCertificate(der)
}

func hashOf(h crypto.Hash, data []byte) []byte {
	hh := h.New()
	hh.Write(data)
	return hh.Sum(nil)
}
