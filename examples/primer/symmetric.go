package main

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/bits"
)

// bitsDiffer counts the bits that differ between a and b.
func bitsDiffer(a, b []byte) int {
	n := 0
	for i := range a {
		n += bits.OnesCount8(a[i] ^ b[i])
	}
	return n
}

// demoDigest: SHA-256 is a fixed-size fingerprint. The same input always
// gives the same digest; flipping one input bit changes about half of the
// 256 output bits (the avalanche effect), so nothing about the input can
// be read from the digest. TLS hashes every handshake message into the
// transcript (handshake/transcript.go) that Finished and the extended
// master secret use.
func demoDigest(w io.Writer) error {
	msg := []byte("pay alice 100 EUR")
	d1, d2 := sha256.Sum256(msg), sha256.Sum256(msg)
	fmt.Fprintf(w, "SHA-256(%q)\n  = %x\n  = %x (again: the same)\n", msg, d1, d2)
	if d1 != d2 {
		return errors.New("the same input gave two digests")
	}
	flipped := bytes.Clone(msg)
	flipped[4] ^= 0x01 // 'a' -> '`': one bit
	d3 := sha256.Sum256(flipped)
	n := bitsDiffer(d1[:], d3[:])
	fmt.Fprintf(w, "SHA-256(%q), one input bit flipped\n  = %x\n", flipped, d3)
	fmt.Fprintf(w, "%d of 256 output bits differ (about half is what a good hash gives)\n", n)
	if n < 80 || n > 176 {
		return fmt.Errorf("%d bits differ: far from half", n)
	}
	fmt.Fprintln(w, "A digest alone proves nothing about who sent a message: anyone can compute it. For that, see hmac.")
	return nil
}

// demoHMAC: HMAC mixes a secret key into the hash (RFC 2104). Without the
// key nobody can make a valid tag, and a changed message gets another
// one. TLS's PRF is built from HMAC (prf/prf.go), and CBC suites
// authenticate each record with it (cipher/cbc.go).
func demoHMAC(w io.Writer) error {
	key := []byte("a key only the two ends share!!!")
	msg := []byte("pay alice 100 EUR")
	tag := hmacSHA256(key, msg)
	fmt.Fprintf(w, "HMAC-SHA256(key, %q) = %x\n", msg, tag)
	changed := []byte("pay mallory 100 EUR")
	if hmac.Equal(tag, hmacSHA256(key, changed)) {
		return errors.New("a changed message kept its tag")
	}
	fmt.Fprintf(w, "An attacker changes the message to %q: the receiver recomputes the tag with the key and it differs, so it rejects the message.\n", changed)
	forged := sha256.Sum256(changed)
	if hmac.Equal(tag, forged[:]) || hmac.Equal(hmacSHA256(key, changed), forged[:]) {
		return errors.New("a plain digest passed as a tag")
	}
	fmt.Fprintf(w, "Sending SHA-256 of the new message instead (%x...) does not help: without the key the attacker cannot make the tag.\n", forged[:8])
	fmt.Fprintln(w, "Compare tags with hmac.Equal (constant time): a comparison that stops at the first wrong byte tells an attacker how many bytes were right.")
	return nil
}

func hmacSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// demoAESGCM: one key encrypts and decrypts (symmetric). AES-GCM is an
// AEAD: it also authenticates, so a flipped ciphertext byte makes Open
// fail instead of giving changed plaintext. Plain AES-CTR (encryption
// without authentication) shows why that matters: the flip goes straight
// through to the plaintext. TLS protects records with AES-GCM or
// ChaCha20-Poly1305 (cipher/aead.go).
func demoAESGCM(w io.Writer) error {
	key := []byte("0123456789abcdef") // AES-128: 16 bytes (from the key block in TLS)
	nonce := make([]byte, 12)         // must never repeat under one key; TLS uses the sequence number
	block, err := aes.NewCipher(key)
	if err != nil {
		return err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return err
	}
	plaintext := []byte("pay alice 100 EUR")
	sealed := gcm.Seal(nil, nonce, plaintext, nil)
	fmt.Fprintf(w, "AES-128-GCM(%q) = %x\n  (%d bytes of ciphertext + a 16-byte tag)\n", plaintext, sealed, len(plaintext))
	opened, err := gcm.Open(nil, nonce, sealed, nil)
	if err != nil || !bytes.Equal(opened, plaintext) {
		return fmt.Errorf("decryption failed: %v", err)
	}
	fmt.Fprintf(w, "decrypted with the same key: %q\n", opened)

	tampered := bytes.Clone(sealed)
	tampered[10] ^= 0x01 // the "1" of "100"
	if _, err := gcm.Open(nil, nonce, tampered, nil); err == nil {
		return errors.New("GCM opened a tampered ciphertext")
	} else {
		fmt.Fprintf(w, "one ciphertext bit flipped: Open fails (%v), nothing is returned\n", err)
	}

	ctr := cipher.NewCTR(block, make([]byte, 16))
	ctrCiphertext := make([]byte, len(plaintext))
	ctr.XORKeyStream(ctrCiphertext, plaintext)
	ctrCiphertext[10] ^= 0x01
	changed := make([]byte, len(plaintext))
	cipher.NewCTR(block, make([]byte, 16)).XORKeyStream(changed, ctrCiphertext)
	fmt.Fprintf(w, "the same flip on AES-CTR, which only encrypts: it decrypts without complaint to %q\n", changed)
	if bytes.Equal(changed, plaintext) {
		return errors.New("the CTR flip changed nothing")
	}
	fmt.Fprintln(w, "Encryption hides; only authentication (the tag) stops changes. TLS 1.2's CBC suites add an HMAC for that, AEAD suites have it built in.")
	return nil
}
