package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/record"
)

// demoTamper: the attacker changes an encrypted application-data record.
// AES-GCM encrypts in counter mode, so flipping a bit of the ciphertext
// flips the same bit of the plaintext: the attacker can turn "100" into
// "900" without knowing the key. What stops it is the authentication tag
// (RFC 5246, 6.2.3.3): the server's record layer refuses the record with
// bad_record_mac (RFC 5246, 7.2.2) before the application sees a byte.
func demoTamper(p *pki, w io.Writer) ([]*round, error) {
	const message = "pay alice 100"
	const suite = 0xC02F // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	server, err := p.serverConfig("server-rsa")
	if err != nil {
		return nil, err
	}
	server.CipherSuites = []uint16{suite}
	client := p.clientConfig()
	client.CipherSuites = []uint16{suite}

	fmt.Fprintf(w, "The client sends %q over AES-128-GCM. The attacker cannot decrypt it,\n", message)
	fmt.Fprintf(w, "but knows where the amount is and that counter mode is malleable.\n")
	offset := strings.Index(message, "1")
	tampered := false
	attacker := &mitm{editRecord: func(dir direction, rec []byte) []byte {
		if dir != clientToServer || rec[0] != typeApplicationData || tampered {
			return rec
		}
		tampered = true
		// GCM record (RFC 5288, 3): header, 8-byte explicit nonce, ciphertext, 16-byte tag.
		i := recordHeaderLen + 8 + offset
		rec[i] ^= '1' ^ '9'
		fmt.Fprintf(w, "  attacker: XORed byte %d of the %d-byte record with %#02x: the plaintext would now read %q\n",
			i, len(rec), '1'^'9', strings.Replace(message, "1", "9", 1))
		return rec
	}}

	r := &round{
		name:       "flip bits in the ciphertext of the client's first application-data record",
		check:      "the AEAD tag of the record (record layer: cipher.Protection.Open)",
		detector:   "server",
		alert:      record.AlertBadRecordMAC,
		plainAlert: false, // the server's keys are on by then: its alert is encrypted
	}
	s := &scenario{
		client: client, server: server, attacker: attacker,
		clientApp: func(c *handshake.Conn) error {
			if _, err := c.Write([]byte(message)); err != nil {
				return err
			}
			_, err := c.Read(make([]byte, 64)) // the server's answer: here, its alert
			return err
		},
		serverApp: func(c *handshake.Conn) error {
			buf := make([]byte, 64)
			n, err := c.Read(buf)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  server received %q\n", buf[:n])
			return nil
		},
	}
	return []*round{r}, r.play(w, s)
}
