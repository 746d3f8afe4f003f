package main

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"golang.org/x/crypto/cryptobyte"

	"github.com/glasstls/glasstls/cipher"
	"github.com/glasstls/glasstls/record"
)

// demoDowngrade: the attacker deletes the strong suites from the
// ClientHello, so that the server picks the weakest one both sides still
// allow (RSA key exchange with CBC: no forward secrecy). Nothing in the
// hellos is signed, so neither side notices at once. Finished does: its
// verify_data is a MAC, under the master secret, over every handshake
// message each side saw (RFC 5246, 7.4.9), and the server saw a different
// ClientHello from the one the client sent.
//
// Round 1 turns the extended master secret off to show the Finished check
// itself: the keys agree, verify_data does not, decrypt_error. Round 2
// leaves it on (the default): the master secret is then computed over the
// transcript too (RFC 7627, 4), so the keys already differ and the server
// cannot even decrypt the client's Finished: bad_record_mac, one step
// earlier.
func demoDowngrade(p *pki, w io.Writer) ([]*round, error) {
	strong := []uint16{0xC02F, 0xCCA8} // ECDHE_RSA with AES-128-GCM, ChaCha20-Poly1305
	const weak = 0x002F                // TLS_RSA_WITH_AES_128_CBC_SHA, kept for an old peer
	suites := append(slices.Clone(strong), weak)
	fmt.Fprintf(w, "Client and server both prefer forward-secret AEAD suites but would accept\n")
	fmt.Fprintf(w, "%s for an old peer. The attacker deletes everything else from the ClientHello.\n", suiteName(weak))

	rounds := []*round{
		{
			name:       "strip strong suites; extended master secret off",
			check:      "Finished verify_data (handshake: serverHandshakeState.readFinished)",
			detector:   "server",
			alert:      record.AlertDecryptError,
			plainAlert: true, // the server has not sent its ChangeCipherSpec yet
		},
		{
			name:       "strip strong suites; extended master secret on (the default)",
			check:      "the record MAC of the client's Finished: the keys differ, because the extended master secret covers the ClientHello",
			detector:   "server",
			alert:      record.AlertBadRecordMAC,
			plainAlert: true,
		},
	}
	for i, r := range rounds {
		server, err := p.serverConfig("server-rsa")
		if err != nil {
			return nil, err
		}
		server.CipherSuites = suites
		client := p.clientConfig()
		client.CipherSuites = suites
		client.DisableExtendedMasterSecret = i == 0
		attacker := &mitm{editHandshake: func(dir direction, msg []byte) []byte {
			if dir != clientToServer || msg[0] != handshakeClientHello {
				return msg
			}
			edited, removed, err := stripSuites(msg, func(id uint16) bool { return id == weak || id == 0x00FF })
			if err != nil {
				fmt.Fprintf(w, "  attacker: cannot parse the ClientHello (%v); passing it on\n", err)
				return msg
			}
			for _, id := range removed {
				fmt.Fprintf(w, "  attacker: removed %s from the ClientHello\n", suiteName(id))
			}
			return edited
		}}
		s := &scenario{client: client, server: server, attacker: attacker}
		if err := r.play(w, s); err != nil {
			return nil, err
		}
	}
	return rounds, nil
}

// stripSuites rewrites a ClientHello (RFC 5246, 7.4.1.2), header included,
// keeping only the cipher suites keep accepts and everything else as it was.
func stripSuites(msg []byte, keep func(uint16) bool) (edited []byte, removed []uint16, err error) {
	if len(msg) < handshakeHeaderLen {
		return nil, nil, errors.New("short message")
	}
	body := cryptobyte.String(msg[handshakeHeaderLen:])
	var vers uint16
	var random []byte
	var sessionID, suites cryptobyte.String
	if !body.ReadUint16(&vers) || !body.ReadBytes(&random, 32) ||
		!body.ReadUint8LengthPrefixed(&sessionID) || !body.ReadUint16LengthPrefixed(&suites) {
		return nil, nil, errors.New("malformed ClientHello")
	}
	var kept []uint16
	for !suites.Empty() {
		var id uint16
		if !suites.ReadUint16(&id) {
			return nil, nil, errors.New("malformed cipher_suites")
		}
		if keep(id) {
			kept = append(kept, id)
		} else {
			removed = append(removed, id)
		}
	}
	rest := []byte(body) // compression methods and extensions, untouched
	var b cryptobyte.Builder
	b.AddUint8(handshakeClientHello)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16(vers)
		b.AddBytes(random)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sessionID) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, id := range kept {
				b.AddUint16(id)
			}
		})
		b.AddBytes(rest)
	})
	edited, err = b.Bytes()
	return edited, removed, err
}

// suiteName names a suite id for the narration.
func suiteName(id uint16) string {
	if s, ok := cipher.SuiteByID(id); ok {
		return s.Name
	}
	if id == 0x00FF {
		return "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"
	}
	return fmt.Sprintf("suite %#04x", id)
}
